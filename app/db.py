"""Engine, sessions and schema migration.

One async engine per process, built from settings. Every SQLite connection it
opens (the app's, the CLI's and Alembic's, which builds its engine here too)
gets WAL, foreign keys, a busy timeout and synchronous=NORMAL; so does the
plain sqlite3 reader of account pages (app.services.transaction_pages),
through apply_sqlite_pragmas.
"""

from collections.abc import AsyncIterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import ROOT_DIR, Settings, get_settings

MIGRATIONS_DIR = ROOT_DIR / "migrations"
# The PostgreSQL advisory lock every Alembic run holds (migrations/env.py),
# so that replicas starting at once migrate one after the other. Any fixed
# bigint; advisory locks are per database, so other databases never wait.
MIGRATION_LOCK_KEY = 7_271_033_318_594_121_057


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _is_memory_sqlite(url: str) -> bool:
    """An in-memory SQLite database: one shared connection, no pool to size."""
    database = make_url(url).database
    return is_sqlite(url) and (not database or database == ":memory:" or "mode=memory" in url)


def _ensure_sqlite_dir(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def apply_sqlite_pragmas(dbapi_connection: Any, busy_timeout_ms: int) -> None:
    """The per-connection SQLite pragmas, for any DBAPI connection (the
    engine's aiosqlite/sqlite3 ones and the plain sqlite3 reader alike)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def install_sqlite_pragmas(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    """Set the per-connection SQLite pragmas on every new DBAPI connection."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        apply_sqlite_pragmas(dbapi_connection, busy_timeout_ms)


def pool_options(settings: Settings) -> dict[str, Any]:
    """The pool's size and lifetimes from settings (DB_POOL_SIZE, ...).

    No pre-ping: it costs a round trip on every checkout. Disconnects are
    handled optimistically instead, as SQLAlchemy's pooling guide describes:
    a checkout first drops a connection the driver already knows is closed
    (a free local check, see install_closed_connection_check), a statement
    that fails on a lost connection invalidates the whole pool, so the next
    checkouts reconnect, and pool_recycle replaces connections a server or
    firewall may have dropped silently while idle."""
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout,
        "pool_recycle": settings.db_pool_recycle or -1,
        "pool_pre_ping": False,
    }


def install_closed_connection_check(engine: AsyncEngine) -> None:
    """On checkout, discard a pooled asyncpg connection whose socket the
    server has already closed (restart, pg_terminate_backend, idle timeout):
    asyncpg notices the close while the connection sits idle, so this costs
    no round trip; the pool then opens a new connection in its place."""

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if dbapi_connection.driver_connection.is_closed():
            raise DisconnectionError("connection closed by the server")


def make_engine(url: str | None = None, **kwargs: Any) -> AsyncEngine:
    """Build an async engine for `url` (default: settings.database_url).
    With a `poolclass` in kwargs (Alembic's NullPool), no pool options."""
    settings = get_settings()
    url = url or settings.database_url
    if "poolclass" not in kwargs and not _is_memory_sqlite(url):
        kwargs = {**pool_options(settings), **kwargs}
    if is_sqlite(url):
        _ensure_sqlite_dir(url)
        engine = create_async_engine(url, **kwargs)
        install_sqlite_pragmas(engine, settings.sqlite_busy_timeout_ms)
        return engine
    engine = create_async_engine(url, **kwargs)
    install_closed_connection_check(engine)
    return engine


_engine: AsyncEngine | None = None


def get_engine() -> AsyncEngine:
    """The process-wide engine, created on first use."""
    global _engine
    if _engine is None:
        _engine = make_engine()
    return _engine


async def dispose_engine() -> None:
    """Close pooled connections (at shutdown, or before the event loop ends)."""
    global _engine
    if _engine is not None:
        await _engine.dispose()
        _engine = None


async def get_session() -> AsyncIterator[AsyncSession]:
    """FastAPI dependency: one session per request; the services commit."""
    async with AsyncSession(get_engine(), expire_on_commit=False) as session:
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
