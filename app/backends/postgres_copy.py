"""PostgreSQL's COPY with the guarantees of insert_ignoring_duplicates (rows
whose key exists, or repeats an earlier row, are skipped and not counted; in
the caller's transaction, all or nothing): what the seeder writes its
batches of thousands of rows with (Backend.copy_ignoring_duplicates).

The rows are copied (asyncpg's binary COPY) into a temporary table, then
moved by one `INSERT … SELECT … ORDER BY key ON CONFLICT DO NOTHING`: COPY
itself cannot skip duplicates, and the key order is the one
insert_ignoring_duplicates locks keys in (two overlapping batches wait for
each other instead of deadlocking).
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncConnection


async def copy_ignoring_duplicates(
    conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert `rows` (every row with the keys of the first) into `table`
    through COPY, skipping existing and repeated primary keys; the count
    inserted. Does not commit."""
    names = list(rows[0])
    # The columns' own bind processing (UTCDateTime makes a naive datetime
    # UTC, JSON columns become text), as an INSERT through SQLAlchemy does.
    processors = [table.c[name].type.bind_processor(conn.dialect) for name in names]
    records = [
        tuple(
            value if process is None or value is None else process(value)
            for process, value in zip(processors, map(row.get, names), strict=True)
        )
        for row in rows
    ]
    scratch = f"copy_{table.name}"
    columns = ", ".join(f'"{name}"' for name in names)
    key = ", ".join(f'"{column.name}"' for column in table.primary_key.columns)
    # Through SQLAlchemy first: it begins the transaction the driver's calls join.
    await conn.execute(
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
    await driver.execute(f"DROP TABLE {scratch}")  # for the next batch of this transaction
    return int(status.rsplit(" ", 1)[1])  # "INSERT 0 <rows>"
