"""GET /health: database reachability, journal mode and schema revision."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.db import get_engine, head_revision, is_sqlite

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> JSONResponse:
    engine = get_engine()
    body: dict[str, Any] = {
        "status": "ok",
        "database": "ok",
        "journal_mode": None,
        "schema_revision": None,
    }
    try:
        async with engine.connect() as conn:
            if is_sqlite(str(engine.url)):
                body["journal_mode"] = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
            try:
                revision = (
                    await conn.execute(text("SELECT version_num FROM alembic_version"))
                ).scalar()
            except SQLAlchemyError:
                revision = None  # table missing: never migrated
            body["schema_revision"] = revision
    except (SQLAlchemyError, OSError):
        body.update(status="unavailable", database="unreachable")
        return JSONResponse(body, status_code=503)
    if body["schema_revision"] != head_revision():
        body["status"] = "not_migrated"
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)
