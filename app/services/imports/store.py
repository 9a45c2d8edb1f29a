"""Importing into the database: the service entry points.

    import_file(session, user_id, data, options) -> ImportResult
    import_plaid_transactions(session, user_id, body, item_id=, dry_run=) -> ImportResult
    import_plaid_accounts(session, user_id, body, dry_run=) -> ImportResult

Each reads what it needs (the user, the target account, the user's category
rules), parses outside any database transaction (in a worker thread: a big
file takes a while and the event loop keeps serving), then writes in ONE
transaction that first takes the user's write lock (Backend.lock_for_writes):
imports of one user take turns, in every worker process, on both databases,
so concurrent imports of the same file never double a row and never
deadlock; the second one finds every row stored and skips it. All or
nothing: a refusal raised anywhere rolls everything back. A dry run does
the same work and rolls back, so its counts are exact and nothing is
written. Every other import writes its `imports` row, a no-op too.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from anyio import to_thread
from sqlalchemy import Table, insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import backend_of
from app.models import (
    Account,
    ImportRecord,
    ImportResult,
    Page,
    PlaidCursor,
    PlaidCursorPublic,
    User,
)
from app.models.import_record import ImportPublic
from app.models.types import utcnow
from app.services import category_rules, repository
from app.services.collector import collector_paused
from app.services.errors import InvalidInput, NotFound
from app.services.imports.csv_format import parse_csv
from app.services.imports.csv_layout import CsvOptions
from app.services.imports.detect import detect_format
from app.services.imports.errors import refuse
from app.services.imports.ids import account_id as derived_account_id
from app.services.imports.ids import source_transaction_id, transaction_ids
from app.services.imports.ofx import parse_ofx
from app.services.imports.plaid import PlaidTransactions, parse_plaid_transactions
from app.services.imports.plaid_accounts import PlaidAccount, parse_plaid_accounts
from app.services.imports.statement import AccountStatement, ParsedFile, StatementLine
from app.services.imports.writer import (
    BATCH_ROWS,
    Outcome,
    Progress,
    Writer,
    same_row,
    txn_columns,
    txn_row,
)
from app.services.insights import stream_store
from app.services.pagination import Keyset, fetch_page
from app.services.retry import retrying

USERS: Table = User.__table__  # type: ignore[attr-defined]
IMPORTS: Table = ImportRecord.__table__  # type: ignore[attr-defined]
CURSORS: Table = PlaidCursor.__table__  # type: ignore[attr-defined]
NEWEST_FIRST = Keyset.of(ImportRecord.received_at, ImportRecord.id)


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How to read one statement file. `format` None: detected. `account_id`
    is required for CSV; for an OFX file of one statement it attaches it to
    that existing account instead of matching by number."""

    format: Literal["ofx", "csv"] | None = None
    account_id: str | None = None
    dry_run: bool = False
    csv: CsvOptions = field(default_factory=CsvOptions)
    filename: str | None = None


# Called with (rows written so far, rows in all) as an import writes (the
# CLI's progress bar).
ProgressHook = Callable[[int, int], None]


def _parameter_error(name: str, msg: str, kind: str = "value_error") -> InvalidInput:
    return InvalidInput([{"loc": (name,), "msg": msg, "type": kind}], under=("query",))


async def _user_exists(session: AsyncSession, user_id: str) -> None:
    await repository.get_or_raise(session, User, user_id, "user")


async def _owned_account(session: AsyncSession, user_id: str, account_id: str) -> Account:
    """The user's account, else NotFound (404): another user's is as unknown."""
    account = await session.get(Account, account_id) if repository.is_valid_id(account_id) else None
    if account is None or account.user_id != user_id:
        raise NotFound("account", account_id, f"account {account_id!r} not found for this user")
    return account


async def import_file(
    session: AsyncSession,
    user_id: str,
    data: bytes,
    options: ImportOptions | None = None,
    progress: ProgressHook | None = None,
) -> ImportResult:
    """Import one OFX/QFX or CSV file for the user. NotFound (404) for an
    unknown user or an account_id that is not the user's; ImportRefused /
    InvalidInput (422) naming the place for a file or parameter that cannot
    be imported. `progress` is called as rows are written."""
    options = options or ImportOptions()
    await _user_exists(session, user_id)
    target = None
    if options.account_id is not None:
        target = await _owned_account(session, user_id, options.account_id)
    kind = options.format or detect_format(data)
    if kind == "csv" and target is None:
        raise _parameter_error(
            "account_id", "account_id is required to import a CSV file", "missing"
        )
    rules = await category_rules.rules_of(session, user_id)
    await session.commit()  # no transaction stays open while the file is parsed
    with collector_paused():  # (app.services.collector: why)
        return await _parse_and_write(
            session, user_id, data, options, progress, kind, rules, target
        )


