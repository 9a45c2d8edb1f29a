"""`spendsense own-data`: as root, create the SQLite database's folder when
missing and give it and the database's files to the service user, whoever
owns them on the host.

Run by the container's entry point: alone in compose's one-shot data-owner
service (so the API container itself never runs as root), or before the
entry point drops to the service user under `docker run`. Docker creates a
missing bind-mount source as root, and a clone made as root or files left by
`make run` belong to another uid. Only the folder and the database's own
files change hands, never a whole tree."""

import argparse
import os
import pwd
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from app.cli.data_folder import database_files, named, say, sqlite_file
from app.config import DEFAULT_DATABASE_URL, get_settings, normalize_database_url

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands

SERVICE_USER = "spendsense"


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser(
        "own-data",
        help="(container, as root) give the SQLite data folder to the service user",
    )
    parser.add_argument(
        "--user", default=SERVICE_USER, help=f"the service user (default {SERVICE_USER})"
    )
    parser.set_defaults(handler=run)


def _database_url() -> str | None:
    """DATABASE_URL, even when another setting is bad: that one is for the
    API container to report, in its own log."""
    try:
        return get_settings().database_url
    except ValidationError:
        try:
            return normalize_database_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
        except ValueError:
            return None


def run(args: argparse.Namespace) -> int:
    if os.environ.get("APP_USER"):
        say(
            "own-data",
            f"APP_USER={os.environ['APP_USER']}: the API runs as that user; no owner changed",
        )
        return 0
    url = _database_url()
    file = sqlite_file(url) if url else None
    if file is None:
        say("own-data", "DATABASE_URL names no SQLite file: no data folder to own")
        return 0
    if os.getuid() != 0:
        say("own-data", f'needs root (user: "0:0"), it runs as uid {os.getuid()}; no owner changed')
        return 1
    account = pwd.getpwnam(args.user)
    _give(file, account.pw_uid, account.pw_gid)
    say("own-data", f"gave {named(file.parent)} and its database files to uid {account.pw_uid}")
    return 0


def _give(file: Path, uid: int, gid: int) -> None:
    """The folder (made when missing) and the database's files to uid:gid;
    a failure is said, not fatal: `spendsense prepare` then reports what the
    service user cannot write."""
    file.parent.mkdir(parents=True, exist_ok=True)
    for path in (file.parent, *database_files(file)):
        try:
            owner = path.stat()
            if (owner.st_uid, owner.st_gid) != (uid, gid):
                os.chown(path, uid, gid)
        except FileNotFoundError:
            continue
        except OSError as error:
            say("own-data", f"could not give {named(path)} to uid {uid}: {error.strerror}")
