"""Imports of one user at once across two uvicorn worker processes (each
with its own pool, so only the database's locks order them): every answer
200 or 201, nothing doubled, no deadlock; on SQLite and PostgreSQL."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.live.conftest import LiveAPI, serve
from tests.utils.imports import statement

REQUESTS = 8


@pytest.fixture(scope="module")
def two_workers() -> Iterator[LiveAPI]:
    with serve("--workers", "2") as api:
        yield api


def post_all(api: LiveAPI, user_id: str, files: list[str]) -> list[httpx.Response]:
    def post(name: str) -> httpx.Response:
        # A client per request: a connection of its own, to whichever worker accepts it.
        with httpx.Client(base_url=api.base_url, headers=api.auth, timeout=60) as http:
            return http.post(
                f"/api/v1/users/{user_id}/imports",
                files={"file": (name, statement(f"ofx/{name}"))},
            )

    with ThreadPoolExecutor(max_workers=len(files)) as pool:
        return list(pool.map(post, files))


def count(api: LiveAPI, user_id: str) -> int:
    rows, cursor = 0, ""
    with httpx.Client(base_url=api.base_url, headers=api.auth) as http:
        while True:
            page = http.get(
                "/api/v1/transactions", params={"user_id": user_id, "limit": 500, "cursor": cursor}
            ).json()
            rows += len(page["items"])
            if not page["next_cursor"]:
                return rows
            cursor = page["next_cursor"]


@pytest.mark.parametrize(
    ("user_id", "files", "rows"),
    [
        ("same", ["maple_checking_march.ofx"] * REQUESTS, 4),
        ("overlap", ["maple_checking_march.ofx", "maple_checking_april.ofx"] * (REQUESTS // 2), 7),
    ],
)
def test_concurrent_imports_across_two_workers(
    two_workers: LiveAPI, user_id: str, files: list[str], rows: int
) -> None:
    user = {"id": user_id, "name": "Ada", "email": f"{user_id}@example.com"}
    created = httpx.post(
        f"{two_workers.base_url}/api/v1/users", json=user, headers=two_workers.auth
    )
    assert created.status_code == 201
    responses = post_all(two_workers, user_id, files)
    assert [r.status_code for r in responses if r.status_code not in (200, 201)] == []
    assert sum(r.json()["created"] for r in responses) == rows
    assert count(two_workers, user_id) == rows
    accounts = httpx.get(
        f"{two_workers.base_url}/api/v1/users/{user_id}/accounts", headers=two_workers.auth
    ).json()
    assert len(accounts["items"]) == 1
