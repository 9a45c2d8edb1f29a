"""The schema revision of DATABASE_URL, read without changing anything, and
the one command that changes it (`spendsense migrate`).

Every other command only checks: a database behind head, or without any
schema, stops it with one line (SetupError) naming the database, the
revision found and head, and what to run. A URL pointing at the wrong
database (even `postgres`) must not quietly get tables."""

from alembic import command
from alembic.script import ScriptDirectory

from app.backends import backend_of_url
from app.config import get_settings, without_password
from app.db import alembic_config, head_revision
from app.startup_errors import SetupError

MIGRATE = "`spendsense migrate`"


def current_revision(url: str) -> str | None:
    """The Alembic revision of the database at `url`; None when it has no
    schema. Creates nothing: a missing SQLite file stays missing."""
    return backend_of_url(url).stored_revision(url)


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
