"""What differs between SQLite and PostgreSQL, in one place.

Everything else in the service speaks SQLAlchemy Core or the ORM; where a
difference between the two databases matters (a driver called directly on a
hot read, a JSON or text function, a bulk insert, how a lasting failure is
reported, the account page's fast path), it asks the Backend of its
connection: `backend_of(session)` or `backend_of(engine)`. This module is the
one place that looks at the dialect's name; `sqlite.py` and `postgres.py` hold
the two implementations of one small interface (`base.Backend`).

Outside this package only engine setup (app.db: pragmas, pools) and the
column types' variants (app.models.types) know which database they run on;
a test (tests/test_backends.py) keeps it that way.
"""

from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.engine.url import make_url

from app.backends.base import Backend, RawPage, RawQuery
from app.backends.postgres import PostgresBackend
from app.backends.sqlite import SQLiteBackend

__all__ = ["Backend", "RawPage", "RawQuery", "backend_of", "backend_of_url", "is_sqlite_url"]

_BY_NAME: dict[str, Backend] = {"sqlite": SQLiteBackend(), "postgresql": PostgresBackend()}


def _named(name: str) -> Backend:
    backend = _BY_NAME.get(name)
    if backend is None:
        raise ValueError(f"unsupported database {name!r}: use SQLite or PostgreSQL")
    return backend


def backend_of(bind: Any) -> Backend:
    """The Backend of a session, connection, engine (sync or async) or dialect."""
    dialect: Dialect = bind if isinstance(bind, Dialect) else _dialect(bind)
    return _named(dialect.name)


def _dialect(bind: Any) -> Dialect:
    if hasattr(bind, "get_bind"):  # a session
        bind = bind.get_bind()
    return bind.dialect  # type: ignore[no-any-return]


def backend_of_url(url: str) -> Backend:
    """The Backend of a database URL (before any engine exists)."""
    return _named(make_url(url).get_backend_name())


def is_sqlite_url(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"
