"""The container's start, in Python (docker/entrypoint.sh calls these):
`spendsense prepare` checks the settings and the data folder, migrates,
loads the demo data when asked, then execs the command in its place;
`spendsense own-data` gives the data folder to the service user.
(tests/docker/smoke.sh runs them in the image.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command

from app.cli import main
from app.cli.data_folder import DATA_IN_IMAGE, database_files, named, on_host, sqlite_file
from app.config import get_settings
from app.db import alembic_config, head_revision
from tests.utils.schema import revision, table_names
from tests.utils.server import ROOT, newcomer_env

SHOW_ENV = "import os; print(os.environ['UVICORN_LOG_LEVEL'], os.environ['WEB_CONCURRENCY'])"


def prepare(
    env: dict[str, str], *command: str, user: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "prepare", "--", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        user=user,
    )


def test_prepare_migrates_seeds_the_demo_data_then_execs_the_command(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/data/spendsense.db"
    env = newcomer_env(url, SEED_DEMO_DATA="true", LOG_LEVEL="WARNING", WEB_CONCURRENCY="02")
    result = prepare(env, sys.executable, "-c", SHOW_ENV)
    assert result.returncode == 0, result.stderr
    # The command ran in prepare's place, with uvicorn's settings from ours.
    assert result.stdout.splitlines()[-1] == "warning 2"
    assert "spendsense prepare: migrating the database schema to head" in result.stderr
    assert f"schema migrated from none to {head_revision()}" in result.stderr
    assert "2 workers share one SQLite file" in result.stderr
    assert "created 50 users" in " ".join(result.stdout.split())
    assert revision(url) == head_revision()
    # A second start: already at head, the demo data is not loaded twice.
    again = prepare(env, sys.executable, "-c", SHOW_ENV)
    assert again.returncode == 0
    assert "schema migrated" not in again.stderr
    assert "nothing seeded (--if-empty)" in again.stdout


def test_prepare_stops_at_a_bad_setting_with_one_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/spendsense.db"
    result = prepare(newcomer_env(url, WEB_CONCURRENCY="300"), "true")
    assert result.returncode == 1
    assert result.stderr == (
        "spendsense: WEB_CONCURRENCY='300': input should be less than or equal to 256; "
        "e.g. WEB_CONCURRENCY=1\n"
    )
    assert table_names(url) == set()


def test_prepare_names_a_folder_it_cannot_make(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file where the folder should be")
    folder = tmp_path / "data" / "db"
    result = prepare(newcomer_env(f"sqlite+aiosqlite:///{folder}/spendsense.db"), "true")
    assert result.returncode == 1
    uid, gid = os.getuid(), os.getgid()
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"spendsense prepare: {folder} is not writable by uid {uid} (gid {gid}): SQLite "
        "cannot create or change the database there."
    )
    assert "APP_USER" in result.stderr or "data-owner" in result.stderr  # how to fix it


def test_prepare_serves_a_read_only_database_without_migrating(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A database file this uid cannot write (root can write any, so the
    check is made to say no): reported, and neither migrated nor seeded."""
    file = tmp_path / "spendsense.db"
    url = f"sqlite+aiosqlite:///{file}"
    command.upgrade(alembic_config(url), "0005")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SEED_DEMO_DATA", "true")
    get_settings.cache_clear()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: Path(path) != file and real_access(path, mode)
    )
    try:
        assert main(["prepare"]) == 0
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert f"{file} is read-only for uid {os.getuid()}: serving reads only" in err
    assert "skipping the migration and the demo data: the database is read-only" in err
    assert revision(url) == "0005"


@pytest.mark.skipif(os.getuid() != 0, reason="chown needs root")
def test_own_data_gives_the_folder_and_files_to_the_user(tmp_path: Path) -> None:
    data = tmp_path / "data"
    url = f"sqlite+aiosqlite:///{data}/spendsense.db"
    assert prepare(newcomer_env(url)).returncode == 0  # makes the files, owned by root
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "own-data", "--user", "nobody"],
        cwd=ROOT,
        env=newcomer_env(url, LOG_LEVEL="verbose"),  # another setting's mistake: not its own
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    nobody = 65534
    gave = f"gave {data} and its database files to uid {nobody}"
    assert result.stderr == f"spendsense own-data: {gave}\n"
    owned = [p for p in (data, *database_files(data / "spendsense.db")) if p.exists()]
    assert len(owned) >= 2
    assert {p.stat().st_uid for p in owned} == {nobody}


def test_own_data_as_another_user_changes_nothing(tmp_path: Path) -> None:
    env = newcomer_env(f"sqlite:///{tmp_path}/x.db", APP_USER="4242:4242")
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "own-data"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0
    assert "APP_USER=4242:4242: the API runs as that user; no owner changed" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- the data folder's names -------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("sqlite+aiosqlite:////app/data/spendsense.db", "/app/data/spendsense.db"),
        ("sqlite+aiosqlite:///rel/x.db", f"{os.getcwd()}/rel/x.db"),
        ("sqlite+aiosqlite:///:memory:", None),
        ("sqlite+aiosqlite://", None),
        ("postgresql+asyncpg://u:p@db/app", None),
    ],
)
def test_sqlite_file_of_a_url(url: str, file: str | None) -> None:
    found = sqlite_file(url)
    assert (str(found) if found else None) == file


def test_paths_in_the_data_folder_are_named_as_the_host_knows_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inside = DATA_IN_IMAGE / "spendsense.db"
    assert named(inside) == str(inside)
    monkeypatch.setenv("HOST_DATA_DIR", "/srv/spendsense/")
    assert on_host(inside) == "/srv/spendsense/spendsense.db"
    assert named(DATA_IN_IMAGE) == f"{DATA_IN_IMAGE} (/srv/spendsense on the host)"
    assert on_host(Path("/elsewhere/x.db")) == "/elsewhere/x.db"
