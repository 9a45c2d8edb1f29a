"""Personas over HTTP: assign, list (keyset pages), current per window, cascade."""

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Persona
from tests.utils.database import run_in_session
from tests.utils.factories import create_user

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def make_user(client: TestClient, user_id: str = "u1") -> str:
    return str(create_user(client, id=user_id, email=f"{user_id}@example.com")["id"])


def assign(client: TestClient, user_id: str, **fields: Any) -> dict[str, Any]:
    body = {"window": "30d", "persona_type": "balanced", "confidence": 0.5, **fields}
    response = client.post(f"/api/v1/users/{user_id}/personas", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def at(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def persona_count(user_id: str) -> int:
    async def work(session: AsyncSession) -> int:
        stmt = select(func.count()).select_from(Persona).where(col(Persona.user_id) == user_id)
        return (await session.exec(stmt)).one()

    return run_in_session(work)


# --- create -----------------------------------------------------------------


def test_assign_returns_201_with_server_integer_id(client: TestClient) -> None:
    make_user(client)
    body = {
        "window": "180d",
        "persona_type": "high_utilization",
        "confidence": 0.87,
        "assigned_at": "2026-03-01T14:00:00+02:00",
    }
    response = client.post("/api/v1/users/u1/personas", json=body)
    assert response.status_code == 201
    persona = response.json()
    assert isinstance(persona["id"], int)
    assert persona == {
        "id": persona["id"],
        "user_id": "u1",
        "window": "180d",
        "persona_type": "high_utilization",
        "confidence": 0.87,
        "assigned_at": "2026-03-01T12:00:00Z",
        # Only computed personas carry these (app.services.insights).
        "as_of": None,
        "reasons": [],
        "also_matched": [],
        "signals": None,
    }
    assert persona_count("u1") == 1


def test_assigned_at_defaults_to_now(client: TestClient) -> None:
    make_user(client)
    before = datetime.now(UTC)
    persona = assign(client, "u1")
    after = datetime.now(UTC)
    assigned = datetime.fromisoformat(persona["assigned_at"])
    assert persona["assigned_at"].endswith("Z")
    assert before - timedelta(seconds=1) <= assigned <= after + timedelta(seconds=1)


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2026-03-01", "2026-03-01T00:00:00Z"),
        ("2026-03-01T08:30:00", "2026-03-01T08:30:00Z"),
        ("2026-03-01T08:30:00-05:00", "2026-03-01T13:30:00Z"),
    ],
)
def test_assigned_at_accepts_date_naive_and_offset(
    client: TestClient, sent: str, stored: str
) -> None:
    make_user(client)
    assert assign(client, "u1", assigned_at=sent)["assigned_at"] == stored


def test_ids_are_distinct_and_client_id_is_ignored(client: TestClient) -> None:
    make_user(client)
    first = assign(client, "u1", id=12345)
    second = assign(client, "u1", id=12345)
    assert first["id"] != second["id"]
    assert {first["id"], second["id"]} != {12345}


@pytest.mark.parametrize("confidence", [0, 1, 0.0, 1.0])
def test_confidence_bounds_are_inclusive(client: TestClient, confidence: float) -> None:
    make_user(client)
    assert assign(client, "u1", confidence=confidence)["confidence"] == confidence


def test_assign_for_unknown_user_is_404(client: TestClient) -> None:
    body = {"window": "30d", "persona_type": "balanced", "confidence": 0.5}
    response = client.post("/api/v1/users/nobody/personas", json=body)
    assert response.status_code == 404
    assert "detail" in response.json()
    assert persona_count("nobody") == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"window": "7d"},
        {"window": "30D"},
        {"window": ""},
        {"window": None},
        {"window": 30},
        {"persona_type": "big_spender"},
        {"persona_type": "Balanced"},
        {"persona_type": None},
        {"confidence": -0.01},
        {"confidence": 1.01},
        {"confidence": 100},
        {"confidence": "0.5"},
        {"confidence": True},
        {"confidence": None},
        {"assigned_at": "yesterday"},
        {"assigned_at": "2026-13-01"},
        {"assigned_at": 1700000000},
        {"assigned_at": "1700000000"},
    ],
)
def test_invalid_fields_are_422(client: TestClient, changes: dict[str, Any]) -> None:
    make_user(client)
    body = {"window": "30d", "persona_type": "balanced", "confidence": 0.5, **changes}
    response = client.post("/api/v1/users/u1/personas", json=body)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)
    assert persona_count("u1") == 0


