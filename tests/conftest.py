"""Test database setup, shared by every test module.

The suite runs against the database named by TEST_DATABASE_URL (the Makefile
passes a PostgreSQL one for the second leg); without it, a fresh SQLite file.
The schema is built once per session by Alembic (init_db), and every test
starts from empty tables.
"""

import asyncio
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

_tmp = Path(tempfile.mkdtemp(prefix="spendsense-tests-"))
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or (
    f"sqlite+aiosqlite:///{_tmp / 'test.db'}"
)
# Before the app is imported: settings are read from the environment.
os.environ["DATABASE_URL"] = TEST_DATABASE_URL
os.environ.pop("SPENDSENSE_API_KEY", None)

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.config import get_settings  # noqa: E402
from app.db import init_db, is_sqlite, make_engine  # noqa: E402
from app.main import app  # noqa: E402

# Children before parents, so deletes never trip a foreign key.
TABLES = ("transactions", "personas", "accounts", "users", "content")
ON_POSTGRES = not is_sqlite(TEST_DATABASE_URL)


async def _execute(url: str, *statements: str, autocommit: bool = False) -> None:
    engine = make_engine(url)
    try:
        if autocommit:
            engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


def _reset_postgres(url: str) -> None:
    asyncio.run(_execute(url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public"))


@pytest.fixture(scope="session", autouse=True)
def migrated_database() -> str:
    """The test database, migrated to head once for the whole session."""
    get_settings.cache_clear()
    if ON_POSTGRES:
        _reset_postgres(TEST_DATABASE_URL)
    init_db(TEST_DATABASE_URL)
    return TEST_DATABASE_URL


@pytest.fixture(autouse=True)
def empty_tables(migrated_database: str) -> Iterator[None]:
    yield
    asyncio.run(_execute(migrated_database, *(f"DELETE FROM {t}" for t in TABLES)))


@pytest.fixture
def client() -> Iterator[TestClient]:
    """An HTTP client for the app (lifespan run, engine disposed after)."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def scratch_database_url() -> Iterator[str]:
    """A brand-new, empty database of the same kind as the test database."""
    if not ON_POSTGRES:
        yield f"sqlite+aiosqlite:///{_tmp / f'scratch-{uuid.uuid4().hex}.db'}"
        return
    name = f"spendsense_scratch_{uuid.uuid4().hex[:12]}"
    admin = make_url(TEST_DATABASE_URL).set(database="postgres").render_as_string(False)
    asyncio.run(_execute(admin, f"CREATE DATABASE {name}", autocommit=True))
    yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(False)
    asyncio.run(_execute(admin, f"DROP DATABASE {name} WITH (FORCE)", autocommit=True))
