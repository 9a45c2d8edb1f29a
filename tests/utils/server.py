"""The service as `make run` starts it, from outside: `spendsense migrate`,
then uvicorn in a subprocess on a free loopback port."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def newcomer_env(url: str, **settings: str) -> dict[str, str]:
    """The environment of someone who set DATABASE_URL and nothing else: the
    suite's own settings (no catalog, conftest) and SPENDSENSE_DEBUG gone."""
    dropped = {"SPENDSENSE_LOAD_CATALOG", "SPENDSENSE_DEBUG", "SPENDSENSE_API_KEY"}
    environ = {k: v for k, v in os.environ.items() if k not in dropped}
    return {**environ, "DATABASE_URL": url, **settings}


def spendsense(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The `spendsense` command in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def wait_until_up(process: subprocess.Popen[bytes], url: str, timeout: float = 60) -> None:
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


@contextmanager
def uvicorn(env: dict[str, str]) -> Iterator[str]:
    """`uvicorn app.main:app` on a free port; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-access-log", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, f"{base_url}/health")
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