async def _parse_and_write(
    session: AsyncSession,
    user_id: str,
    data: bytes,
    options: ImportOptions,
    progress: ProgressHook | None,
    kind: str,
    rules: dict[str, str],
    target: Account | None,
) -> ImportResult:
    """import_file() from the parse on: the file read in a worker thread,
    then written in one transaction (_run)."""
    is_card = target is not None and target.type == "credit"
    if kind == "ofx":
        parsed = await to_thread.run_sync(lambda: parse_ofx(data, user_rules=rules))
    else:
        parsed = await to_thread.run_sync(
            lambda: parse_csv(data, options.csv, user_rules=rules, is_card=is_card)
        )
    statements = _targets(user_id, parsed, target)
    written = _counter(progress, sum(len(s.lines) for s in parsed.statements))

    async def write(writer: Writer) -> None:
        for account_id, statement in statements:
            await _write_statement(writer, account_id, statement, parsed.format)

    digest = hashlib.sha256(data).hexdigest()
    return await _run(
        session, user_id, parsed.format, parsed.warnings, write, options, digest, written
    )


def _counter(progress: ProgressHook | None, total: int) -> Progress | None:
    """The writer's hook (rows written by a batch) as (so far, total) calls."""
    if progress is None:
        return None
    done = 0
    progress(0, total)

    def add(rows: int) -> None:
        nonlocal done
        done += rows
        progress(done, total)

    return add


def _targets(
    user_id: str, parsed: ParsedFile, target: Account | None
) -> list[tuple[str, AccountStatement]]:
    """(account id, statement) of each statement: the request's account, or
    the account derived from the statement's key."""
    if target is not None:
        if len(parsed.statements) > 1:
            raise _parameter_error(
                "account_id",
                f"the file holds {len(parsed.statements)} statements; account_id attaches "
                "a file of one statement (send none to match each by its number)",
            )
        return [(target.id, statement) for statement in parsed.statements]
    out = []
    for statement in parsed.statements:
        assert statement.key is not None  # only a CSV has none, and it has a target
        out.append((derived_account_id(user_id, statement.key), statement))
    return out


async def _write_statement(
    writer: Writer, account_id: str, statement: AccountStatement, kind: str
) -> None:
    """One statement's account and lines. A correction replaces or deletes
    the stored transaction it names; a line the same statement corrects is
    superseded (not written), so the file means the same however often it
    is imported: the corrected version, once."""
    where = f"statement {statement.index}" if kind == "ofx" else "the file"
    await writer.account(account_id, statement.account, where)
    counts = writer.outcome.of(account_id)
    corrected = {line.replaces for line in statement.lines if line.replaces is not None}
    corrected.update(statement.deletes)
    in_file = (
        {line.source_id for line in statement.lines if line.source_id in corrected}
        if corrected
        else set()
    )
    # (a correction of a line of the same file is no surprise: no warning)
    # Plain lines are gathered and written a batch at a time, as columns
    # (Writer.insert_columns): a big file's rows are never all in memory
    # at once (its lines are).
    ids: list[str] = []
    lines: list[StatementLine] = []
    corrections: list[tuple[dict[str, Any], str, bool]] = []
    seen: set[str] = set()
    every = statement.lines
    for start in range(0, len(every), BATCH_ROWS):
        chunk = every[start : start + BATCH_ROWS]
        for line, ident in zip(chunk, transaction_ids(account_id, chunk), strict=True):
            if corrected and line.source_id is not None and line.source_id in corrected:
                continue  # superseded by its correction
            if ident in seen:
                counts.skipped_txns += 1
                continue
            seen.add(ident)
            if line.replaces is not None:
                target = source_transaction_id(account_id, line.replaces)
                row = txn_row(ident, account_id, line)
                corrections.append((row, target, line.replaces in in_file))
            else:
                ids.append(ident)
                lines.append(line)
                if len(ids) == BATCH_ROWS:
                    await writer.insert_columns(account_id, txn_columns(ids, account_id, lines))
                    ids, lines = [], []
    await writer.insert_columns(account_id, txn_columns(ids, account_id, lines))
    deletes = [(fitid, source_transaction_id(account_id, fitid)) for fitid in statement.deletes]
    if not corrections and not deletes:
        return
    ids = [row["id"] for row, _, _ in corrections] + [target for _, target, _ in corrections]
    stored = await writer.existing(ids + [target for _, target in deletes])
    for row, target, target_in_file in corrections:
        done = await writer.replace(row, target, stored)
        if done in ("skipped", "superseded"):
            counts.skipped_txns += 1
            counts.deleted_txns += done == "superseded"
        elif done == "replaced":
            counts.updated_txns += 1  # the corrected transaction, in its new version
        else:
            if not target_in_file:
                writer.outcome.warn(
                    f"{where}: the transaction that REPLACE correction {row['id']} names is "
                    "not stored; imported as new"
                )
            await writer.insert_new(account_id, [row])
    for fitid, target in deletes:
        if target in stored:
            await writer.delete_ids([target])
            stored.pop(target)
            counts.deleted_txns += 1
        elif fitid not in in_file:
            writer.outcome.warn(
                f"{where}: FITID {fitid!r} that a DELETE correction names is not stored; "
                "nothing deleted"
            )


