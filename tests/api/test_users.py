"""Users over HTTP: create, list (keyset, newest first), get, patch, consent, delete."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Account, Persona, Transaction, User
from app.services import repository
from app.services import users as users_service
from tests.utils.database import count_rows, run_in_session
from tests.utils.factories import API, create_user

# --- create ---------------------------------------------------------------------


def test_create_generates_id_and_returns_the_user(client: TestClient) -> None:
    response = client.post(f"{API}/users", json={"name": "Ada", "email": "Ada@Example.COM"})
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("usr_") and len(body["id"]) == 36
    assert body["name"] == "Ada"
    assert body["consent"] is False
    # The domain is normalised to lower case by the email validator; the local part is kept.
    assert body["email"] == "Ada@example.com"
    assert body["created_at"].endswith("Z")
    created = datetime.fromisoformat(body["created_at"])
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=1)
    assert client.get(f"{API}/users/{body['id']}").json() == body


def test_create_with_client_id_and_consent(client: TestClient) -> None:
    body = create_user(client, id="ext-42_A", consent=True)
    assert body["id"] == "ext-42_A"
    assert body["consent"] is True


def test_create_with_existing_id_is_409(client: TestClient) -> None:
    create_user(client, id="u1")
    response = client.post(f"{API}/users", json={"id": "u1", "name": "B", "email": "b@example.com"})
    assert response.status_code == 409
    assert "u1" in response.json()["detail"]


def test_email_is_unique_regardless_of_case(client: TestClient) -> None:
    create_user(client, email="ada@example.com")
    response = client.post(f"{API}/users", json={"name": "B", "email": "ADA@example.com"})
    assert response.status_code == 409
    assert isinstance(response.json()["detail"], str)
    assert count_rows(User) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("änne@example.com", "ÄNNE@example.com"),
        ("ÉLODIE.ŒUVRE@example.com", "élodie.œuvre@Example.com"),
        ("Ωmega@example.com", "ωMEGA@example.com"),
    ],
)
def test_email_is_unique_regardless_of_case_beyond_ascii(
    client: TestClient, first: str, second: str
) -> None:
    """Case-insensitive means for every letter, not only A-Z: SQLite's lower()
    folds ASCII only, so the service compares non-ASCII addresses itself."""
    create_user(client, id="u1", email=first)
    response = client.post(f"{API}/users", json={"name": "B", "email": second})
    assert response.status_code == 409, response.text
    assert count_rows(User) == 1
    create_user(client, id="u2", email="bob@example.com")
    response = client.patch(f"{API}/users/u2", json={"email": second})
    assert response.status_code == 409, response.text
    response = client.patch(f"{API}/users/u1", json={"email": second})
    assert response.status_code == 200
    assert response.json()["email"] == second.split("@")[0] + "@example.com"


def test_unique_index_catches_an_email_race(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If two creates race past the pre-check, the unique index on lower(email)
    still refuses the second, and the IntegrityError handler answers 409."""

    async def no_check(*_args: Any, **_kwargs: Any) -> None:
        return None

    create_user(client, email="ada@example.com")
    monkeypatch.setattr(users_service, "ensure_email_free", no_check)
    response = client.post(f"{API}/users", json={"name": "B", "email": "Ada@Example.com"})
    assert response.status_code == 409
    assert "detail" in response.json()
    assert count_rows(User) == 1


