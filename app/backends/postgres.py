"""PostgreSQL (asyncpg)."""

import asyncio
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any, ClassVar

import orjson
from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    TypeDecorator,
    event,
    select,
    text,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends.base import (
    DISK_FULL,
    READ_ONLY,
    Backend,
    Cause,
    PageReader,
    numbered_binds,
)
from app.models.types import UTCDateTime

_CAUSES: dict[str, Cause] = {
    "25006": (
        READ_ONLY,
        "the database is read-only: the PostgreSQL server accepts no writes "
        "(a hot standby, or default_transaction_read_only)",
    ),
    "53100": (DISK_FULL, "the disk of the PostgreSQL server is full"),
}


class PostgresBackend(Backend):
    name: ClassVar[str] = "postgresql"

    def paramstyle(self, sql: str) -> tuple[str, tuple[str, ...]]:
        return numbered_binds(sql)

    async def run(
        self, driver: Any, sql: str, names: Sequence[str], params: Mapping[str, Any]
    ) -> list[Any]:
        # asyncpg prepares and caches the statement per connection.
        return [tuple(record) for record in await driver.fetch(sql, *map(params.get, names))]

    def utc_text(self, column: str) -> str:
        return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"

    def any_of(self, column: str, param: str) -> str:
        return f"{column} = ANY(:{param}::text[])"

    def json_array_has(self, column: Any, value: str) -> ColumnElement[bool]:
        # jsonb `?`: a top-level string element (or key) equal to the text.
        has_key: ColumnElement[bool] = sql_cast(column, postgresql.JSONB).has_key(value)
        return has_key

    def has_non_ascii(self, column: Any) -> ColumnElement[bool]:
        return column.op("~")("[^ -~]")  # type: ignore[no-any-return]

    async def insert_ignoring_duplicates(
        self, conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
    ) -> int:
        """One statement for the whole batch: the rows sent as one JSON
        array (orjson, one C call; naive datetimes written as UTC), turned
        back into rows by json_to_recordset, inserted with ON CONFLICT DO
        NOTHING, the created rows counted by the server.

        SQLAlchemy's executemany (multi-row VALUES with RETURNING) processed
        every parameter in Python and had PostgreSQL parse statements of
        thousands of placeholders; arrays per column (unnest) cost asyncpg
        an isinstance() against collections.abc per value, as much again.
        COPY would be cheaper still but cannot skip a stored key (it needs a
        temporary table and a second INSERT ... SELECT); this keeps one
        statement, the caller's transaction and an exact count. Rows go in
        primary-key order (in_key_order), stably, so the first of repeated
        keys is the one written and two batches never deadlock."""
        if not rows:
            return 0
        rows = self.in_key_order(table, rows)
        keys = tuple(rows[0])
        sql, converted = _json_insert(table, keys, conn.dialect)
        if converted:  # JSON-as-text columns and the like: their own bind conversion
            rows = [row | {key: convert(row[key]) for key, convert in converted} for row in rows]
        payload = orjson.dumps(rows, option=orjson.OPT_NAIVE_UTC).decode()
        result = await conn.exec_driver_sql(sql, (payload,))
        return int(result.scalar_one())

    def insert(self, table: Table) -> Any:
        return postgresql.insert(table)

    def in_key_order(
        self, table: Table, rows: Sequence[dict[str, Any]]
    ) -> Sequence[dict[str, Any]]:
        """In primary-key order: each inserted key is locked until commit, so
        two batches that share keys and lock them in different orders
        deadlock; in one order they cannot (one waits for the other). The
        sort is stable: of repeated keys, the first is still written first."""
        return sorted(rows, key=itemgetter(*(c.name for c in table.primary_key.columns)))

    async def lock_for_writes(self, conn: AsyncConnection, table: Table, ident: str) -> bool:
        """FOR NO KEY UPDATE: writers of the row wait for each other, while
        readers and the foreign-key checks of inserts that reference it
        (FOR KEY SHARE) go on."""
        key = table.primary_key.columns[0]
        stmt = select(key).where(key == ident).with_for_update(key_share=True)
        return (await conn.execute(stmt)).first() is not None

    async def empty_tables(self, session: AsyncSession, tables: Sequence[str]) -> None:
        await session.execute(text(f"TRUNCATE {', '.join(tables)}"))

    def lasting_cause(self, orig: BaseException, database_url: str) -> Cause | None:
        sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        return _CAUSES.get(str(sqlstate)) if sqlstate else None

    async def write_problem(self, conn: AsyncConnection, database_url: str) -> Cause | None:
        row = (
            await conn.exec_driver_sql(
                "SELECT current_setting('transaction_read_only'), pg_is_in_recovery()"
            )
        ).one()
        read_only, in_recovery = tuple(row)
        return _CAUSES["25006"] if read_only == "on" or in_recovery else None

    def stored_revision(self, database_url: str) -> str | None:
        async def read() -> str | None:
            engine = create_async_engine(database_url, poolclass=NullPool)
            try:
                async with engine.connect() as conn:
                    # to_regclass: no "relation does not exist" error in the server's log.
                    table = await conn.execute(text("SELECT to_regclass('alembic_version')"))
                    if table.scalar() is None:
                        return None
                    version = await conn.execute(text("SELECT version_num FROM alembic_version"))
                    return version.scalar()
            finally:
                await engine.dispose()

        return asyncio.run(read())

    def page_reader(self, engine: AsyncEngine, database_url: str) -> PageReader | None:
        from app.backends.postgres_pages import PooledPageReader

        return PooledPageReader(engine)

    def configure_engine(self, engine: AsyncEngine, busy_timeout_ms: int) -> None:
        """On checkout, discard a pooled connection whose socket the server has
        already closed (restart, pg_terminate_backend, idle timeout): asyncpg
        notices the close while the connection sits idle, so this costs no
        round trip; the pool then opens a new connection in its place."""

        @event.listens_for(engine.sync_engine, "checkout")
        def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            if dbapi_connection.driver_connection.is_closed():
                raise DisconnectionError("connection closed by the server")


