from fastapi.testclient import TestClient

from app.db import head_revision
from tests.utils.database import ON_POSTGRES


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
