"""`spendsense prepare [-- COMMAND...]`: what the container does before it
serves, then COMMAND (uvicorn) in its place.

1. The settings: a bad one stops it with one line (main's handler), so the
   container exits non-zero before anything starts; WEB_CONCURRENCY's bounds
   and SEED_DEMO_DATA are the settings' (app/config.py).
2. An SQLite folder this uid cannot write stops it, saying why and how to
   fix it for the way the container was started; a database file it cannot
   write is reported, not fatal: the service serves reads, and /health
   answers 503 saying why until it is fixed.
3. The migration (`spendsense migrate`), then the demo data when
   SEED_DEMO_DATA is on and the database has no users. Both skipped for a
   read-only database: migrating takes the write lock even at head.
4. COMMAND replaces this process (exec): it runs as PID 1 and gets
   SIGTERM from `docker stop`; uvicorn gets UVICORN_LOG_LEVEL from LOG_LEVEL
   unless set, and WEB_CONCURRENCY (its worker processes) as checked.
"""

import argparse
import os
import pwd
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli import seed
from app.cli.data_folder import database_files, named, on_host, say
from app.cli.data_folder import sqlite_file as sqlite_file_of
from app.cli.own_data import SERVICE_USER
from app.cli.schema import upgrade_to_head
from app.config import Settings, get_settings
from app.db import head_revision

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands

# Set by the entry point when it dropped from root to the service user.
FROM_ROOT = "SPENDSENSE_ENTRYPOINT_FROM_ROOT"
COMMAND_NOT_FOUND = 127


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser(
        "prepare",
        help="(container) check the settings and data folder, migrate, load the demo data "
        "if SEED_DEMO_DATA, then run COMMAND in this process's place",
    )
    parser.add_argument(
        "command", nargs=argparse.REMAINDER, help="what to run then, e.g. -- uvicorn app.main:app"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from_root = bool(os.environ.pop(FROM_ROOT, ""))
    settings = get_settings()
    file = sqlite_file_of(settings.database_url)
    read_only = None
    if file is not None:
        if not _folder_writable(file.parent):
            _explain_unwritable(file.parent, from_root)
            return 1
        read_only = next(
            (p for p in database_files(file)[:3] if p.exists() and not os.access(p, os.W_OK)),
            None,
        )
        if read_only is not None:
            why = "serving reads only; /health answers 503 and writes are refused until it is"
            say(
                "prepare", f"{named(read_only)} is read-only for uid {os.getuid()}: {why} writable."
            )
        if settings.web_concurrency > 1:
            share = "reads run side by side, writes still one at a time"
            say("prepare", f"{settings.web_concurrency} workers share one SQLite file: {share}")
    if read_only is not None:
        say("prepare", "skipping the migration and the demo data: the database is read-only")
    else:
        _migrate(settings)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    return _exec(command, settings) if command else 0


def _folder_writable(folder: Path) -> bool:
    """Can this uid create and change files in `folder` (made when missing)?"""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def _explain_unwritable(folder: Path, from_root: bool) -> None:
    uid, gid = os.getuid(), os.getgid()
    why = "SQLite cannot create or change the database there."
    say("prepare", f"{named(folder)} is not writable by uid {uid} (gid {gid}): {why}")
    if from_root:
        hints = [
            f"The entry point gave it to uid {uid} where it could; it stays read-only "
            "(read-only mount, or its mode)."
        ]
    elif uid == _service_uid():
        hints = [
            f"Compose's data-owner service gives it to uid {uid} before the API starts "
            "(docker compose logs data-owner);",
            "it stays read-only (read-only mount, or its mode), or that step did not run "
            "(docker run --user).",
        ]
    else:
        hints = [
            f"The container runs as uid {uid} (APP_USER, or user:), so nothing changes owners.",
            f"Make it writable for that uid on the host: sudo chown {uid}:{gid} {on_host(folder)}",
            "or leave APP_USER unset and compose's data-owner service hands it to uid 1000.",
        ]
    for hint in hints:
        say("prepare", "  " + hint)


def _service_uid() -> int | None:
    try:
        return pwd.getpwnam(SERVICE_USER).pw_uid
    except KeyError:  # outside the image
        return None


def _migrate(settings: Settings) -> None:
    say("prepare", f"migrating the database schema to head (uid {os.getuid()})")
    was = upgrade_to_head(settings.database_url)
    if was != head_revision():
        say("prepare", f"schema migrated from {was or 'none'} to {head_revision()}")
    if settings.seed_demo_data:
        say("prepare", "SEED_DEMO_DATA is on: loading demo data if the database has no users")
        seed.demo_data()


def _exec(command: list[str], settings: Settings) -> int:
    env = dict(os.environ)
    env.setdefault("UVICORN_LOG_LEVEL", settings.log_level)
    env["WEB_CONCURRENCY"] = str(settings.web_concurrency)
    say("prepare", f"serving with {settings.web_concurrency} worker process(es): {command[0]}")
    try:
        os.execvpe(command[0], command, env)
    except OSError as error:
        say("prepare", f"cannot run {command[0]}: {error.strerror}")
    return COMMAND_NOT_FOUND
