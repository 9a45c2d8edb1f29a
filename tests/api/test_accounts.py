"""Accounts over HTTP: create under a user, list, get, patch (merged re-validation), delete."""

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Account, Transaction
from app.models.types import MAX_CENTS
from tests.utils.database import count_rows, run_in_session
from tests.utils.factories import API, CARD, CHECKING, create_account, create_user


@pytest.fixture
def user(client: TestClient) -> str:
    return str(create_user(client, id="u1")["id"])


# --- create ---------------------------------------------------------------------


def test_create_depository_with_defaults(client: TestClient, user: str) -> None:
    body = create_account(client, user)
    assert body["id"].startswith("acc_") and len(body["id"]) == 36
    assert body == {
        **CHECKING,
        "id": body["id"],
        "user_id": user,
        "balance": 1000,
        "limit": None,
        "currency": "USD",
        "apr": None,
        "min_payment": None,
        "is_overdue": False,
        "balance_as_of": None,
    }
    assert client.get(f"{API}/accounts/{body['id']}").json() == body


def test_create_credit_account_with_client_id(client: TestClient, user: str) -> None:
    response = client.post(
        f"{API}/users/{user}/accounts", json={**CARD, "id": "card-1", "is_overdue": True}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == "card-1"
    assert body["limit"] == 5000_00 and body["apr"] == 24.99 and body["min_payment"] == 35_00
    assert body["is_overdue"] is True


def test_create_for_unknown_user_is_404(client: TestClient) -> None:
    response = client.post(f"{API}/users/ghost/accounts", json={**CHECKING, "balance": 0})
    assert response.status_code == 404
    assert "ghost" in response.json()["detail"]
    assert count_rows(Account) == 0


def test_create_with_existing_id_is_409(client: TestClient, user: str) -> None:
    create_account(client, user, id="a1")
    create_user(client, id="u2", email="u2@example.com")
    response = client.post(f"{API}/users/u2/accounts", json={**CHECKING, "balance": 0, "id": "a1"})
    assert response.status_code == 409
    assert client.get(f"{API}/accounts/a1").json()["user_id"] == user


@pytest.mark.parametrize(
    "changes",
    [
        {"balance": 12.5},
        {"balance": "1200"},
        {"is_overdue": "true"},
        {"is_overdue": 1},
        {"balance": True},
        {"balance": None},
        {"balance": MAX_CENTS + 1},
        {"balance": -MAX_CENTS - 1},
        {"balance": 10**30},
        {"type": "loan"},
        {"type": "DEPOSITORY"},
        {"subtype": "credit_card"},
        {"subtype": "brokerage"},
        {"type": "credit", "subtype": "checking"},
        {"limit": 1000},
        {"apr": 5},
        {"min_payment": 0},
        {"mask": "12a4"},
        {"mask": "12345"},
        {"mask": "123"},
        {"mask": 1234},
        {"currency": "usd"},
        {"currency": "US"},
        {"currency": "USDD"},
        {"name": ""},
        {"name": "x" * 201},
        {"is_overdue": "maybe"},
        {"id": "bad id"},
        {"id": "x" * 51},
    ],
)
def test_invalid_depository_create_is_422(
    client: TestClient, user: str, changes: dict[str, Any]
) -> None:
    response = client.post(
        f"{API}/users/{user}/accounts", json={**CHECKING, "balance": 0, **changes}
    )
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert errors and all({"loc", "msg", "type"} <= set(e) for e in errors)
    assert count_rows(Account) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"limit": 0},
        {"limit": -100},
        {"limit": 10.5},
        {"limit": MAX_CENTS + 1},
        {"apr": -0.1},
        {"apr": 100.01},
        {"apr": "high"},
        {"apr": True},  # not the number 1 (found by schemathesis)
        {"apr": "12"},
        {"min_payment": -1},
        {"min_payment": 1.5},
        {"subtype": "savings"},
    ],
)
def test_invalid_credit_create_is_422(
    client: TestClient, user: str, changes: dict[str, Any]
) -> None:
    response = client.post(f"{API}/users/{user}/accounts", json={**CARD, **changes})
    assert response.status_code == 422, response.text
    assert count_rows(Account) == 0


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_apr_is_422_not_500(client: TestClient, user: str, literal: str) -> None:
    """Python's JSON parser accepts NaN/Infinity; the echoed input must still render."""
    raw = (
        '{"type": "credit", "subtype": "credit_card", "name": "V", "mask": "1234", '
        f'"balance": 0, "apr": {literal}}}'
    )
    response = client.post(
        f"{API}/users/{user}/accounts",
        content=raw,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "apr"]


def test_boundaries_are_accepted(client: TestClient, user: str) -> None:
    body = create_account(client, user, balance=MAX_CENTS, name="n" * 200, currency="EUR")
    assert body["balance"] == MAX_CENTS
    body = create_account(client, user, balance=-MAX_CENTS)
    assert body["balance"] == -MAX_CENTS
    response = client.post(
        f"{API}/users/{user}/accounts",
        json={**CARD, "limit": MAX_CENTS, "apr": 100, "min_payment": 0},
    )
    assert response.status_code == 201
    response = client.post(f"{API}/users/{user}/accounts", json={**CARD, "apr": 0})
    assert response.status_code == 201


