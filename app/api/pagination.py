"""Keyset pagination: opaque cursors over (sort key, id), no OFFSET, no COUNT.

A cursor encodes the sort values of the last row of a page; the next page
continues strictly after it, so rows inserted between requests never cause a
repeat or a skip.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import HTTPException, Query, status
from sqlalchemy import Integer, and_, or_
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.models.types import UTCDateTime, to_utc

T = TypeVar("T")

LimitQuery = Annotated[int, Query(ge=1, le=500, description="Page size (1-500)")]
CursorQuery = Annotated[
    str | None, Query(max_length=1000, description="Opaque cursor from `next_cursor`")
]
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class Keyset:
    """Sort order of a list: a sort column and the id as tie-breaker (both in
    the same direction), or the id alone."""

    columns: tuple[InstrumentedAttribute[Any], ...]
    descending: bool = True


def encode_cursor(values: Sequence[Any]) -> str:
    """The cursor continuing after a row with these keyset values."""
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _bad_cursor() -> HTTPException:
    return HTTPException(status.HTTP_400_BAD_REQUEST, detail="malformed cursor")


def _storable(value: str) -> bool:
    """False for text a database driver cannot bind (PostgreSQL refuses NUL;
    lone surrogates are not UTF-8): a forged cursor must be a 400, not a 500."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def decode_cursor(cursor: str, keyset: Keyset) -> list[Any]:
    """The keyset values a cursor holds, typed like the columns (400 when
    malformed or forged)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _bad_cursor() from None
    if not isinstance(values, list) or len(values) != len(keyset.columns):
        raise _bad_cursor()
    decoded: list[Any] = []
    for column, value in zip(keyset.columns, values, strict=True):
        col_type = column.property.columns[0].type
        if isinstance(col_type, UTCDateTime):
            if not isinstance(value, str):
                raise _bad_cursor()
            try:
                value = to_utc(datetime.fromisoformat(value))
            except (ValueError, OverflowError):
                raise _bad_cursor() from None
        elif isinstance(col_type, Integer):
            # Within BIGINT: a larger int cannot even be bound as a parameter.
            if type(value) is not int or not -(2**63) <= value < 2**63:
                raise _bad_cursor()
        elif not isinstance(value, str) or not _storable(value):
            raise _bad_cursor()
        decoded.append(value)
    return decoded


def _after(keyset: Keyset, values: list[Any]) -> Any:
    """WHERE clause for rows strictly after `values` in keyset order. Written
    as `key <= v AND (key < v OR id < i)` so the index range on key is used."""
    if len(keyset.columns) == 1:
        (col,) = keyset.columns
        return col < values[0] if keyset.descending else col > values[0]
    key, tie = keyset.columns
    v, i = values
    if keyset.descending:
        return and_(key <= v, or_(key < v, tie < i))
    return and_(key >= v, or_(key > v, tie > i))


async def fetch_page(
    session: AsyncSession,
    stmt: SelectOfScalar[T],
    keyset: Keyset,
    cursor: str | None,
    limit: int,
) -> tuple[list[T], str | None]:
    """Run `stmt` for one page; return its rows and the cursor of the next."""
    if cursor:
        stmt = stmt.where(_after(keyset, decode_cursor(cursor, keyset)))
    order = [c.desc() if keyset.descending else c.asc() for c in keyset.columns]
    rows = list((await session.exec(stmt.order_by(*order).limit(limit + 1))).all())
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor([getattr(last, c.key) for c in keyset.columns])
