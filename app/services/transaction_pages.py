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

`read_account_page_postgres` is PostgreSQL's fast path for the same pages:
one prepared statement, one round trip, the items' JSON written by the
server, on a pooled asyncpg connection used directly (no session, no
transaction: a single SELECT reads one snapshot anyway).

All give the same bytes (keys in TransactionPublic's field order; tests
compare them), and all use the same cursors. `read_account_page` picks the
fast path of the configured database.
"""

import sqlite3
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal, NamedTuple, cast

import orjson
from asyncpg import InterfaceError, PostgresError
from sqlalchemy import ColumnElement, Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import greenlet_spawn
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.config import get_settings
from app.db import apply_sqlite_pragmas, get_engine
from app.models import Transaction, TransactionPublic
from app.models.types import to_utc
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
            try:
                reader = _open_reader(url.database)
            except sqlite3.Error:
                # Cannot open the file (yet): this page takes the general
                # path, which reports why (503); the next one tries again.
                return None
            _reader = reader
    return _reader


def _open_reader(database: str) -> sqlite3.Connection:
    # check_same_thread=False: the loop's thread may differ from the
    # opener's (TestClient); only that one thread uses it at a time.
    reader = sqlite3.connect(
        database, check_same_thread=False, isolation_level=None, uri=database.startswith("file:")
    )
    try:
        apply_sqlite_pragmas(reader, READER_BUSY_TIMEOUT_MS)
        reader.execute(f"PRAGMA mmap_size={READER_MMAP_BYTES}")
    except sqlite3.Error:
        reader.close()
        raise
    return reader


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


# --- PostgreSQL: one prepared statement -------------------------------------------

# timestamptz as orjson writes an aware UTC datetime in page_json:
# `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`. asyncpg stores Python's datetime.max and
# datetime.min as infinity and -infinity and reads them back as those
# datetimes: clamped to them here, they are written alike. row_to_json
# escapes strings exactly as orjson does (no ASCII escapes, \uXXXX for
# control characters; tests compare them).
_PG_DATE = (
    "replace(to_char(least(greatest(p.date, '0001-01-01 00:00:00+00'),"
    " '9999-12-31 23:59:59.999999+00') AT TIME ZONE 'UTC',"
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')"
)
_PG_ITEM = ", ".join(f"{_PG_DATE} AS date" if key == "date" else f"p.{key}" for key in PUBLIC_KEYS)


@lru_cache(maxsize=1024)
def _postgres_page_sql(limit: int, after_cursor: bool) -> str:
    """One statement, so one snapshot: the page's items as JSON text (joined
    by commas), the keyset values of its last row, and whether a row follows.
    One range scan of ix_txn_account_date reads `limit` + 1 rows, collected
    in scan order (array_agg keeps the order of a sorted subquery with a
    LIMIT, which PostgreSQL never flattens into the aggregate; an ORDER BY
    inside the aggregate would sort them again; the tests on ties and
    cursors check the order); the extra row only says that more follow.
    The limit is written into the text (an int from 1 to 500): with a LIMIT
    parameter the planner prices the generic plan for an unknown row count
    and re-plans the statement on every call, which cost as much as running
    it."""
    after = " AND (date, id) < ($2, $3)" if after_cursor else ""
    return f"""SELECT
    array_to_string((array_agg(row_to_json(item)::text))[1:{limit}], ','),
    (array_agg(p.date))[{limit}],
    (array_agg(p.id))[{limit}],
    count(*) > {limit}
FROM (
    SELECT {_COLUMNS} FROM transactions WHERE account_id = $1{after}
    ORDER BY date DESC, id DESC LIMIT {limit + 1}
) AS p, LATERAL (SELECT {_PG_ITEM}) AS item"""


def _fetch_on_pooled_connection(engine: Engine, sql: str, args: list[Any]) -> Any:
    """In a greenlet (SQLAlchemy's async pool awaits through one): check a
    connection out of the engine's pool, run `sql` on the asyncpg connection
    itself (its statement cache prepares it once per connection), check it
    back in. None when the database could not be reached or the statement
    failed: the caller falls back to the general path, which reports the
    error as every route does (503 when unreachable); a connection found
    closed is invalidated, so the pool replaces it."""
    try:
        connection = engine.raw_connection()
    except (engine.dialect.loaded_dbapi.Error, OSError):
        return None
    adapted: Any = connection.dbapi_connection  # SQLAlchemy's adapter around asyncpg's
    try:
        return adapted.run_async(lambda driver: driver.fetchrow(sql, *args))
    except (PostgresError, InterfaceError, OSError, TimeoutError):
        if adapted.driver_connection.is_closed():
            connection.invalidate()
        return None
    finally:
        connection.close()


async def read_account_page_postgres(
    engine: AsyncEngine, account_id: str, cursor: str | None, limit: int
) -> PageJSON | None:
    """An unfiltered page of one account's transactions on PostgreSQL; None
    when the read failed (use page_json)."""
    args: list[Any] = [account_id]
    if cursor:
        args += decode_cursor(cursor, KEYSET)  # InvalidCursor when malformed
    sql = _postgres_page_sql(limit, bool(cursor))
    row = await greenlet_spawn(_fetch_on_pooled_connection, engine.sync_engine, sql, args)
    if row is None:
        return None
    items, last_date, last_id, more = row
    # As the column type reads it: infinity comes back as a naive datetime.max.
    next_cursor = orjson.dumps(encode_cursor([to_utc(last_date), last_id]) if more else None)
    body = b'{"items":[' + (items or "").encode() + b'],"next_cursor":' + next_cursor + b"}"
    return PageJSON(body, items is None)


async def read_account_page(account_id: str, cursor: str | None, limit: int) -> PageJSON | None:
    """An unfiltered account page by the configured database's fast path;
    None when there is none or it failed (use page_json)."""
    page = read_account_page_inline(account_id, cursor, limit)
    if page is not None:
        return page
    engine = get_engine()
    if engine.dialect.name == "postgresql":
        return await read_account_page_postgres(engine, account_id, cursor, limit)
    return None
