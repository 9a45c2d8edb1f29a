"""PostgreSQL (asyncpg)."""

import asyncio
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Table, event, select, text
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql
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
    rows_of,
)
from app.backends.postgres_copy import copy_ignoring_duplicates
from app.backends.postgres_insert import json_payload

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

    def ordered_utc_text(self, column: str) -> str:
        # The timestamp's own text output (`YYYY-MM-DD HH:MM:SS`, then the
        # fraction of a second without its trailing zeros, if any) costs a
        # quarter of to_char: a fifth of the server's CPU per assessed user.
        # Shorter fractions still sort right (`…:05` < `…:05.1` < `…:05.25`);
        # the form is ISO because configure_engine pins DateStyle.
        return f"({column} AT TIME ZONE 'UTC')::text"

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
        """One statement for the whole batch (app.backends.postgres_insert:
        the rows as one JSON text through json_to_recordset). Rows go in
        primary-key order (in_key_order), stably, so the first of repeated
        keys is the one written and two batches never deadlock."""
        if not rows:
            return 0
        sql, payload = json_payload(table, self.in_key_order(table, rows), conn.dialect)
        result = await conn.exec_driver_sql(sql, (payload,))
        return int(result.scalar_one())

    async def insert_columns_ignoring_duplicates(
        self, conn: AsyncConnection, table: Table, columns: Mapping[str, Sequence[Any]]
    ) -> int:
        return await self.insert_ignoring_duplicates(conn, table, rows_of(columns))

    async def copy_ignoring_duplicates(
        self, conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
    ) -> int:
        return await copy_ignoring_duplicates(conn, table, rows)

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
        """Every connection's DateStyle is ISO (ordered_utc_text). On checkout,
        discard a pooled connection whose socket the server has
        already closed (restart, pg_terminate_backend, idle timeout): asyncpg
        notices the close while the connection sits idle, so this costs no
        round trip; the pool then opens a new connection in its place."""

        @event.listens_for(engine.sync_engine, "do_connect")
        def _iso_dates(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
            # Sent with the connection's start-up (no round trip): the text of
            # a timestamp (ordered_utc_text) is ISO whatever the server's default.
            params.setdefault("server_settings", {})["DateStyle"] = "ISO, YMD"

        @event.listens_for(engine.sync_engine, "checkout")
        def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            if dbapi_connection.driver_connection.is_closed():
                raise DisconnectionError("connection closed by the server")
