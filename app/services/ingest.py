"""Bulk writes that skip rows whose primary key already exists.

Shared by the bulk transactions route and the synthetic-data seeder: one
statement per batch, `INSERT … ON CONFLICT (pk) DO NOTHING` on SQLite and
PostgreSQL alike, inside the caller's transaction.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession


async def insert_ignoring_duplicates(
    session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert `rows` (already validated) into `table`, skipping existing primary
    keys. Returns how many rows were created. Does not commit."""
    if not rows:
        return 0
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    pk = [c.name for c in table.primary_key.columns]
    stmt = (
        insert(table)
        .on_conflict_do_nothing(index_elements=pk)
        .returning(*table.primary_key.columns)
    )
    result = await session.execute(stmt, list(rows))
    return len(result.all())
