"""GET /health: database reachability, writability, journal mode and schema
revision; GET /: where to go from the root."""

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.db import database_of, head_revision

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


class Health(BaseModel):
    """/health's body, for the OpenAPI document (the route builds it by hand)."""

    status: str
    database: str
    journal_mode: str | None
    schema_revision: str | None
    detail: str | None = None


@router.get("/", include_in_schema=False)
async def root(request: Request) -> dict[str, str]:
    """A person who opens the bare address learns where the API and its docs are."""
    return {
        "service": request.app.title,
        "version": request.app.version,
        "docs": "/docs",
        "openapi": "/openapi.json",
        "health": "/health",
        "api": "/api/v1",
        "console": "/console",
    }


@router.get(
    "/health",
    response_model=Health,
    responses={
        503: {
            "model": Health,
            "description": "The database is unreachable, not migrated or cannot take "
            "writes (read-only, disk full); `status` and `detail` say which.",
        }
    },
)
async def health(request: Request) -> JSONResponse:
    database = database_of(request)
    engine, backend = database.engine, database.backend
    body: dict[str, Any] = {
        "status": "ok",
        "database": "ok",
        "journal_mode": None,
        "schema_revision": None,
    }
    problem = None
    try:
        async with engine.connect() as conn:
            body["journal_mode"] = await backend.journal_mode(conn)
            try:
                revision = (
                    await conn.execute(text("SELECT version_num FROM alembic_version"))
                ).scalar()
            except SQLAlchemyError:
                revision = None  # table missing: never migrated
            body["schema_revision"] = revision
            if revision == head_revision():
                problem = await backend.write_problem(conn, database.url)
    except (SQLAlchemyError, OSError) as error:
        log.warning("health: the database cannot be used: %s", error)
        cause = backend.lasting_cause(getattr(error, "orig", None) or error, database.url)
        detail = cause[1] if cause else "the database cannot be reached"
        body.update(status="unavailable", database="unreachable", detail=detail)
        return JSONResponse(body, status_code=503)
    if body["schema_revision"] != head_revision():
        body["status"] = "not_migrated"
        body["detail"] = (
            f"the schema is at revision {body['schema_revision'] or 'none'}, not at "
            f"{head_revision()}: run `spendsense migrate`"
        )
        return JSONResponse(body, status_code=503)
    if problem is not None:
        state, detail = problem
        body.update(status=state, database=state, detail=detail)
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)
