"""Helpers of the import tests: the statement fixtures and the requests
that upload them."""

from pathlib import Path
from typing import Any

import httpx2  # the client under Starlette's TestClient: its responses
from fastapi.testclient import TestClient

from tests.utils.factories import API, create_account, create_user

STATEMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "statements"


def statement(name: str) -> bytes:
    return (STATEMENTS / name).read_bytes()


def upload(client: TestClient, user_id: str, name: str, **params: Any) -> httpx2.Response:
    """POST a fixture as `curl -F file=@name` does; params as query parameters."""
    return client.post(
        f"{API}/users/{user_id}/imports",
        params={k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()},
        files={"file": (Path(name).name, statement(name))},
    )


def upload_raw(
    client: TestClient, user_id: str, data: bytes, media: str, **params: Any
) -> httpx2.Response:
    return client.post(
        f"{API}/users/{user_id}/imports",
        params=params,
        content=data,
        headers={"content-type": media},
    )


def plaid(
    client: TestClient, user_id: str, route: str, body: bytes, **params: Any
) -> httpx2.Response:
    return client.post(
        f"{API}/users/{user_id}/plaid/{route}",
        params=params,
        content=body,
        headers={"content-type": "application/json"},
    )


def user_with_account(client: TestClient, user_id: str = "u1", **account: Any) -> str:
    """A user and one checking account (or what `account` says); its id."""
    create_user(client, id=user_id, email=f"{user_id}@example.com")
    return str(create_account(client, user_id, id=f"{user_id}_acc", **account)["id"])


def transactions(client: TestClient, user_id: str) -> list[dict[str, Any]]:
    """Every transaction of the user, newest first."""
    rows: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = client.get(
            f"{API}/transactions", params={"user_id": user_id, "limit": 500, "cursor": cursor}
        ).json()
        rows += page["items"]
        if page["next_cursor"] is None:
            return rows
        cursor = page["next_cursor"]


def accounts(client: TestClient, user_id: str) -> list[dict[str, Any]]:
    return list(
        client.get(f"{API}/users/{user_id}/accounts", params={"limit": 500}).json()["items"]
    )