def test_credit_fields_sent_as_null_on_depository_are_fine(client: TestClient, user: str) -> None:
    body = create_account(client, user, limit=None, apr=None, min_payment=None)
    assert body["limit"] is None


@pytest.mark.parametrize("subtype", ["checking", "savings", "money_market", "hsa"])
def test_every_depository_subtype(client: TestClient, user: str, subtype: str) -> None:
    assert create_account(client, user, subtype=subtype)["subtype"] == subtype


# --- list -----------------------------------------------------------------------


def test_list_pages_by_id(client: TestClient, user: str) -> None:
    for ident in ("a3", "a1", "a5", "a2", "a4"):
        create_account(client, user, id=ident)
    create_user(client, id="u2", email="u2@example.com")
    create_account(client, "u2", id="a0")
    ids: list[str] = []
    page = client.get(f"{API}/users/{user}/accounts", params={"limit": 2}).json()
    ids += [a["id"] for a in page["items"]]
    # A new account sorting after the cursor shows up later; none repeats or is skipped.
    create_account(client, user, id="a9")
    while page["next_cursor"]:
        response = client.get(
            f"{API}/users/{user}/accounts", params={"limit": 2, "cursor": page["next_cursor"]}
        )
        assert response.status_code == 200
        page = response.json()
        ids += [a["id"] for a in page["items"]]
    assert ids == ["a1", "a2", "a3", "a4", "a5", "a9"]


def test_list_for_unknown_user_is_404(client: TestClient) -> None:
    assert client.get(f"{API}/users/ghost/accounts").status_code == 404


def test_list_empty_and_bad_params(client: TestClient, user: str) -> None:
    url = f"{API}/users/{user}/accounts"
    assert client.get(url).json() == {"items": [], "next_cursor": None}
    assert client.get(url, params={"limit": 0}).status_code == 422
    assert client.get(url, params={"limit": 501}).status_code == 422
    assert client.get(url, params={"cursor": "%%%"}).status_code == 400


# --- get / patch ------------------------------------------------------------------


@pytest.mark.parametrize("account_id", ["nope", "bad id", "x" * 51])
def test_unknown_account_is_404(client: TestClient, account_id: str) -> None:
    assert client.get(f"{API}/accounts/{account_id}").status_code == 404
    assert client.patch(f"{API}/accounts/{account_id}", json={"name": "x"}).status_code == 404
    assert client.delete(f"{API}/accounts/{account_id}").status_code == 404


def test_patch_changes_only_sent_fields(client: TestClient, user: str) -> None:
    account = create_account(client, user, id="a1")
    response = client.patch(f"{API}/accounts/a1", json={"balance": -250, "is_overdue": True})
    assert response.status_code == 200
    expected = {**account, "balance": -250, "is_overdue": True}
    assert response.json() == expected
    assert client.get(f"{API}/accounts/a1").json() == expected
    assert client.patch(f"{API}/accounts/a1", json={}).json() == expected


def test_patch_cannot_move_or_rename_the_account(client: TestClient, user: str) -> None:
    account = create_account(client, user, id="a1")
    create_user(client, id="u2", email="u2@example.com")
    response = client.patch(f"{API}/accounts/a1", json={"id": "a2", "user_id": "u2"})
    assert response.status_code == 200
    assert response.json() == account


