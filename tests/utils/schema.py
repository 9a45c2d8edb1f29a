"""What a database holds, seen from outside the app: its tables and its
Alembic revision, read without creating anything (a missing SQLite file
stays missing)."""

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from app.db import make_engine


def table_names(url: str) -> set[str]:
    """The tables of the database at `url`; none for a missing SQLite file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not path.is_file():
            return set()
        with closing(sqlite3.connect(path)) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return {str(name) for (name,) in rows}

    async def main() -> set[str]:
        engine = make_engine(url)
        try:
            async with engine.connect() as conn:
                return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        finally:
            await engine.dispose()

    return asyncio.run(main())


def revision(url: str) -> str | None:
    """The database's Alembic revision (None without alembic_version)."""
    if "alembic_version" not in table_names(url):
        return None

    async def main() -> str | None:
        engine = make_engine(url)
        try:
            async with engine.connect() as conn:
                return (
                    await conn.execute(text("SELECT version_num FROM alembic_version"))
                ).scalar()
        finally:
            await engine.dispose()

    return asyncio.run(main())
