"""PostgreSQL's fast path for an account's unfiltered transaction pages: one
prepared statement, one round trip, the items' JSON written by the server, on
a pooled asyncpg connection used directly (no session, no transaction: a
single SELECT reads one snapshot anyway)."""

from functools import lru_cache
from typing import Any

from asyncpg import InterfaceError, PostgresError
from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import greenlet_spawn

from app.backends.base import PageReader, RawPage
from app.models.transaction import PUBLIC_FIELDS
from app.models.types import to_utc

# timestamptz as orjson writes an aware UTC datetime on the general path:
# `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`. asyncpg stores Python's datetime.max and
# datetime.min as infinity and -infinity and reads them back as those
# datetimes: clamped to them here, they are written alike. row_to_json
# escapes strings exactly as orjson does (no ASCII escapes, \uXXXX for
# control characters; tests compare them).
_DATE = (
    "replace(to_char(least(greatest(p.date, '0001-01-01 00:00:00+00'),"
    " '9999-12-31 23:59:59.999999+00') AT TIME ZONE 'UTC',"
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')"
)
_ITEM = ", ".join(f"{_DATE} AS date" if key == "date" else f"p.{key}" for key in PUBLIC_FIELDS)
_COLUMNS = ", ".join(PUBLIC_FIELDS)


@lru_cache(maxsize=1024)
def _page_sql(limit: int, after_cursor: bool) -> str:
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
) AS p, LATERAL (SELECT {_ITEM}) AS item"""


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


class PooledPageReader(PageReader):
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def read(self, account_id: str, after: list[Any] | None, limit: int) -> RawPage | None:
        args: list[Any] = [account_id, *(after or ())]
        sql = _page_sql(limit, after is not None)
        row = await greenlet_spawn(_fetch_on_pooled_connection, self.engine.sync_engine, sql, args)
        if row is None:
            return None
        items, last_date, last_id, more = row
        # As the column type reads it: infinity comes back as a naive datetime.max.
        last = [to_utc(last_date), last_id] if more else None
        return RawPage(b"[" + (items or "").encode() + b"]", last)
