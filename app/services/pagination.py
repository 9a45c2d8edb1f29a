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
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import ColumnElement, Integer, and_, or_
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Page
from app.models.types import StorableText, UTCDateTime, to_utc
from app.services.errors import InvalidCursor

T = TypeVar("T")

# Text a cursor may carry: what the database can bind (no NUL, valid UTF-8),
# so a forged cursor is a 400, never a driver error.
_CURSOR_TEXT: TypeAdapter[str] = TypeAdapter(StorableText)


@dataclass(frozen=True)
class Keyset:
    """Sort order of a list: a sort column and the id as tie-breaker (both in
    the same direction), or the id alone."""

    columns: tuple[InstrumentedAttribute[Any], ...]
    descending: bool = True

    @classmethod
    def of(cls, *columns: Any, descending: bool = True) -> "Keyset":
        """Keyset.of(Model.sort_column, Model.id): model attributes are typed
        as their Python values, hence Any here."""
        return cls(columns=tuple(columns), descending=descending)

    def after(self, values: list[Any]) -> ColumnElement[bool]:
        """WHERE clause for rows strictly after `values` in keyset order.
        Written as `key <= v AND (key < v OR id < i)` so the index range on
        key is used."""
        if len(self.columns) == 1:
            (column,) = self.columns
            after: ColumnElement[bool] = (
                column < values[0] if self.descending else column > values[0]
            )
            return after
        key, tie = self.columns
        v, i = values
        if self.descending:
            return and_(key <= v, or_(key < v, tie < i))
        return and_(key >= v, or_(key > v, tie > i))


def encode_cursor(values: Sequence[Any]) -> str:
    """The cursor continuing after a row with these keyset values."""
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, keyset: Keyset) -> list[Any]:
    """The keyset values a cursor holds, typed like the columns
    (InvalidCursor when malformed or forged)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidCursor() from None
    if not isinstance(values, list) or len(values) != len(keyset.columns):
        raise InvalidCursor()
    return [
        _decode_value(column, value) for column, value in zip(keyset.columns, values, strict=True)
    ]


def _decode_value(column: InstrumentedAttribute[Any], value: Any) -> Any:
    col_type = column.property.columns[0].type
    if isinstance(col_type, UTCDateTime):
        if not isinstance(value, str):
            raise InvalidCursor()
        try:
            return to_utc(datetime.fromisoformat(value))
        except (ValueError, OverflowError):
            raise InvalidCursor() from None
    if isinstance(col_type, Integer):
        # Within BIGINT: a larger int cannot even be bound as a parameter.
        if type(value) is not int or not -(2**63) <= value < 2**63:
            raise InvalidCursor()
        return value
    try:
        return _CURSOR_TEXT.validate_python(value, strict=True)
    except ValidationError:
        raise InvalidCursor() from None


async def fetch_page(
    session: AsyncSession,
    stmt: SelectOfScalar[T],
    keyset: Keyset,
    cursor: str | None,
    limit: int,
) -> Page[T]:
    """Run `stmt` for one page: its rows and the cursor of the next."""
    if cursor:
        stmt = stmt.where(keyset.after(decode_cursor(cursor, keyset)))
    order = [c.desc() if keyset.descending else c.asc() for c in keyset.columns]
    rows = list((await session.exec(stmt.order_by(*order).limit(limit + 1))).all())
    if len(rows) <= limit:
        return Page(items=rows, next_cursor=None)
    rows = rows[:limit]
    last = rows[-1]
    return Page(
        items=rows, next_cursor=encode_cursor([getattr(last, c.key) for c in keyset.columns])
    )
