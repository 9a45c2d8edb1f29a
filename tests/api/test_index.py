"""GET /api/v1: the index the root's "api" link points to, behind the API key."""

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from tests.utils.factories import API


def test_the_index_lists_the_collections_and_each_answers(client: TestClient) -> None:
    response = client.get(API)
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "v1"
    assert (body["docs"], body["openapi"]) == ("/docs", "/openapi.json")
    names = [c["name"] for c in body["collections"]]
    resources = ("users", "accounts", "transactions", "personas", "insights", "recurring")
    assert names == [*resources, "content"]
    for collection in body["collections"]:
        href = collection["href"]
        assert href.startswith(f"{API}/")
        if "{" not in href:  # the others need a user
            assert client.get(href).status_code == 200, href
    assert client.get("/").json()["api"] == API


def test_the_index_needs_the_key(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPENDSENSE_API_KEY", "k")
    get_settings.cache_clear()
    try:
        assert client.get(API).status_code == 401
        assert client.get(API, headers={"Authorization": "Bearer k"}).status_code == 200
        document = client.get("/openapi.json").json()
    finally:
        get_settings.cache_clear()
    operation = document["paths"][API]["get"]
    assert operation["operationId"] == "index"
    assert {"200", "401", "503"} <= set(operation["responses"])
