"""What an export reads: the accounts, then each account's transactions in
keyset batches (date, id ascending), through SQLAlchemy Core."""

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import Table, and_, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Account, Transaction

ACCOUNTS: Table = Account.__table__  # type: ignore[attr-defined]
TRANSACTIONS: Table = Transaction.__table__  # type: ignore[attr-defined]
BATCH_ROWS = 2000
Row = dict[str, Any]


async def read_accounts(session: AsyncSession, user_id: str, account_id: str | None) -> list[Row]:
    stmt = select(ACCOUNTS).where(ACCOUNTS.c.user_id == user_id).order_by(ACCOUNTS.c.id)
    if account_id is not None:
        stmt = stmt.where(ACCOUNTS.c.id == account_id)
    return [dict(row._mapping) for row in await session.execute(stmt)]


async def transaction_batches(
    session: AsyncSession, account_id: str, pending: bool | None = None
) -> AsyncIterator[list[Row]]:
    """The account's transactions, oldest first, BATCH_ROWS at a time."""
    after: tuple[Any, str] | None = None
    while True:
        stmt = select(TRANSACTIONS).where(TRANSACTIONS.c.account_id == account_id)
        if pending is not None:
            stmt = stmt.where(TRANSACTIONS.c.pending == pending)
        if after is not None:
            day, ident = after
            stmt = stmt.where(
                or_(
                    TRANSACTIONS.c.date > day,
                    and_(TRANSACTIONS.c.date == day, TRANSACTIONS.c.id > ident),
                )
            )
        stmt = stmt.order_by(TRANSACTIONS.c.date, TRANSACTIONS.c.id).limit(BATCH_ROWS)
        rows = [dict(row._mapping) for row in await session.execute(stmt)]
        if not rows:
            return
        yield rows
        if len(rows) < BATCH_ROWS:
            return
        after = (rows[-1]["date"], rows[-1]["id"])


async def date_range(
    session: AsyncSession, account_id: str, pending: bool | None = None
) -> tuple[Any, Any]:
    """(earliest, latest) transaction date of the account, of its pending or
    posted rows only when `pending` says (None, None when there are none)."""
    stmt = select(func.min(TRANSACTIONS.c.date), func.max(TRANSACTIONS.c.date)).where(
        TRANSACTIONS.c.account_id == account_id
    )
    if pending is not None:
        stmt = stmt.where(TRANSACTIONS.c.pending == pending)
    low, high = (await session.execute(stmt)).one()
    return low, high
