"""/api/v1 routes for personas: a user's persona assignments, per window.

Lists are newest first (assigned_at desc, id desc); "current" is the first row
of that order for one window, so both agree on which assignment is latest.
"""

from typing import Annotated, Any, cast

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.api.deps import JSON_BODY, NOT_JSON, SessionDep, get_or_404
from app.api.pagination import DEFAULT_LIMIT, CursorQuery, Keyset, LimitQuery, fetch_page
from app.models import Page, Persona, PersonaCreate, PersonaPublic, User
from app.models.persona import DEFAULT_WINDOW, PersonaWindow
from app.models.types import utcnow

router = APIRouter(tags=["personas"])

NEWEST_FIRST = Keyset(
    cast(
        tuple[InstrumentedAttribute[Any], ...],
        (Persona.assigned_at, Persona.id),
    )
)

WindowFilter = Annotated[PersonaWindow | None, Query(description="Only this window")]
WindowQuery = Annotated[PersonaWindow, Query(description="The window (30d or 180d)")]


async def _require_user(session: AsyncSession, user_id: str) -> None:
    await get_or_404(session, User, user_id, "user")


def _user_personas(user_id: str, window: PersonaWindow | None) -> SelectOfScalar[Persona]:
    stmt = select(Persona).where(col(Persona.user_id) == user_id)
    if window is not None:
        stmt = stmt.where(col(Persona.window) == window)
    return stmt


@router.post(
    "/users/{user_id}/personas",
    response_model=PersonaPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[JSON_BODY],
    responses={**NOT_JSON, 404: {"description": "Unknown user"}},
)
async def assign_persona(user_id: str, body: PersonaCreate, session: SessionDep) -> Persona:
    """Record a persona assignment for a user (assigned_at defaults to now)."""
    await _require_user(session, user_id)
    persona = Persona(
        user_id=user_id,
        window=body.window,
        persona_type=body.persona_type,
        confidence=body.confidence,
        assigned_at=body.assigned_at or utcnow(),
    )
    session.add(persona)
    await session.commit()
    return persona


@router.get(
    "/users/{user_id}/personas",
    response_model=Page[PersonaPublic],
    responses={404: {"description": "Unknown user"}},
)
async def list_personas(
    user_id: str,
    session: SessionDep,
    window: WindowFilter = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[Persona]:
    """A user's persona assignments, newest first (assigned_at, then id)."""
    await _require_user(session, user_id)
    rows, next_cursor = await fetch_page(
        session, _user_personas(user_id, window), NEWEST_FIRST, cursor, limit
    )
    return Page(items=rows, next_cursor=next_cursor)


@router.get(
    "/users/{user_id}/personas/current",
    response_model=PersonaPublic,
    responses={404: {"description": "Unknown user, or no assignment for that window"}},
)
async def current_persona(
    user_id: str, session: SessionDep, window: WindowQuery = DEFAULT_WINDOW
) -> Persona:
    """The latest assignment for the window: greatest assigned_at, then greatest id."""
    await _require_user(session, user_id)
    rows, _ = await fetch_page(session, _user_personas(user_id, window), NEWEST_FIRST, None, 1)
    if not rows:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=f"user {user_id!r} has no persona for window {window!r}",
        )
    return rows[0]
