"""Bulk batches sent at the same time (issue 13.2): batches that share ids
must not deadlock on PostgreSQL, and a deadlock or serialization failure that
still happens is retried inside the service, then a 503 with Retry-After."""

import asyncio
import random
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import DBAPIError

from app.db import release_database
from app.main import app
from app.models import Transaction
from app.services import retry
from app.services import transactions as transactions_service
from app.services.ingest import insert_columns_ignoring_duplicates
from tests.utils.database import count_rows
from tests.utils.errors import dbapi_error
from tests.utils.factories import API, item, make_account

URL = f"{API}/transactions/bulk"


def post_concurrently(bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    """Account acc1 (new), then every body POSTed at once, each request on its
    own connection of the app's pool, in one event loop (as one uvicorn
    worker serves them)."""

    async def main() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                user = {"id": "u1", "name": "Ada", "email": "ada@example.com"}
                account: dict[str, object] = {"id": "acc1", "type": "depository"}
                account |= {"subtype": "checking", "name": "Checking", "mask": "1234", "balance": 0}
                await http.delete(f"{API}/users/u1")
                assert (await http.post(f"{API}/users", json=user)).status_code == 201
                response = await http.post(f"{API}/users/u1/accounts", json=account)
                assert response.status_code == 201
                return list(await asyncio.gather(*(http.post(URL, json=b) for b in bodies)))
        finally:
            await release_database(app)  # its connections belong to this loop

    return asyncio.run(main())


@pytest.fixture
def no_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """One attempt only: what these tests check is that batches do not
    deadlock at all, not that a retry hides it."""

    def once(session: Any, work: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
        return retry.retrying(session, work, attempts=1)

    monkeypatch.setattr(transactions_service, "retrying", once)


def batch(ids: list[int]) -> dict[str, Any]:
    return {"transactions": [item(f"t{i:05d}", minutes=i) for i in ids]}


def check(responses: list[httpx.Response], expected_rows: int) -> None:
    for response in responses:
        assert response.status_code == 200, response.text
    assert sum(r.json()["created"] for r in responses) == expected_rows
    assert count_rows(Transaction) == expected_rows


def test_two_batches_of_the_same_ids_in_opposite_orders(no_retries: None) -> None:
    """The issue's first case: 500 (deadlock) in 2 of 5 trials on PostgreSQL."""
    ids = list(range(1000))
    for trial in range(5):
        responses = post_concurrently([batch(ids), batch(ids[::-1])])
        check(responses, 1000)
        assert sorted(r.json()["skipped"] for r in responses) == [0, 1000], trial


def test_eight_overlapping_batches(no_retries: None) -> None:
    """The issue's second case: 3-6 of 8 failed every run on PostgreSQL."""
    rng = random.Random(13)
    batches = [rng.sample(range(2000), 1000) for _ in range(8)]
    responses = post_concurrently([batch(ids) for ids in batches])
    check(responses, len(set().union(*batches)))
    for response, ids in zip(responses, batches, strict=True):
        assert response.json()["created"] + response.json()["skipped"] == len(ids)


def deadlock(sqlstate: str = "40P01") -> DBAPIError:
    return dbapi_error(sqlstate, "deadlock detected")


def fail_first(monkeypatch: pytest.MonkeyPatch, times: int, sqlstate: str) -> list[int]:
    """The insert raises a deadlock (or serialization failure) `times` times,
    then works; returns the list its calls are counted in."""
    calls: list[int] = []
    insert = insert_columns_ignoring_duplicates  # what the service calls, until patched below

    async def flaky(*args: Any) -> int:
        calls.append(1)
        if len(calls) <= times:
            raise deadlock(sqlstate)
        return await insert(*args)

    monkeypatch.setattr(transactions_service, "insert_columns_ignoring_duplicates", flaky)
    return calls


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_a_deadlock_is_retried_inside_the_service(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, sqlstate: str
) -> None:
    make_account(client)
    calls = fail_first(monkeypatch, retry.ATTEMPTS - 1, sqlstate)
    response = client.post(URL, json=batch(list(range(10))))
    assert response.status_code == 200, response.text
    assert response.json() == {"created": 10, "skipped": 0}
    assert len(calls) == retry.ATTEMPTS
    assert count_rows(Transaction) == 10


def test_a_persisting_deadlock_is_503_with_retry_after(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_account(client)
    calls = fail_first(monkeypatch, retry.ATTEMPTS, "40P01")
    response = client.post(URL, json=batch(list(range(10))))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json() == {
        "detail": "the database is busy with conflicting requests, try again shortly"
    }
    assert len(calls) == retry.ATTEMPTS
    assert count_rows(Transaction) == 0
    # The same batch, sent again once the database is free, goes through.
    monkeypatch.undo()
    assert client.post(URL, json=batch(list(range(10)))).json()["created"] == 10


def test_other_database_errors_are_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fail_first(monkeypatch, 1, "42P01")
    with TestClient(app, raise_server_exceptions=False) as raw:
        make_account(raw)
        response = raw.post(URL, json=batch([1]))
    assert response.status_code == 500
    assert len(calls) == 1