async def _run(
    session: AsyncSession,
    user_id: str,
    kind: str,
    warnings: list[str],
    write: Callable[[Writer], Any],
    options: ImportOptions,
    digest: str,
    progress: Progress | None,
) -> ImportResult:
    """`write` in one transaction under the user's write lock, the imports
    row with it; committed, or rolled back for a dry run. Run again when
    PostgreSQL aborts it to break a deadlock with another transaction."""

    async def attempt() -> ImportResult:
        conn = await session.connection()
        if not await backend_of(conn).lock_for_writes(conn, USERS, user_id):
            raise NotFound("user", user_id)
        writer = Writer(conn, user_id, progress)
        writer.outcome.warnings.extend(warnings)
        await write(writer)
        result = _result(writer.outcome, kind, options.dry_run)
        if options.dry_run:
            await session.rollback()
            return result
        if writer.outcome.changed:  # the user's stored streams no longer hold
            await stream_store.transactions_changed(session, users=[user_id])
        result.import_id = repository.new_id("imp")
        record = result.model_dump(exclude={"import_id", "dry_run"})
        record |= {"id": result.import_id, "user_id": user_id, "filename": options.filename}
        record |= {"sha256": digest, "received_at": utcnow()}
        await conn.execute(insert(IMPORTS).values(record))
        await session.commit()
        return result

    return await retrying(session, attempt)


def _result(outcome: Outcome, kind: str, dry_run: bool) -> ImportResult:
    result = ImportResult.model_validate(
        {"import_id": None, "format": kind, "dry_run": dry_run, **outcome.totals()}
    )
    result._changed = outcome.changed and not dry_run
    return result


# --- Plaid ------------------------------------------------------------------------------------


async def import_plaid_transactions(
    session: AsyncSession,
    user_id: str,
    body: bytes,
    *,
    item_id: str = "default",
    dry_run: bool = False,
) -> ImportResult:
    """Apply one /transactions/sync page (or a /transactions/get response):
    its accounts upserted, `added` inserted (a stored id is skipped; a posted
    transaction replaces its stored pending one), `modified` updated (an
    unknown id inserted), `removed` deleted (unknown ids skipped), and
    `next_cursor` stored for the item in the same transaction."""
    await _user_exists(session, user_id)
    rules = await category_rules.rules_of(session, user_id)
    await session.commit()
    page = await to_thread.run_sync(lambda: parse_plaid_transactions(body, user_rules=rules))

    async def write(writer: Writer) -> None:
        await _plaid_accounts(writer, page.accounts)
        await _check_account_refs(writer, page, body)
        await _plaid_added(writer, page.added)
        await _plaid_modified(writer, page.modified)
        await _plaid_removed(writer, page.removed)
        if page.next_cursor is not None:
            row: dict[str, Any] = {"user_id": user_id, "item_id": item_id}
            row |= {"cursor": page.next_cursor}
            row |= {"updated_at": utcnow()}
            await writer.backend.upsert(
                writer.conn, CURSORS, [row], update=("cursor", "updated_at")
            )

    options = ImportOptions(dry_run=dry_run)
    digest = hashlib.sha256(body).hexdigest()
    return await _run(session, user_id, "plaid", page.warnings, write, options, digest, None)


async def import_plaid_accounts(
    session: AsyncSession, user_id: str, body: bytes, *, dry_run: bool = False
) -> ImportResult:
    """Upsert the accounts of an /accounts/get, /accounts/balance/get or
    /liabilities/get body (liabilities set a card's apr, minimum payment and
    overdue flag). Conflict (409) when an account id is another user's."""
    await _user_exists(session, user_id)
    await session.commit()
    found = await to_thread.run_sync(lambda: parse_plaid_accounts(body))

    async def write(writer: Writer) -> None:
        await _plaid_accounts(writer, found.accounts)

    options = ImportOptions(dry_run=dry_run)
    digest = hashlib.sha256(body).hexdigest()
    return await _run(session, user_id, "plaid", found.warnings, write, options, digest, None)


async def _plaid_accounts(writer: Writer, accounts: list[PlaidAccount]) -> None:
    for account in accounts:
        await writer.account(account.id, account.facts, f"account {account.id}", full_update=True)


