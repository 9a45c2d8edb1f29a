"""Transactions the database aborted to resolve a conflict between concurrent
transactions, run again.

PostgreSQL aborts one of two transactions that wait for each other (deadlock
detected, SQLSTATE 40P01) or that it cannot serialize (40001). Nothing the
client sent is wrong: the same work succeeds when run again. `retrying` runs
it again, a bounded number of times with a short random pause, and raises
Busy (503 with Retry-After) if the conflict persists.
"""

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlmodel.ext.asyncio.session import AsyncSession

from app.services.errors import Busy

T = TypeVar("T")

# serialization_failure, deadlock_detected
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
ATTEMPTS = 5
# Seconds: the pause before attempt n is random in [0, BASE_DELAY * 2**n).
BASE_DELAY = 0.02


def sqlstate(exc: DBAPIError) -> str:
    """The SQLSTATE of a database error, where the driver reports one (asyncpg)."""
    orig = exc.orig
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def is_retryable(exc: BaseException) -> bool:
    """Did the database abort the transaction only to resolve a conflict with
    another one (deadlock, serialization failure)?"""
    return isinstance(exc, DBAPIError) and sqlstate(exc) in RETRYABLE_SQLSTATES


async def retrying(
    session: AsyncSession, work: Callable[[], Awaitable[T]], attempts: int = ATTEMPTS
) -> T:
    """`work()` (which commits), run again after a deadlock or serialization
    failure, at most `attempts` times in all; then Busy. The session is
    rolled back before each new attempt. Other errors pass through."""
    for attempt in range(attempts):
        try:
            return await work()
        except DBAPIError as exc:
            if not is_retryable(exc):
                raise
            await session.rollback()
            if attempt + 1 == attempts:
                raise Busy() from exc
            await asyncio.sleep(random.uniform(0, BASE_DELAY * 2**attempt))
    raise AssertionError("unreachable")  # pragma: no cover
