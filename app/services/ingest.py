"""Bulk writes that skip rows whose primary key already exists.

Shared by the bulk transactions route and the synthetic-data seeder: one
executemany of `INSERT … ON CONFLICT (pk) DO NOTHING` on SQLite and
PostgreSQL alike, inside the caller's transaction. Rows that collide with an
existing row, or with an earlier row of the same call, are skipped. On
PostgreSQL the rows go in primary-key order, so concurrent calls that share
keys cannot deadlock.
"""

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Column, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.types import UTCDateTime
from app.services.sqlite_text import sqlite_utc_texts


async def insert_ignoring_duplicates(
    session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert `rows` (already validated; every row with the keys of the first)
    into `table`, skipping existing primary keys. Returns how many rows were
    created. Does not commit."""
    if not rows:
        return 0
    # Core on the session's connection: no ORM unit of work for bulk rows.
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        return await _insert_postgresql(conn, table, rows)
    return await _insert_sqlite(conn, table, rows)


async def _insert_postgresql(
    conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    # asyncpg reports no rowcount for executemany: count the RETURNING rows
    # instead (SQLAlchemy batches them into multi-row VALUES statements).
    pk = list(table.primary_key.columns)
    # In primary-key order: each inserted key is locked until commit, so two
    # batches that share keys and lock them in different orders deadlock;
    # in one order they cannot (one waits for the other). The sort is stable:
    # of repeated keys, the first occurrence is still inserted first.
    rows = sorted(rows, key=itemgetter(*(c.name for c in pk)))
    stmt = (
        postgresql.insert(table)
        .on_conflict_do_nothing(index_elements=[c.name for c in pk])
        .returning(*pk)
    )
    result = await conn.execute(stmt, list(rows))
    return len(result.all())


async def _insert_sqlite(
    conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    """One sqlite3 executemany of parameter tuples built column by column.

    SQLAlchemy's own executemany spends most of a 10,000-row batch processing
    parameters row by row in Python; here each column is converted with one
    map() over its values, zipped into tuples in C, which makes the whole
    request about twice as fast.
    sqlite3's rowcount sums the rows each statement changed, and an ignored
    conflict changes none: the created count is exact without RETURNING.
    """
    keys = list(rows[0])
    stmt = sqlite.insert(table).on_conflict_do_nothing(
        index_elements=[c.name for c in table.primary_key.columns]
    )
    compiled = stmt.compile(dialect=conn.dialect, column_keys=keys)
    columns = [
        _sqlite_column(table.c[key], conn.dialect, list(map(itemgetter(key), rows)))
        for key in compiled.positiontup or ()
    ]
    result = await conn.exec_driver_sql(str(compiled), list(zip(*columns, strict=True)))
    return int(result.rowcount)


def _sqlite_column(column: Column[Any], dialect: Dialect, values: list[Any]) -> Iterable[Any]:
    """A column's values as sqlite3 binds them: the column type's bind
    conversion, with fast equivalents for UTC datetimes (the text form
    SQLAlchemy's SQLite DATETIME stores; tests check both agree) and
    booleans (none needed: sqlite3 binds a bool as 0/1 itself)."""
    if isinstance(column.type, UTCDateTime):
        return sqlite_utc_texts(values)
    if isinstance(column.type, Boolean):
        return values
    convert = column.type.dialect_impl(dialect).bind_processor(dialect)
    return values if convert is None else map(convert, values)
