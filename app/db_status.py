"""Whether the database can take writes, and why not, in words for a person.

/health uses write_problem() so that a database that cannot be written makes
the service unhealthy, and the error handlers use lasting_cause() so that a
write refused for such a reason is a 503 naming it, not "try again later".
"""

import contextlib
import os
import shutil
import sqlite3

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from app.config import get_settings

# Less free space than this next to an SQLite database counts as a full disk:
# a checkpoint or one bulk request (10,000 rows) could not be written.
MIN_FREE_BYTES = 16 * 1024 * 1024
# The write probe gives up on a busy lock at once: a writer at work proves
# the database takes writes, and /health must stay fast.
PROBE_BUSY_TIMEOUT_MS = 100

READ_ONLY = "read_only"
DISK_FULL = "disk_full"

_SQLITE_CAUSES = {
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
_POSTGRES_CAUSES = {
    "25006": (
        READ_ONLY,
        "the database is read-only: the PostgreSQL server accepts no writes "
        "(a hot standby, or default_transaction_read_only)",
    ),
    "53100": (DISK_FULL, "the disk of the PostgreSQL server is full"),
}


def lasting_cause(error: BaseException) -> tuple[str, str] | None:
    """(state, detail) when `error` (a DBAPI error, or SQLAlchemy's wrapper of
    one) says writes will keep failing until someone acts: read-only, disk
    full, file that cannot be opened. None for anything else (locks,
    connection trouble, bugs)."""
    orig = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        cause = _SQLITE_CAUSES.get(code & 0xFF)  # extended codes keep the primary in the low byte
        if cause is not None and cause[0] == READ_ONLY:
            # Name the file or folder when that is what refuses.
            path = _sqlite_path(get_settings().database_url)
            return (_file_problem(path) if path else None) or cause
        return cause
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return _POSTGRES_CAUSES.get(str(sqlstate)) if sqlstate else None


async def write_problem(conn: AsyncConnection) -> tuple[str, str] | None:
    """(state, detail) when the database behind `conn` cannot take writes now;
    None when it can. Writes no row; on SQLite a few system calls and an empty
    write transaction, on PostgreSQL one query."""
    if conn.dialect.name == "sqlite":
        return await _sqlite_write_problem(conn)
    if conn.dialect.name == "postgresql":
        row = (
            await conn.exec_driver_sql(
                "SELECT current_setting('transaction_read_only'), pg_is_in_recovery()"
            )
        ).one()
        read_only, in_recovery = tuple(row)
        if read_only == "on" or in_recovery:
            return _POSTGRES_CAUSES["25006"]
    return None


def _sqlite_path(url: str) -> str:
    """The file of an SQLite URL ("" for other databases and :memory:)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database == ":memory:":
        return ""
    return database.removeprefix("file:").split("?")[0]


def _file_problem(path: str) -> tuple[str, str] | None:
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


async def _sqlite_write_problem(conn: AsyncConnection) -> tuple[str, str] | None:
    databases = (await conn.exec_driver_sql("PRAGMA database_list")).all()
    path = next((str(file) for _, name, file in map(tuple, databases) if name == "main"), "")
    problem = _file_problem(path) if path else None  # "" for an in-memory database
    if problem is not None:
        return problem
    # A connection opened while the file was not writable stays read-only even
    # once it is: an empty write transaction tells, without writing a row.
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
        cause = lasting_cause(error)
        if cause is not None:
            return cause
        if getattr(error.orig, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY:
            return None  # another connection is writing: writes work
        raise
    finally:
        busy_timeout = get_settings().sqlite_busy_timeout_ms
        await conn.exec_driver_sql(f"PRAGMA busy_timeout={int(busy_timeout)}")
    return None
