"""Bulk writes that skip rows whose primary key already exists.

Shared by the bulk transactions route, the imports and the synthetic-data
seeder: an `INSERT … ON CONFLICT (pk) DO NOTHING` of every row, inside the
caller's transaction, written the fastest way each database takes it
(Backend.insert_ignoring_duplicates, or insert_columns_ignoring_duplicates
for values already held one list per column). Rows that collide with an
existing row, or with an earlier row of the same call, are skipped.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import backend_of


async def insert_ignoring_duplicates(
    session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert `rows` (already validated; every row with the keys of the first)
    into `table`, skipping existing primary keys. Returns how many rows were
    created. Does not commit."""
    if not rows:
        return 0
    conn = await session.connection()  # Core on the session's connection: no ORM unit of work
    return await backend_of(conn).insert_ignoring_duplicates(conn, table, rows)


async def insert_columns_ignoring_duplicates(
    session: AsyncSession, table: Table, columns: Mapping[str, Sequence[Any]]
) -> int:
    """The same for rows given as columns: column name -> the rows' values,
    every list as long."""
    if not next(iter(columns.values()), None):
        return 0
    conn = await session.connection()
    return await backend_of(conn).insert_columns_ignoring_duplicates(conn, table, columns)
