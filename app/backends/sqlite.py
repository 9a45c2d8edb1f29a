"""SQLite (aiosqlite; the plain sqlite3 module for the inline page reader)."""

import contextlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Table,
    event,
    exists,
    false,
    func,
    literal,
    select,
    text,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends.base import (
    DISK_FULL,
    READ_ONLY,
    Backend,
    Cause,
    PageReader,
    columns_of,
    named_binds,
)
from app.backends.sqlite_text import sqlite_utc_text, sqlite_utc_texts
from app.models.types import UTCDateTime
from app.startup_errors import SetupError

# Less free space than this next to an SQLite database counts as a full disk:
# a checkpoint or one bulk request (10,000 rows) could not be written.
MIN_FREE_BYTES = 16 * 1024 * 1024

# The write probe gives up on a busy lock at once: a writer at work proves
# the database takes writes, and /health must stay fast.
PROBE_BUSY_TIMEOUT_MS = 100

_CAUSES: dict[int, Cause] = {
    sqlite3.SQLITE_READONLY: (
        READ_ONLY,
        "the database is read-only: the service cannot write its file or folder "
        "(permissions, or a read-only mount)",
    ),
    sqlite3.SQLITE_FULL: (DISK_FULL, "the disk that holds the database is full"),
    sqlite3.SQLITE_CANTOPEN: (
        READ_ONLY,
        "the database file cannot be opened: its folder is missing or not accessible",
    ),
    sqlite3.SQLITE_PERM: (READ_ONLY, "the database refuses access (permission denied)"),
    sqlite3.SQLITE_IOERR: (READ_ONLY, "disk I/O error on the database file"),
}


