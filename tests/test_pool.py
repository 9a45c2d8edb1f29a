"""The connection pool: sized from settings; under a burst of concurrent
requests, no connection is opened beyond the pool once it is warm; on
PostgreSQL, connections the server closed are replaced without an error."""

import asyncio
from collections.abc import Awaitable, Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from app import db
from app.config import get_settings
from app.main import app
from tests.utils.database import ON_POSTGRES, TEST_DATABASE_URL
from tests.utils.factories import API, bulk, item, make_account

BURST = 48
# The session routes, the PostgreSQL (or SQLite) fast path and /health, mixed.
URLS = [
    f"{API}/accounts/acc1/transactions?limit=5",
    f"{API}/accounts/acc1/transactions?limit=5&pending=false",
    f"{API}/transactions?account_id=acc1&limit=5",
    f"{API}/users/u1",
    "/health",
]


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int, int], None]]:
    """Set DB_POOL_SIZE and DB_MAX_OVERFLOW for the app's next engine."""

    def configure(size: int, overflow: int) -> None:
        monkeypatch.setenv("DB_POOL_SIZE", str(size))
        monkeypatch.setenv("DB_MAX_OVERFLOW", str(overflow))
        get_settings.cache_clear()

    yield configure
    get_settings.cache_clear()


@pytest.fixture
def account_with_rows() -> None:
    with TestClient(app) as client:  # the engine is disposed when it closes
        make_account(client)
        bulk(client, [item(f"t{i:03d}", minutes=i, pending=i % 3 == 0) for i in range(60)])


async def burst(client: httpx.AsyncClient, rounds: int) -> None:
    """`rounds` times, BURST requests at once; every one must answer 200."""
    for _ in range(rounds):
        responses = await asyncio.gather(*(client.get(URLS[i % len(URLS)]) for i in range(BURST)))
        assert [r.status_code for r in responses] == [200] * BURST, [
            r.text for r in responses if r.status_code != 200
        ]


def run_app(work: Callable[[httpx.AsyncClient, list[int]], Awaitable[None]]) -> int:
    """Run `work` against the app in a new event loop, with a new engine;
    returns how many connections that engine opened."""
    opened: list[int] = []

    async def main() -> None:
        engine = db.app_database(app).engine
        event.listen(engine.sync_engine, "connect", lambda *_: opened.append(1))
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                await work(client, opened)
        finally:
            await db.release_database(app)

    asyncio.run(main())
    return len(opened)


async def server_backends(since: str | None = None) -> tuple[list[int], str]:
    """PostgreSQL: the pids of client backends of the test database started
    after `since` (server time), and the server's time now."""
    import asyncpg

    dsn = make_url(TEST_DATABASE_URL).set(drivername="postgresql")
    conn = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            " AND backend_start > coalesce($1::text::timestamptz, '-infinity')",
            since,
        )
        now = await conn.fetchval("SELECT clock_timestamp()::text")
        return [row["pid"] for row in rows], str(now)
    finally:
        await conn.close()


def test_pool_is_sized_from_settings(pool: Callable[[int, int], None]) -> None:
    pool(7, 2)
    engine = db.make_engine(TEST_DATABASE_URL)
    try:
        queue = engine.pool
        assert isinstance(queue, QueuePool)
        assert queue.size() == 7
        assert queue.timeout() == get_settings().db_pool_timeout
        # overflow() counts from -size: 7 + 2 connections at most.
        assert queue.overflow() == -7
        assert db.pool_options(get_settings())["max_overflow"] == 2
        assert db.pool_options(get_settings())["pool_pre_ping"] is False
    finally:
        asyncio.run(engine.dispose())


@pytest.mark.slow
def test_a_burst_opens_no_connection_beyond_the_warm_pool(
    pool: Callable[[int, int], None], account_with_rows: None
) -> None:
    """48 requests at once, again and again, through 3 connections: the pool
    opens its 3 and no more; the others wait for one (nothing is refused)."""
    pool(3, 0)
    seen_by_server: list[list[int]] = []

    async def work(client: httpx.AsyncClient, opened: list[int]) -> None:
        since = (await server_backends())[1] if ON_POSTGRES else None
        await burst(client, rounds=1)
        assert len(opened) == 3  # warm
        await burst(client, rounds=4)
        if ON_POSTGRES:
            seen_by_server.append((await server_backends(since))[0])

    assert run_app(work) == 3
    if ON_POSTGRES:  # the server saw the same 3 sessions, and no other
        assert len(seen_by_server[0]) == 3


@pytest.mark.slow
def test_overflow_connections_are_opened_and_closed_again(
    pool: Callable[[int, int], None], account_with_rows: None
) -> None:
    """Why the default has no overflow: connections above the pool size are
    closed as soon as they are returned, so every burst opens them anew (the
    test above would see this churn)."""
    pool(2, 4)

    async def work(client: httpx.AsyncClient, opened: list[int]) -> None:
        await burst(client, rounds=4)

    assert run_app(work) > 2 + 4


def test_connections_the_server_closed_are_replaced_without_an_error(
    pool: Callable[[int, int], None], account_with_rows: None
) -> None:
    """PostgreSQL restarts or ends sessions (pg_terminate_backend, an idle
    timeout): without pre-ping, a checkout still never hands out a connection
    asyncpg knows is closed, so no request fails (before, every pooled
    connection failed one request: 503)."""
    pool(3, 0)
    if not ON_POSTGRES:
        # SQLite connections are files, not sessions a server may end: no
        # check is installed on checkout.
        engine = db.make_engine(TEST_DATABASE_URL)
        assert not list(engine.pool.dispatch.checkout)
        asyncio.run(engine.dispose())
        return

    async def work(client: httpx.AsyncClient, opened: list[int]) -> None:
        import asyncpg

        since = (await server_backends())[1]
        await burst(client, rounds=1)
        pids, _ = await server_backends(since)
        assert len(pids) == 3
        dsn = make_url(TEST_DATABASE_URL).set(drivername="postgresql")
        admin = await asyncpg.connect(dsn.render_as_string(hide_password=False))
        try:
            await admin.execute("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) pid", pids)
        finally:
            await admin.close()
        await asyncio.sleep(0.5)  # the server's goodbye reaches the idle connections
        await burst(client, rounds=2)
        assert len(opened) == 6  # each closed connection replaced once

    run_app(work)


def test_a_request_that_finds_no_free_connection_in_time_is_503(
    pool: Callable[[int, int], None], account_with_rows: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every connection held past DB_POOL_TIMEOUT, a request answers 503
    (overloaded, try again), not 500."""
    pool(1, 0)
    monkeypatch.setenv("DB_POOL_TIMEOUT", "0.2")
    statuses: list[int] = []

    async def work(client: httpx.AsyncClient, opened: list[int]) -> None:
        async with db.app_database(app).engine.connect() as held:  # the only connection
            await held.exec_driver_sql("SELECT 1")
            for url in (f"{API}/users/u1", f"{API}/accounts/acc1/transactions?limit=5"):
                response = await client.get(url)
                statuses.append(response.status_code)
                if response.status_code == 503:
                    assert response.json() == {
                        "detail": "every database connection is busy, try again later"
                    }
        assert (await client.get(f"{API}/users/u1")).status_code == 200  # free again

    run_app(work)
    # SQLite reads an account's pages inline, without the pool.
    assert statuses == [503, 503 if ON_POSTGRES else 200]
