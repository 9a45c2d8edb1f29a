"""/api/v1 routes for content: the catalogue, filterable by type, persona and signal.

persona_tags and signal_tags are JSON arrays stored as text. Filters match a
whole element exactly (case-sensitive): signal=debt never matches "debt_payoff"
or "Debt". Each backend tests membership with its own JSON functions, so the
stored formatting does not matter.
"""

from typing import Annotated, Any, cast
from uuid import uuid4

from fastapi import APIRouter, Query, Response, status
from pydantic import AfterValidator
from sqlalchemy import ColumnElement, exists, func, literal, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import col
from sqlmodel import select as sqlmodel_select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api.deps import (
    JSON_BODY,
    NOT_JSON,
    SessionDep,
    delete_or_404,
    ensure_absent,
    get_or_404,
)
from app.api.pagination import DEFAULT_LIMIT, CursorQuery, Keyset, LimitQuery, fetch_page
from app.models import Content, ContentCreate, ContentPublic, ContentType, ContentUpdate, Page
from app.models.content import MAX_SIGNAL_TAG_LENGTH, storable_text
from app.models.persona import PersonaType

router = APIRouter(tags=["content"])

NEWEST_FIRST = Keyset(
    cast(tuple[InstrumentedAttribute[Any], ...], (Content.created_at, Content.id))
)

TypeFilter = Annotated[ContentType | None, Query(description="Only content of this type")]
PersonaFilter = Annotated[
    PersonaType | None, Query(description="Only content whose persona_tags include this persona")
]
SignalFilter = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=MAX_SIGNAL_TAG_LENGTH,
        description="Only content whose signal_tags include this exact tag",
    ),
    AfterValidator(lambda v: None if v is None else storable_text(v)),
]

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown content id"}}


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def json_array_has(column: Any, value: str, dialect: str) -> ColumnElement[bool]:
    """True where the JSON array in `column` has a string element equal to `value`."""
    if dialect == "postgresql":
        # jsonb `?`: a top-level string element (or key) equal to the text.
        has_key: ColumnElement[bool] = sql_cast(column, JSONB).has_key(value)
        return has_key
    elements = func.json_each(column).table_valued("value")
    return exists(select(literal(1)).select_from(elements).where(elements.c.value == value))


@router.post(
    "/content",
    response_model=ContentPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[JSON_BODY],
    responses={**NOT_JSON, 409: {"description": "Content with that id already exists"}},
)
async def create_content(body: ContentCreate, session: SessionDep) -> Content:
    """Add an item to the catalogue; without `id` the server assigns `cnt_<hex>`."""
    if body.id is not None:
        await ensure_absent(session, Content, body.id, "content")
    content = Content(id=body.id or f"cnt_{uuid4().hex}", **body.model_dump(exclude={"id"}))
    session.add(content)
    await session.commit()
    return content


@router.get("/content", response_model=Page[ContentPublic])
async def list_content(
    session: SessionDep,
    type: TypeFilter = None,
    persona: PersonaFilter = None,
    signal: SignalFilter = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[Content]:
    """The catalogue, newest first (created_at, then id); filters combine with AND."""
    stmt = sqlmodel_select(Content)
    dialect = _dialect(session)
    if type is not None:
        stmt = stmt.where(col(Content.type) == type)
    if persona is not None:
        stmt = stmt.where(json_array_has(Content.persona_tags, persona.value, dialect))
    if signal is not None:
        stmt = stmt.where(json_array_has(Content.signal_tags, signal, dialect))
    rows, next_cursor = await fetch_page(session, stmt, NEWEST_FIRST, cursor, limit)
    return Page(items=rows, next_cursor=next_cursor)


@router.get("/content/{content_id}", response_model=ContentPublic, responses=NOT_FOUND)
async def get_content(content_id: str, session: SessionDep) -> Content:
    return await get_or_404(session, Content, content_id, "content")


@router.patch(
    "/content/{content_id}",
    response_model=ContentPublic,
    dependencies=[JSON_BODY],
    responses={**NOT_JSON, **NOT_FOUND},
)
async def update_content(content_id: str, body: ContentUpdate, session: SessionDep) -> Content:
    """Change the fields sent; the others keep their values."""
    content = await get_or_404(session, Content, content_id, "content")
    content.sqlmodel_update(body.model_dump(exclude_unset=True))
    session.add(content)
    await session.commit()
    return content


@router.delete("/content/{content_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
async def delete_content(content_id: str, session: SessionDep) -> Response:
    return await delete_or_404(session, Content, content_id, "content")
