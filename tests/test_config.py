"""Settings read from the environment: LOG_LEVEL, the pool and the workers are
checked at start, and the .env file is read unless SPENDSENSE_ENV_FILE says
otherwise."""

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest
from pydantic import ValidationError

from app.config import ENV_FILE_VARIABLE, ROOT_DIR, LogLevel, Settings, get_settings
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


@pytest.mark.slow
def test_service_with_bad_log_level_stops_at_start_naming_the_setting() -> None:
    """Building the app reads the settings: a bad LOG_LEVEL stops it there,
    with pydantic's message, not later with a traceback from logging."""
    result = subprocess.run(
        [sys.executable, "-c", "import app.main"],
        cwd=ROOT_DIR,
        env={**os.environ, "LOG_LEVEL": "verbose"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "validation error for Settings" in result.stderr
    assert "log_level" in result.stderr
    assert "'verbose'" in result.stderr


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
    """conftest removed every exported setting but DATABASE_URL, which it set."""
    exported = {name.lower() for name in os.environ} & set(Settings.model_fields)
    assert exported == {"database_url"}


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
