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
from functools import lru_cache
from typing import Any

import orjson
from fastapi import Response
from sqlalchemy.engine import make_url

from app.api.pagination import Keyset

# The cursor format is fetch_page's, so cursors work across both paths.
from app.api.pagination import _decode as decode_cursor
from app.api.pagination import _encode as encode_cursor
from app.config import get_settings
from app.services.ingest import sqlite_utc_text

# SQLite writes each item's JSON itself (json_object, in C): Python only joins
# them. Dates are stored as naive UTC `YYYY-MM-DD HH:MM:SS.ffffff`; they come
# out as `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`, the text pydantic writes elsewhere.
_ITEM_JSON = """json_object(
    'id', id,
    'account_id', account_id,
    'date', substr(date, 1, 10) || 'T' || substr(date, 12, 8)
        || iif(substr(date, 20) = '.000000', '', substr(date, 20)) || 'Z',
    'amount', amount,
    'merchant_name', merchant_name,
    'category', category,
    'pending', json(iif(pending, 'true', 'false'))
)"""
_SELECT = f"SELECT {_ITEM_JSON}, date, id FROM transactions WHERE account_id = ?"
_ORDER = "ORDER BY date DESC, id DESC LIMIT ?"
_FIRST_PAGE = f"{_SELECT} {_ORDER}"
# Strictly after the cursor row, written so the index range on date is used.
_NEXT_PAGE = f"{_SELECT} AND date <= ? AND (date < ? OR id < ?) {_ORDER}"


@lru_cache
def _reader(database_url: str) -> sqlite3.Connection | None:
    """One plain sqlite3 connection per database file, None when not SQLite.
    Autocommit, so each SELECT reads its own fresh WAL snapshot."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    connection = sqlite3.connect(url.database, check_same_thread=False, isolation_level=None)
    # Never block the event loop for long: a busy database falls back to async.
    connection.execute("PRAGMA busy_timeout=50")
    return connection


def read_account_page_inline(
    account_id: str, keyset: Keyset, cursor: str | None, limit: int
) -> tuple[Response, bool] | None:
    """The page as a JSON response and whether it is empty; None when the
    fast path does not apply (not SQLite, or the read failed: use async)."""
    reader = _reader(get_settings().database_url)
    if reader is None:
        return None
    params: tuple[Any, ...]
    if cursor:
        after_date, after_id = decode_cursor(cursor, keyset)  # 400 when malformed
        after = sqlite_utc_text(after_date)
        sql, params = _NEXT_PAGE, (account_id, after, after, after_id, limit + 1)
    else:
        sql, params = _FIRST_PAGE, (account_id, limit + 1)
    try:
        rows = reader.execute(sql, params).fetchall()
    except sqlite3.Error:
        return None
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
