"""Content: the educational catalogue, filterable by type, persona and signal.

persona_tags and signal_tags are JSON arrays stored as text. Filters match a
whole element exactly (case-sensitive): signal=debt never matches "debt_payoff"
or "Debt". Each backend tests membership with its own JSON functions, so the
stored formatting does not matter.
"""

from typing import Any

from sqlalchemy import ColumnElement, exists, func, literal
from sqlalchemy import cast as sql_cast
from sqlalchemy import select as sql_select
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Content, ContentCreate, ContentType, ContentUpdate, Page, PersonaType
from app.services import repository
from app.services.pagination import Keyset, fetch_page

NEWEST_FIRST = Keyset.of(Content.created_at, Content.id)


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def json_array_has(column: Any, value: str, dialect: str) -> ColumnElement[bool]:
    """True where the JSON array in `column` has a string element equal to `value`."""
    if dialect == "postgresql":
        # jsonb `?`: a top-level string element (or key) equal to the text.
        has_key: ColumnElement[bool] = sql_cast(column, JSONB).has_key(value)
        return has_key
    elements = func.json_each(column).table_valued("value")
    return exists(sql_select(literal(1)).select_from(elements).where(elements.c.value == value))


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
    dialect = _dialect(session)
    if type is not None:
        stmt = stmt.where(col(Content.type) == type)
    if persona is not None:
        stmt = stmt.where(json_array_has(Content.persona_tags, persona.value, dialect))
    if signal is not None:
        stmt = stmt.where(json_array_has(Content.signal_tags, signal, dialect))
    return await fetch_page(session, stmt, NEWEST_FIRST, cursor, limit)


async def create(session: AsyncSession, data: ContentCreate) -> Content:
    """Add an item to the catalogue; without `id` the server assigns `cnt_<hex>`."""
    return await repository.add_new(session, Content, data, what="content", prefix="cnt")


async def update(session: AsyncSession, content_id: str, changes: ContentUpdate) -> Content:
    """Change the fields sent; the others keep their values."""
    return await repository.save_changes(session, await get(session, content_id), changes)


async def delete(session: AsyncSession, content_id: str) -> None:
    await repository.delete_or_raise(session, Content, content_id, "content")
