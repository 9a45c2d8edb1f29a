"""The seeder's bulk write on PostgreSQL: COPY, with the guarantees of
insert_ignoring_duplicates (rows whose key exists are skipped and not
counted; a batch is all or nothing in the caller's transaction).

The rows are copied (asyncpg's binary COPY) into a temporary table dropped
at commit, then moved with one `INSERT … SELECT … ORDER BY key ON CONFLICT
DO NOTHING`: COPY itself cannot skip duplicates, and the key order is the one
insert_ignoring_duplicates locks keys in (two overlapping batches wait for
each other instead of deadlocking). On SQLite, and for a handful of rows, it
is insert_ignoring_duplicates itself.

Only the seeder writes this way (its batches are thousands of rows of its
own making); the API's bulk path stays app.services.ingest.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import backend_of
from app.services.ingest import insert_ignoring_duplicates

# Below this, the temporary table costs more than it saves.
MIN_COPY_ROWS = 1_000


async def copy_ignoring_duplicates(
    session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert `rows` (every row with the keys of the first) into `table`,
    skipping those whose primary key exists; returns how many were inserted.
    Does not commit."""
    if len(rows) < MIN_COPY_ROWS or backend_of(session).name != "postgresql":
        return await insert_ignoring_duplicates(session, table, rows)
    names = list(rows[0])
    conn = await session.connection()
    dialect = conn.dialect
    # The columns' own bind processing (UTCDateTime makes a naive datetime
    # UTC, JSON columns become text), as an INSERT through SQLAlchemy does.
    processors = [table.c[name].type.bind_processor(dialect) for name in names]
    records = [
        tuple(
            value if process is None or value is None else process(value)
            for process, value in zip(processors, map(row.get, names), strict=True)
        )
        for row in rows
    ]
    scratch = f"seed_copy_{table.name}"
    columns = ", ".join(f'"{name}"' for name in names)
    key = ", ".join(f'"{column.name}"' for column in table.primary_key.columns)
    # Through the session first: it begins the transaction the rest joins.
    await session.execute(
        text(
            f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS "
            f"SELECT {columns} FROM {table.name} WITH NO DATA"
        )
    )
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    await driver.copy_records_to_table(scratch, records=records, columns=names)
    status = await driver.execute(
        f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM {scratch} "
        f"ORDER BY {key} ON CONFLICT ({key}) DO NOTHING"
    )
    await driver.execute(f"DROP TABLE {scratch}")  # a second batch in this transaction
    return int(status.rsplit(" ", 1)[1])  # "INSERT 0 <rows>"
