"""Settings read from the environment: LOG_LEVEL is checked at start."""

import logging
import os
import subprocess
import sys
from typing import get_args

import pytest
from pydantic import ValidationError

from app.config import ROOT_DIR, LogLevel, Settings


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
