"""Alembic environment: async engine from app.db, so SQLite gets its pragmas.

On SQLite every run is one transaction, as on PostgreSQL: a migration that
fails half-way leaves the database exactly as it was (see sqlite_transactional).

Concurrent runs against one database (several replicas starting at once)
take turns: on PostgreSQL the run's transaction first takes an advisory lock
(see do_run_migrations); on SQLite its BEGIN IMMEDIATE takes the database's
write lock. Either way the current revision is read after the lock is held,
so the first run migrates and the others then find the schema at head.
"""

import asyncio
import warnings
from logging.config import fileConfig
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, event, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import TypeEngine

from app.backends import is_sqlite_url as is_sqlite
from app.config import get_settings
from app.db import MIGRATION_LOCK_KEY, make_engine
from app.models import metadata

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = metadata

# SQLite cannot reflect expression indexes; the migration creates this one by hand.
warnings.filterwarnings("ignore", message=".*expression-based index '?ux_users_email_lower")


def database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def compare_type(
    context: MigrationContext,
    inspected_column: Column[Any],
    metadata_column: Column[Any],
    inspected_type: TypeEngine[Any],
    metadata_type: TypeEngine[Any],
) -> bool | None:
    """Alembic's own type comparison, plus the collation, which it ignores: a
    PostgreSQL id column without COLLATE "C" (app.models.types.IdColumn) is
    drift that `alembic check` reports. None leaves the verdict to Alembic."""
    wanted = getattr(metadata_type.dialect_impl(context.dialect), "collation", None)
    found = getattr(inspected_type, "collation", None)
    return True if wanted != found else None


def configure(**kwargs: object) -> None:
    sqlite = is_sqlite(database_url())
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=sqlite,  # SQLite alters tables by copy-and-move
        compare_type=compare_type,
        # Alembic's SQLite impl assumes autocommitted DDL and would run the
        # migrations outside any transaction; sqlite_transactional() makes
        # DDL transactional, so Alembic wraps the run in one (offline: the
        # script gets BEGIN ... COMMIT).
        transactional_ddl=True if sqlite else None,
        **kwargs,
    )


def sqlite_transactional(engine: AsyncEngine) -> None:
    """Make SQLite DDL transactional on the migration engine (SQLAlchemy's
    recipe in its SQLite docs, "Transactions with SQLite and the sqlite3
    driver"). The sqlite3 driver under aiosqlite only emits BEGIN before DML,
    so each CREATE/DROP would commit on its own: a crash between two of them
    left the database half-migrated at the old revision, and re-running the
    upgrade failed. Here the driver's transaction handling is switched off and
    SQLAlchemy emits BEGIN itself; the driver still sends COMMIT/ROLLBACK.

    The "connect" listeners run in registration order and all before the
    first "begin": app.db's pragmas (journal_mode=WAL, which cannot change
    inside a transaction, foreign_keys=ON, busy_timeout) are set first.

    BEGIN IMMEDIATE takes the write lock up front, waiting busy_timeout for
    it. A deferred BEGIN would read alembic_version first and then need to
    upgrade to a write lock, which SQLite refuses at once (no busy wait,
    "database is locked") if anyone else writes meanwhile, e.g. the app.
    Only this engine: the app's engine keeps the driver's default.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _driver_does_not_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def run_migrations_offline() -> None:
    configure(url=database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    configure(connection=connection)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Held until this transaction ends; other runs wait here, then
            # read the revision this one committed.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        context.run_migrations()


async def run_async_migrations() -> None:
    url = database_url()
    engine = make_engine(url, poolclass=pool.NullPool)
    if is_sqlite(url):
        sqlite_transactional(engine)
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_async_migrations())
