"""Transactions: single writes, bulk loads, and the filters of the lists
(whose pages app.services.transaction_pages writes)."""

from datetime import datetime
from operator import attrgetter

from sqlalchemy import ColumnElement, Table
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import (
    Account,
    BulkResult,
    Transaction,
    TransactionCreate,
    TransactionUpdate,
)
from app.models.bulk_body import Columns
from app.models.transaction import GlobalTransactionFilters, TransactionFilters
from app.models.types import OUT_OF_RANGE, offset_leaves_range
from app.services import category_rules, repository
from app.services.errors import InvalidInput, UnknownReferences
from app.services.ingest import insert_columns_ignoring_duplicates
from app.services.insights import stream_store
from app.services.retry import retrying

TRANSACTIONS: Table = Transaction.__table__  # type: ignore[attr-defined]


def filter_clauses(filters: TransactionFilters) -> list[ColumnElement[bool]]:
    """WHERE clauses for the filters sent."""
    clauses: list[ColumnElement[bool]] = []
    if filters.start is not None:
        clauses.append(col(Transaction.date) >= filters.start)
    if filters.end is not None:
        clauses.append(col(Transaction.date) < filters.end)
    if filters.category is not None:
        clauses.append(col(Transaction.category) == filters.category)
    if filters.pending is not None:
        clauses.append(col(Transaction.pending) == filters.pending)
    if filters.min_amount is not None:
        clauses.append(col(Transaction.amount) >= filters.min_amount)
    if filters.max_amount is not None:
        clauses.append(col(Transaction.amount) <= filters.max_amount)
    if isinstance(filters, GlobalTransactionFilters):
        # Unknown accounts or users simply match nothing.
        if filters.account_id is not None:
            clauses.append(col(Transaction.account_id) == filters.account_id)
        if filters.user_id is not None:
            owned = select(Account.id).where(col(Account.user_id) == filters.user_id)
            clauses.append(col(Transaction.account_id).in_(owned))
    return clauses


async def get(session: AsyncSession, transaction_id: str) -> Transaction:
    return await repository.get_or_raise(session, Transaction, transaction_id, "transaction")


async def create(session: AsyncSession, account_id: str, data: TransactionCreate) -> Transaction:
    await repository.get_or_raise(session, Account, account_id, "account")
    await stream_store.transactions_changed(session, accounts=[account_id])
    return await repository.add_new(
        session, Transaction, data, what="transaction", prefix="txn", account_id=account_id
    )


async def update(
    session: AsyncSession, transaction_id: str, changes: TransactionUpdate
) -> Transaction:
    """Change the fields sent. A category sent is also remembered as the
    user's rule for the transaction's merchant (category_rules): later
    imports of that merchant get it; and it clears a stored detailed
    category of another category (unless the PATCH sends one)."""
    transaction = await get(session, transaction_id)
    await stream_store.transactions_changed(session, accounts=[transaction.account_id])
    if changes.category is not None:
        detailed = transaction.category_detailed
        kept = "category_detailed" in changes.model_fields_set or detailed is None
        if not kept and not str(detailed).startswith(f"{changes.category}_"):
            # A detailed name of another category no longer says anything.
            changes.category_detailed = None
        transaction.sqlmodel_update(changes.model_dump(exclude_unset=True))
        await category_rules.learn(session, transaction)
    return await repository.save_changes(session, transaction, changes)


async def delete(session: AsyncSession, transaction_id: str) -> None:
    await stream_store.transactions_changed(session, transactions=[transaction_id])
    await repository.delete_or_raise(session, Transaction, transaction_id, "transaction")


async def bulk_create(session: AsyncSession, columns: Columns) -> BulkResult:
    """Insert validated bulk items (app.models.bulk_body.parse_bulk_body:
    one list per field), all or nothing. Items whose id already exists, or
    repeats an earlier item of the batch, are skipped and counted (the first
    occurrence wins), so a batch can be retried safely. InvalidInput (422)
    names every item whose date cannot be stored, UnknownReferences (404)
    every item whose account does not exist."""
    _check_dates(columns["date"])

    async def insert() -> int:
        accounts = await _check_accounts(session, columns["account_id"])
        created = await insert_columns_ignoring_duplicates(session, TRANSACTIONS, columns)
        if created:
            await stream_store.transactions_changed(session, accounts=sorted(accounts))
        await session.commit()
        return created

    # Concurrent batches that share ids wait for each other; should the
    # database still abort one (deadlock, serialization), it runs again.
    created = await retrying(session, insert)
    return BulkResult(created=created, skipped=len(columns["id"]) - created)


# Years where a UTC offset can push a datetime out of range.
_EDGE_YEARS = frozenset({1, 9999})


def _check_dates(dates: list[datetime]) -> None:
    """Dates come out of the parser as sent; storing them makes them UTC
    (naive = UTC). Refuse what ClientDatetime refuses elsewhere: an offset
    that could move the date out of years 1-9999 (offset_leaves_range). An
    offset is under a day, so only dates in those two years are at stake:
    their years are looked at in one pass in C, the dates only when one is
    there."""
    if _EDGE_YEARS.isdisjoint(map(attrgetter("year"), dates)):
        return
    errors = [
        {
            "loc": ("transactions", index, "date"),
            "msg": f"Value error, {OUT_OF_RANGE}",
            "type": "value_error",
            "input": value.isoformat(),
        }
        for index, value in enumerate(dates)
        if value.year in _EDGE_YEARS and offset_leaves_range(value)
    ]
    if errors:
        raise InvalidInput(errors)


async def _check_accounts(session: AsyncSession, account_ids: list[str]) -> set[str]:
    """The accounts the items name; UnknownReferences (404) naming every item
    whose account does not exist (one query)."""
    wanted = set(account_ids)
    found = await session.exec(select(Account.id).where(col(Account.id).in_(wanted)))
    missing = wanted - set(found.all())
    if missing:
        raise UnknownReferences(
            [
                {
                    "loc": ("transactions", index, "account_id"),
                    "msg": f"account {account_id!r} does not exist",
                    "type": "unknown_account",
                    "input": account_id,
                }
                for index, account_id in enumerate(account_ids)
                if account_id in missing
            ]
        )
    return wanted
