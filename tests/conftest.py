"""Fixtures shared by every test module: the migrated database of this
worker (tests/utils/database.py), emptied after each test, and HTTP clients."""

import os
from collections.abc import Callable, Iterator

import pytest

from app.config import ENV_FILE_VARIABLE, Settings

# The tests' settings come from what the tests set, nothing else: no .env
# file, and none of the developer's exported settings (a SPENDSENSE_API_KEY
# there made every request a 401). Before the app is imported; subprocesses
# inherit it. tests/utils/database.py then sets DATABASE_URL.
os.environ[ENV_FILE_VARIABLE] = ""
for _name in [name for name in os.environ if name.lower() in Settings.model_fields]:
    del os.environ[_name]
# Read apart from the settings (app/startup_errors.py): tracebacks instead of
# the one-line messages the tests expect.
os.environ.pop("SPENDSENSE_DEBUG", None)
# Migrated test databases start without the built-in content catalog (the
# tests that need it load it, or migrate with it: tests/test_first_run.py).
os.environ["SPENDSENSE_LOAD_CATALOG"] = "false"

from fastapi.testclient import TestClient  # noqa: E402

from app.config import get_settings  # noqa: E402
from app.db import init_db  # noqa: E402
from app.main import app  # noqa: E402
from tests.utils.database import (  # noqa: E402
    ON_POSTGRES,
    TEST_DATABASE_URL,
    WORKER,
    create_postgres_database,
    drop_postgres_database,
    drop_run_databases,
    scratch_url,
    table_cleaner,
)
from tests.utils.scenarios import make_ana  # noqa: E402  (after the settings are set)


@pytest.fixture(scope="session", autouse=True)
def migrated_database() -> Iterator[Callable[[], None]]:
    """This worker's database, migrated to head once; yields the function
    that empties its tables."""
    get_settings.cache_clear()
    if ON_POSTGRES:
        create_postgres_database(TEST_DATABASE_URL)
    init_db(TEST_DATABASE_URL)
    with table_cleaner(TEST_DATABASE_URL) as empty_tables:
        yield empty_tables
    if ON_POSTGRES:
        drop_postgres_database(TEST_DATABASE_URL)


@pytest.fixture(autouse=True)
def empty_tables(migrated_database: Callable[[], None]) -> Iterator[None]:
    yield
    migrated_database()


@pytest.fixture
def client() -> Iterator[TestClient]:
    """An HTTP client for the app (lifespan run, engine disposed after)."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def ana(client: TestClient) -> str:
    """A consenting user with checking, savings and a card whose insights are
    worked out by hand (tests/utils/scenarios.py)."""
    return make_ana(client)


@pytest.fixture
def scratch_database_url() -> Iterator[str]:
    """A brand-new, empty database of the same kind as the test database."""
    url = scratch_url()
    if ON_POSTGRES:
        create_postgres_database(url)
    yield url
    if ON_POSTGRES:
        drop_postgres_database(url)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In the process that started the run (xdist's controller, or the only
    one), after every worker has finished: drop the run's databases a failed
    teardown or an interrupt left behind."""
    if not ON_POSTGRES or WORKER:
        return
    try:
        left = drop_run_databases()
    except Exception as error:  # the server went away: tests/postgres.sh tries again
        print(f"\ncould not drop this run's databases: {error}")
        return
    if left:
        print(f"\ndropped {len(left)} database(s) the run left: {', '.join(left)}")
