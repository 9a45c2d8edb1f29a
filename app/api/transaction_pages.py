"""SQLite fast path for the hottest read: an unfiltered page of one account's
transactions, read inline on the event loop, written as JSON by SQLite.

Through the async driver a page costs about six hops to aiosqlite's thread
(cursor, execute, fetch, close, reset on return, ...), which under load cost
far more than the query itself. This page is bounded work: one range scan of
ix_txn_account_date (account_id, date, id), which holds the keyset order, cut
off after `limit` rows; a fraction of a millisecond, so running it
synchronously beats every hop. Filtered lists, whose scans are not bounded by
the limit, and PostgreSQL keep the async path (fetch_page), which gives the
same bytes.
"""

import sqlite3
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import Response

# The cursor format is fetch_page's, so cursors work across both paths.
from app.api.pagination import Keyset, decode_cursor, encode_cursor
from app.db import get_sqlite_reader
from app.models import TransactionPublic
from app.models.types import sqlite_utc_text

# Each item's JSON, written by SQLite (json_object, in C), with the keys in
# TransactionPublic's field order, so both paths give the same bytes. Dates
# are stored as naive UTC `YYYY-MM-DD HH:MM:SS.ffffff`; they come out as
# `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`, the text pydantic writes elsewhere.
# json('true') is a constant that SQLite computes once per statement.
_VALUE_SQL = {
    "date": "replace(replace(date, ' ', 'T') || 'Z', '.000000Z', 'Z')",
    "pending": "iif(pending, json('true'), json('false'))",
}
_PUBLIC_KEYS = tuple(TransactionPublic.model_fields)
_ITEM_JSON = "json_object({})".format(
    ", ".join(f"'{key}', {_VALUE_SQL.get(key, key)}" for key in _PUBLIC_KEYS)
)
_COLUMNS = ", ".join(_PUBLIC_KEYS)


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


def read_account_page_inline(
    account_id: str, keyset: Keyset, cursor: str | None, limit: int
) -> tuple[Response, bool] | None:
    """The page as a JSON response and whether it is empty; None when the
    fast path does not apply (not SQLite, or the read failed: use async)."""
    reader = get_sqlite_reader()
    if reader is None:
        return None
    params: dict[str, Any] = {"account": account_id, "limit": limit}
    sql = _FIRST_PAGE
    if cursor:
        after_date, params["id"] = decode_cursor(cursor, keyset)  # 400 when malformed
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
    return Response(body, media_type="application/json"), items == "[]"
