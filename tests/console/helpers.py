"""Helpers of the console tests: the CSRF token of a page, and users."""

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.utils.factories import bulk, create_account, create_user

CONSOLE = "/console"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = _TOKEN.search(html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def page(client: TestClient, path: str) -> str:
    response = client.get(f"{CONSOLE}{path}")
    assert response.status_code == 200, response.text
    return response.text


def post(client: TestClient, path: str, token: str, **fields: Any) -> Any:
    """A console form POST with the token, not following redirects."""
    data = {"csrf_token": token, **fields}
    return client.post(f"{CONSOLE}{path}", data=data, follow_redirects=False)


def user_with_stream(client: TestClient, user_id: str, merchant: str, consent: bool) -> None:
    """A user with a checking account paying `merchant` monthly (a stream)."""
    create_user(client, id=user_id, name=f"User {user_id}", email=f"{user_id}@example.com",
                consent=consent)  # fmt: skip
    create_account(client, user_id, id=f"{user_id}_chk", balance=50_000)
    bulk(
        client,
        [
            {
                "id": f"{user_id}_{month}",
                "account_id": f"{user_id}_chk",
                "date": f"2026-0{month}-10T12:00:00Z",
                "amount": 1_999,
                "category": "ENTERTAINMENT",
                "merchant_name": merchant,
            }  # fmt: skip
            for month in range(1, 7)
        ],
    )
