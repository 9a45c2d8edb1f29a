"""A database that cannot take writes: /health answers 503 saying why, and a
refused write is a 503 naming the lasting cause, not "try again later"."""

import asyncio
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app.backends import backend_of_url
from app.config import get_settings
from app.db import init_db
from app.main import app
from tests.utils.database import ON_POSTGRES, TEST_DATABASE_URL, execute
from tests.utils.errors import POSTGRES_URL, dbapi_error, refusal

SQLITE_URL = "sqlite+aiosqlite:///spendsense.db"

USER = {"name": "Ana", "email": "ana@example.com"}


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """serve(url): a client for the app on the database at `url`."""
    clients: list[TestClient] = []

    def start(url: str) -> TestClient:
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield start
    for client in clients:
        client.__exit__(None, None, None)  # disposes the engine
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def read_only_url(scratch_database_url: str) -> str:
    """A migrated database that refuses writes: on SQLite, opened read-only
    (what SQLite does with a file it cannot write); on PostgreSQL, a database
    whose transactions are read-only (as on a hot standby)."""
    init_db(scratch_database_url)
    url = make_url(scratch_database_url)
    if ON_POSTGRES:
        admin = url.set(database="postgres").render_as_string(False)
        statement = f"ALTER DATABASE {url.database} SET default_transaction_read_only = on"
        asyncio.run(execute(admin, statement, autocommit=True))
        return scratch_database_url
    return f"sqlite+aiosqlite:///file:{url.database}?mode=ro&uri=true"


def test_health_is_503_on_a_read_only_database(serve: Any, read_only_url: str) -> None:
    client = serve(read_only_url)
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "read_only"
    assert body["database"] == "read_only"
    assert body["schema_revision"] is not None  # migrated: the write check said no
    assert "read-only" in body["detail"]


def test_a_write_to_a_read_only_database_is_503_naming_the_cause(
    serve: Any, read_only_url: str
) -> None:
    client = serve(read_only_url)
    assert client.get("/api/v1/users").status_code == 200  # reads still work
    response = client.post("/api/v1/users", json=USER)
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert "read-only" in detail
    assert "try again later" not in detail


