"""/api/v1 routes for content: the catalogue, filterable by type, persona and signal."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.api.deps import JSON_BODY, SessionDep, conflict, unknown
from app.api.params import DEFAULT_PAGE_SIZE, PageSizeQuery, cursor_query
from app.models import (
    Content,
    ContentCreate,
    ContentPublic,
    ContentType,
    ContentUpdate,
    Page,
    PersonaType,
)
from app.models.content import SignalTag
from app.services import content

router = APIRouter(tags=["content"])

CursorQuery = Annotated[str | None, cursor_query(content.NEWEST_FIRST)]

TypeFilter = Annotated[ContentType | None, Query(description="Only content of this type")]
PersonaFilter = Annotated[
    PersonaType | None, Query(description="Only content whose persona_tags include this persona")
]
SignalFilter = Annotated[
    SignalTag | None, Query(description="Only content whose signal_tags include this exact tag")
]
NOT_FOUND = unknown("content id")


@router.post(
    "/content",
    name="create",
    response_model=ContentPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[JSON_BODY],
    responses={**conflict("Content with that id already exists")},
)
async def create_content(body: ContentCreate, session: SessionDep) -> Content:
    """Add an item to the catalogue; without `id` the server assigns `cnt_<hex>`."""
    return await content.create(session, body)


@router.get("/content", name="list", response_model=Page[ContentPublic])
async def list_content(
    session: SessionDep,
    type: TypeFilter = None,
    persona: PersonaFilter = None,
    signal: SignalFilter = None,
    limit: PageSizeQuery = DEFAULT_PAGE_SIZE,
    cursor: CursorQuery = None,
) -> Page[Content]:
    """The catalogue, newest first (created_at, then id); filters combine with AND."""
    return await content.list_page(
        session, type=type, persona=persona, signal=signal, cursor=cursor, limit=limit
    )


@router.get("/content/{content_id}", name="get", response_model=ContentPublic, responses=NOT_FOUND)
async def get_content(content_id: str, session: SessionDep) -> Content:
    return await content.get(session, content_id)


@router.patch(
    "/content/{content_id}",
    name="update",
    response_model=ContentPublic,
    dependencies=[JSON_BODY],
    responses={**NOT_FOUND},
)
async def update_content(content_id: str, body: ContentUpdate, session: SessionDep) -> Content:
    """Change the fields sent; the others keep their values."""
    return await content.update(session, content_id, body)


@router.delete(
    "/content/{content_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
)
async def delete_content(content_id: str, session: SessionDep) -> None:
    await content.delete(session, content_id)
