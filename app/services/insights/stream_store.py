"""Stored streams (the stream_snapshots table): a copy of each user's streams
as an assessment detected them, so that GET /recurring need not read and
scan the user's whole history on every request.

The copy is never the truth, only a shortcut to it:
- Every write to a user's transactions calls `transactions_changed` in its
  own transaction: it bumps the user's `data_version` and clears the copy.
- An assessment first makes sure the user has a row (`claim`), then reads
  the version, then the transactions, and stores what it detected only if
  the version is still the one it read (`store`): a write that lands in
  between leaves no copy rather than a stale one.
- A copy made for as-of date A serves a request for A; and for a later date
  D when no settled transaction is dated after A up to D (the rows detection
  reads are then the same: only the statuses move, and they are recomputed
  for D). Any other request detects from the transactions.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import orjson
from sqlalchemy import Table, bindparam, or_, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import RawQuery, backend_of
from app.models import Account, StreamSnapshot, Transaction, User
from app.models.types import utcnow
from app.services.ingest import insert_ignoring_duplicates
from app.services.insights.streams import Stream, UserStatus
from app.services.insights.streams.status import at

SNAPSHOTS: Table = StreamSnapshot.__table__  # type: ignore[attr-defined]


def encode(streams: Iterable[Stream]) -> str:
    """The streams as JSON text (user choices are not part of a copy)."""
    return orjson.dumps([_fields(stream) for stream in streams]).decode()


def _fields(stream: Stream) -> dict[str, Any]:
    fields = {name: getattr(stream, name) for name in Stream.__dataclass_fields__}
    del fields["user_status"]
    return fields


def decode(text: str) -> list[Stream]:
    streams = []
    for fields in orjson.loads(text):
        for name in ("first_date", "last_date", "predicted_next_date"):
            fields[name] = date.fromisoformat(fields[name])
        fields["amount_range"] = tuple(fields["amount_range"])
        fields["transaction_ids"] = tuple(fields["transaction_ids"])
        streams.append(Stream(**fields))
    return streams


# --- writes of transactions ---------------------------------------------------------


async def transactions_changed(
    session: AsyncSession,
    *,
    accounts: Collection[str] = (),
    transactions: Collection[str] = (),
    users: Collection[str] = (),
) -> None:
    """Every write to transactions calls this in its transaction, before it
    commits and before the rows it deletes are gone: the owners of
    `accounts` and of `transactions`, and `users`, get a new data_version and
    lose their stored streams. Does not commit."""
    of_accounts = select(col(Account.user_id)).where(col(Account.id).in_(list(accounts)))
    of_transactions = (
        select(col(Account.user_id))
        .join(Transaction, col(Transaction.account_id) == col(Account.id))
        .where(col(Transaction.id).in_(list(transactions)))
    )
    owner = SNAPSHOTS.c.user_id
    conditions = []
    if accounts:
        conditions.append(owner.in_(of_accounts))
    if transactions:
        conditions.append(owner.in_(of_transactions))
    if users:
        conditions.append(owner.in_(list(users)))
    if not conditions:
        return
    stmt = (
        update(SNAPSHOTS)
        .where(or_(*conditions))
        .values(
            data_version=SNAPSHOTS.c.data_version + 1, as_of=None, streams=None, computed_at=None
        )
    )
    await session.execute(stmt)


# --- assessments ------------------------------------------------------------------------


async def claim(session: AsyncSession, user_ids: Sequence[str]) -> None:
    """A row for each user that has none (version 0, no copy), so that a
    write from now on bumps its version. Commits."""
    rows = [
        {"user_id": u, "data_version": 0, "as_of": None, "streams": None, "computed_at": None}
        for u in user_ids
    ]
    await insert_ignoring_duplicates(session, SNAPSHOTS, rows)
    await session.commit()


_VERSIONS = RawQuery(
    lambda db: (
        f"SELECT user_id, data_version FROM stream_snapshots WHERE {db.any_of('user_id', 'users')}"
    )
)


async def read_versions(session: AsyncSession, user_ids: Sequence[str]) -> dict[str, int]:
    """The data_version of each claimed user."""
    rows = await backend_of(session).fetch(session, _VERSIONS, {"users": list(user_ids)})
    return dict(rows)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Streams detected for `as_of` from the rows of `data_version`."""

    user_id: str
    data_version: int
    as_of: date
    streams: list[Stream]


