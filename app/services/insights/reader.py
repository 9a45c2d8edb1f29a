"""Reads what the insights engine needs, for a batch of users at a time:
their accounts (AccountRow) and their transactions as plain TxnRow tuples,
dated on or after the first day of the 180-day lookback (rows after the
as-of date included: they rebuild balances).

Dates come out as UTC text that starts with the day and sorts in time order
(Backend.ordered_utc_text: SQLite's stored form `YYYY-MM-DD HH:MM:SS.ffffff`;
PostgreSQL's ISO text of the timestamp), so the engine compares them as text
and no row is turned into a datetime.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import RawQuery, backend_of
from app.models import Account, User
from app.services.insights.rows import AccountRow, TxnRow
from app.services.insights.streams import StreamRow

# The longest window's lookback: what the 180d window reads.
LOOKBACK_DAYS = 180


@dataclass(slots=True)
class UserRows:
    accounts: list[AccountRow] = field(default_factory=list)
    transactions: list[TxnRow] = field(default_factory=list)


def first_day(as_of: date, days: int = LOOKBACK_DAYS) -> datetime:
    """00:00Z of the first day of the `days`-day lookback ending with `as_of`."""
    return datetime.combine(as_of - timedelta(days=days - 1), time.min, tzinfo=UTC)


def _accounts_stmt() -> Any:
    return (
        select(
            col(Account.user_id),
            col(Account.id),
            col(Account.type),
            col(Account.subtype),
            col(Account.name),
            col(Account.mask),
            col(Account.balance),
            col(Account.limit),
            col(Account.min_payment),
            col(Account.is_overdue),
        )
        .where(col(Account.user_id).in_(bindparam("users", expanding=True)))
        .order_by(col(Account.id))
    )


# The transactions of a batch, read through the driver itself: this is the
# engine's biggest input (hundreds of rows per user), and SQLAlchemy's result
# processing cost twice the read. Ordered by account then time: the engine
# takes each account's rows as one group, and on equal timestamps the later
# row (by id) counts as the most recent, the same on both databases (the id
# columns compare bytewise on both: app.models.types.IdColumn). Dates come
# out as ordered UTC text (see the module's docstring).
_TRANSACTIONS = RawQuery(
    lambda db: (
        f"SELECT account_id, {db.ordered_utc_text('date')}, amount, merchant_name, category, "
        f"pending, category_detailed FROM transactions WHERE {db.any_of('account_id', 'accounts')} "
        "AND date >= :since ORDER BY account_id, date, id"
    )
)


async def _read_transactions(
    session: AsyncSession, account_ids: list[str], since: datetime
) -> list[TxnRow]:
    backend = backend_of(session)
    return await backend.fetch(session, _TRANSACTIONS, {"accounts": account_ids, "since": since})


async def read_users(
    session: AsyncSession, user_ids: Sequence[str], as_of: date, days: int = LOOKBACK_DAYS
) -> dict[str, UserRows]:
    """Accounts and transactions of `user_ids` (users without accounts get
    empty rows), two queries for the whole batch. `days` shortens the
    lookback read: 90 days are all the 30d window needs (its signals are then
    exact, those of the 180d window are not)."""
    by_user, owner = await _read_accounts(session, user_ids)
    if not owner:
        return by_user
    rows = await _read_transactions(session, list(owner), first_day(as_of, days))
    # Rows come grouped by account: one lookup of the owner per account.
    for account_id, txns in groupby(rows, itemgetter(0)):
        owner[account_id].transactions.extend(txns)
    return by_user


async def _read_accounts(
    session: AsyncSession, user_ids: Sequence[str]
) -> tuple[dict[str, UserRows], dict[str, UserRows]]:
    """(UserRows by user with their accounts, the same by account id)."""
    by_user = {user_id: UserRows() for user_id in user_ids}
    owner: dict[str, UserRows] = {}
    if not by_user:
        return by_user, owner
    result = await session.execute(_accounts_stmt(), {"users": list(by_user)})
    for user_id, *fields in result.all():
        account = AccountRow(*fields)
        user_rows = by_user[user_id]
        user_rows.accounts.append(account)
        owner[account.id] = user_rows
    return by_user, owner


# Every row of the batch's accounts, of all time, in StreamTxn's column
# order, then category_detailed (for the signals' rows): an assessment that
# also detects recurring streams reads once for both.
_HISTORY = RawQuery(
    lambda db: (
        f"SELECT id, account_id, {db.ordered_utc_text('date')}, amount, merchant_name, "
        "description, category, pending, category_detailed FROM transactions "
        f"WHERE {db.any_of('account_id', 'accounts')} ORDER BY account_id, date, id"
    )
)


async def read_users_and_history(
    session: AsyncSession, user_ids: Sequence[str], as_of: date
) -> tuple[dict[str, UserRows], dict[str, list[StreamRow]]]:
    """What read_users reads (the rows of the 180-day lookback and after), and
    by user their settled rows of all time dated on or before `as_of` (what
    stream detection reads), from one read of the transactions."""
    by_user, owner = await _read_accounts(session, user_ids)
    history: dict[str, list[StreamRow]] = {}
    if not owner:
        return by_user, history
    user_of = {
        account.id: user_id for user_id, rows in by_user.items() for account in rows.accounts
    }
    # Dates compare as text: a row's `YYYY-MM-DD HH:...` sorts after its day's `YYYY-MM-DD`.
    since = (as_of - timedelta(days=LOOKBACK_DAYS - 1)).isoformat()
    end = (as_of + timedelta(days=1)).isoformat()
    rows = await backend_of(session).fetch(session, _HISTORY, {"accounts": list(owner)})
    for account_id, txns in groupby(rows, itemgetter(1)):
        recent = owner[account_id].transactions
        settled = history.setdefault(user_of[account_id], [])
        for row in txns:
            day, pending = row[2], row[7]
            if day >= since:
                recent.append((account_id, day, row[3], row[4], row[6], pending, row[8]))
            if not pending and day < end:
                settled.append(row)
    return by_user, history


# One user's accounts, through the driver like the transactions: the route
# that reads one user pays one call to the driver instead of SQLAlchemy's four.
_ACCOUNTS = RawQuery(
    lambda db: (
        'SELECT id, type, subtype, name, mask, balance, "limit", min_payment, is_overdue '
        "FROM accounts WHERE user_id = :user ORDER BY id"
    )
)


async def read_user(
    session: AsyncSession, user_id: str, as_of: date, days: int = LOOKBACK_DAYS
) -> UserRows:
    """What read_users reads, for one user, in two calls to the driver."""
    records = await backend_of(session).fetch(session, _ACCOUNTS, {"user": user_id})
    accounts = [
        # SQLite gives the flag as 0/1.
        AccountRow(ident, kind, subtype, name, mask, balance, limit, minimum, bool(overdue))
        for ident, kind, subtype, name, mask, balance, limit, minimum, overdue in records
    ]
    if not accounts:
        return UserRows()
    rows = await _read_transactions(session, [a.id for a in accounts], first_day(as_of, days))
    return UserRows(accounts, rows)


async def consenting(
    session: AsyncSession, user_ids: Sequence[str] | None
) -> tuple[list[str], list[str]]:
    """(users with consent, users without), by id; all users when `user_ids`
    is None, else those of `user_ids` that exist."""
    stmt = select(col(User.id), col(User.consent)).order_by(col(User.id))
    if user_ids is not None:
        stmt = stmt.where(col(User.id).in_(list(user_ids)))
    rows = (await session.execute(stmt)).all()
    return [u for u, ok in rows if ok], [u for u, ok in rows if not ok]
