"""The seeder's COPY path (app.services.seed_copy) keeps the guarantees of
insert_ignoring_duplicates: existing keys and repeats within the batch are
skipped and not counted, the stored values are the ones given, and a failing
batch leaves nothing."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Table, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Account, Transaction, User
from app.models.account import AccountType
from app.models.types import utcnow
from app.services.seed_copy import MIN_COPY_ROWS, copy_ignoring_duplicates
from tests.utils.database import run_in_session

TRANSACTIONS: Table = Transaction.__table__  # type: ignore[attr-defined]
START = datetime(2026, 1, 1, tzinfo=UTC)
ROWS = MIN_COPY_ROWS + 200


def txn(n: int, account_id: str = "acc1") -> dict[str, Any]:
    return {
        "id": f"t{n:05d}",
        "account_id": account_id,
        # Naive on purpose for some: stored as UTC, as the SQLAlchemy path does.
        "date": START + timedelta(minutes=n)
        if n % 2
        else (START + timedelta(minutes=n)).replace(tzinfo=None),
        "amount": 100 + n,
        "merchant_name": None if n % 3 else f"Shop {n}",
        "category": "FOOD_AND_DRINK",
        "pending": n % 5 == 0,
        "category_detailed": None,
    }


async def _owner(session: AsyncSession) -> None:
    session.add(User(id="u1", name="Ana", email="ana@example.com", created_at=utcnow()))
    await session.flush()
    session.add(Account(id="acc1", user_id="u1", type=AccountType.depository,
                        subtype="checking", name="Main", mask="0001", balance=0))  # fmt: skip
    await session.commit()


async def _stored(session: AsyncSession) -> list[tuple[Any, ...]]:
    result = await session.execute(
        select(
            TRANSACTIONS.c.id,
            TRANSACTIONS.c.date,
            TRANSACTIONS.c.amount,
            TRANSACTIONS.c.merchant_name,
            TRANSACTIONS.c.pending,
        ).order_by(TRANSACTIONS.c.id)
    )
    return [tuple(row) for row in result]


def test_existing_and_repeated_keys_are_skipped_and_not_counted() -> None:
    async def work(session: AsyncSession) -> tuple[int, int, list[tuple[Any, ...]]]:
        await _owner(session)
        first = await copy_ignoring_duplicates(session, TRANSACTIONS, [txn(n) for n in range(10)])
        await session.commit()
        # Ten keys already there, and five rows repeated within the batch.
        batch = [txn(n) for n in range(ROWS)] + [txn(n) for n in range(100, 105)]
        second = await copy_ignoring_duplicates(session, TRANSACTIONS, batch)
        await session.commit()
        return first, second, await _stored(session)

    first, second, stored = run_in_session(work)
    assert (first, second) == (10, ROWS - 10)
    assert len(stored) == ROWS
    expected = [txn(n) for n in range(ROWS)]
    assert stored == [
        (
            row["id"],
            row["date"].replace(tzinfo=UTC),
            row["amount"],
            row["merchant_name"],
            row["pending"],
        )
        for row in expected
    ]


def test_a_failing_batch_leaves_nothing() -> None:
    async def work(session: AsyncSession) -> int:
        await _owner(session)
        # The last row names an account that does not exist.
        batch = [txn(n) for n in range(ROWS)] + [txn(ROWS, account_id="missing")]
        with pytest.raises(Exception, match="foreign key|FOREIGN KEY"):
            await copy_ignoring_duplicates(session, TRANSACTIONS, batch)
        await session.rollback()
        return int(
            (await session.execute(select(func.count()).select_from(Transaction))).scalar_one()
        )

    assert run_in_session(work) == 0
