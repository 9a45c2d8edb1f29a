"""The SQLite database DATABASE_URL names, as the container's start sees it:
its file and the files SQLite keeps beside it, the folder that holds them,
and how the host names a path in the data folder compose mounts.

Shared by `spendsense own-data` (as root: who owns them) and `spendsense
prepare` (as the service user: can it write them)."""

import os
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from app.config import ROOT_DIR

# The WAL, its index and a rollback journal live next to the database.
SIDE_FILES = ("-wal", "-shm", "-journal")
# Where compose mounts DATA_DIR; HOST_DATA_DIR tells how the host calls it.
DATA_IN_IMAGE = ROOT_DIR / "data"
HOST_DATA_DIR = "HOST_DATA_DIR"


def sqlite_file(url: str) -> Path | None:
    """The database file of an SQLite URL, absolute (a relative path is
    relative to the working directory); None for PostgreSQL, in-memory and
    `file:` URIs."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.drivername.partition("+")[0] != "sqlite":
        return None
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).absolute()


def database_files(file: Path) -> list[Path]:
    """The database file and the side files SQLite may have made."""
    return [file, *(file.with_name(file.name + suffix) for suffix in SIDE_FILES)]


def on_host(path: Path) -> str:
    """`path` as the host knows it, when it is in the mounted data folder."""
    host = os.environ.get(HOST_DATA_DIR, "")
    if host and (path == DATA_IN_IMAGE or DATA_IN_IMAGE in path.parents):
        return host.rstrip("/") + str(path)[len(str(DATA_IN_IMAGE)) :]
    return str(path)


def named(path: Path) -> str:
    """`path`, and how the host calls it when that differs, for messages."""
    host = on_host(path)
    return str(path) if host == str(path) else f"{path} ({host} on the host)"


def say(command: str, message: str) -> None:
    """A line of the container's start on stderr (`docker compose logs`)."""
    print(f"spendsense {command}: {message}", file=sys.stderr, flush=True)
