"""Imports of one user sent at the same time, on both databases: each
answers 200 or 201 (never 409, never 5xx), nothing is doubled, nothing
deadlocks. Each request has its own connection of the app's pool, in one
event loop, as one uvicorn worker serves them (tests/live/ holds the same
across two worker processes)."""

import asyncio
import json
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import pytest

from app.db import release_database
from app.main import app
from app.models import Account, ImportRecord, Transaction
from app.services import retry
from app.services.imports import store
from tests.utils.database import count_rows
from tests.utils.factories import API
from tests.utils.imports import statement

N = 6


@pytest.fixture(autouse=True)
def no_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """One attempt only: what is checked is that imports do not deadlock at
    all, not that a retry hides it."""

    def once(session: Any, work: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
        return retry.retrying(session, work, attempts=1)

    monkeypatch.setattr(store, "retrying", once)


Request = tuple[str, str, bytes, str]  # (method, path, body, content type)


def send_concurrently(requests: list[Request]) -> list[httpx.Response]:
    """User u1 (new), then every request at once."""

    async def main() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                user = {"id": "u1", "name": "Ada", "email": "ada@example.com"}
                assert (await http.post(f"{API}/users", json=user)).status_code == 201
                sends = [
                    http.request(
                        method, f"{API}{path}", content=body, headers={"content-type": kind}
                    )
                    for method, path, body, kind in requests
                ]
                return list(await asyncio.gather(*sends))
        finally:
            await release_database(app)  # its connections belong to this loop

    return asyncio.run(main())


def ofx(name: str) -> Request:
    return ("POST", "/users/u1/imports", statement(f"ofx/{name}"), "application/x-ofx")


def check(responses: list[httpx.Response]) -> list[dict[str, Any]]:
    for response in responses:
        assert response.status_code in (200, 201), response.text
    return [response.json() for response in responses]


def test_the_same_file_n_times_at_once_is_written_once() -> None:
    results = check(send_concurrently([ofx("maple_checking_march.ofx")] * N))
    assert sorted(r["created"] for r in results) == [0] * (N - 1) + [4]
    assert sorted(r["skipped"] for r in results) == [0] + [4] * (N - 1)
    assert [r["accounts"][0]["created"] for r in results].count(True) == 1
    assert count_rows(Transaction) == 4 and count_rows(Account) == 1
    assert count_rows(ImportRecord) == N


def test_overlapping_files_at_once_add_each_row_once() -> None:
    files = ["maple_checking_march.ofx", "maple_checking_april.ofx"] * (N // 2)
    results = check(send_concurrently([ofx(name) for name in files]))
    assert sum(r["created"] for r in results) == 7  # 4 + 5, two of them in both files
    assert count_rows(Transaction) == 7 and count_rows(Account) == 1


def test_plaid_pages_at_once() -> None:
    page = ("POST", "/users/u1/plaid/transactions-sync", statement("plaid/sync_page_1.json"))
    results = check(send_concurrently([(*page, "application/json")] * N))
    assert sum(r["created"] for r in results) == 3
    assert count_rows(Transaction) == 3
    body = json.loads(statement("plaid/sync_page_1.json"))
    assert len({r["import_id"] for r in results}) == N
    assert body["next_cursor"]