@pytest.mark.parametrize("value", [1700000000, 1700000000.5, "1700000000", "1700000000.5", "-5"])
def test_unix_time_assigned_at_is_422_naming_it(client: TestClient, value: Any) -> None:
    """Numbers, and strings holding only one, would be read as Unix times."""
    make_user(client)
    body = {"window": "30d", "persona_type": "balanced", "confidence": 0.5, "assigned_at": value}
    response = client.post("/api/v1/users/u1/personas", json=body)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert (error["loc"], error["input"]) == (["body", "assigned_at"], value)
    assert "ISO 8601" in error["msg"]
    assert persona_count("u1") == 0


@pytest.mark.parametrize("missing", ["window", "persona_type", "confidence"])
def test_missing_required_field_is_422(client: TestClient, missing: str) -> None:
    make_user(client)
    body = {"window": "30d", "persona_type": "balanced", "confidence": 0.5}
    del body[missing]
    response = client.post("/api/v1/users/u1/personas", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", missing]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_confidence_is_422(client: TestClient, literal: str) -> None:
    # Python's JSON parser accepts these tokens; the model must still refuse them.
    make_user(client)
    raw = f'{{"window": "30d", "persona_type": "balanced", "confidence": {literal}}}'
    response = client.post(
        "/api/v1/users/u1/personas", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert persona_count("u1") == 0


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("{not json", "json_invalid"),
        ("[]", "model_attributes_type"),
        ('"30d"', "model_attributes_type"),
        ("", "missing"),
    ],
)
def test_malformed_or_non_object_body_is_422(client: TestClient, raw: str, kind: str) -> None:
    make_user(client)
    response = client.post(
        "/api/v1/users/u1/personas", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == kind


# --- list -------------------------------------------------------------------


def test_list_is_newest_first_and_filters_by_window(client: TestClient) -> None:
    make_user(client)
    make_user(client, "u2")
    old = assign(client, "u1", window="30d", assigned_at=at(0))
    new = assign(client, "u1", window="180d", assigned_at=at(10))
    mid = assign(client, "u1", window="30d", assigned_at=at(5))
    assign(client, "u2", assigned_at=at(20))  # another user's: never listed

    everything = client.get("/api/v1/users/u1/personas").json()
    assert [p["id"] for p in everything["items"]] == [new["id"], mid["id"], old["id"]]
    assert everything["next_cursor"] is None

    thirty = client.get("/api/v1/users/u1/personas", params={"window": "30d"}).json()
    assert [p["id"] for p in thirty["items"]] == [mid["id"], old["id"]]
    long = client.get("/api/v1/users/u1/personas", params={"window": "180d"}).json()
    assert [p["id"] for p in long["items"]] == [new["id"]]


def test_list_of_user_without_personas_is_empty(client: TestClient) -> None:
    make_user(client)
    assert client.get("/api/v1/users/u1/personas").json() == {"items": [], "next_cursor": None}


def test_list_for_unknown_user_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/users/nobody/personas").status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"window": "7d"}, {"window": "30"}, {"limit": 0}, {"limit": 501}, {"limit": "ten"}],
)
def test_list_bad_query_is_422(client: TestClient, params: dict[str, Any]) -> None:
    make_user(client)
    response = client.get("/api/v1/users/u1/personas", params=params)
    assert response.status_code == 422


# A cursor whose id is beyond BIGINT cannot even be bound as a parameter.
BIG_ID_CURSOR = base64.urlsafe_b64encode(b'["2026-01-01T00:00:00+00:00", 9223372036854775808]')


@pytest.mark.parametrize(
    "cursor", ["garbage!", "W10", "WyJ4IiwgMV0", "WzEsMl0", BIG_ID_CURSOR.decode().rstrip("=")]
)
def test_list_malformed_cursor_is_400(client: TestClient, cursor: str) -> None:
    make_user(client)
    response = client.get("/api/v1/users/u1/personas", params={"cursor": cursor})
    assert response.status_code == 400
    assert response.json() == {"detail": "malformed cursor"}