def test_switch_credit_to_depository_needs_credit_fields_nulled(
    client: TestClient, user: str
) -> None:
    """The body is valid in itself; merged with the stored card it is not:
    a conflict with the stored row, 409 (api.md), naming what is stored."""
    card = client.post(f"{API}/users/{user}/accounts", json={**CARD, "id": "c1"}).json()
    response = client.patch(
        f"{API}/accounts/c1", json={"type": "depository", "subtype": "checking"}
    )
    assert response.status_code == 409
    messages = response.json()["detail"]
    assert "account 'c1', which is credit (credit_card)" in messages
    assert "limit" in messages and "apr" in messages and "min_payment" in messages
    assert client.get(f"{API}/accounts/c1").json() == card

    response = client.patch(
        f"{API}/accounts/c1",
        json={
            "type": "depository",
            "subtype": "savings",
            "limit": None,
            "apr": None,
            "min_payment": None,
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["type"], body["subtype"]) == ("depository", "savings")
    assert body["limit"] is None and body["apr"] is None and body["min_payment"] is None


def test_switch_depository_to_credit(client: TestClient, user: str) -> None:
    create_account(client, user, id="a1")
    response = client.patch(f"{API}/accounts/a1", json={"type": "credit"})
    assert response.status_code == 409  # the stored subtype, checking, does not fit credit
    assert "subtype 'checking' is not valid for type 'credit'" in response.json()["detail"]
    response = client.patch(
        f"{API}/accounts/a1", json={"type": "credit", "subtype": "credit_card", "limit": 100}
    )
    assert response.status_code == 200
    assert response.json()["limit"] == 100


@pytest.mark.parametrize(
    "changes",
    [
        {"type": "depository", "apr": 5},
        {"type": "depository", "subtype": "credit_card"},
        {"type": "credit", "subtype": "checking"},
        {"type": "depository", "limit": 100, "min_payment": None},
        {"type": None},
        {"subtype": None},
        {"name": None},
        {"mask": None},
        {"balance": None},
        {"currency": None},
        {"is_overdue": None},
        {"balance": 1.5},
        {"balance": MAX_CENTS + 1},
        {"mask": "12a4"},
        {"mask": "12345"},
        {"currency": "usd"},
        {"name": ""},
        {"name": "x" * 201},
        {"type": "loan"},
        {"is_overdue": "yes"},
        {"balance": 10.5},
    ],
)
def test_invalid_patch_of_depository_is_422_and_changes_nothing(
    client: TestClient, user: str, changes: dict[str, Any]
) -> None:
    account = create_account(client, user, id="a1")
    response = client.patch(f"{API}/accounts/a1", json=changes)
    assert response.status_code == 422, response.text
    assert all({"loc", "msg", "type"} <= set(e) for e in response.json()["detail"])
    assert client.get(f"{API}/accounts/a1").json() == account


@pytest.mark.parametrize(
    "changes",
    [{"apr": 5}, {"limit": 100}, {"min_payment": 10}, {"subtype": "credit_card"}],
)
def test_patch_that_does_not_fit_the_stored_depository_is_409(
    client: TestClient, user: str, changes: dict[str, Any]
) -> None:
    """Bodies the schema admits that the stored depository account cannot
    take: a conflict with the stored row (api.md: 409), the detail naming
    the stored type and subtype and the field; nothing changes."""
    account = create_account(client, user, id="a1")
    response = client.patch(f"{API}/accounts/a1", json=changes)
    assert response.status_code == 409, response.text
    detail = response.json()["detail"]
    assert detail.startswith("the change does not fit account 'a1', which is depository (checking)")
    assert next(iter(changes)) in detail
    assert client.get(f"{API}/accounts/a1").json() == account


def test_whole_number_floats_are_integers(client: TestClient, user: str) -> None:
    """JSON (and JSON Schema's "integer") has one number 12 = 12.0: both are
    accepted, a fraction is not."""
    account = create_account(client, user, id="a1", balance=1200.0)
    assert account["balance"] == 1200 and isinstance(account["balance"], int)
    response = client.patch(f"{API}/accounts/a1", json={"balance": -5.0})
    assert response.json()["balance"] == -5


def test_patch_of_credit_that_does_not_fit_is_409(client: TestClient, user: str) -> None:
    card = client.post(f"{API}/users/{user}/accounts", json={**CARD, "id": "c1"}).json()
    response = client.patch(f"{API}/accounts/c1", json={"subtype": "hsa"})
    assert response.status_code == 409
    assert client.get(f"{API}/accounts/c1").json() == card


@pytest.mark.parametrize("changes", [{"limit": 0}, {"apr": 101}, {"min_payment": -1}])
def test_invalid_patch_of_credit_is_422_and_changes_nothing(
    client: TestClient, user: str, changes: dict[str, Any]
) -> None:
    card = client.post(f"{API}/users/{user}/accounts", json={**CARD, "id": "c1"}).json()
    response = client.patch(f"{API}/accounts/c1", json=changes)
    assert response.status_code == 422, response.text
    assert all({"loc", "msg", "type"} <= set(e) for e in response.json()["detail"])
    assert client.get(f"{API}/accounts/c1").json() == card


def test_credit_fields_may_be_cleared_on_a_credit_account(client: TestClient, user: str) -> None:
    client.post(f"{API}/users/{user}/accounts", json={**CARD, "id": "c1"})
    response = client.patch(f"{API}/accounts/c1", json={"limit": None, "apr": 19.5})
    assert response.status_code == 200
    assert response.json()["limit"] is None and response.json()["apr"] == 19.5


# --- delete -----------------------------------------------------------------------


def test_delete_removes_its_transactions_only(client: TestClient, user: str) -> None:
    create_account(client, user, id="a1")
    create_account(client, user, id="a2")
    when = datetime(2026, 3, 1, tzinfo=UTC)

    async def seed(session: AsyncSession) -> None:
        rows = [
            {"id": f"{acc}-{i}", "account_id": acc, "date": when, "amount": 5, "category": "X"}
            for acc in ("a1", "a2")
            for i in range(3)
        ]
        await session.execute(insert(Transaction), rows)
        await session.commit()

    run_in_session(seed)
    response = client.delete(f"{API}/accounts/a1")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"{API}/accounts/a1").status_code == 404
    assert count_rows(Transaction, account_id="a1") == 0
    assert count_rows(Transaction, account_id="a2") == 3
    assert client.get(f"{API}/users/{user}").status_code == 200
    assert client.delete(f"{API}/accounts/a1").status_code == 404
