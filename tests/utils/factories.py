"""Builders of test data over HTTP, shared by the test modules."""

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

CHECKING = {"type": "depository", "subtype": "checking", "name": "Checking", "mask": "0042"}
CARD = {
    "type": "credit",
    "subtype": "credit_card",
    "name": "Visa",
    "mask": "9876",
    "balance": 125_00,
    "limit": 5000_00,
    "apr": 24.99,
    "min_payment": 35_00,
}


def created(response: Any) -> dict[str, Any]:
    """The body of a 201, failing the test with the body otherwise."""
    assert response.status_code == 201, response.text
    return dict(response.json())


def create_user(client: TestClient, **fields: Any) -> dict[str, Any]:
    """A user; `id`, `consent` or anything else may be given."""
    body = {"name": "Ada Lovelace", "email": "ada@example.com", **fields}
    return created(client.post(f"{API}/users", json=body))


def create_account(client: TestClient, user_id: str = "u1", **fields: Any) -> dict[str, Any]:
    """A checking account (balance $10.00) unless fields say otherwise."""
    body = {**CHECKING, "balance": 1000, **fields}
    return created(client.post(f"{API}/users/{user_id}/accounts", json=body))


def make_account(client: TestClient, account_id: str = "acc1", user_id: str = "u1") -> str:
    """Create the user (if new) and a checking account with balance 0."""
    if client.get(f"{API}/users/{user_id}").status_code == 404:
        create_user(client, id=user_id, name="Ada", email=f"{user_id}@example.com")
    create_account(client, user_id, id=account_id, name="Checking", mask="1234", balance=0)
    return account_id


def at(minutes: float) -> str:
    """T0 + minutes, as the API returns it (ISO 8601 UTC with Z)."""
    return (T0 + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def item(ident: str, account_id: str = "acc1", minutes: float = 0, **fields: Any) -> dict[str, Any]:
    """A bulk item / create body with sensible defaults."""
    return {
        "id": ident,
        "account_id": account_id,
        "date": at(minutes),
        "amount": 1000,
        "merchant_name": "Cafe",
        "category": "FOOD_AND_DRINK",
        **fields,
    }


def bulk(client: TestClient, items: list[dict[str, Any]]) -> dict[str, Any]:
    response = client.post(f"{API}/transactions/bulk", json={"transactions": items})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def ids(response: Any) -> list[str]:
    """The ids of a list page, failing the test unless it is a 200."""
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()["items"]]
