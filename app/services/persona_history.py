"""The history of a user's persona assignments, per window: recorded, listed,
current (rows written by hand or by the insights engine alike).

Lists are newest first (assigned_at desc, id desc); "current" is the first row
of that order for one window, so both agree on which assignment is latest.
"""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Page, Persona, PersonaCreate, User
from app.models.persona import PersonaWindow
from app.models.types import utcnow
from app.services import repository
from app.services.errors import NotFound
from app.services.pagination import Keyset, fetch_page

NEWEST_FIRST = Keyset.of(Persona.assigned_at, Persona.id)


def _of_user(user_id: str, window: PersonaWindow | None) -> SelectOfScalar[Persona]:
    stmt = select(Persona).where(col(Persona.user_id) == user_id)
    if window is not None:
        stmt = stmt.where(col(Persona.window) == window)
    return stmt


async def record(session: AsyncSession, user_id: str, data: PersonaCreate) -> Persona:
    """Record an assignment made elsewhere (assigned_at defaults to now)."""
    await repository.get_or_raise(session, User, user_id, "user")
    persona = Persona.model_validate(
        data, update={"user_id": user_id, "assigned_at": data.assigned_at or utcnow()}
    )
    session.add(persona)
    await session.commit()
    return persona


async def list_page(
    session: AsyncSession,
    user_id: str,
    window: PersonaWindow | None,
    cursor: str | None,
    limit: int,
) -> Page[Persona]:
    """A user's assignments, newest first (assigned_at, then id)."""
    await repository.get_or_raise(session, User, user_id, "user")
    return await fetch_page(session, _of_user(user_id, window), NEWEST_FIRST, cursor, limit)


async def current(session: AsyncSession, user_id: str, window: PersonaWindow) -> Persona:
    """The latest assignment for the window: greatest assigned_at, then id."""
    await repository.get_or_raise(session, User, user_id, "user")
    page = await fetch_page(session, _of_user(user_id, window), NEWEST_FIRST, None, 1)
    if not page.items:
        raise NotFound("persona", window, f"user {user_id!r} has no persona for window {window!r}")
    return page.items[0]