# The SQL type a JSON field is read as: the column's own type, except text
# for every string type (the INSERT's assignment to a varchar(n) column then
# refuses a longer value, as a plain INSERT does, where a cast would cut
# it), and timestamptz for UTCDateTime (orjson writes the offset).
@lru_cache(maxsize=64)
def _json_insert(
    table: Table, keys: tuple[str, ...], dialect: Dialect
) -> tuple[str, tuple[tuple[str, Callable[[Any], Any]], ...]]:
    """INSERT ... SELECT FROM json_to_recordset($1) ON CONFLICT (pk) DO
    NOTHING counting the rows it created, and the (key, bind conversion) of
    the columns whose values JSON cannot carry as they are."""
    prepare = dialect.identifier_preparer
    fields, converted = [], []
    for key in keys:
        column_type = table.c[key].type
        if isinstance(column_type, TypeDecorator) and not isinstance(column_type, UTCDateTime):
            convert = column_type.bind_processor(dialect)
            if convert is not None:
                converted.append((key, convert))
        impl = column_type.impl_instance if isinstance(column_type, TypeDecorator) else column_type
        name = "text" if isinstance(impl, String) else impl.compile(dialect=dialect)
        fields.append(f"{prepare.quote(key)} {name}")
    columns = ", ".join(prepare.quote(key) for key in keys)
    pk = ", ".join(prepare.quote(column.name) for column in table.primary_key.columns)
    sql = (
        f"WITH created AS (INSERT INTO {prepare.format_table(table)} ({columns}) "
        f"SELECT {columns} FROM json_to_recordset($1::json) AS r({', '.join(fields)}) "
        f"ON CONFLICT ({pk}) DO NOTHING RETURNING 1) SELECT count(*) FROM created"
    )
    return sql, tuple(converted)
