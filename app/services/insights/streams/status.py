"""A stream's status from its dates, the user's choices, and the order of
the lists the contract serves."""

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from app.services.insights.streams.records import BY_NAME, Status, Stream, UserStatus


def stream_status(
    frequency: str,
    first_date: date,
    last_date: date,
    predicted_next_date: date,
    as_of: date,
    user_status: UserStatus | None = None,
) -> Status:
    """`tombstoned` when `as_of - predicted_next_date` exceeds half a period
    plus 5 days (for a confirmed stream, only when `as_of - last_date` also
    exceeds twice the period); else `mature` when `last_date - first_date`
    is at least 3 nominal periods (2 for quarterly and longer), else
    `early_detection`. Days are whole calendar days; periods nominal."""
    period = BY_NAME[frequency].period_days
    tombstoned = (as_of - predicted_next_date).days > period / 2 + 5
    if tombstoned and user_status == "confirmed":
        tombstoned = (as_of - last_date).days > 2 * period
    if tombstoned:
        return "tombstoned"
    spans = BY_NAME[frequency].mature_periods
    return "mature" if (last_date - first_date).days >= spans * period else "early_detection"


def apply_user_choices(
    streams: Iterable[Stream], choices: Mapping[str, UserStatus | None], as_of: date
) -> list[Stream]:
    """The streams with the user's choices (stream_id -> `confirmed` or
    `dismissed`; ids of streams not detected now are ignored, and kept by
    the caller for when they are). A dismissed stream keeps its status; a
    confirmed one is tombstoned later (stream_status)."""
    return [
        stream
        if (choice := choices.get(stream.stream_id)) == stream.user_status
        else at(stream, as_of, choice)
        for stream in streams
    ]


def at(stream: Stream, as_of: date, user_status: UserStatus | None = None) -> Stream:
    """The stream with `user_status` and its status at `as_of`."""
    status = stream_status(
        stream.frequency,
        stream.first_date,
        stream.last_date,
        stream.predicted_next_date,
        as_of,
        user_status,
    )
    if status == stream.status and user_status == stream.user_status:
        return stream
    return replace(stream, user_status=user_status, status=status, is_active=status != "tombstoned")


def _order(stream: Stream) -> tuple[int, str]:
    return -abs(stream.average_amount), stream.stream_id


def recurring_lists(
    streams: Iterable[Stream], include_inactive: bool = False
) -> tuple[list[Stream], list[Stream]]:
    """(inflow streams, outflow streams), each by `average_amount` magnitude,
    largest first, then stream_id; tombstoned ones only with
    `include_inactive`. Dismissed streams are listed like any other."""
    inflow: list[Stream] = []
    outflow: list[Stream] = []
    for stream in sorted(streams, key=_order):
        if stream.is_active or include_inactive:
            (inflow if stream.direction == "inflow" else outflow).append(stream)
    return inflow, outflow
