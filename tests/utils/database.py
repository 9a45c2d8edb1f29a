"""The test database: one per pytest-xdist worker, migrated once, emptied
after each test through one connection kept open for the whole session.

The suite runs against the database named by TEST_DATABASE_URL (the Makefile
passes a PostgreSQL one for the second leg), or a fresh SQLite file. Each
xdist worker (`-n N`) gets its own: `<name>_gw0`, `<name>_gw1`, ... on
PostgreSQL, its own file on SQLite, so workers never see each other's rows.

Why not a transaction rolled back after each test: the service's own paths
open connections of their own (the inline SQLite page reader, the CLI, the
seeder, the insights runner) and would not see uncommitted rows; the tests
exercise those paths as they run in production, so rows are committed and
deleted afterwards, which costs about 2 ms a test on one open connection.
"""

import asyncio
import os
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
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_url() -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite+aiosqlite:///{_TMP / 'test.db'}"
    url = make_url(base)
    if url.get_backend_name() == "sqlite" or not WORKER:
        return base
    return url.set(database=f"{url.database}_{WORKER}").render_as_string(hide_password=False)


TEST_DATABASE_URL = _worker_url()
ON_POSTGRES = make_url(TEST_DATABASE_URL).get_backend_name() == "postgresql"
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
    not the cluster's."""
    name = make_url(url).database
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
    name = f"spendsense_scratch_{uuid.uuid4().hex[:12]}"
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
