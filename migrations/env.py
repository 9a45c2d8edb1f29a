"""Alembic environment: async engine from app.db, so SQLite gets its pragmas."""

import asyncio
import warnings
from logging.config import fileConfig

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection

from app.config import get_settings
from app.db import is_sqlite, make_engine
from app.models import metadata

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = metadata

# SQLite cannot reflect expression indexes; the migration creates this one by hand.
warnings.filterwarnings("ignore", message=".*expression-based index '?ux_users_email_lower")


def database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def configure(**kwargs: object) -> None:
    url = database_url()
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=is_sqlite(url),  # SQLite alters tables by copy-and-move
        compare_type=True,
        **kwargs,
    )


def run_migrations_offline() -> None:
    configure(url=database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = make_engine(database_url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_async_migrations())
