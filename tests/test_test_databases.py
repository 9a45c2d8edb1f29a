"""The suite's own databases are named per run, so that a run leaves none
behind (tests/utils/database.py; tests/postgres.sh checks it after each run)."""

import os

import pytest
from sqlalchemy.engine import make_url

from tests.utils.database import (
    _TMP,
    ON_POSTGRES,
    RUN,
    RUN_PREFIX,
    RUN_VARIABLE,
    TEST_DATABASE_URL,
    create_postgres_database,
    scratch_url,
)


def test_the_run_id_is_shared_by_the_workers() -> None:
    assert os.environ[RUN_VARIABLE] == RUN
    assert len(RUN) == 8


def test_databases_are_named_after_the_run() -> None:
    urls = [TEST_DATABASE_URL, scratch_url(), scratch_url()]
    assert urls[1] != urls[2]
    if not ON_POSTGRES:  # files in a folder removed when the process exits
        assert all(str(make_url(url).database).startswith(f"{_TMP}/") for url in urls)
        return
    base = make_url(os.environ["TEST_DATABASE_URL"]).database
    assert f"{base}__{RUN}_" == RUN_PREFIX
    for url in urls:
        name = str(make_url(url).database)
        assert name.startswith(RUN_PREFIX) and len(name) <= 63


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite files are made by the engine, not by name")
@pytest.mark.parametrize("name", ["spendsense_scratch_1", "postgres"])
def test_a_database_outside_the_run_is_never_created(name: str) -> None:
    url = make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    with pytest.raises(ValueError, match="is not a name of this run"):
        create_postgres_database(url)
