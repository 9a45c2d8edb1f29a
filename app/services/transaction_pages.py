"""Pages of transactions as JSON bytes: the hottest reads, written without a
Python object per row.

`page_json` serves every list on any database: plain column rows from the
driver straight to orjson (no ORM objects, no pydantic round trip).
`account_page` serves one account's list: its unfiltered pages take the
database's fast path (app.backends: SQLite reads inline, PostgreSQL runs one
prepared statement on a pooled connection), the rest `page_json`. All give
the same bytes (keys in TransactionPublic's field order; tests compare
them), and all use the same cursors.
"""

from typing import Any, NamedTuple, cast

import orjson
from sqlalchemy import ColumnElement, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.backends import RawPage
from app.db import Database, open_session
from app.models import Transaction
from app.models.transaction import PUBLIC_FIELDS, TransactionFilters
from app.services import accounts
from app.services.errors import NotFound
from app.services.pagination import Keyset, decode_cursor, encode_cursor, fetch_page
from app.services.repository import is_valid_id
from app.services.transactions import filter_clauses

KEYSET = Keyset.of(Transaction.date, Transaction.id)
PUBLIC_COLUMNS = [Transaction.__table__.c[key] for key in PUBLIC_FIELDS]  # type: ignore[attr-defined]


class PageJSON(NamedTuple):
    """A list page, ready to send: `{"items": [...], "next_cursor": ...}`."""

    body: bytes
    empty: bool


async def page_json(
    session: AsyncSession, clauses: list[ColumnElement[bool]], cursor: str | None, limit: int
) -> PageJSON:
    """The page of transactions matching `clauses`, newest first."""
    stmt = cast(SelectOfScalar[Any], select(*PUBLIC_COLUMNS).where(*clauses))
    page = await fetch_page(session, stmt, KEYSET, cursor, limit)
    items = [dict(zip(PUBLIC_FIELDS, row, strict=True)) for row in page.items]
    body = orjson.dumps({"items": items, "next_cursor": page.next_cursor}, option=orjson.OPT_UTC_Z)
    return PageJSON(body, not items)


def _from_raw(raw: RawPage) -> PageJSON:
    next_cursor = orjson.dumps(encode_cursor(raw.last) if raw.last is not None else None)
    return PageJSON(
        b'{"items":' + raw.items + b',"next_cursor":' + next_cursor + b"}", raw.items == b"[]"
    )


async def account_page(database: Database, account_id: str, filters: TransactionFilters) -> bytes:
    """One account's transactions, newest first (ix_txn_account_date serves
    every page). One query per page: only an empty page asks whether the
    account exists (NotFound)."""
    if not is_valid_id(account_id):  # could never exist: no query (NUL, ...)
        raise NotFound("account", account_id)
    page = None
    reader = database.page_reader
    if reader is not None and not filters.has_filters():
        after = decode_cursor(filters.cursor, KEYSET) if filters.cursor else None
        raw = await reader.read(account_id, after, filters.limit)
        page = _from_raw(raw) if raw is not None else None  # None: the path failed
    if page is None or page.empty:
        async with open_session(database.engine) as session:
            if page is None:
                clauses = [*filter_clauses(filters), col(Transaction.account_id) == account_id]
                page = await page_json(session, clauses, filters.cursor, filters.limit)
            if page.empty:
                await accounts.get(session, account_id)
    return page.body
