"""Content: the educational catalogue, filterable by type, persona and signal.

persona_tags and signal_tags are JSON arrays stored as text. Filters match a
whole element exactly (case-sensitive): signal=debt never matches "debt_payoff"
or "Debt". Each database tests membership with its own JSON functions
(Backend.json_array_has), so the stored formatting does not matter.
"""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import backend_of
from app.models import Content, ContentCreate, ContentType, ContentUpdate, Page, PersonaType
from app.services import repository
from app.services.pagination import Keyset, fetch_page

NEWEST_FIRST = Keyset.of(Content.created_at, Content.id)


async def get(session: AsyncSession, content_id: str) -> Content:
    return await repository.get_or_raise(session, Content, content_id, "content")


async def list_page(
    session: AsyncSession,
    *,
    type: ContentType | None,
    persona: PersonaType | None,
    signal: str | None,
    cursor: str | None,
    limit: int,
) -> Page[Content]:
    """The catalogue, newest first (created_at, then id); filters combine with AND."""
    stmt = select(Content)
    backend = backend_of(session)
    if type is not None:
        stmt = stmt.where(col(Content.type) == type)
    if persona is not None:
        stmt = stmt.where(backend.json_array_has(Content.persona_tags, persona.value))
    if signal is not None:
        stmt = stmt.where(backend.json_array_has(Content.signal_tags, signal))
    return await fetch_page(session, stmt, NEWEST_FIRST, cursor, limit)


async def create(session: AsyncSession, data: ContentCreate) -> Content:
    """Add an item to the catalogue; without `id` the server assigns `cnt_<hex>`."""
    return await repository.add_new(session, Content, data, what="content", prefix="cnt")


async def update(session: AsyncSession, content_id: str, changes: ContentUpdate) -> Content:
    """Change the fields sent; the others keep their values."""
    return await repository.save_changes(session, await get(session, content_id), changes)


async def delete(session: AsyncSession, content_id: str) -> None:
    await repository.delete_or_raise(session, Content, content_id, "content")
