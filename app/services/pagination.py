"""Keyset pagination: cursors over (sort key, id), no OFFSET, no COUNT.

A cursor encodes the sort values of the last row of a page; the next page
continues strictly after it, so rows inserted between requests never cause a
repeat or a skip. Its text (app.models.common: values joined by ".") matches
a pattern the OpenAPI document states, and every string that matches it is a
valid position: a malformed cursor is one that does not match.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy import BigInteger, ColumnElement, Integer, and_, or_
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Page
from app.models.common import CURSOR_SEPARATOR, CursorKind, cursor_pattern
from app.models.types import UTCDateTime
from app.services.errors import InvalidCursor

T = TypeVar("T")

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
# The datetimes a cursor can name, in microseconds since EPOCH; INTEGER and BIGINT.
_EARLIEST_US = (datetime.min.replace(tzinfo=UTC) - EPOCH) // MICROSECOND
_LATEST_US = (datetime.max.replace(tzinfo=UTC) - EPOCH) // MICROSECOND
_BIGINT = (-(2**63), 2**63 - 1)
_INTEGER = (-(2**31), 2**31 - 1)


@dataclass(frozen=True)
class Keyset:
    """Sort order of a list: a sort column and the id as tie-breaker (both in
    the same direction), or the id alone."""

    columns: tuple[InstrumentedAttribute[Any], ...]
    descending: bool = True

    @cached_property
    def kinds(self) -> tuple[CursorKind, ...]:
        return tuple(_kind(column) for column in self.columns)

    @cached_property
    def cursor_pattern(self) -> str:
        """The regular expression every cursor of this order matches."""
        return cursor_pattern(*self.kinds)

    @cached_property
    def cursor_regex(self) -> re.Pattern[str]:
        return re.compile(self.cursor_pattern)

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


def _kind(column: InstrumentedAttribute[Any]) -> CursorKind:
    col_type = column.property.columns[0].type
    if isinstance(col_type, UTCDateTime):
        return "datetime"
    if isinstance(col_type, Integer):
        return "integer"
    return "id"


def encode_cursor(values: Sequence[Any]) -> str:
    """The cursor continuing after a row with these keyset values."""
    return CURSOR_SEPARATOR.join(
        str((v - EPOCH) // MICROSECOND) if isinstance(v, datetime) else str(v) for v in values
    )


def decode_cursor(cursor: str, keyset: Keyset) -> list[Any]:
    """The keyset values a cursor holds, typed like the columns
    (InvalidCursor when it does not match the keyset's pattern)."""
    if len(cursor) > 200 or not keyset.cursor_regex.fullmatch(cursor):
        raise InvalidCursor()
    parts = cursor.split(CURSOR_SEPARATOR)
    return [
        _decode_value(column, kind, text)
        for column, kind, text in zip(keyset.columns, keyset.kinds, parts, strict=True)
    ]


def _decode_value(column: InstrumentedAttribute[Any], kind: CursorKind, text: str) -> Any:
    if kind == "datetime":
        return EPOCH + min(max(int(text), _EARLIEST_US), _LATEST_US) * MICROSECOND
    if kind == "integer":
        # Within the column's range: a larger int cannot even be bound.
        is_big = isinstance(column.property.columns[0].type, BigInteger)
        low, high = _BIGINT if is_big else _INTEGER
        return min(max(int(text), low), high)
    return text


async def fetch_page(
    session: AsyncSession,
    stmt: SelectOfScalar[T],
    keyset: Keyset,
    cursor: str | None,
    limit: int,
) -> Page[T]:
    """Run `stmt` for one page: its rows and the cursor of the next."""
    if cursor:  # empty: the first page
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
