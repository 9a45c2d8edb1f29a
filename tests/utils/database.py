"""The test database: one per pytest-xdist worker, migrated once, emptied
after each test through one connection kept open for the whole session.

The suite runs against the server named by TEST_DATABASE_URL (the Makefile
passes a PostgreSQL one for the second leg), or fresh SQLite files. Each xdist
worker (`-n N`) gets its own database, so workers never see each other's rows.

Names, so that a run leaves nothing behind: every PostgreSQL database the
suite makes (the workers', the scratch ones) is `<name>__<run>_<what>`, where
<name> is TEST_DATABASE_URL's database (the Makefile's TEST_PG_DB, never
created or dropped itself) and <run> this run's id (SPENDSENSE_TEST_RUN, from
tests/postgres.sh, or drawn here and inherited by the xdist workers). Each is
dropped by its fixture; conftest's pytest_sessionfinish then drops whatever
of the run is left (a failed teardown, an interrupt), and tests/postgres.sh
checks that no `<name>__*` database is left. SQLite files live in a temporary
folder removed when the process exits.

Why not a transaction rolled back after each test: the service's own paths
open connections of their own (the inline SQLite page reader, the CLI, the
seeder, the insights runner) and would not see uncommitted rows; the tests
exercise those paths as they run in production, so rows are committed and
deleted afterwards, which costs about 2 ms a test on one open connection.
"""

import asyncio
import atexit
import os
import re
import secrets
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.engine import make_url

T = TypeVar("T")

_TMP = Path(tempfile.mkdtemp(prefix="spendsense-tests-"))
atexit.register(shutil.rmtree, _TMP, True)
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
RUN_VARIABLE = "SPENDSENSE_TEST_RUN"
# Set in the controller before it starts the workers, which inherit it.
RUN = os.environ.setdefault(RUN_VARIABLE, secrets.token_hex(4))
# PostgreSQL's limit on names (NAMEDATALEN - 1), less the longest suffix.
MAX_NAME = 63 - len(f"__{RUN}_s") - 10


def _run_prefix(base: str | None) -> str:
    """`<name>__<run>_`: what every database of this run is called."""
    name = make_url(base).database if base else None
    if not name or not re.fullmatch(r"[a-z0-9_]+", name) or len(name) > MAX_NAME:
        raise ValueError(
            f"TEST_DATABASE_URL must name a database of at most {MAX_NAME} characters "
            f"a-z, 0-9 and _ (the prefix of this run's databases), not {name!r}"
        )
    return f"{name}__{RUN}_"


def _worker_url() -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite+aiosqlite:///{_TMP / 'test.db'}"
    url = make_url(base)
    if url.get_backend_name() == "sqlite":
        return base
    database = _run_prefix(base) + (WORKER or "main")
    return url.set(database=database).render_as_string(hide_password=False)


TEST_DATABASE_URL = _worker_url()
ON_POSTGRES = make_url(TEST_DATABASE_URL).get_backend_name() == "postgresql"
RUN_PREFIX = _run_prefix(os.environ.get("TEST_DATABASE_URL")) if ON_POSTGRES else ""
# Before the app is imported: settings are read from the environment.
os.environ["DATABASE_URL"] = TEST_DATABASE_URL
os.environ.pop("SPENDSENSE_API_KEY", None)

from sqlalchemy import text  # noqa: E402
from sqlmodel.ext.asyncio.session import AsyncSession  # noqa: E402

from app.db import make_engine  # noqa: E402
from app.models import TABLES_CHILDREN_FIRST  # noqa: E402

EMPTY_TABLES = [f"DELETE FROM {table}" for table in TABLES_CHILDREN_FIRST]


async def execute(url: str, *statements: str, autocommit: bool = False) -> None:
    """Run statements on a short-lived engine (DDL, CREATE DATABASE, ...)."""
    engine = make_engine(url)
    try:
        if autocommit:
            engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


def _admin_url(url: str) -> str:
    return make_url(url).set(database="postgres").render_as_string(hide_password=False)


