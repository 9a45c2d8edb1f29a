"""Mistakes in the configuration, said in one line for a person.

A setting that fails validation, or a DATABASE_URL that names a server, a
database or a file the service cannot use, stops the CLI, the server's
import (`uvicorn app.main:app`) and the container's start with one line per
mistake on stderr, `spendsense: <setting>: <what is wrong>; e.g. <example>`,
and exit code 1 (one_line_errors). A traceback helps nobody who mistyped a
URL; SPENDSENSE_DEBUG=1 shows it anyway. That variable is read from the
environment alone, not through the settings, because it must work when the
settings themselves are broken.
"""

import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.config import DATABASE_URL_EXAMPLES, get_settings, setting_problems, without_password

DEBUG_VARIABLE = "SPENDSENSE_DEBUG"
EXIT_CODE = 1
PREFIX = "spendsense: "
# SQLSTATEs PostgreSQL answers a connection with when the URL is wrong.
_NO_DATABASE = "3D000"
_BAD_LOGIN = frozenset({"28000", "28P01"})


class SetupError(Exception):
    """A problem of the setup the user must fix, already said in one line
    (e.g. a schema behind head); no traceback."""


def debug_enabled() -> bool:
    return os.environ.get(DEBUG_VARIABLE, "").strip().lower() in {"1", "true", "yes", "on"}


def _example(url: str) -> str:
    wanted = 1 if url.startswith("postgresql") else 0
    return f"e.g. DATABASE_URL={DATABASE_URL_EXAMPLES[wanted]}"


def database_problem(error: BaseException, url: str) -> str | None:
    """The line for an error the database named by `url` answered a
    connection with, or None when `error` is not a setup mistake (a bug)."""
    shown = f"DATABASE_URL={without_password(url)}"
    parsed = make_url(url)
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    if isinstance(error, DBAPIError):
        sqlstate = getattr(error.orig, "sqlstate", None)
        if sqlstate == _NO_DATABASE:
            return (
                f"{shown}: database {parsed.database!r} does not exist on {where}; create it "
                f"(createdb -h {parsed.host} -p {parsed.port or 5432} -U {parsed.username} "
                f"{parsed.database}) or name an existing one"
            )
        if sqlstate in _BAD_LOGIN:
            return f"{shown}: the server at {where} refused the login: {error.orig}"
        if "unable to open database file" in str(error.orig):
            return (
                f"{shown}: SQLite cannot open or create {parsed.database} "
                f"(missing or unwritable folder, or not a file) as uid {os.getuid()}; "
                f"{_example(url)}"
            )
        return None
    if isinstance(error, ConnectionRefusedError):
        return (
            f"{shown}: connection refused: no database server listens on {where}; "
            f"start it or correct the host and port, {_example(url)}"
        )
    if isinstance(error, socket.gaierror):
        return f"{shown}: the host {parsed.host!r} is not known; {_example(url)}"
    if isinstance(error, TimeoutError):
        return f"{shown}: no answer from {where} in time; check the host, port and firewall"
    if isinstance(error, OSError) and _is_sqlite_path(error.filename, parsed.database):
        return (
            f"{shown}: cannot use {error.filename}: {error.strerror} (uid {os.getuid()}); "
            f"{_example(url)}"
        )
    return None


def _is_sqlite_path(filename: object, database: str | None) -> bool:
    """Is `filename` (of an OSError) the SQLite file or one of its folders?"""
    if not isinstance(filename, str) or not database:
        return False
    path = Path(database).absolute()
    return Path(filename).absolute() in (path, *path.parents)


def problems(error: BaseException) -> list[str] | None:
    """The lines that explain `error` to a person, or None for a bug."""
    if isinstance(error, SetupError):
        return [str(error)]
    if isinstance(error, ValidationError) and error.title == "Settings":
        return setting_problems(error)
    try:
        url = get_settings().database_url
    except ValidationError:
        return None
    line = database_problem(error, url)
    return None if line is None else [line]


def reported(error: BaseException) -> bool:
    """Print the lines of a setup mistake to stderr; False (nothing printed)
    for anything else, and with SPENDSENSE_DEBUG=1: the caller re-raises."""
    lines = None if debug_enabled() else problems(error)
    for line in lines or ():
        print(PREFIX + line, file=sys.stderr)
    return lines is not None


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Exit with code 1 (SystemExit, no traceback) on a setup mistake raised
    inside, after its lines; anything else propagates."""
    try:
        yield
    except Exception as error:
        if not reported(error):
            raise
        raise SystemExit(EXIT_CODE) from None