def apply_pragmas(dbapi_connection: Any, busy_timeout_ms: int) -> None:
    """The per-connection pragmas, for any DBAPI connection (the engine's
    aiosqlite/sqlite3 ones and the inline page reader's alike): WAL, foreign
    keys, the busy timeout, and synchronous=NORMAL (durable in WAL mode
    except for the last transactions before a power cut)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _bind(value: Any) -> Any:
    """A parameter as sqlite3 takes it: datetimes as the stored UTC text,
    lists as JSON text (read back with json_each, Backend.any_of)."""
    if isinstance(value, datetime):
        return sqlite_utc_text(value)
    if isinstance(value, list | tuple):
        return json.dumps(list(value))
    return value


class SQLiteBackend(Backend):
    name: ClassVar[str] = "sqlite"

    def paramstyle(self, sql: str) -> tuple[str, tuple[str, ...]]:
        return sql, tuple(dict.fromkeys(named_binds(sql)))  # sqlite3 takes :name itself

    async def run(
        self, driver: Any, sql: str, names: Sequence[str], params: Mapping[str, Any]
    ) -> list[Any]:
        return list(await driver.execute_fetchall(sql, {n: _bind(params[n]) for n in names}))

    def utc_text(self, column: str) -> str:
        return column  # stored as exactly that text

    def any_of(self, column: str, param: str) -> str:
        return f"{column} IN (SELECT value FROM json_each(:{param}))"

    def json_array_has(self, column: Any, value: str) -> ColumnElement[bool]:
        elements = func.json_each(column).table_valued("value")
        return exists(select(literal(1)).select_from(elements).where(elements.c.value == value))

    def has_non_ascii(self, column: Any) -> ColumnElement[bool]:
        return column.op("GLOB")("*[^ -~]*")  # type: ignore[no-any-return]

    async def insert_ignoring_duplicates(
        self, conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
    ) -> int:
        return await self.insert_columns_ignoring_duplicates(conn, table, columns_of(rows))

    async def insert_columns_ignoring_duplicates(
        self, conn: AsyncConnection, table: Table, columns: Mapping[str, Sequence[Any]]
    ) -> int:
        """One sqlite3 executemany of parameter tuples zipped from the columns.

        SQLAlchemy's own executemany spends most of a 10,000-row batch
        processing parameters row by row in Python; here each column is
        converted in one pass over its values, zipped into tuples in C,
        which makes the whole request about twice as fast. A column every
        row leaves null, where the table would store null anyway, is not
        sent (fewer values to bind per row). sqlite3's rowcount sums the
        rows each statement changed, and an ignored conflict changes none:
        the created count is exact without RETURNING."""
        keys = [key for key, values in columns.items() if not _left_null(table.c[key], values)]
        if not keys:
            return 0
        stmt = sqlite.insert(table).on_conflict_do_nothing(
            index_elements=[c.name for c in table.primary_key.columns]
        )
        compiled = stmt.compile(dialect=conn.dialect, column_keys=keys)
        params = [
            _column_values(table.c[key], conn.dialect, columns[key])
            for key in compiled.positiontup or ()
        ]
        result = await conn.exec_driver_sql(str(compiled), list(zip(*params, strict=True)))
        return int(result.rowcount)

    def insert(self, table: Table) -> Any:
        return sqlite.insert(table)

    async def lock_for_writes(self, conn: AsyncConnection, table: Table, ident: str) -> bool:
        """A write that changes nothing: it begins the transaction (the
        driver emits BEGIN before a write) and takes SQLite's one write lock
        at once, so what the caller reads next is not overtaken by another
        writer (a deferred transaction that read first and wrote later would
        fail with SQLITE_BUSY instead of waiting). Waits up to busy_timeout."""
        key = table.primary_key.columns[0]
        stmt = table.update().where(key == ident).values({key.name: key})
        result = await conn.execute(stmt)
        return bool(result.rowcount)

    async def begin_write(self, conn: AsyncConnection, table: Table) -> None:
        """A write of no row: the driver emits BEGIN before it, and SQLite
        takes its one write lock at once, waiting up to busy_timeout while
        another process writes. A transaction that read first would instead
        fail with SQLITE_BUSY ("database is locked") when it came to write
        after another writer had committed."""
        key = table.primary_key.columns[0]
        await conn.execute(table.update().where(false()).values({key.name: key}))

    async def empty_tables(self, session: AsyncSession, tables: Sequence[str]) -> None:
        for table in tables:
            await session.execute(text(f"DELETE FROM {table}"))

    def lasting_cause(self, orig: BaseException, database_url: str) -> Cause | None:
        code = getattr(orig, "sqlite_errorcode", None)
        if not isinstance(code, int):
            return None
        cause = _CAUSES.get(code & 0xFF)  # extended codes keep the primary in the low byte
        if cause is not None and cause[0] == READ_ONLY:
            # Name the file or folder when that is what refuses.
            path = sqlite_path(database_url)
            return (file_problem(path) if path else None) or cause
        return cause

    async def write_problem(self, conn: AsyncConnection, database_url: str) -> Cause | None:
        databases = (await conn.exec_driver_sql("PRAGMA database_list")).all()
        path = next((str(file) for _, name, file in map(tuple, databases) if name == "main"), "")
        problem = file_problem(path) if path else None  # "" for an in-memory database
        if problem is not None:
            return problem
        # A connection opened while the file was not writable stays read-only
        # even once it is: an empty write transaction tells, writing no row.
        busy_timeout = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        await conn.exec_driver_sql(f"PRAGMA busy_timeout={PROBE_BUSY_TIMEOUT_MS}")
        try:
            await conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                await conn.exec_driver_sql(
                    "UPDATE alembic_version SET version_num = version_num WHERE 0"
                )
            finally:
                # SQLite may have ended the transaction itself (disk full, I/O error).
                with contextlib.suppress(sa_exc.DBAPIError):
                    await conn.exec_driver_sql("ROLLBACK")
        except sa_exc.OperationalError as error:
            cause = self.lasting_cause(error.orig or error, database_url)
            if cause is not None:
                return cause
            if getattr(error.orig, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY:
                return None  # another connection is writing: writes work
            raise
        finally:
            await conn.exec_driver_sql(f"PRAGMA busy_timeout={int(busy_timeout or 0)}")
        return None

    def stored_revision(self, database_url: str) -> str | None:
        database = make_url(database_url).database or ""
        if database in ("", ":memory:") or not Path(database).exists():
            return None
        if Path(database).is_dir():
            raise SetupError(
                f"DATABASE_URL={database_url}: {database} is a folder, not an SQLite file"
            )
        # mode=rw: open the file that is there, never create one.
        uri = f"{Path(database).absolute().as_uri()}?mode=rw"
        try:
            with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
                found = conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name = 'alembic_version'"
                ).fetchone()
                if found is None:
                    return None
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error as error:
            raise SetupError(
                f"DATABASE_URL={database_url}: SQLite cannot read {database}: {error}"
            ) from None
        return None if row is None else str(row[0])

    async def journal_mode(self, conn: AsyncConnection) -> str | None:
        return str((await conn.exec_driver_sql("PRAGMA journal_mode")).scalar())

    def page_reader(self, engine: AsyncEngine, database_url: str) -> PageReader | None:
        database = make_url(database_url).database
        if database in (None, "", ":memory:"):
            return None
        from app.backends.sqlite_pages import InlinePageReader  # it uses apply_pragmas

        return InlinePageReader(database)

    def configure_engine(self, engine: AsyncEngine, busy_timeout_ms: int) -> None:
        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            apply_pragmas(dbapi_connection, busy_timeout_ms)


_BOOL_INT = {False: 0, True: 1, None: None}


def _left_null(column: Column[Any], values: Sequence[Any]) -> bool:
    """Does every row leave `column` null, where leaving it out of the
    INSERT stores null as well (no default of its own)?"""
    return (
        column.default is None
        and column.server_default is None
        and values[0] is None  # a cheap no for most columns, before the full count
        and values.count(None) == len(values)
    )


def _column_values(column: Column[Any], dialect: Dialect, values: Sequence[Any]) -> Iterable[Any]:
    """A column's values as sqlite3 binds them: the column type's bind
    conversion, with fast equivalents for UTC datetimes (the text form
    SQLAlchemy's SQLite DATETIME stores; tests check both agree) and
    booleans (0/1, as SQLAlchemy stores them)."""
    if isinstance(column.type, UTCDateTime):
        return sqlite_utc_texts(values)
    if isinstance(column.type, Boolean):
        # sqlite3 would bind a bool as 0/1 too, but only after looking for
        # an adapter of its type on every value: an int is bound as it is.
        return map(_BOOL_INT.__getitem__, values)
    convert = column.type.dialect_impl(dialect).bind_processor(dialect)
    return values if convert is None else map(convert, values)


def sqlite_path(url: str) -> str:
    """The file of an SQLite URL ("" for :memory:)."""
    database = make_url(url).database or ""
    if database == ":memory:":
        return ""
    return database.removeprefix("file:").split("?")[0]


def file_problem(path: str) -> Cause | None:
    """The SQLite file, its -wal/-shm and its folder writable by this process,
    and room on the disk: a handful of system calls, fine on the event loop."""
    folder = os.path.dirname(path)
    # The folder too: SQLite creates its -wal, -shm and -journal files there.
    for target in (path, f"{path}-wal", f"{path}-shm", folder):
        if os.path.exists(target) and not os.access(target, os.W_OK):
            return READ_ONLY, (
                f"the database is read-only: {target} is not writable by uid {os.getuid()}"
            )
    try:
        free = shutil.disk_usage(folder).free
    except OSError:  # no folder: SQLite's own error says more
        return None
    if free < MIN_FREE_BYTES:
        return DISK_FULL, (
            f"the disk that holds the database is full: {free // 1024} KiB free in {folder}"
        )
    return None
