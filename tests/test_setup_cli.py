"""Configuration mistakes and unmigrated databases, as the `spendsense`
command meets them: one line on stderr naming the setting, what is wrong and
what to do, exit code 1, no traceback, and no schema created in a database
nobody migrated. Only `spendsense migrate` changes a schema."""

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command

from app.cli import main
from app.config import get_settings
from app.db import alembic_config, head_revision
from tests.utils.database import ON_POSTGRES, execute
from tests.utils.schema import revision, table_names

HEAD = head_revision()
# Every command but migrate only checks the schema.
CHECKING_COMMANDS = [
    ["seed", "--users", "1", "--as-of", "2026-06-30"],
    ["assess", "--as-of", "2026-06-30"],
    ["evaluate", "--manifest", "manifest.json"],
    ["explain", "--user", "u1", "--as-of", "2026-06-30"],
]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def database_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings rebuilt from DATABASE_URL (and whatever else the test sets)."""
    monkeypatch.delenv("SPENDSENSE_DEBUG", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, *args: str
) -> tuple[int, list[str], str]:
    """spendsense ARGS in this process against `url`: (exit code, stderr
    lines, stdout)."""
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    capsys.readouterr()  # what the test printed before (Alembic's log of its own upgrades)
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.err.splitlines(), captured.out


@pytest.mark.parametrize("args", CHECKING_COMMANDS, ids=lambda a: a[0])
def test_commands_refuse_a_database_without_schema_and_create_none(
    args: list[str],
    scratch_database_url: str,
    database_url: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, err, out = run_cli(capsys, monkeypatch, scratch_database_url, *args)
    assert code == 1
    shown = scratch_database_url.replace(":postgres@", ":***@")
    assert err == [
        f"spendsense: DATABASE_URL={shown} has no schema (revision none, head {HEAD}): "
        "run `spendsense migrate`"
    ]
    assert out == ""
    assert table_names(scratch_database_url) == set()


def test_a_schema_behind_head_is_named_and_left_alone(
    scratch_database_url: str,
    database_url: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    command.upgrade(alembic_config(scratch_database_url), "0004")
    code, err, _ = run_cli(capsys, monkeypatch, scratch_database_url, "assess")
    assert code == 1
    assert len(err) == 1
    assert err[0].endswith(f"is at revision 0004, behind head {HEAD}: run `spendsense migrate`")
    assert revision(scratch_database_url) == "0004"


def test_a_revision_from_a_newer_version_is_named(
    scratch_database_url: str,
    database_url: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    command.upgrade(alembic_config(scratch_database_url), "head")

    asyncio.run(execute(scratch_database_url, "UPDATE alembic_version SET version_num = '9999'"))
    for args in (["assess"], ["migrate"]):
        code, err, _ = run_cli(capsys, monkeypatch, scratch_database_url, *args)
        assert code == 1
        assert len(err) == 1 and "is at revision 9999, which this version of spendsense" in err[0]


def test_migrate_is_quiet_unless_verbose(
    scratch_database_url: str,
    database_url: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, err, out = run_cli(capsys, monkeypatch, scratch_database_url, "migrate")
    assert code == 0 and err == []
    shown = scratch_database_url.replace(":postgres@", ":***@")
    assert out == f"{shown}: schema migrated from none to {HEAD}\n"
    assert revision(scratch_database_url) == HEAD
    # Then the other commands run; again with -v: Alembic's lines on stderr.
    code, err, out = run_cli(capsys, monkeypatch, scratch_database_url, "assess")
    assert code == 0 and err == [] and "assessed 0 users" in out
    code, err, out = run_cli(capsys, monkeypatch, scratch_database_url, "migrate", "-v")
    assert code == 0
    assert out == f"{shown}: schema already at head {HEAD}\n"
    assert any("Context impl" in line for line in err), err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("notaurl", "DATABASE_URL='notaurl': it is not a database URL (scheme://...); e.g. "),
        (
            "sqlite+pysqlite:///{tmp}/spendsense.db",
            "DATABASE_URL='sqlite+pysqlite:///{tmp}/spendsense.db': the driver pysqlite is not "
            "the service's: it runs sqlite with aiosqlite (sqlite+aiosqlite://...); e.g. ",
        ),
        (
            "mysql://root:hunter2@localhost/spendsense",
            "DATABASE_URL='mysql://root:***@localhost/spendsense': mysql is not a database the "
            "service runs on (SQLite, PostgreSQL); e.g. ",
        ),
        (
            "postgresql+asyncpg://postgres:hunter2@127.0.0.1:{port}/spendsense",
            "DATABASE_URL=postgresql+asyncpg://postgres:***@127.0.0.1:{port}/spendsense: "
            "connection refused: no database server listens on 127.0.0.1:{port}; start it or "
            "correct the host and port, e.g. ",
        ),
    ],
    ids=["notaurl", "sync-driver", "mysql", "closed-port"],
)
@pytest.mark.parametrize("cli", ["migrate", "assess"])
def test_a_bad_database_url_is_one_line(
    url: str,
    expected: str,
    cli: str,
    tmp_path: Path,
    database_url: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = closed_port()
    url, expected = (s.format(tmp=tmp_path, port=port) for s in (url, expected))
    code, err, out = run_cli(capsys, monkeypatch, url, cli)
    assert code == 1
    assert len(err) == 1, err
    assert err[0].startswith("spendsense: " + expected), err[0]
    assert "hunter2" not in err[0]
    assert out == ""
    assert list(tmp_path.iterdir()) == []  # no database file made


def test_an_sqlite_folder_that_cannot_be_made_is_one_line(
    tmp_path: Path,
    database_url: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    url = f"sqlite+aiosqlite:///{blocker}/spendsense.db"
    code, err, _ = run_cli(capsys, monkeypatch, url, "migrate")
    assert code == 1
    assert len(err) == 1
    assert err[0].startswith(f"spendsense: DATABASE_URL={url}: cannot use {blocker}: ")
    # A folder where the file should be.
    url = f"sqlite+aiosqlite:///{tmp_path}"
    code, err, _ = run_cli(capsys, monkeypatch, url, "assess")
    assert code == 1
    assert err == [f"spendsense: DATABASE_URL={url}: {tmp_path} is a folder, not an SQLite file"]


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL server tells a missing database")
def test_a_database_that_does_not_exist_is_one_line(
    scratch_database_url: str,
    database_url: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = scratch_database_url.rsplit("/", 1)[0] + "/spendsense_no_such_database"
    code, err, _ = run_cli(capsys, monkeypatch, missing, "migrate")
    assert code == 1
    assert err == [
        f"spendsense: DATABASE_URL={missing.replace(':postgres@', ':***@')}: database "
        "'spendsense_no_such_database' does not exist on 127.0.0.1:5432; create it (createdb "
        "-h 127.0.0.1 -p 5432 -U postgres spendsense_no_such_database) or name an existing one"
    ]


@pytest.mark.skipif(not ON_POSTGRES, reason="the URLs hosting platforms hand out are PostgreSQL's")
@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_a_platform_url_is_migrated_with_asyncpg(
    scheme: str,
    scratch_database_url: str,
    database_url: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = scratch_database_url.replace("postgresql+asyncpg://", f"{scheme}://")
    code, err, out = run_cli(capsys, monkeypatch, url, "migrate")
    assert (code, err) == (0, [])
    assert out.startswith("postgresql+asyncpg://postgres:***@")
    assert revision(scratch_database_url) == HEAD


def test_a_bad_setting_is_one_line_and_touches_no_database(
    scratch_database_url: str,
    database_url: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "verbose")
    code, err, _ = run_cli(capsys, monkeypatch, scratch_database_url, "migrate")
    assert code == 1
    assert err == [
        "spendsense: LOG_LEVEL='verbose': input should be 'critical', 'error', 'warning', "
        "'info' or 'debug'; e.g. LOG_LEVEL=info"
    ]
    monkeypatch.delenv("LOG_LEVEL")
    get_settings.cache_clear()
    assert table_names(scratch_database_url) == set()


# --- as a process: the exit code, no traceback, SPENDSENSE_DEBUG ------------------


def spendsense(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "SPENDSENSE_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_script_exits_1_with_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "spendsense.db"
    result = spendsense("seed", "--users", "1", DATABASE_URL=f"sqlite:///{missing}")
    assert result.returncode == 1
    assert result.stderr == (
        f"spendsense: DATABASE_URL=sqlite+aiosqlite:///{missing} has no schema "
        f"(revision none, head {HEAD}): run `spendsense migrate`\n"
    )
    assert not missing.exists()


def test_spendsense_debug_shows_the_traceback() -> None:
    result = spendsense("migrate", LOG_LEVEL="verbose", SPENDSENSE_DEBUG="1")
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "validation error for Settings" in result.stderr
