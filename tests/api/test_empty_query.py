"""A query parameter sent empty (`?type=&persona=&signal=`, as api.md writes
the filters, and as httpx sends an optional parameter that is None) is the
same as one not sent: no filter, the default limit, the first page."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import API, bulk, create_user, ids, item, make_account


@pytest.fixture
def data(client: TestClient) -> None:
    create_user(client, id="u1")
    make_account(client, "acc1", "u1")
    bulk(
        client,
        [
            item("t1", minutes=0, amount=500, category="FOOD_AND_DRINK"),
            item("t2", minutes=60, amount=-900, category="INCOME", pending=True),
        ],
    )
    for window, minutes in (("30d", 0), ("180d", 5)):
        persona = {"window": window, "persona_type": "balanced", "confidence": 0.5}
        persona["assigned_at"] = f"2026-03-01T00:{minutes:02d}:00Z"
        assert client.post(f"{API}/users/u1/personas", json=persona).status_code == 201
    for title, kind in (("a", "article"), ("v", "video")):
        body: dict[str, Any] = {"type": kind, "title": title, "persona_tags": ["balanced"]}
        assert client.post(f"{API}/content", json=body).status_code == 201


@pytest.mark.usefixtures("data")
@pytest.mark.parametrize(
    ("path", "empty"),
    [
        ("/content", "type=&persona=&signal=&limit=&cursor="),
        ("/content", "type&persona&signal"),
        ("/users/u1/personas", "window="),
        ("/users/u1/personas", "window=&limit=&cursor="),
        ("/users/u1/personas/current", "window="),
        ("/users", "limit=&cursor="),
        ("/users/u1/accounts", "limit="),
        (
            "/transactions",
            "account_id=&user_id=&start=&end=&category=&pending=&min_amount=&max_amount="
            "&limit=&cursor=",
        ),
        ("/accounts/acc1/transactions", "start=&end=&category=&pending=&min_amount=&limit="),
    ],
)
def test_an_empty_query_parameter_is_one_not_sent(
    client: TestClient, path: str, empty: str
) -> None:
    response = client.get(f"{API}{path}?{empty}")
    assert response.status_code == 200, response.text
    assert response.json() == client.get(f"{API}{path}").json()


@pytest.mark.usefixtures("data")
def test_empty_parameters_leave_the_others_in_force(client: TestClient) -> None:
    response = client.get(f"{API}/transactions?category=&pending=true&user_id=")
    assert ids(response) == ["t2"]
    response = client.get(f"{API}/content?type=video&persona=&signal=")
    assert [c["title"] for c in response.json()["items"]] == ["v"]
    response = client.get(f"{API}/users/u1/personas?window=&window=180d")
    assert [p["window"] for p in response.json()["items"]] == ["180d"]


@pytest.mark.usefixtures("data")
@pytest.mark.parametrize(
    "query", ["category=food", "limit=0", "pending=maybe", "window=7d", "type=podcast"]
)
def test_a_bad_non_empty_value_is_still_422(client: TestClient, query: str) -> None:
    path = {"window": "/users/u1/personas", "type": "/content"}.get(
        query.partition("=")[0], "/transactions"
    )
    assert client.get(f"{API}{path}?{query}").status_code == 422


def test_the_openapi_document_admits_the_empty_value(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    checked = 0
    for path, operations in document["paths"].items():
        if not path.startswith(API):
            continue
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query" or parameter.get("required"):
                    continue
                schema = parameter["schema"]
                if parameter["name"] == "cursor":
                    assert schema["pattern"].endswith(")?$")
                else:
                    assert {"type": "string", "maxLength": 0} in schema["anyOf"], (path, parameter)
                checked += 1
    assert checked > 20


@pytest.mark.usefixtures("data")
@pytest.mark.parametrize(
    ("path", "empty"),
    [
        ("/users/u1/signals", "window=&as_of="),
        ("/users/u1/recommendations", "window=&as_of=&limit="),
    ],
)
def test_insights_take_an_empty_parameter_as_not_sent(
    client: TestClient, path: str, empty: str
) -> None:
    assert client.put(f"{API}/users/u1/consent", json={"consent": True}).status_code == 200
    response = client.get(f"{API}{path}?{empty}")
    assert response.status_code == 200, response.text
    assert response.json() == client.get(f"{API}{path}").json()
