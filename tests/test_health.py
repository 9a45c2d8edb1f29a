from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.db import head_revision
from app.main import app
from tests.utils.database import ON_POSTGRES
from tests.utils.factories import API


def test_health_reports_database_and_revision(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["schema_revision"] == head_revision()
    assert body["journal_mode"] == (None if ON_POSTGRES else "wal")


def test_a_healthy_answer_has_the_contracts_fields_only(client: TestClient) -> None:
    """Only a 503 carries a `detail`."""
    assert set(client.get("/health").json()) == {
        "status",
        "database",
        "journal_mode",
        "schema_revision",
    }


def test_root_points_to_the_docs_and_the_api(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    links = response.json()
    assert links["docs"] == "/docs"
    assert links["openapi"] == "/openapi.json"
    assert links["health"] == "/health"
    assert links["api"] == "/api/v1"
    for path in ("docs", "openapi", "health"):
        assert client.get(links[path]).status_code == 200, path
    assert "/" not in client.get("/openapi.json").json()["paths"]


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The app pointed at a database it cannot reach: a PostgreSQL port where
    nothing listens, or a SQLite path that is a directory."""
    url = (
        "postgresql+asyncpg://postgres:postgres@127.0.0.1:1/spendsense"
        if ON_POSTGRES
        else f"sqlite+aiosqlite:///{tmp_path}"
    )
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_database_down_is_503_on_health_and_on_every_route(database_down: None) -> None:
    """What a load balancer sees when the database is down: /health answers
    503 saying so, and the API routes (the account pages' fast path too)
    answer 503, never 500."""
    with TestClient(app) as client:
        health = client.get("/health")
        responses = [
            client.get(f"{API}/accounts/acc1/transactions"),
            client.get(f"{API}/accounts/acc1/transactions?pending=true"),
            client.get(f"{API}/users/u1"),
        ]
    assert health.status_code == 503
    body = health.json()
    assert isinstance(body.pop("detail"), str)  # why, for a person
    assert body == {
        "status": "unavailable",
        "database": "unreachable",
        "journal_mode": None,
        "schema_revision": None,
    }
    for response in responses:
        assert response.status_code == 503, response.text
        assert list(response.json()) == ["detail"]


def test_the_document_lists_health_answers_with_their_body(database_down: None) -> None:
    """Clients and contract testers read /openapi.json: /health's 503 is
    listed, and both answers' bodies fit the schema it names."""
    with TestClient(app) as client:
        document = client.get("/openapi.json").json()
        down = client.get("/health").json()
    responses = document["paths"]["/health"]["get"]["responses"]
    assert set(responses) >= {"200", "503"}
    for status in ("200", "503"):
        ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
        schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert set(schema["required"]) <= set(down) <= set(schema["properties"])