def test_pages_never_repeat_or_skip_with_inserts_between(client: TestClient) -> None:
    make_user(client)
    # Two rows share each timestamp so the id tie-breaker is exercised.
    existing = [assign(client, "u1", assigned_at=at(m // 2)) for m in range(10)]
    seen: list[dict[str, Any]] = []
    cursor = None
    inserted_later_older: list[int] = []
    for page_number in range(20):
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/users/u1/personas", params=params).json()
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
        # A newer row lands before the cursor (must not show up later), an older
        # one after it (must show up exactly once), and a tie on the cursor's time.
        assign(client, "u1", assigned_at=at(100 + page_number))
        inserted_later_older.append(assign(client, "u1", assigned_at=at(-10 - page_number))["id"])
    ids = [p["id"] for p in seen]
    assert len(ids) == len(set(ids))
    assert {p["id"] for p in existing} <= set(ids)
    assert set(inserted_later_older) <= set(ids)
    keys = [(p["assigned_at"], p["id"]) for p in seen]
    assert keys == sorted(keys, reverse=True)


def test_page_size_limit_and_cursor_round_trip(client: TestClient) -> None:
    make_user(client)
    created = [assign(client, "u1", assigned_at=at(m)) for m in range(5)]
    first = client.get("/api/v1/users/u1/personas", params={"limit": 2}).json()
    assert [p["id"] for p in first["items"]] == [created[4]["id"], created[3]["id"]]
    second = client.get(
        "/api/v1/users/u1/personas", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [p["id"] for p in second["items"]] == [created[2]["id"], created[1]["id"]]
    third = client.get(
        "/api/v1/users/u1/personas", params={"limit": 2, "cursor": second["next_cursor"]}
    ).json()
    assert [p["id"] for p in third["items"]] == [created[0]["id"]]
    assert third["next_cursor"] is None


# --- current ----------------------------------------------------------------


def test_current_is_latest_assigned_per_window(client: TestClient) -> None:
    make_user(client)
    latest_30 = assign(
        client, "u1", window="30d", persona_type="savings_builder", assigned_at=at(9)
    )
    assign(client, "u1", window="30d", persona_type="balanced", assigned_at=at(1))
    latest_180 = assign(client, "u1", window="180d", assigned_at=at(5))
    assign(client, "u1", window="180d", assigned_at=at(2))
    # Inserted last but back-dated: not the current one.
    assign(client, "u1", window="30d", persona_type="variable_income", assigned_at=at(3))

    default = client.get("/api/v1/users/u1/personas/current")
    assert default.status_code == 200
    assert default.json() == latest_30
    explicit = client.get("/api/v1/users/u1/personas/current", params={"window": "30d"})
    assert explicit.json() == latest_30
    long = client.get("/api/v1/users/u1/personas/current", params={"window": "180d"})
    assert long.json() == latest_180


def test_current_tie_on_assigned_at_goes_to_greatest_id(client: TestClient) -> None:
    make_user(client)
    first = assign(client, "u1", persona_type="balanced", assigned_at=at(0))
    second = assign(client, "u1", persona_type="variable_income", assigned_at=at(0))
    assert second["id"] > first["id"]
    assert client.get("/api/v1/users/u1/personas/current").json() == second


def test_current_ignores_other_users(client: TestClient) -> None:
    make_user(client)
    make_user(client, "u2")
    mine = assign(client, "u1", assigned_at=at(0))
    assign(client, "u2", assigned_at=at(50))
    assert client.get("/api/v1/users/u1/personas/current").json() == mine


def test_current_without_assignment_for_window_is_404(client: TestClient) -> None:
    make_user(client)
    assign(client, "u1", window="180d")
    response = client.get("/api/v1/users/u1/personas/current")
    assert response.status_code == 404
    assert "detail" in response.json()
    assert client.get("/api/v1/users/u1/personas/current?window=180d").status_code == 200


def test_current_for_unknown_user_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/users/nobody/personas/current").status_code == 404


@pytest.mark.parametrize("window", ["7d", "30D", "30"])  # empty = not sent: test_empty_query.py
def test_current_bad_window_is_422(client: TestClient, window: str) -> None:
    make_user(client)
    response = client.get("/api/v1/users/u1/personas/current", params={"window": window})
    assert response.status_code == 422


# --- hostile paths and cascade ------------------------------------------------


@pytest.mark.parametrize("user_id", ["%00", "a%27%20OR%201%3D1", "x" * 51, "%E2%82%AC"])
def test_impossible_user_ids_are_404(client: TestClient, user_id: str) -> None:
    body = {"window": "30d", "persona_type": "balanced", "confidence": 0.5}
    assert client.post(f"/api/v1/users/{user_id}/personas", json=body).status_code == 404
    assert client.get(f"/api/v1/users/{user_id}/personas").status_code == 404
    assert client.get(f"/api/v1/users/{user_id}/personas/current").status_code == 404


def test_deleting_user_removes_their_personas(client: TestClient) -> None:
    make_user(client)
    make_user(client, "u2")
    for minute in range(3):
        assign(client, "u1", assigned_at=at(minute))
    kept = assign(client, "u2")
    assert persona_count("u1") == 3

    assert client.delete("/api/v1/users/u1").status_code == 204
    assert persona_count("u1") == 0
    assert client.get("/api/v1/users/u1/personas").status_code == 404
    assert client.get("/api/v1/users/u2/personas").json()["items"] == [kept]
