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
