"""SQLite's fast path for an account's unfiltered transaction pages: read
synchronously on the event loop through a plain sqlite3 connection, with the
JSON written by SQLite itself.

Through the async driver a page costs about six hops to aiosqlite's thread
(cursor, execute, fetch, close, reset on return, ...), which under load cost
far more than the query. A page is bounded work: one range scan of
ix_txn_account_date (account_id, date, id), which holds the keyset order, cut
off after `limit` rows, a fraction of a millisecond, so running it inline
beats every hop.
"""

import sqlite3
from datetime import UTC, datetime
from typing import Any

import orjson

from app.backends.base import PageReader, RawPage
from app.backends.sqlite import apply_pragmas
from app.backends.sqlite_text import sqlite_utc_text
from app.models.transaction import PUBLIC_FIELDS

# The reader runs on the event loop: waiting out a writer's lock there would
# stall every request, so it gives up quickly and the caller falls back to
# the general path, which waits the full busy timeout off the loop.
READER_BUSY_TIMEOUT_MS = 50
# Memory-mapped reads skip a copy per page read: a 50-row page of a 1M-row
# database reads in about half the time. Address space only, not RAM.
READER_MMAP_BYTES = 1 << 30

# Each item's JSON, written by SQLite (json_object, in C), with the keys in
# TransactionPublic's field order. Dates are stored as naive UTC
# `YYYY-MM-DD HH:MM:SS.ffffff`; they come out as `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`,
# the text orjson writes on the general path. json('true') is a constant
# that SQLite computes once per statement.
_VALUE_SQL = {
    "date": "replace(replace(date, ' ', 'T') || 'Z', '.000000Z', 'Z')",
    "pending": "iif(pending, json('true'), json('false'))",
}
_ITEM_JSON = "json_object({})".format(
    ", ".join(f"'{key}', {_VALUE_SQL.get(key, key)}" for key in PUBLIC_FIELDS)
)
_COLUMNS = ", ".join(PUBLIC_FIELDS)


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


class InlinePageReader(PageReader):
    """One plain sqlite3 connection to the database file, opened on first
    use, with the engine's pragmas. Autocommit: each SELECT reads its own
    fresh WAL snapshot."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.connection: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection | None:
        if self.connection is None:
            try:
                self.connection = self._connect()
            except sqlite3.Error:
                # Cannot open the file (yet): this page takes the general
                # path, which reports why (503); the next one tries again.
                return None
        return self.connection

    def _connect(self) -> sqlite3.Connection:
        # check_same_thread=False: the loop's thread may differ from the
        # opener's (TestClient); only that one thread uses it at a time.
        connection = sqlite3.connect(
            self.database,
            check_same_thread=False,
            isolation_level=None,
            uri=self.database.startswith("file:"),
        )
        try:
            apply_pragmas(connection, READER_BUSY_TIMEOUT_MS)
            connection.execute(f"PRAGMA mmap_size={READER_MMAP_BYTES}")
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    async def read(self, account_id: str, after: list[Any] | None, limit: int) -> RawPage | None:
        connection = self._connection()
        if connection is None:
            return None
        params: dict[str, Any] = {"account": account_id, "limit": limit}
        sql = _FIRST_PAGE
        if after is not None:
            params["date"], params["id"] = sqlite_utc_text(after[0]), after[1]
            sql = _NEXT_PAGE
        try:
            items, last_row, more = connection.execute(sql, params).fetchone()
        except sqlite3.Error:
            return None
        last = None
        if more:
            last_date, last_id = orjson.loads(last_row)
            last = [datetime.fromisoformat(last_date).replace(tzinfo=UTC), last_id]
        return RawPage(items.encode(), last)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
