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
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import ROOT_DIR, get_settings

MIGRATIONS_DIR = ROOT_DIR / "migrations"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


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


def make_engine(url: str | None = None, **kwargs: Any) -> AsyncEngine:
    """Build an async engine for `url` (default: settings.database_url)."""
    settings = get_settings()
    url = url or settings.database_url
    if is_sqlite(url):
        _ensure_sqlite_dir(url)
        engine = create_async_engine(url, **kwargs)
        install_sqlite_pragmas(engine, settings.sqlite_busy_timeout_ms)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


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
    """Migrate the database to head. Synchronous: Alembic runs its own event
    loop, so call it via asyncio.to_thread() from async code."""
    command.upgrade(alembic_config(url), "head")