def create_postgres_database(url: str, icu_locale: str | None = None) -> None:
    """(Re)create the PostgreSQL database `url` names, empty; with
    `icu_locale`, its default collation is that ICU locale's (PostgreSQL 15+),
    not the cluster's. Only names of this run (RUN_PREFIX): those are the ones
    dropped at the end, and checked by tests/postgres.sh."""
    name = make_url(url).database or ""
    if not name.startswith(RUN_PREFIX):
        raise ValueError(f"{name!r} is not a name of this run ({RUN_PREFIX}...): use scratch_url()")
    create = f"CREATE DATABASE {name}"
    if icu_locale is not None:
        create += f" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{icu_locale}'"
    asyncio.run(
        execute(
            _admin_url(url),
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            create,
            autocommit=True,
        )
    )


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    asyncio.run(
        execute(_admin_url(url), f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", autocommit=True)
    )


def drop_run_databases() -> list[str]:
    """Drop every database of this run still there; returns their names."""

    async def main() -> list[str]:
        engine = make_engine(_admin_url(TEST_DATABASE_URL)).execution_options(
            isolation_level="AUTOCOMMIT"
        )
        try:
            async with engine.connect() as conn:
                found = await conn.execute(
                    text("SELECT datname FROM pg_database WHERE left(datname, :n) = :prefix"),
                    {"n": len(RUN_PREFIX), "prefix": RUN_PREFIX},
                )
                names = sorted(str(name) for name in found.scalars())
                for name in names:
                    await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                return names
        finally:
            await engine.dispose()

    return asyncio.run(main())


@contextmanager
def table_cleaner(url: str) -> Iterator[Callable[[], None]]:
    """A function that empties every table, through one connection open for
    the whole session (a new engine per test cost about 20 ms)."""
    if not ON_POSTGRES:
        conn = sqlite3.connect(make_url(url).database or "", isolation_level=None)
        conn.execute("PRAGMA busy_timeout=5000")

        def empty_sqlite() -> None:
            conn.execute("BEGIN IMMEDIATE")
            for statement in EMPTY_TABLES:
                conn.execute(statement)
            conn.execute("COMMIT")

        try:
            yield empty_sqlite
        finally:
            conn.close()
        return

    import asyncpg
    from anyio.from_thread import start_blocking_portal

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with start_blocking_portal() as portal:
        pg = portal.call(asyncpg.connect, dsn)
        # One round trip: a simple-query string may hold several statements.
        script = "; ".join(EMPTY_TABLES)

        def empty_postgres() -> None:
            portal.call(pg.execute, script)

        try:
            yield empty_postgres
        finally:
            portal.call(pg.close)


def scratch_url() -> str:
    """A name for a brand-new database of the same kind as the test database."""
    if not ON_POSTGRES:
        return f"sqlite+aiosqlite:///{_TMP / f'scratch-{uuid.uuid4().hex}.db'}"
    name = f"{RUN_PREFIX}s{uuid.uuid4().hex[:10]}"
    return make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)


def run_in_session(work: Callable[[AsyncSession], Awaitable[T]], url: str = TEST_DATABASE_URL) -> T:
    """Run `work(session)` on a short-lived engine and return its result."""

    async def main() -> T:
        engine = make_engine(url)
        try:
            async with AsyncSession(engine, expire_on_commit=False) as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def snapshot() -> dict[str, list[Any]]:
    """Every row of every table, to show a request wrote nothing."""

    async def work(session: AsyncSession) -> dict[str, list[Any]]:
        rows = {}
        for table in TABLES_CHILDREN_FIRST:
            result = await session.execute(text(f"SELECT * FROM {table} ORDER BY 1"))
            rows[table] = [tuple(row) for row in result]
        return rows

    return run_in_session(work)


def count_rows(model: type[Any], **where: Any) -> int:
    """How many rows of `model` match the column values given."""
    from sqlalchemy import func, select

    async def work(session: AsyncSession) -> int:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return int((await session.execute(stmt)).scalar_one())

    return run_in_session(work)
