"""Pages of transactions as JSON bytes: the hottest reads, written without a
Python object per row.

`page_json` serves every list on any database: plain column rows from the
driver straight to orjson (no ORM objects, no pydantic round trip).

`read_account_page_inline` is the SQLite fast path for an account's
unfiltered pages, read synchronously on the event loop through a plain
sqlite3 connection, with the JSON written by SQLite itself. Through the async
driver a page costs about six hops to aiosqlite's thread (cursor, execute,
fetch, close, reset on return, ...), which under load cost far more than the
query. This page is bounded work: one range scan of ix_txn_account_date
(account_id, date, id), which holds the keyset order, cut off after `limit`
rows, a fraction of a millisecond, so running it inline beats every hop.

Both give the same bytes (keys in TransactionPublic's field order; tests
compare them), and both use the same cursors.
"""

import sqlite3
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple, cast

import orjson
from sqlalchemy import ColumnElement, select
from sqlalchemy.engine import make_url
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.config import get_settings
from app.db import apply_sqlite_pragmas
from app.models import Transaction, TransactionPublic
from app.services.pagination import Keyset, decode_cursor, encode_cursor, fetch_page
from app.services.sqlite_text import sqlite_utc_text

KEYSET = Keyset.of(Transaction.date, Transaction.id)
PUBLIC_KEYS = tuple(TransactionPublic.model_fields)
PUBLIC_COLUMNS = [Transaction.__table__.c[key] for key in PUBLIC_KEYS]  # type: ignore[attr-defined]


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
    items = [dict(zip(PUBLIC_KEYS, row, strict=True)) for row in page.items]
    body = orjson.dumps({"items": items, "next_cursor": page.next_cursor}, option=orjson.OPT_UTC_Z)
    return PageJSON(body, not items)


# --- SQLite: the inline reader ------------------------------------------------------

# The reader runs on the event loop: waiting out a writer's lock there would
# stall every request, so it gives up quickly and the caller falls back to
# page_json, which waits the full busy timeout off the loop.
READER_BUSY_TIMEOUT_MS = 50
# Memory-mapped reads skip a copy per page read: a 50-row page of a 1M-row
# database reads in about half the time. Address space only, not RAM.
READER_MMAP_BYTES = 1 << 30

# The reader connection; False = not opened yet, None = not an SQLite file.
_reader: sqlite3.Connection | None | Literal[False] = False


def _get_reader() -> sqlite3.Connection | None:
    """A plain sqlite3 connection to the settings' SQLite database, opened on
    first use, with the engine's pragmas. Autocommit: each SELECT reads its
    own fresh WAL snapshot."""
    global _reader
    if _reader is False:
        url = make_url(get_settings().database_url)
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            _reader = None
        else:
            # check_same_thread=False: the loop's thread may differ from the
            # opener's (TestClient); only that one thread uses it at a time.
            reader = sqlite3.connect(
                url.database,
                check_same_thread=False,
                isolation_level=None,
                uri=url.database.startswith("file:"),
            )
            apply_sqlite_pragmas(reader, READER_BUSY_TIMEOUT_MS)
            reader.execute(f"PRAGMA mmap_size={READER_MMAP_BYTES}")
            _reader = reader
    return _reader


def close_reader() -> None:
    """Close the reader (at shutdown, or when the settings change in tests)."""
    global _reader
    if _reader:
        _reader.close()
    _reader = False


# Each item's JSON, written by SQLite (json_object, in C), with the keys in
# TransactionPublic's field order. Dates are stored as naive UTC
# `YYYY-MM-DD HH:MM:SS.ffffff`; they come out as `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`,
# the text orjson writes in page_json. json('true') is a constant that SQLite
# computes once per statement.
_VALUE_SQL = {
    "date": "replace(replace(date, ' ', 'T') || 'Z', '.000000Z', 'Z')",
    "pending": "iif(pending, json('true'), json('false'))",
}
_ITEM_JSON = "json_object({})".format(
    ", ".join(f"'{key}', {_VALUE_SQL.get(key, key)}" for key in PUBLIC_KEYS)
)
_COLUMNS = ", ".join(PUBLIC_KEYS)


def _page_sql(after: str) -> str:
    """One statement, so one snapshot: the page's items as one JSON array,
    the keyset values of its last row as [date, id], and whether a row
    follows it. Every part is a range scan of the index in keyset order.
    SQLite calls the order an aggregate sees its rows in arbitrary, but it
    never flattens a subquery with a LIMIT into an aggregate query, so
    json_group_array gets the rows in the subquery's order (the tests on
    ties and cursors check it)."""
    rows = f"FROM transactions WHERE account_id = :account {after} ORDER BY date DESC, id DESC"
    return f"""SELECT
    (SELECT json_group_array({_ITEM_JSON}) FROM (SELECT {_COLUMNS} {rows} LIMIT :limit)),
    (SELECT json_array(date, id) {rows} LIMIT 1 OFFSET :limit - 1),
    EXISTS (SELECT 1 {rows} LIMIT 1 OFFSET :limit)"""


_FIRST_PAGE = _page_sql("")
# Strictly after the cursor's row; a row-value comparison uses the index range.
_NEXT_PAGE = _page_sql("AND (date, id) < (:date, :id)")


def read_account_page_inline(account_id: str, cursor: str | None, limit: int) -> PageJSON | None:
    """An unfiltered page of one account's transactions; None when this path
    does not apply (not SQLite, or the read failed: use page_json)."""
    reader = _get_reader()
    if reader is None:
        return None
    params: dict[str, Any] = {"account": account_id, "limit": limit}
    sql = _FIRST_PAGE
    if cursor:
        after_date, params["id"] = decode_cursor(cursor, KEYSET)  # InvalidCursor when malformed
        params["date"] = sqlite_utc_text(after_date)
        sql = _NEXT_PAGE
    try:
        items, last_row, more = reader.execute(sql, params).fetchone()
    except sqlite3.Error:
        return None
    next_cursor = None
    if more:
        last_date, last_id = orjson.loads(last_row)
        stored = datetime.fromisoformat(last_date).replace(tzinfo=UTC)
        next_cursor = encode_cursor([stored, last_id])
    body = f'{{"items":{items},"next_cursor":{orjson.dumps(next_cursor).decode()}}}'
    return PageJSON(body.encode(), items == "[]")
