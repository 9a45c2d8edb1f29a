"""The schema revision of DATABASE_URL, read without changing anything, and
the one command that changes it (`spendsense migrate`).

Every other command only checks: a database behind head, or without any
schema, stops it with one line (SetupError) naming the database, the
revision found and head, and what to run. A URL pointing at the wrong
database (even `postgres`) must not quietly get tables."""

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import pool, text
from sqlalchemy.engine import make_url

from app.config import get_settings, without_password
from app.db import alembic_config, head_revision, is_sqlite, make_engine
from app.startup_errors import SetupError

MIGRATE = "`spendsense migrate`"


def current_revision(url: str) -> str | None:
    """The Alembic revision of the database at `url`; None when it has no
    schema. Creates nothing: a missing SQLite file stays missing."""
    if is_sqlite(url):
        return _sqlite_revision(url)
    return asyncio.run(_server_revision(url))


def _sqlite_revision(url: str) -> str | None:
    database = make_url(url).database or ""
    if database in ("", ":memory:") or not Path(database).exists():
        return None
    if Path(database).is_dir():
        raise SetupError(f"DATABASE_URL={url}: {database} is a folder, not an SQLite file")
    # mode=rw: open the file that is there, never create one.
    uri = f"{Path(database).absolute().as_uri()}?mode=rw"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            found = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if found is None:
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as error:
        raise SetupError(f"DATABASE_URL={url}: SQLite cannot read {database}: {error}") from None
    return None if row is None else str(row[0])


async def _server_revision(url: str) -> str | None:
    engine = make_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as conn:
            # to_regclass: no "relation does not exist" error in the server's log.
            if (await conn.execute(text("SELECT to_regclass('alembic_version')"))).scalar() is None:
                return None
            return (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    finally:
        await engine.dispose()


def _known(revision: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config())
    return any(known.revision == revision for known in script.walk_revisions())


def _unknown_revision(url: str, found: str) -> SetupError:
    return SetupError(
        f"DATABASE_URL={without_password(url)} is at revision {found}, which this version "
        f"of spendsense does not know (its head is {head_revision()}): a newer version "
        "migrated it; run that version"
    )


def require_migrated() -> None:
    """Stop (SetupError) unless the database of DATABASE_URL is at head."""
    url = get_settings().database_url
    found, head = current_revision(url), head_revision()
    if found == head:
        return
    shown = f"DATABASE_URL={without_password(url)}"
    if found is None:
        raise SetupError(f"{shown} has no schema (revision none, head {head}): run {MIGRATE}")
    if not _known(found):
        raise _unknown_revision(url, found)
    raise SetupError(f"{shown} is at revision {found}, behind head {head}: run {MIGRATE}")


def upgrade_to_head(url: str) -> str | None:
    """Migrate the database at `url` to head (Alembic, which logs through the
    CLI's logging: quiet unless -v); returns the revision it was at."""
    found = current_revision(url)
    if found is not None and not _known(found):
        raise _unknown_revision(url, found)
    config = alembic_config(url)
    # Not alembic.ini's logging: it prints INFO lines on every run.
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    return found
