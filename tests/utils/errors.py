"""Database failures made by hand, and what the service makes of them."""

from typing import Any

from sqlalchemy.exc import DBAPIError

from app.backends import backend_of_url
from app.services.database_errors import database_error

POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1/spendsense"


class DriverError(Exception):
    """A driver's exception, carrying a SQLSTATE as asyncpg's do."""

    sqlstate: str


def dbapi_error(
    sqlstate: str | None = None,
    message: str = "from the server",
    kind: type[DBAPIError] = DBAPIError,
) -> DBAPIError:
    """SQLAlchemy's wrapper of a driver error with `sqlstate` (none: SQLite's)."""
    orig = DriverError(message)
    if sqlstate is not None:
        orig.sqlstate = sqlstate
    return kind("INSERT ...", {}, orig)


def refusal(exc: Exception, url: str = POSTGRES_URL) -> tuple[int, Any, dict[str, str]]:
    """(status, detail, headers) the service answers for `exc` raised on the
    database at `url`; status 500 when it is a bug."""
    error = database_error(exc, backend_of_url(url), url)
    if error is None:
        return 500, "internal server error", {}
    return error.status_code, error.detail, dict(error.headers)