async def _check_account_refs(writer: Writer, page: PlaidTransactions, body: bytes) -> None:
    """Every transaction's account must be in the page or one of the user's:
    else 422 naming the list and index."""
    known = set(writer.outcome.accounts)
    refs = {line.account_ref for line in (*page.added, *page.modified)} - known
    refs.discard(None)
    if not refs:
        return
    stmt = select(col(Account.id)).where(col(Account.id).in_(list(refs)))
    stmt = stmt.where(col(Account.user_id) == writer.user_id)
    refs -= set((await writer.conn.execute(stmt)).scalars())
    if refs:
        unknown = sorted(r for r in refs if r is not None)[0]
        data = json.loads(body)
        for name in ("added", "modified", "transactions"):
            for index, item in enumerate(data.get(name) or []):
                if isinstance(item, dict) and item.get("account_id") == unknown:
                    raise refuse(
                        (name, index),
                        f"account_id {unknown!r} is neither in the page's accounts nor one of "
                        "the user's accounts",
                        "plaid_unknown_account",
                    )
        raise refuse(("accounts",), f"unknown account {unknown!r}", "plaid_unknown_account")


def _plaid_row(line: StatementLine) -> dict[str, Any]:
    assert line.source_id is not None and line.account_ref is not None
    return txn_row(line.source_id, line.account_ref, line)


async def _plaid_added(writer: Writer, lines: list[StatementLine]) -> None:
    posted = [line for line in lines if line.replaces is not None]
    plain = [line for line in lines if line.replaces is None]
    if posted:
        ids = [line.source_id for line in posted] + [line.replaces for line in posted]
        stored = await writer.existing(i for i in ids if i is not None)
        for line in posted:
            row = _plaid_row(line)
            assert line.replaces is not None
            pending_account = stored.get(line.replaces)
            done = await writer.replace(row, line.replaces, stored)
            if done in ("skipped", "superseded"):
                writer.outcome.of(row["account_id"]).skipped_txns += 1
            if done == "superseded" and pending_account is not None:
                writer.outcome.of(pending_account).deleted_txns += 1
            elif done == "replaced" and pending_account is not None:
                # The pending one deleted, the posted one created.
                writer.outcome.of(row["account_id"]).created_txns += 1
                writer.outcome.of(pending_account).deleted_txns += 1
            elif done == "absent":
                await writer.insert_new(row["account_id"], [row])
    by_account: dict[str, list[dict[str, Any]]] = {}
    for line in plain:
        row = _plaid_row(line)
        by_account.setdefault(row["account_id"], []).append(row)
    for account_id, rows in by_account.items():
        await writer.insert_new(account_id, rows)


async def _plaid_modified(writer: Writer, lines: list[StatementLine]) -> None:
    if not lines:
        return
    rows = [_plaid_row(line) for line in lines]
    stored = await writer.stored_rows([row["id"] for row in rows])
    changed, new = [], []
    for row in rows:
        old = stored.get(row["id"])
        if old is None:
            new.append(row)
        elif old["account_id"] != row["account_id"] or same_row(old, row):
            writer.outcome.of(old["account_id"]).skipped_txns += 1
        else:
            changed.append(row)
            writer.outcome.of(row["account_id"]).updated_txns += 1
    await writer.update_rows(changed)
    for row in new:
        await writer.insert_new(row["account_id"], [row])


async def _plaid_removed(writer: Writer, ids: list[str]) -> None:
    if not ids:
        return
    stored = await writer.existing(ids)
    await writer.delete_ids(list(stored))
    for account_id in stored.values():
        writer.outcome.of(account_id).deleted_txns += 1
    writer.outcome.unplaced_skipped += len(set(ids) - set(stored))


async def plaid_cursor(session: AsyncSession, user_id: str, item_id: str) -> PlaidCursorPublic:
    """Where the item's sync stands: the next_cursor of the last page
    applied (null before the first page). NotFound for an unknown user."""
    await _user_exists(session, user_id)
    row = await session.get(PlaidCursor, (user_id, item_id))
    return PlaidCursorPublic(item_id=item_id, cursor=row.cursor if row else None)


# --- the audit trail ----------------------------------------------------------------------------


def public(record: ImportRecord) -> ImportPublic:
    return ImportPublic.model_validate(record, from_attributes=True)


async def get_import(session: AsyncSession, import_id: str) -> ImportPublic:
    return public(await repository.get_or_raise(session, ImportRecord, import_id, "import"))


async def list_imports(
    session: AsyncSession, user_id: str, cursor: str | None, limit: int
) -> Page[ImportPublic]:
    """The user's imports, newest first (NotFound for an unknown user)."""
    await _user_exists(session, user_id)
    stmt = select(ImportRecord).where(col(ImportRecord.user_id) == user_id)
    page = await fetch_page(session, stmt, NEWEST_FIRST, cursor, limit)
    return Page(items=[public(row) for row in page.items], next_cursor=page.next_cursor)