_STORE = (
    update(SNAPSHOTS)
    .where(
        SNAPSHOTS.c.user_id == bindparam("owner"),
        SNAPSHOTS.c.data_version == bindparam("version"),
    )
    .values(as_of=bindparam("day"), streams=bindparam("text"), computed_at=bindparam("now"))
)


async def store(session: AsyncSession, snapshots: Sequence[Snapshot]) -> None:
    """Store each snapshot, unless its user's transactions changed since the
    version it was computed from. Does not commit."""
    if not snapshots:
        return
    now = utcnow()
    params = [
        {
            "owner": s.user_id,
            "version": s.data_version,
            "day": s.as_of,
            "text": encode(s.streams),
            "now": now,
        }
        for s in snapshots
    ]
    await session.execute(_STORE, params)


_ASSESSED = (
    update(SNAPSHOTS)
    .where(
        SNAPSHOTS.c.user_id == bindparam("owner"),
        SNAPSHOTS.c.data_version == bindparam("version"),
    )
    .values(assessed_version=bindparam("version"))
)


async def mark_assessed(session: AsyncSession, versions: Mapping[str, int]) -> None:
    """Record that each user's personas were computed from the rows of their
    data_version in `versions`, unless a write bumped it since (the user then
    stays changed for `assess --changed-only`). Does not commit."""
    if versions:
        params = [{"owner": user_id, "version": v} for user_id, v in versions.items()]
        await session.execute(_ASSESSED, params)


def changed_since_assessed() -> Any:
    """A condition on users.id: the user has no assessment of their current
    data (never assessed, or a write bumped data_version since)."""
    current = (
        select(SNAPSHOTS.c.user_id)
        .where(SNAPSHOTS.c.assessed_version == SNAPSHOTS.c.data_version)
        .where(SNAPSHOTS.c.user_id == col(User.id))
    )
    return ~current.exists()


# --- reads ----------------------------------------------------------------------------------

# The stored copy and the user's choices in one call to the driver: a row
# (as_of, streams, NULL, NULL) for the copy, one (NULL, NULL, stream_id,
# user_status) per choice.
_STORED = RawQuery(
    lambda db: (
        "SELECT as_of, streams, NULL, NULL FROM stream_snapshots "
        "WHERE user_id = :user AND streams IS NOT NULL "
        "UNION ALL SELECT NULL, NULL, stream_id, user_status FROM recurring_choices "
        "WHERE user_id = :user"
    )
)
# Whether a settled transaction of the user is dated after one day, up to
# the end of another.
_NEWER = RawQuery(
    lambda db: (
        "SELECT 1 FROM accounts a JOIN transactions t ON t.account_id = a.id "
        "WHERE a.user_id = :user AND t.date >= :after AND t.date < :end AND NOT t.pending "
        "LIMIT 1"
    )
)


@dataclass(frozen=True, slots=True)
class Stored:
    """What is stored for a user: the copy (None without one) and the choices."""

    as_of: date | None
    streams: str | None
    choices: dict[str, UserStatus]


def _day(value: date | str) -> date:
    """A date column as the driver gives it: a date (asyncpg) or its text (sqlite3)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


async def read_stored(session: AsyncSession, user_id: str) -> Stored:
    rows = await backend_of(session).fetch(session, _STORED, {"user": user_id})
    as_of = streams = None
    choices: dict[str, UserStatus] = {}
    for day, text, stream_id, user_status in rows:
        if text is not None:
            as_of, streams = _day(day), text
        else:
            choices[stream_id] = user_status
    return Stored(as_of, streams, choices)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


async def stored_streams(
    session: AsyncSession, user_id: str, stored: Stored, as_of: date
) -> list[Stream] | None:
    """The stored streams at `as_of` (statuses at `as_of`, no choices), or
    None when the copy cannot stand for a detection at `as_of`."""
    if stored.streams is None or stored.as_of is None or as_of < stored.as_of:
        return None
    if as_of > stored.as_of:
        params = {
            "user": user_id,
            "after": _start_of(stored.as_of + timedelta(days=1)),
            "end": _start_of(as_of + timedelta(days=1)),
        }
        if await backend_of(session).fetch(session, _NEWER, params):
            return None
        # Copies hold no choices: only the statuses move.
        return [at(stream, as_of) for stream in decode(stored.streams)]
    return decode(stored.streams)
