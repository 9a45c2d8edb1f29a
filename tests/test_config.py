"""Settings read from the environment: LOG_LEVEL, the pool and the workers are
checked at start, and the .env file is read unless SPENDSENSE_ENV_FILE says
otherwise."""

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest
from pydantic import ValidationError

from app.config import (
    ENV_FILE_VARIABLE,
    ROOT_DIR,
    LogLevel,
    Settings,
    get_settings,
    normalize_database_url,
    setting_problems,
)
from app.db import pool_options


def settings(monkeypatch: pytest.MonkeyPatch, log_level: str | None) -> Settings:
    """Settings from the environment alone (no .env file)."""
    if log_level is None:
        monkeypatch.delenv("LOG_LEVEL", raising=False)
    else:
        monkeypatch.setenv("LOG_LEVEL", log_level)
    return Settings(_env_file=None)


def test_log_level_defaults_to_info(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings(monkeypatch, None).log_level == "info"


@pytest.mark.parametrize(
    ("sent", "level"),
    [
        ("debug", "debug"),
        ("DEBUG", "debug"),
        ("Info", "info"),
        ("WARNING", "warning"),
        ("error", "error"),
        ("Critical", "critical"),
    ],
)
def test_log_level_accepts_any_case(monkeypatch: pytest.MonkeyPatch, sent: str, level: str) -> None:
    assert settings(monkeypatch, sent).log_level == level


@pytest.mark.parametrize("sent", ["verbose", "", "warn", "trace", "10", " info"])
def test_bad_log_level_is_a_settings_error(monkeypatch: pytest.MonkeyPatch, sent: str) -> None:
    with pytest.raises(ValidationError) as caught:
        settings(monkeypatch, sent)
    errors = caught.value.errors()
    assert [(e["loc"], e["type"], e["input"]) for e in errors] == [
        (("log_level",), "literal_error", sent.lower())
    ]


def test_every_accepted_level_is_a_logging_level() -> None:
    """The app passes the level to logging.basicConfig in upper case."""
    for level in get_args(LogLevel):
        assert isinstance(logging.getLevelName(level.upper()), int), level


LOG_LEVEL_LINE = (
    "spendsense: LOG_LEVEL='verbose': input should be 'critical', 'error', 'warning', 'info' "
    "or 'debug'; e.g. LOG_LEVEL=info\n"
)


def without_debug(**settings: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k != "SPENDSENSE_DEBUG"}
    return {**environ, **settings}


@pytest.mark.slow
def test_service_with_bad_log_level_stops_at_start_naming_the_setting() -> None:
    """Building the app reads the settings: a bad LOG_LEVEL stops it there,
    with one line (not pydantic's traceback), not later in logging."""
    result = subprocess.run(
        [sys.executable, "-c", "import app.main"],
        cwd=ROOT_DIR,
        env=without_debug(LOG_LEVEL="verbose"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == LOG_LEVEL_LINE


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        ("LOG_LEVEL", "verbose", LOG_LEVEL_LINE),
        (
            "DATABASE_URL",
            "notaurl",
            "spendsense: DATABASE_URL='notaurl': it is not a database URL (scheme://...); "
            "e.g. DATABASE_URL=sqlite+aiosqlite:///data/spendsense.db or "
            "DATABASE_URL=postgresql+asyncpg://user:password@localhost:5432/spendsense\n",
        ),
    ],
)
def test_uvicorn_with_a_bad_setting_exits_with_one_line(name: str, value: str, line: str) -> None:
    """What `make run` shows after `uvicorn app.main:app`: the line, exit 1."""
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(_free_port())]
    result = subprocess.run(
        command,
        cwd=ROOT_DIR,
        env=without_debug(**{name: value}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == line


def test_debug_shows_the_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import app.main"],
        cwd=ROOT_DIR,
        env={**os.environ, "LOG_LEVEL": "verbose", "SPENDSENSE_DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "validation error for Settings" in result.stderr


# --- DATABASE_URL -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:p@db.example:5432/app", "postgresql+asyncpg://u:p@db.example:5432/app"),
        (
            "postgresql://u:p%40ss@db/app?ssl=require",
            "postgresql+asyncpg://u:p%40ss@db/app?ssl=require",
        ),
        ("postgresql+asyncpg://u@db/app", "postgresql+asyncpg://u@db/app"),
        ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
        ("sqlite:////abs/x.db", "sqlite+aiosqlite:////abs/x.db"),
        ("sqlite://", "sqlite+aiosqlite://"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_database_url_gets_the_async_driver(
    monkeypatch: pytest.MonkeyPatch, given: str, used: str
) -> None:
    assert normalize_database_url(given) == used
    monkeypatch.setenv("DATABASE_URL", given)
    assert Settings(_env_file=None).database_url == used


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("notaurl", "it is not a database URL (scheme://...)"),
        ("", "it is empty (unset it for the SQLite file data/spendsense.db)"),
        ("mysql://u@h/db", "mysql is not a database the service runs on (SQLite, PostgreSQL)"),
        (
            "postgresql+psycopg2://u@h/db",
            "the driver psycopg2 is not the service's: it runs postgresql with asyncpg "
            "(postgresql+asyncpg://...)",
        ),
        (
            "sqlite+pysqlite:///x.db",
            "the driver pysqlite is not the service's: it runs sqlite with aiosqlite "
            "(sqlite+aiosqlite://...)",
        ),
    ],
)
def test_database_url_the_service_cannot_use_is_refused(given: str, why: str) -> None:
    with pytest.raises(ValueError) as caught:
        normalize_database_url(given)
    assert str(caught.value) == why


def test_a_problem_line_names_the_setting_and_hides_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://me:hunter2@db/app")
    monkeypatch.setenv("WEB_CONCURRENCY", "0")
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    assert setting_problems(caught.value) == [
        "DATABASE_URL='postgresql+psycopg2://me:***@db/app': the driver psycopg2 is not the "
        "service's: it runs postgresql with asyncpg (postgresql+asyncpg://...); e.g. "
        "DATABASE_URL=sqlite+aiosqlite:///data/spendsense.db or "
        "DATABASE_URL=postgresql+asyncpg://user:password@localhost:5432/spendsense",
        "WEB_CONCURRENCY='0': input should be greater than or equal to 1; e.g. WEB_CONCURRENCY=1",
    ]


@pytest.mark.parametrize(("sent", "value"), [("true", True), ("0", False), ("YES", True)])
def test_load_catalog_and_demo_data_are_booleans(
    monkeypatch: pytest.MonkeyPatch, sent: str, value: bool
) -> None:
    monkeypatch.setenv("SPENDSENSE_LOAD_CATALOG", sent)
    monkeypatch.setenv("SEED_DEMO_DATA", sent)
    loaded = Settings(_env_file=None)
    assert (loaded.spendsense_load_catalog, loaded.seed_demo_data) == (value, value)
    monkeypatch.setenv("SEED_DEMO_DATA", "maybe")
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    assert setting_problems(caught.value) == [
        "SEED_DEMO_DATA='maybe': input should be a valid boolean, unable to interpret input; "
        "e.g. SEED_DEMO_DATA=false"
    ]


@pytest.fixture
def dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A .env in the working directory that would lock the API and change the
    log level; get_settings() rebuilt around the test."""
    path = tmp_path / ".env"
    path.write_text("SPENDSENSE_API_KEY=from-dotenv\nLOG_LEVEL=debug\n")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def test_the_tests_do_not_read_a_dotenv(dotenv: Path) -> None:
    """The suite runs with SPENDSENSE_ENV_FILE empty (tests/conftest.py), so a
    developer's .env cannot turn every request into a 401."""
    assert os.environ[ENV_FILE_VARIABLE] == ""
    settings = get_settings()
    assert settings.spendsense_api_key is None
    assert settings.log_level == "info"


def test_the_service_reads_dotenv_by_default(dotenv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_FILE_VARIABLE)
    settings = get_settings()
    assert settings.spendsense_api_key is not None
    assert settings.spendsense_api_key.get_secret_value() == "from-dotenv"
    assert settings.log_level == "debug"


def test_env_file_variable_names_another_file(
    dotenv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = dotenv.with_name("other.env")
    other.write_text("LOG_LEVEL=warning\n")
    monkeypatch.setenv(ENV_FILE_VARIABLE, str(other))
    settings = get_settings()
    assert settings.log_level == "warning"
    assert settings.spendsense_api_key is None


def test_no_setting_comes_from_the_developers_environment() -> None:
    """conftest removed every exported setting but those it set."""
    exported = {name.lower() for name in os.environ} & set(Settings.model_fields)
    assert exported == {"database_url", "spendsense_load_catalog"}


# --- the pool and the workers -------------------------------------------------------


def test_pool_and_worker_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DB_POOL_SIZE", "DB_MAX_OVERFLOW", "DB_POOL_TIMEOUT", "DB_POOL_RECYCLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    loaded = Settings(_env_file=None)
    assert (loaded.db_pool_size, loaded.db_max_overflow) == (10, 0)
    assert (loaded.db_pool_timeout, loaded.db_pool_recycle) == (30.0, 1800)
    assert loaded.web_concurrency == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DB_POOL_SIZE", "0"),
        ("DB_POOL_SIZE", "-1"),
        ("DB_POOL_SIZE", "ten"),
        ("DB_MAX_OVERFLOW", "-1"),
        ("DB_POOL_TIMEOUT", "0"),
        ("DB_POOL_RECYCLE", "-5"),
        ("WEB_CONCURRENCY", "0"),
        ("WEB_CONCURRENCY", "2.5"),
    ],
)
def test_bad_pool_or_worker_setting_is_a_settings_error(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    assert [e["loc"] for e in caught.value.errors()] == [(name.lower(),)]


def test_pool_recycle_zero_means_never(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_POOL_RECYCLE", "0")
    assert pool_options(Settings(_env_file=None))["pool_recycle"] == -1
    monkeypatch.setenv("DB_POOL_RECYCLE", "600")
    assert pool_options(Settings(_env_file=None))["pool_recycle"] == 600
