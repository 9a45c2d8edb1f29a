"""Engine, sessions and schema migration.

The app builds one `Database` at start (its lifespan, app.main) and keeps it
in `app.state`: the engine and its pool, the Backend of the database (what
differs between SQLite and PostgreSQL, app.backends) and the fast path of
account pages. Requests reach it through `get_session`; code outside a
request (the CLI, the insights batch) builds its own engine with
`make_engine` and opens sessions with `open_session`.

Every SQLite connection the engine opens (the app's, the CLI's and
Alembic's, which builds its engine here too) gets WAL, foreign keys, a busy
timeout and synchronous=NORMAL (app.backends.sqlite.apply_pragmas).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from app.backends import Backend, backend_of_url
from app.backends.base import PageReader
from app.config import ROOT_DIR, Settings, get_settings

MIGRATIONS_DIR = ROOT_DIR / "migrations"
# The PostgreSQL advisory lock every Alembic run holds (migrations/env.py),
# so that replicas starting at once migrate one after the other. Any fixed
# bigint; advisory locks are per database, so other databases never wait.
MIGRATION_LOCK_KEY = 7_271_033_318_594_121_057


def _is_memory_database(url: str) -> bool:
    """An in-memory database: one shared connection, no pool to size."""
    database = make_url(url).database
    return not database or database == ":memory:" or "mode=memory" in url


def _ensure_folder(url: str) -> None:
    """The folder of a database file (SQLite creates the file, not its folder)."""
    parsed = make_url(url)
    database = parsed.database or ""
    # A file: URI is left alone (it names its own folder, or none).
    sqlite_file = parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
    if sqlite_file and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def pool_options(settings: Settings) -> dict[str, Any]:
    """The pool's size and lifetimes from settings (DB_POOL_SIZE, ...).

    No pre-ping: it costs a round trip on every checkout. Disconnects are
    handled optimistically instead, as SQLAlchemy's pooling guide describes:
    a checkout first drops a connection the driver already knows is closed
    (a free local check, Backend.configure_engine), a statement that fails
    on a lost connection invalidates the whole pool, so the next checkouts
    reconnect, and pool_recycle replaces connections a server or firewall
    may have dropped silently while idle."""
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout,
        "pool_recycle": settings.db_pool_recycle or -1,
        "pool_pre_ping": False,
    }


def make_engine(url: str | None = None, **kwargs: Any) -> AsyncEngine:
    """Build an async engine for `url` (default: settings.database_url).
    With a `poolclass` in kwargs (Alembic's NullPool), no pool options."""
    settings = get_settings()
    url = url or settings.database_url
    backend = backend_of_url(url)
    if "poolclass" not in kwargs and not (backend.name == "sqlite" and _is_memory_database(url)):
        kwargs = {**pool_options(settings), **kwargs}
    _ensure_folder(url)
    engine = create_async_engine(url, **kwargs)
    backend.configure_engine(engine, settings.sqlite_busy_timeout_ms)
    return engine


@asynccontextmanager
async def open_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session outside a request (the CLI, batch jobs, a route that opens
    one only when it needs it). Objects stay readable after a commit."""
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session


class Database:
    """What the app keeps of its database for its whole life."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or get_settings().database_url
        self.backend: Backend = backend_of_url(self.url)

    @cached_property
    def engine(self) -> AsyncEngine:
        return make_engine(self.url)

    @cached_property
    def page_reader(self) -> PageReader | None:
        """The fast path of account pages (app.backends), made on first use."""
        return self.backend.page_reader(self.engine, self.url)

    async def close(self) -> None:
        """Close the page reader and the pooled connections (at shutdown)."""
        reader = self.__dict__.pop("page_reader", None)
        if reader is not None:
            reader.close()
        engine = self.__dict__.pop("engine", None)
        if engine is not None:
            await engine.dispose()


def app_database(app: Starlette) -> Database:
    """The app's Database: made by its lifespan, or here on first use when
    the app runs without one (an ASGI transport in tests)."""
    database: Database | None = getattr(app.state, "database", None)
    if database is None:
        database = app.state.database = Database()
    return database


def database_of(connection: HTTPConnection) -> Database:
    """The Database of the app serving a request."""
    return app_database(connection.app)


async def release_database(app: Starlette) -> None:
    """Close the app's Database, if it has one (at shutdown)."""
    database: Database | None = getattr(app.state, "database", None)
    app.state.database = None
    if database is not None:
        await database.close()


async def get_session(connection: HTTPConnection) -> AsyncIterator[AsyncSession]:
    """FastAPI dependency: one session per request; the services commit."""
    async with open_session(database_of(connection).engine) as session:
        yield session


# The seed story's name for the session dependency.
get_db = get_session


def alembic_config(url: str | None = None) -> Config:
    """Alembic configuration pointing at migrations/ and the given database."""
    cfg = Config(str(ROOT_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation: a literal % in a password must be doubled.
    cfg.set_main_option("sqlalchemy.url", (url or get_settings().database_url).replace("%", "%%"))
    return cfg


@lru_cache
def head_revision() -> str | None:
    """The newest revision in migrations/ (what the schema should be at)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def init_db(url: str | None = None) -> None:
    """Migrate the database to head. Several processes may run it at once
    against one database: they take turns (migrations/env.py). Synchronous:
    Alembic runs its own event loop, so call it via asyncio.to_thread() from
    async code."""
    command.upgrade(alembic_config(url), "head")
