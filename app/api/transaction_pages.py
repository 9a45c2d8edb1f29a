"""SQLite fast path for the hottest read: an unfiltered page of one account's
transactions, read inline on the event loop.

Through the async driver a page costs about six hops to aiosqlite's thread
(cursor, execute, fetch, close, reset on return, ...), which under load cost
far more than the query itself. This page is bounded work: an index range on
ix_txn_account_date (account_id, date) cut off after limit + 1 rows, a fraction
of a millisecond, so running it synchronously beats every hop. Filtered lists,
whose scans are not bounded by the limit, and PostgreSQL keep the async path.
SQLite also writes the items' JSON, from the stored text.
"""

import sqlite3
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

import orjson
from fastapi import Response

# The cursor format is fetch_page's, so cursors work across both paths.
from app.api.pagination import Keyset, decode_cursor, encode_cursor
from app.db import get_sqlite_reader
from app.services.ingest import sqlite_utc_text

# SQLite writes each item's JSON itself (json_object, in C): Python only joins
# them. Dates are stored as naive UTC `YYYY-MM-DD HH:MM:SS.ffffff`; they come
# out as `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`, the text pydantic writes elsewhere.
# (Both expressions are the cheapest of the forms measured: json('true') is a
# constant that SQLite computes once per statement.)
_ITEM_JSON = """json_object(
    'id', id,
    'account_id', account_id,
    'date', replace(replace(date, ' ', 'T') || 'Z', '.000000Z', 'Z'),
    'amount', amount,
    'merchant_name', merchant_name,
    'category', category,
    'pending', iif(pending, json('true'), json('false'))
)"""


def _page_sql(after: str) -> str:
    """The rows dated on or after the date of the (limit + 1)-th row in index
    order: at least the page's limit + 1 rows, whatever the ties on date.
    Unordered: ORDER BY date DESC, id DESC makes SQLite pass every row through
    a temp B-tree (id is not in the index), which costs more than the query;
    the caller sorts this handful of rows instead. The bound comes from the
    index, which holds `date`."""
    rows = f"FROM transactions WHERE account_id = :account {after}"
    bound = f"SELECT date {rows} ORDER BY date DESC LIMIT 1 OFFSET :limit"
    return f"SELECT {_ITEM_JSON}, date, id {rows} AND date >= coalesce(({bound}), '')"


_FIRST_PAGE = _page_sql("")
# Strictly after the cursor row, written so the index range on date is used.
_NEXT_PAGE = _page_sql("AND date <= :date AND (date < :date OR id < :id)")
# Keyset order of the rows above: date, then id, both descending.
_KEYSET_ORDER = itemgetter(1, 2)


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
        rows = reader.execute(sql, params).fetchall()
    except sqlite3.Error:
        return None
    rows.sort(key=_KEYSET_ORDER, reverse=True)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        _, last_date, last_id = rows[-1]
        next_cursor = encode_cursor([_stored_datetime(last_date), last_id])
    items = ",".join(row[0] for row in rows)
    body = f'{{"items":[{items}],"next_cursor":{orjson.dumps(next_cursor).decode()}}}'
    return Response(body, media_type="application/json"), not rows


def _stored_datetime(stored: str) -> datetime:
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)
