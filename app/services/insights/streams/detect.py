"""detect_streams: one user's recurring streams at an as-of date, from the
plain rows of all their accounts."""

from collections.abc import Iterable
from datetime import date, datetime
from operator import itemgetter

from app.services.insights.days import day_number
from app.services.insights.streams.calendar import SATURDAY, off_weekend, weekday
from app.services.insights.streams.fitting import Fit, fit_stream, frequencies_after
from app.services.insights.streams.grouping import (
    GroupKey,
    group_rows,
    merchant_accounts,
    stream_id_of,
)
from app.services.insights.streams.records import Direction, Stream, StreamRow
from app.services.insights.streams.status import stream_status

# Rows are read by position (StreamTxn's order: id, account_id, date, amount,
# merchant_name, description, category, pending), so a reader's plain tuples
# do as well as StreamTxn rows, without building one per row.
ID, ACCOUNT, DATE, AMOUNT, MERCHANT, DESCRIPTION, CATEGORY = range(7)
# Same-day rows in id order (binary, as the reader's tie-breaker).
_chronological = itemgetter(DATE, ID)


def detect_streams(rows: Iterable[StreamRow], as_of: date) -> list[Stream]:
    """Every stream among a user's `rows` (the transactions of all their
    accounts, StreamTxn rows or plain tuples in its column order; pending
    ones and those dated after `as_of` are ignored) at `as_of`: tombstoned
    ones included, without user choices (see apply_user_choices), by
    average_amount magnitude, then stream_id."""
    if isinstance(as_of, datetime):  # a datetime would move the day boundary
        raise TypeError("as_of is a calendar date, not a datetime")
    streams: list[Stream] = []
    groups = group_rows(rows, as_of)
    accounts_of = merchant_accounts(groups)
    for (account_id, direction, key), group in groups.items():
        if len(group) < 2:
            continue
        group.sort(key=_chronological)
        # Most groups (shopping every few days) fail on their newest gap.
        gap = day_number(group[-1][DATE][:10]) - day_number(group[-2][DATE][:10])
        if not frequencies_after(gap):
            continue
        days = [day_number(row[DATE][:10]) for row in group]
        elsewhere = _Elsewhere(groups, accounts_of, account_id, direction, key)
        fit = fit_stream(days, [abs(row[AMOUNT]) for row in group], elsewhere)
        if fit is not None:
            stream_id = stream_id_of(account_id, direction, key)
            streams.append(_stream(stream_id, direction, group, days, fit, as_of))
    streams.sort(key=lambda stream: (-abs(stream.average_amount), stream.stream_id))
    return streams


def _stream(
    stream_id: str,
    direction: Direction,
    group: list[StreamRow],
    days: list[int],
    fit: Fit,
    as_of: date,
) -> Stream:
    members = [group[index] for index in fit.members]
    amounts = [row[AMOUNT] for row in members]
    last = members[-1]
    first_date = date.fromordinal(days[fit.members[0]])
    last_date = date.fromordinal(days[fit.members[-1]])
    predicted = date.fromordinal(_within_calendar(fit, days))
    frequency = fit.frequency.name
    status = stream_status(frequency, first_date, last_date, predicted, as_of)
    return Stream(
        stream_id=stream_id,
        account_id=last[ACCOUNT],
        direction=direction,
        merchant_name=last[MERCHANT],
        description=last[DESCRIPTION],
        category=last[CATEGORY],
        frequency=frequency,
        first_date=first_date,
        last_date=last_date,
        predicted_next_date=predicted,
        average_amount=mean_half_even(sum(amounts), len(amounts)),
        last_amount=last[AMOUNT],
        amount_range=(min(amounts), max(amounts)),
        transaction_ids=tuple(row[ID] for row in members),
        status=status,
        is_active=status != "tombstoned",
    )


class _Elsewhere:
    """The days of the merchant's charges in `direction` on the user's other
    accounts, in order (usually none): worked out on the first call only
    (fitting asks for them for a young stream alone)."""

    __slots__ = ("groups", "accounts_of", "account_id", "direction", "key", "days")

    def __init__(
        self,
        groups: dict[GroupKey, list[StreamRow]],
        accounts_of: dict[tuple[Direction, str], list[str]],
        account_id: str,
        direction: Direction,
        key: str,
    ) -> None:
        self.groups, self.accounts_of = groups, accounts_of
        self.account_id, self.direction, self.key = account_id, direction, key
        self.days: list[int] | None = None

    def __call__(self) -> list[int]:
        if self.days is None:
            direction, key = self.direction, self.key
            others = [a for a in self.accounts_of[direction, key] if a != self.account_id]
            self.days = sorted(
                day_number(row[DATE][:10]) for a in others for row in self.groups[a, direction, key]
            )
        return self.days


# The last day a date can be: a stream due after it is due on it.
LAST_DAY = date.max.toordinal()


def _within_calendar(fit: Fit, days: list[int]) -> int:
    """predicted_next_day, or the calendar's last day (9999-12-31) for a
    stream whose next date would lie beyond it."""
    try:
        return min(predicted_next_day(fit, days), LAST_DAY)
    except ValueError:  # a month of year 10000
        return LAST_DAY


def mean_half_even(total: int, count: int) -> int:
    """`total / count` rounded to an integer, half to even, exactly."""
    quotient, remainder = divmod(total, count)  # floor, 0 <= remainder < count
    if 2 * remainder > count or (2 * remainder == count and quotient % 2):
        quotient += 1
    return quotient


def predicted_next_day(fit: Fit, days: list[int]) -> int:
    """The scheduled day after the last occurrence's; a day-of-month slot on
    a weekend moves the way the stream's own weekend slots moved."""
    scheduled = fit.schedule.day_of(fit.slots[-1] + 1)
    if not fit.schedule.by_month:
        return scheduled
    return off_weekend(scheduled, weekend_habit(fit, days))


def weekend_habit(fit: Fit, days: list[int]) -> str:
    """`before` (the Friday before), `after` (the Monday after) or `stay`:
    where most of the stream's occurrences due on a weekend fell. Only
    occurrences exactly on the weekend day, that Friday or that Monday vote
    (ordinary drift says nothing); a tie or no vote stays."""
    votes = {"before": 0, "after": 0, "stay": 0}
    for index, deviation in zip(fit.members, fit.deviations, strict=True):
        day = days[index]
        scheduled = day - deviation
        if weekday(scheduled) < SATURDAY:
            continue
        for shift in votes:
            if day == off_weekend(scheduled, shift):
                votes[shift] += 1
                break
    before, after, stay = votes["before"], votes["after"], votes["stay"]
    if before > max(after, stay):
        return "before"
    if after > max(before, stay):
        return "after"
    return "stay"
