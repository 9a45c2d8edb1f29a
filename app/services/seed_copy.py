"""The seeder's bulk write: like insert_ignoring_duplicates (rows whose key
exists are skipped and not counted; all or nothing in the caller's
transaction), through PostgreSQL's COPY when a batch is large enough to pay
for it (Backend.copy_ignoring_duplicates; on SQLite the same insert).

Only the seeder writes this way (its batches are thousands of rows of its
own making); the API's bulk path stays app.services.ingest.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import backend_of
from app.services.ingest import insert_ignoring_duplicates

# Below this, COPY's temporary table costs more than it saves.
MIN_COPY_ROWS = 1_000


async def copy_ignoring_duplicates(
    session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert `rows` (every row with the keys of the first) into `table`,
    skipping those whose primary key exists; returns how many were inserted.
    Does not commit."""
    if len(rows) < MIN_COPY_ROWS:
        return await insert_ignoring_duplicates(session, table, rows)
    conn = await session.connection()
    return await backend_of(conn).copy_ignoring_duplicates(conn, table, rows)