def test_a_refused_write_names_the_file_that_is_not_writable(
    serve: Any, read_only_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the container sees when its database file is mode 0444: the
    detail of the 503 says which file and which uid (os.access simulated, as
    tests may run as root)."""
    client = serve(read_only_url)
    database = make_url(read_only_url).database or ""
    path = database.removeprefix("file:").split("?")[0]
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m, **k: p != path and real_access(p, m, **k))
    response = client.post("/api/v1/users", json=USER)
    assert response.status_code == 503
    if ON_POSTGRES:  # no file: the server's own reason
        assert response.json()["detail"].startswith("the database is read-only: the PostgreSQL")
        return
    assert response.json()["detail"] == (
        f"the database is read-only: {path} is not writable by uid {os.getuid()}"
    )


def test_health_says_what_to_do_when_not_migrated(serve: Any, scratch_database_url: str) -> None:
    body = serve(scratch_database_url).get("/health").json()
    assert body["status"] == "not_migrated"
    assert body["schema_revision"] is None
    assert body["detail"].endswith("run `spendsense migrate`")


def test_health_says_which_file_is_not_writable(
    serve: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file made read-only after the service opened it: the open connection
    could still write, but the next one cannot, so /health says so now. (As
    root, os.access allows everything: the check is simulated here; the
    Docker smoke test makes the file read-only for real.)"""
    client = serve(TEST_DATABASE_URL)
    database = make_url(TEST_DATABASE_URL).database or ""
    real_access = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        return path != database and real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    response = client.get("/health")
    if ON_POSTGRES:  # no local file: nothing to check
        assert response.status_code == 200
        return
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "read_only"
    assert body["detail"] == (
        f"the database is read-only: {database} is not writable by uid {os.getuid()}"
    )


def test_health_is_503_when_the_disk_is_full(serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client = serve(TEST_DATABASE_URL)
    real_usage = shutil.disk_usage

    def nearly_full(path: Any) -> Any:
        total, used, _free = real_usage(path)
        return type(real_usage(path))(total, used, 1024 * 1024)

    monkeypatch.setattr(shutil, "disk_usage", nearly_full)
    response = client.get("/health")
    if ON_POSTGRES:  # the server's disk is not ours to measure
        assert response.status_code == 200
        return
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "disk_full"
    assert body["detail"].startswith("the disk that holds the database is full: 1024 KiB free")


def test_health_stays_200_while_another_connection_writes(serve: Any) -> None:
    """The write check does not wait for the lock: a writer at work is proof
    enough that writes work."""
    client = serve(TEST_DATABASE_URL)
    if ON_POSTGRES:
        assert client.get("/health").status_code == 200
        return
    writer = sqlite3.connect(make_url(TEST_DATABASE_URL).database or "", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        response = client.get("/health")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert response.status_code == 200, response.json()


def _sqlite_error(tmp_path: Path, what: str) -> sqlite3.Error:
    """A genuine sqlite3 error of the kind named."""
    path = tmp_path / "db.sqlite"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE t (x TEXT)")
    setup.commit()
    setup.close()
    try:
        if what == "read_only":
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            conn.execute("INSERT INTO t VALUES ('x')")
        elif what == "disk_full":
            conn = sqlite3.connect(path)
            conn.execute(f"PRAGMA max_page_count={conn.execute('PRAGMA page_count').fetchone()[0]}")
            conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
        elif what == "cannot_open":
            sqlite3.connect(tmp_path / "missing" / "db.sqlite").execute("SELECT 1")
        elif what == "locked":
            holder = sqlite3.connect(path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            sqlite3.connect(path, timeout=0).execute("INSERT INTO t VALUES ('x')")
    except sqlite3.Error as error:
        return error
    raise AssertionError(f"no {what} error")


def _handle(orig: BaseException) -> tuple[int, str]:
    status, detail, _ = refusal(OperationalError("INSERT ...", {}, orig), SQLITE_URL)
    return status, detail


@pytest.mark.parametrize(
    ("what", "words"),
    [
        ("read_only", "the database is read-only"),
        ("disk_full", "the disk that holds the database is full"),
        ("cannot_open", "the database file cannot be opened"),
    ],
)
def test_lasting_sqlite_errors_are_503_naming_the_cause(
    tmp_path: Path, what: str, words: str
) -> None:
    status, detail = _handle(_sqlite_error(tmp_path, what))
    assert status == 503
    assert detail.startswith(words)
    assert "try again later" not in detail


def test_a_locked_sqlite_database_is_503_try_again_later(tmp_path: Path) -> None:
    """A lock is passing: that one is worth retrying."""
    assert _handle(_sqlite_error(tmp_path, "locked")) == (
        503,
        "database unavailable, try again later",
    )


@pytest.mark.parametrize(
    ("sqlstate", "words"),
    [
        ("25006", "the database is read-only"),  # read_only_sql_transaction
        ("53100", "the disk of the PostgreSQL server is full"),  # disk_full
    ],
)
def test_lasting_postgres_errors_are_503_naming_the_cause(sqlstate: str, words: str) -> None:
    status, detail, headers = refusal(dbapi_error(sqlstate))
    assert (status, headers) == (503, {"Retry-After": "60"})
    assert detail.startswith(words)
    assert "try again later" not in detail


def test_lasting_cause_ignores_other_errors() -> None:
    sqlite = backend_of_url(SQLITE_URL)
    assert sqlite.lasting_cause(ValueError("not a database error"), SQLITE_URL) is None
    assert sqlite.lasting_cause(sqlite3.OperationalError("no code"), SQLITE_URL) is None
    postgres = backend_of_url(POSTGRES_URL)
    assert postgres.lasting_cause(ValueError("not a database error"), POSTGRES_URL) is None
