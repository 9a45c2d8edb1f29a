"""A user's recurring streams against the database: read their settled
history and their choices, detect (app.services.insights.streams), and keep
the choices they make.

Streams are computed on every read, never stored: reads write nothing. What
is stored is the user's own word about a stream, `confirmed` or `dismissed`
(the recurring_choices table, by stream id), applied on every detection.
Consent gates everything here (users.require_consent), before any of the
user's rows is read.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import orjson
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import RawQuery, backend_of
from app.models.recurring import RecurringChoice
from app.models.types import utcnow
from app.services.errors import NotFound
from app.services.insights import stream_store
from app.services.insights.streams import (
    Stream,
    StreamRow,
    UserStatus,
    apply_user_choices,
    detect_streams,
    recurring_lists,
)
from app.services.users import require_consent

# Every settled row up to the end of the as-of date: annual streams need 13
# months and more, so the whole history is read. Through the driver itself,
# as the insights reader does (SQLAlchemy's result processing would cost
# more than the query); dates as the ordered UTC text of the assessment's
# batch reads (Backend.ordered_utc_text), so both give the same rows;
# unsorted (detection sorts each merchant's rows itself, and its result does
# not depend on the order: a sort of all the rows cost SQLite a temporary
# B-tree). An assessment reads its batches' rows with the
# signals' (reader.read_users_and_history).
_USER_ROWS = RawQuery(
    lambda db: (
        f"SELECT t.id, t.account_id, {db.ordered_utc_text('t.date')}, t.amount, t.merchant_name, "
        "t.description, t.category, t.pending "
        "FROM accounts a JOIN transactions t ON t.account_id = a.id "
        "WHERE a.user_id = :user AND NOT t.pending AND t.date < :end"
    )
)


def _end_of(as_of: date) -> datetime:
    """00:00Z of the day after `as_of`: rows dated before it count."""
    return datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=UTC)


async def read_stream_rows(session: AsyncSession, user_id: str, as_of: date) -> list[StreamRow]:
    """The user's settled transactions dated on or before `as_of`, all of
    them, as the driver's tuples in StreamTxn's column order."""
    params = {"user": user_id, "end": _end_of(as_of)}
    return await backend_of(session).fetch(session, _USER_ROWS, params)


async def user_streams(session: AsyncSession, user_id: str, as_of: date) -> list[Stream]:
    """Every stream of a consenting user at `as_of` (tombstoned ones
    included), with their choices applied: the stored copy when it stands
    for a detection at `as_of` (stream_store), else detected from their
    transactions. Writes nothing."""
    await require_consent(session, user_id)
    stored = await stream_store.read_stored(session, user_id)
    streams = await stream_store.stored_streams(session, user_id, stored, as_of)
    if streams is None:
        streams = detect_streams(await read_stream_rows(session, user_id, as_of), as_of)
    return apply_user_choices(streams, stored.choices, as_of)


def recurring_body(streams: Sequence[Stream], as_of: date, include_inactive: bool) -> bytes:
    """The JSON of GET /users/{id}/recurring (the RecurringStreams schema):
    orjson writes the Stream dataclasses field by field, in the contract's
    order, dates as YYYY-MM-DD, without a pydantic model per stream."""
    inflow, outflow = recurring_lists(streams, include_inactive)
    return orjson.dumps({"as_of": as_of, "inflow_streams": inflow, "outflow_streams": outflow})


def stream_body(stream: Stream) -> bytes:
    """The JSON of one stream (the RecurringStreamPublic schema)."""
    return orjson.dumps(stream)


async def user_recurring(
    session: AsyncSession, user_id: str, as_of: date, include_inactive: bool = False
) -> bytes:
    """GET /users/{id}/recurring: the user's streams at `as_of`; tombstoned
    ones only with `include_inactive`. Writes nothing."""
    return recurring_body(await user_streams(session, user_id, as_of), as_of, include_inactive)


async def set_user_status(
    session: AsyncSession,
    user_id: str,
    stream_id: str,
    user_status: UserStatus | None,
    as_of: date,
) -> Stream:
    """Record the user's choice about a stream detected at `as_of`
    (tombstoned ones included; None clears the choice) and return the stream
    with it applied. NotFound when no such stream is detected at `as_of`."""
    streams = await user_streams(session, user_id, as_of)
    stream = next((s for s in streams if s.stream_id == stream_id), None)
    if stream is None:
        raise NotFound(
            "stream",
            stream_id,
            f"user {user_id!r} has no recurring stream {stream_id!r} at {as_of.isoformat()}",
        )
    # End the read before writing: SQLite cannot turn a read snapshot older
    # than another connection's commit into a write (SQLITE_BUSY_SNAPSHOT).
    await session.rollback()
    await _store_choice(session, user_id, stream_id, user_status)
    (chosen,) = apply_user_choices([stream], {stream_id: user_status}, as_of)
    return chosen


async def _store_choice(
    session: AsyncSession, user_id: str, stream_id: str, user_status: UserStatus | None
) -> None:
    """Write (or delete, for None) the choice and commit. Two requests
    racing to create the same choice: the one that loses the primary key
    race finds the row on its second try and updates it."""
    for attempt in range(2):
        choice = await session.get(RecurringChoice, (user_id, stream_id))
        if user_status is None:
            if choice is not None:
                await session.delete(choice)
        elif choice is None:
            session.add(
                RecurringChoice(user_id=user_id, stream_id=stream_id, user_status=user_status)
            )
        else:
            choice.user_status = user_status
            choice.updated_at = utcnow()
            session.add(choice)
        try:
            await session.commit()
            return
        except IntegrityError:
            await session.rollback()
            if attempt:
                raise
