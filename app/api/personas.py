"""/api/v1 routes for personas: a user's persona assignments, per window."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.api.deps import JSON_BODY, PARENT_GONE, SessionDep, conflict, unknown
from app.api.params import DEFAULT_PAGE_SIZE, PageSizeQuery, cursor_query
from app.models import Page, Persona, PersonaCreate, PersonaPublic
from app.models.persona import DEFAULT_WINDOW, PersonaWindow
from app.services import persona_history

router = APIRouter(tags=["personas"])

CursorQuery = Annotated[str | None, cursor_query(persona_history.NEWEST_FIRST)]

UNKNOWN_USER = unknown("user")
WindowFilter = Annotated[PersonaWindow | None, Query(description="Only this window")]
WindowQuery = Annotated[PersonaWindow, Query(description="The window (30d or 180d)")]


@router.post(
    "/users/{user_id}/personas",
    name="record",
    response_model=PersonaPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[JSON_BODY],
    responses={**UNKNOWN_USER, **conflict(f"The user: {PARENT_GONE}")},
)
async def record_persona(user_id: str, body: PersonaCreate, session: SessionDep) -> Persona:
    """Record a persona assignment for a user (assigned_at defaults to now)."""
    return await persona_history.record(session, user_id, body)


@router.get(
    "/users/{user_id}/personas",
    name="list",
    response_model=Page[PersonaPublic],
    responses=UNKNOWN_USER,
)
async def list_personas(
    user_id: str,
    session: SessionDep,
    window: WindowFilter = None,
    limit: PageSizeQuery = DEFAULT_PAGE_SIZE,
    cursor: CursorQuery = None,
) -> Page[Persona]:
    """A user's persona assignments, newest first (assigned_at, then id)."""
    return await persona_history.list_page(session, user_id, window, cursor, limit)


@router.get(
    "/users/{user_id}/personas/current",
    name="current",
    response_model=PersonaPublic,
    responses={404: {"description": "Unknown user, or no assignment for that window"}},
)
async def current_persona(
    user_id: str, session: SessionDep, window: WindowQuery = DEFAULT_WINDOW
) -> Persona:
    """The latest assignment for the window: greatest assigned_at, then greatest id."""
    return await persona_history.current(session, user_id, window)
