"""Small helpers for tests that talk to the database directly."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import make_engine
from tests.conftest import TEST_DATABASE_URL

T = TypeVar("T")


def run_in_session(work: Callable[[AsyncSession], Awaitable[T]], url: str = TEST_DATABASE_URL) -> T:
    """Run `work(session)` on a short-lived engine and return its result."""

    async def main() -> T:
        engine = make_engine(url)
        try:
            async with AsyncSession(engine, expire_on_commit=False) as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(main())
