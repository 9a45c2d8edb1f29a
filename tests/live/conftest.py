"""A live server for the tests that drive the service from outside, as its
clients do: uvicorn in a subprocess, on a free loopback port, over a brand-new
database of the suite's kind (SQLite file or PostgreSQL database), migrated,
with an API key configured."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.db import init_db
from tests.utils.database import (
    ON_POSTGRES,
    create_postgres_database,
    drop_postgres_database,
    scratch_url,
)

LIVE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here starts a server in a subprocess: live, and slow."""
    for item in items:
        if LIVE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.live)
            item.add_marker(pytest.mark.slow)


ROOT = Path(__file__).resolve().parents[2]
KEY = "live-test-key"


@dataclass(frozen=True)
class LiveAPI:
    base_url: str  # http://127.0.0.1:<port>
    key: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(process: subprocess.Popen[bytes], url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within {timeout} s")


@pytest.fixture(scope="module")
def live_api() -> Iterator[LiveAPI]:
    with serve() as api:
        yield api


@contextmanager
def serve(*options: str) -> Iterator[LiveAPI]:
    """The server on a brand-new migrated database; `options` go to uvicorn
    (e.g. "--workers", "2")."""
    url = scratch_url()
    if ON_POSTGRES:
        create_postgres_database(url)
    init_db(url)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SPENDSENSE_API_KEY": KEY,
        "LOG_LEVEL": "warning",
    }
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-access-log", "--log-level", "warning", *options]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_up(process, f"{base_url}/health")
        yield LiveAPI(base_url, KEY)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if ON_POSTGRES:
            drop_postgres_database(url)
