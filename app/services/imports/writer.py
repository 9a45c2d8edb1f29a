"""Writes what the parsers read into a user's accounts and transactions,
inside the caller's database transaction (app.services.imports.store opens
it, holding the user's write lock, and commits or rolls back).

Every count comes from what the database did, not from what was read before:
a transaction is inserted with INSERT ... ON CONFLICT DO NOTHING and counted
created only when the row was new, so a file imported twice, an overlapping
export, or two imports of one file at once never write a row twice and
count a stored row as skipped. A stored row is never overwritten by a
statement (a user's later edits survive re-imports); only a correction
(OFX CORRECTACTION, a posted Plaid transaction replacing its pending one)
or Plaid's `modified` changes one.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Literal

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.backends import backend_of
from app.backends.base import columns_of
from app.models import Account, AccountCounts, Transaction
from app.models.transaction import MAX_DESCRIPTION
from app.models.types import MAX_CENTS
from app.services.errors import Conflict
from app.services.imports.statement import AccountFacts, StatementLine

ACCOUNTS: Table = Account.__table__  # type: ignore[attr-defined]
TRANSACTIONS: Table = Transaction.__table__  # type: ignore[attr-defined]
# Rows per INSERT batch: progress is reported between batches.
BATCH_ROWS = 10_000
# Stored and answered: enough to see what happened without echoing a file.
MAX_WARNINGS = 100
MAX_MERCHANT = 200
# The fields of a transaction a statement sets, and Plaid's `modified` changes.
TXN_FIELDS = (
    "date",
    "amount",
    "merchant_name",
    "category",
    "category_detailed",
    "description",
    "pending",
)
Progress = Callable[[int], None]


def txn_row(ident: str, account_id: str, line: StatementLine) -> dict[str, Any]:
    """The transactions row of a statement line."""
    merchant = line.merchant_name
    return {
        "id": ident,
        "account_id": account_id,
        "date": line.date,
        "amount": line.amount,
        "merchant_name": merchant[:MAX_MERCHANT] if merchant else None,
        "category": line.category,
        "category_detailed": line.category_detailed,
        "description": line.description[:MAX_DESCRIPTION] or None,
        "pending": line.pending,
    }


_DATES, _AMOUNTS, _MERCHANTS = attrgetter("date"), attrgetter("amount"), attrgetter("merchant_name")
_CATEGORIES, _DETAILED = attrgetter("category"), attrgetter("category_detailed")
_DESCRIPTIONS, _PENDING = attrgetter("description"), attrgetter("pending")


def txn_columns(
    ids: list[str], account_id: str, lines: Sequence[StatementLine]
) -> dict[str, list[Any]]:
    """txn_row() of each line (`ids[i]` the id of `lines[i]`), as the
    columns Writer.insert_columns takes: each column made in one pass over
    the lines, with no row dict per line (a big statement's rows are most
    of its write)."""
    merchants = list(map(_MERCHANTS, lines))
    if any(m is not None and (not m or len(m) > MAX_MERCHANT) for m in merchants):
        merchants = [m[:MAX_MERCHANT] if m else None for m in merchants]
    return {
        "id": ids,
        "account_id": [account_id] * len(ids),
        "date": list(map(_DATES, lines)),
        "amount": list(map(_AMOUNTS, lines)),
        "merchant_name": merchants,
        "category": list(map(_CATEGORIES, lines)),
        "category_detailed": list(map(_DETAILED, lines)),
        "description": [text[:MAX_DESCRIPTION] or None for text in map(_DESCRIPTIONS, lines)],
        "pending": list(map(_PENDING, lines)),
    }


@dataclass(slots=True)
class Outcome:
    """What one import did: per account, in the order first met, plus the
    totals that belong to no account (Plaid `removed` ids not stored)."""

    accounts: dict[str, AccountCounts] = field(default_factory=dict)
    changed: bool = False  # an account or a transaction was created, changed or deleted
    unplaced_skipped: int = 0
    warnings: list[str] = field(default_factory=list)

    def of(self, account_id: str) -> AccountCounts:
        counts = self.accounts.get(account_id)
        if counts is None:
            counts = self.accounts[account_id] = AccountCounts(account_id=account_id)
        return counts

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def totals(self) -> dict[str, Any]:
        counts = list(self.accounts.values())
        warnings = self.warnings[:MAX_WARNINGS]
        if len(self.warnings) > MAX_WARNINGS:
            warnings.append(f"... and {len(self.warnings) - MAX_WARNINGS} more warnings")
        return {
            "accounts": counts,
            "created": sum(c.created_txns for c in counts),
            "updated": sum(c.updated_txns for c in counts),
            "deleted": sum(c.deleted_txns for c in counts),
            "skipped": sum(c.skipped_txns for c in counts) + self.unplaced_skipped,
            "warnings": warnings,
        }


class Writer:
    """The writes of one import, on one connection, in its transaction."""

    def __init__(self, conn: AsyncConnection, user_id: str, progress: Progress | None) -> None:
        self.conn = conn
        self.backend = backend_of(conn)
        self.user_id = user_id
        self.progress = progress
        self.outcome = Outcome()

    # --- accounts -------------------------------------------------------------------------
    async def stored_account(self, account_id: str) -> dict[str, Any] | None:
        row = (await self.conn.execute(select(ACCOUNTS).where(ACCOUNTS.c.id == account_id))).first()
        return None if row is None else dict(row._mapping)

    async def account(
        self, account_id: str, facts: AccountFacts | None, where: str, full_update: bool = False
    ) -> AccountCounts:
        """Create the account from `facts` when it is not stored; else bring
        its balance (unless the statement is older than the stored balance)
        and card details up to date. `full_update` (Plaid's upsert) also
        takes its name, mask and currency. Conflict (409) when the id is
        another user's."""
        counts = self.outcome.of(account_id)
        stored = await self.stored_account(account_id)
        if stored is None:
            if facts is None:
                return counts
            await self.conn.execute(insert(ACCOUNTS).values(self._new_account(account_id, facts)))
            counts.created = self.outcome.changed = True
            return counts
        if stored["user_id"] != self.user_id:
            raise Conflict(f"account {account_id!r} belongs to another user: nothing was imported")
        if facts is not None:
            changes = self._account_changes(stored, facts, where, full_update)
            if changes:
                await self.conn.execute(
                    update(ACCOUNTS).where(ACCOUNTS.c.id == account_id).values(changes)
                )
                self.outcome.changed = True
        return counts

    def _new_account(self, account_id: str, facts: AccountFacts) -> dict[str, Any]:
        credit = facts.type == "credit"
        return {
            "id": account_id,
            "user_id": self.user_id,
            "type": facts.type,
            "subtype": facts.subtype,
            "name": facts.name,
            "mask": facts.mask,
            "currency": facts.currency,
            "balance": facts.balance if facts.balance is not None else 0,
            "balance_as_of": facts.balance_as_of if facts.balance is not None else None,
            "limit": _limit(facts.limit) if credit else None,
            "apr": facts.apr if credit else None,
            "min_payment": facts.min_payment if credit else None,
            "is_overdue": bool(facts.is_overdue),
        }

    def _account_changes(
        self, stored: dict[str, Any], facts: AccountFacts, where: str, full_update: bool
    ) -> dict[str, Any]:
        wanted: dict[str, Any] = {}
        credit = stored["type"] == "credit"
        older = (
            facts.balance_as_of is not None
            and stored["balance_as_of"] is not None
            and facts.balance_as_of < stored["balance_as_of"]
        )
        if facts.balance is not None:
            if older:
                self.outcome.warn(
                    f"{where}: its balance of {facts.balance_as_of:%Y-%m-%d %H:%M:%SZ} is older "
                    f"than the stored one of {stored['balance_as_of']:%Y-%m-%d %H:%M:%SZ}; the "
                    "stored balance is kept"
                )
            else:
                wanted["balance"] = facts.balance
                wanted["balance_as_of"] = facts.balance_as_of
        if credit:
            if facts.limit is not None and _limit(facts.limit) is not None and not older:
                wanted["limit"] = facts.limit
            for name in ("apr", "min_payment"):
                if getattr(facts, name) is not None:
                    wanted[name] = getattr(facts, name)
        if facts.is_overdue is not None:
            wanted["is_overdue"] = facts.is_overdue
        if full_update:
            wanted |= {"name": facts.name, "mask": facts.mask, "currency": facts.currency}
        return {name: value for name, value in wanted.items() if stored[name] != value}

    # --- transactions -----------------------------------------------------------------------
    async def existing(self, ids: Iterable[str]) -> dict[str, str]:
        """id -> account id of the stored transactions among `ids` that
        belong to the user's accounts."""
        wanted = list(set(ids))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), BATCH_ROWS):
            stmt = (
                select(TRANSACTIONS.c.id, TRANSACTIONS.c.account_id)
                .join(ACCOUNTS, ACCOUNTS.c.id == TRANSACTIONS.c.account_id)
                .where(TRANSACTIONS.c.id.in_(wanted[start : start + BATCH_ROWS]))
                .where(ACCOUNTS.c.user_id == self.user_id)
            )
            found.update((ident, account) for ident, account in await self.conn.execute(stmt))
        return found

    async def insert_new(self, account_id: str, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows of one account, skipping (and counting) stored ids. A
        posted line whose row is stored pending settles it (see _settle)."""
        for start in range(0, len(rows), BATCH_ROWS):
            await self.insert_columns(account_id, columns_of(rows[start : start + BATCH_ROWS]))

    async def insert_columns(self, account_id: str, columns: dict[str, list[Any]]) -> None:
        """insert_new() of one batch (at most BATCH_ROWS) given as columns
        (txn_columns), through the column insert the bulk route uses. Only
        a batch that met stored ids (fewer created than sent, which a new
        statement never does) looks for pending rows to settle."""
        counts = self.outcome.of(account_id)
        size = len(columns["id"])
        if not size:
            return
        created = await self.backend.insert_columns_ignoring_duplicates(
            self.conn, TRANSACTIONS, columns
        )
        settled = await self._settle(account_id, columns) if created < size else 0
        counts.created_txns += created
        counts.updated_txns += settled
        counts.skipped_txns += size - created - settled
        if created or settled:
            self.outcome.changed = True
        if self.progress is not None:
            self.progress(size)

    async def _settle(self, account_id: str, columns: dict[str, list[Any]]) -> int:
        """Mark posted the stored pending rows that posted lines of the
        batch name: a bank that words a CSV line the same way pending and
        posted gives both one id, and the later file says it has posted.
        Only the flag changes (a user's edits stay). Returns how many."""
        pending = columns["pending"]
        posted = [ident for ident, wait in zip(columns["id"], pending, strict=True) if not wait]
        if not posted:
            return 0
        stmt = (
            update(TRANSACTIONS)
            .where(TRANSACTIONS.c.id.in_(posted))
            .where(TRANSACTIONS.c.account_id == account_id)
            .where(TRANSACTIONS.c.pending.is_(True))
            .values(pending=False)
        )
        result = await self.conn.execute(stmt)
        return int(result.rowcount or 0)

    async def delete_ids(self, ids: Sequence[str]) -> None:
        if ids:
            await self.conn.execute(delete(TRANSACTIONS).where(TRANSACTIONS.c.id.in_(list(ids))))
            self.outcome.changed = True

    async def replace(
        self, row: dict[str, Any], target: str, stored: dict[str, str]
    ) -> Literal["skipped", "superseded", "replaced", "absent"]:
        """Put `row` in place of the stored transaction `target` (an id):
        the one deleted, the other inserted ("replaced"). When `row`'s id is
        stored already (the correction was applied before): "skipped", or
        "superseded" when `target` is stored again too (an older file or
        page brought it back), which is then deleted. "absent" when
        `target` is not stored (nothing done). `stored`: the user's stored
        ids among both (Writer.existing), kept up to date. The caller counts."""
        if row["id"] in stored:
            if target in stored:
                await self.delete_ids([target])
                stored.pop(target)
                return "superseded"
            return "skipped"
        if target not in stored:
            return "absent"
        await self.delete_ids([target])
        stored.pop(target)
        await self.backend.insert_ignoring_duplicates(self.conn, TRANSACTIONS, [row])
        stored[row["id"]] = row["account_id"]
        return "replaced"

    async def update_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Set TXN_FIELDS of stored rows (by id)."""
        if not rows:
            return
        stmt = (
            update(TRANSACTIONS)
            .where(TRANSACTIONS.c.id == bindparam("row_id"))
            .values({name: bindparam(f"new_{name}") for name in TXN_FIELDS})
        )
        params = [
            {"row_id": row["id"], **{f"new_{name}": row[name] for name in TXN_FIELDS}}
            for row in rows
        ]
        await self.conn.execute(stmt, params)
        self.outcome.changed = True

    async def stored_rows(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored rows among `ids` (the user's), by id."""
        columns = [TRANSACTIONS.c.id, TRANSACTIONS.c.account_id]
        columns += [TRANSACTIONS.c[name] for name in TXN_FIELDS]
        stmt = (
            select(*columns)
            .join(ACCOUNTS, ACCOUNTS.c.id == TRANSACTIONS.c.account_id)
            .where(TRANSACTIONS.c.id.in_(list(ids)))
            .where(ACCOUNTS.c.user_id == self.user_id)
        )
        return {row.id: dict(row._mapping) for row in await self.conn.execute(stmt)}


def _limit(value: int | None) -> int | None:
    """A card limit the API can state (0 < limit <= 10^12 cents), else None."""
    return value if value is not None and 0 < value <= MAX_CENTS else None


def same_row(stored: dict[str, Any], row: dict[str, Any]) -> bool:
    """Does the stored row already hold what `row` would set?"""
    return all(stored[name] == row[name] for name in TXN_FIELDS)