def test_primary_key_catches_an_id_race(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_check(*_args: Any, **_kwargs: Any) -> None:
        return None

    create_user(client, id="u1")
    monkeypatch.setattr(repository, "ensure_absent", no_check)
    response = client.post(f"{API}/users", json={"id": "u1", "name": "B", "email": "b@example.com"})
    assert response.status_code == 409
    assert client.get(f"{API}/users/u1").json()["email"] == "ada@example.com"


@pytest.mark.parametrize(
    "body",
    [
        {"email": "a@example.com"},  # name missing
        {"name": "A"},  # email missing
        {"name": "", "email": "a@example.com"},
        {"name": "x" * 201, "email": "a@example.com"},
        {"name": None, "email": "a@example.com"},
        {"name": "A", "email": "not-an-email"},
        {"name": "A", "email": "a@"},
        {"name": "A", "email": "a b@example.com"},
        {"name": "A", "email": "x" * 190 + "@example.com"},  # 202 chars
        {"name": "A", "email": 42},
        {"name": "A", "email": "a@example.com", "consent": "maybe"},
        {"name": "A", "email": "a@example.com", "consent": None},
        {"name": "A", "email": "a@example.com", "id": "has space"},
        {"name": "A", "email": "a@example.com", "id": "x" * 51},
        {"name": "A", "email": "a@example.com", "id": ""},
        {"name": "A", "email": "a@example.com", "id": "a/b"},
        {"name": 12, "email": "a@example.com"},
    ],
)
def test_invalid_create_is_422(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post(f"{API}/users", json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert errors and all({"loc", "msg", "type"} <= set(e) for e in errors)
    assert all(e["loc"][0] == "body" for e in errors)
    assert count_rows(User) == 0


def test_boundary_lengths_are_accepted(client: TestClient) -> None:
    body = create_user(client, id="x" * 50, name="n" * 200, email="e" * 188 + "@example.com")
    assert len(body["name"]) == 200
    assert len(body["email"]) == 200


def test_unknown_fields_are_ignored(client: TestClient) -> None:
    body = create_user(client, created_at="1999-01-01T00:00:00Z", role="admin")
    assert "role" not in body
    assert not body["created_at"].startswith("1999")


# --- list -----------------------------------------------------------------------


def test_list_is_newest_first_and_pages_never_repeat_or_skip(client: TestClient) -> None:
    ids = [create_user(client, id=f"u{i}", email=f"u{i}@example.com")["id"] for i in range(7)]
    seen: list[dict[str, Any]] = []
    response = client.get(f"{API}/users", params={"limit": 3})
    page = response.json()
    seen += page["items"]
    assert len(page["items"]) == 3 and page["next_cursor"]
    # A user created between page requests is newer than the cursor: never shown later.
    create_user(client, id="late", email="late@example.com")
    while page["next_cursor"]:
        response = client.get(f"{API}/users", params={"limit": 3, "cursor": page["next_cursor"]})
        assert response.status_code == 200
        page = response.json()
        seen += page["items"]
    assert sorted(u["id"] for u in seen) == sorted(ids)
    keys = [(u["created_at"], u["id"]) for u in seen]
    assert keys == sorted(keys, reverse=True)
    assert client.get(f"{API}/users", params={"limit": 500}).json()["items"][0]["id"] == "late"


def test_list_orders_equal_timestamps_by_id(client: TestClient) -> None:
    same = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    async def seed(session: AsyncSession) -> None:
        rows = [
            {"id": f"t{i}", "name": "T", "email": f"t{i}@example.com", "created_at": same}
            for i in range(5)
        ]
        await session.execute(insert(User), rows)
        await session.commit()

    run_in_session(seed)
    collected: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = client.get(f"{API}/users", params=params).json()
        collected += [u["id"] for u in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert collected == ["t4", "t3", "t2", "t1", "t0"]


def test_empty_list(client: TestClient) -> None:
    assert client.get(f"{API}/users").json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("limit", ["0", "501", "-1", "abc", "2.5"])
def test_out_of_range_limit_is_422(client: TestClient, limit: str) -> None:
    response = client.get(f"{API}/users", params={"limit": limit})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


@pytest.mark.parametrize("cursor", ["garbage!", "WzFd", "bm90IGpzb24", "W10"])
def test_malformed_cursor_is_400(client: TestClient, cursor: str) -> None:
    create_user(client)
    response = client.get(f"{API}/users", params={"cursor": cursor})
    assert response.status_code == 400
    assert response.json() == {"detail": "malformed cursor"}


def test_overlong_cursor_is_422(client: TestClient) -> None:
    """Longer than the documented maxLength: the query fails validation."""
    response = client.get(f"{API}/users", params={"cursor": "x" * 1001})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]


# --- get / patch / consent --------------------------------------------------------


@pytest.mark.parametrize("user_id", ["nobody", "bad id", "x" * 51, "%C3%A9"])
def test_unknown_or_impossible_id_is_404(client: TestClient, user_id: str) -> None:
    for method in ("GET", "DELETE"):
        response = client.request(method, f"{API}/users/{user_id}")
        assert response.status_code == 404
        assert "not found" in response.json()["detail"]
    response = client.patch(f"{API}/users/{user_id}", json={"name": "X"})
    assert response.status_code == 404
    response = client.put(f"{API}/users/{user_id}/consent", json={"consent": True})
    assert response.status_code == 404


def test_patch_changes_only_sent_fields(client: TestClient) -> None:
    user = create_user(client, id="u1", consent=True)
    response = client.patch(f"{API}/users/u1", json={"name": "Ada King"})
    assert response.status_code == 200
    assert response.json() == {**user, "name": "Ada King"}
    response = client.patch(f"{API}/users/u1", json={})
    assert response.json() == {**user, "name": "Ada King"}
    response = client.patch(f"{API}/users/u1", json={"consent": False, "email": "ak@example.com"})
    assert response.json()["consent"] is False
    assert client.get(f"{API}/users/u1").json()["email"] == "ak@example.com"


def test_patch_ignores_id_and_created_at(client: TestClient) -> None:
    user = create_user(client, id="u1")
    response = client.patch(
        f"{API}/users/u1", json={"id": "u2", "created_at": "2000-01-01T00:00:00Z"}
    )
    assert response.status_code == 200
    assert response.json() == user


def test_patch_email_clash_is_409_but_own_email_in_other_case_is_fine(client: TestClient) -> None:
    create_user(client, id="u1", email="ada@example.com")
    create_user(client, id="u2", email="bob@example.com")
    response = client.patch(f"{API}/users/u2", json={"email": "ADA@example.com"})
    assert response.status_code == 409
    assert client.get(f"{API}/users/u2").json()["email"] == "bob@example.com"
    response = client.patch(f"{API}/users/u1", json={"email": "ADA@example.com"})
    assert response.status_code == 200
    assert response.json()["email"] == "ADA@example.com"


@pytest.mark.parametrize(
    "body",
    [
        {"name": None},
        {"email": None},
        {"consent": None},
        {"name": ""},
        {"name": "x" * 201},
        {"email": "nope"},
        {"consent": "maybe"},
    ],
)
def test_invalid_patch_is_422_and_changes_nothing(client: TestClient, body: dict[str, Any]) -> None:
    user = create_user(client, id="u1")
    response = client.patch(f"{API}/users/u1", json=body)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)
    assert client.get(f"{API}/users/u1").json() == user


def test_put_consent(client: TestClient) -> None:
    user = create_user(client, id="u1")
    response = client.put(f"{API}/users/u1/consent", json={"consent": True})
    assert response.status_code == 200
    assert response.json() == {**user, "consent": True}
    response = client.put(f"{API}/users/u1/consent", json={"consent": False})
    assert response.json()["consent"] is False


@pytest.mark.parametrize("body", [{}, {"consent": None}, {"consent": "maybe"}, {"consent": []}])
def test_put_consent_needs_a_boolean(client: TestClient, body: dict[str, Any]) -> None:
    user = create_user(client, id="u1")
    response = client.put(f"{API}/users/u1/consent", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "consent"]
    assert client.get(f"{API}/users/u1").json() == user


# --- delete -----------------------------------------------------------------------


def seed_user_data(user_id: str, account_id: str) -> None:
    """An account with two transactions and a persona, written directly."""
    when = datetime(2026, 3, 1, tzinfo=UTC)

    async def work(session: AsyncSession) -> None:
        await session.execute(
            insert(Account).values(
                id=account_id,
                user_id=user_id,
                type="depository",
                subtype="checking",
                name="Checking",
                mask="1234",
                balance=0,
                currency="USD",
                is_overdue=False,
            )
        )
        await session.execute(
            insert(Transaction),
            [
                {
                    "id": f"{account_id}-t{i}",
                    "account_id": account_id,
                    "date": when,
                    "amount": 100,
                    "category": "FOOD_AND_DRINK",
                    "pending": False,
                }
                for i in range(2)
            ],
        )
        await session.execute(
            insert(Persona).values(
                user_id=user_id,
                window="30d",
                persona_type="balanced",
                confidence=0.5,
                assigned_at=when,
            )
        )
        await session.commit()

    run_in_session(work)


def test_delete_erases_accounts_transactions_and_personas(client: TestClient) -> None:
    create_user(client, id="gone", email="gone@example.com")
    create_user(client, id="kept", email="kept@example.com")
    seed_user_data("gone", "acc-gone")
    seed_user_data("kept", "acc-kept")
    assert count_rows(Transaction) == 4

    response = client.delete(f"{API}/users/gone")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"{API}/users/gone").status_code == 404
    assert count_rows(Account, user_id="gone") == 0
    assert count_rows(Transaction, account_id="acc-gone") == 0
    assert count_rows(Persona, user_id="gone") == 0
    # The other user's data is untouched.
    assert count_rows(Account, user_id="kept") == 1
    assert count_rows(Transaction, account_id="acc-kept") == 2
    assert count_rows(Persona, user_id="kept") == 1
    assert client.delete(f"{API}/users/gone").status_code == 404


def test_deleted_email_can_be_reused(client: TestClient) -> None:
    create_user(client, id="u1")
    assert client.delete(f"{API}/users/u1").status_code == 204
    assert create_user(client, id="u1")["id"] == "u1"
