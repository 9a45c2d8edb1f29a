"""Dependencies and helpers shared by the routers: the session, JSON-only
bodies, lookups that answer 404."""

import re
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request, Response, status
from sqlalchemy import delete
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import get_session
from app.models.types import ID_PATTERN

SessionDep = Annotated[AsyncSession, Depends(get_session)]

ModelT = TypeVar("ModelT", bound=SQLModel)

_id_re = re.compile(ID_PATTERN)


NOT_JSON_DETAIL = "send the body as application/json"


def is_json_media_type(content_type: str) -> bool:
    """application/json or application/<anything>+json, parameters (charset)
    ignored, any case: the rule FastAPI uses to decide whether to parse a body
    as JSON, so whatever passes here is parsed."""
    maintype, _, subtype = content_type.partition(";")[0].strip().lower().partition("/")
    return (
        maintype == "application"
        and "/" not in subtype
        and (subtype == "json" or subtype.endswith("+json"))
    )


async def require_json_body(request: Request) -> None:
    """415 for a body not sent as JSON: its Content-Type is another media type
    or missing (a careful client always declares it; guessing would hide the
    mistake). A request without a body passes: the route's 422 says the body
    is required. FastAPI has already read the body of a route with a body
    parameter, so `request.body()` costs nothing there; a JSON request never
    reaches it."""
    content_type = request.headers.get("content-type")
    if content_type is not None and is_json_media_type(content_type):
        return
    if await request.body():
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, detail=NOT_JSON_DETAIL)


# On every route that takes a JSON body (POST, PUT, PATCH), in its decorator:
# `dependencies=[JSON_BODY], responses={**NOT_JSON, ...}`. Per route, not per
# router: a router-wide dependency would be solved on every GET too. It runs
# after the API key check and before the session is opened.
JSON_BODY = Depends(require_json_body)
NOT_JSON: dict[int | str, dict[str, Any]] = {
    415: {"description": "Body not sent as JSON (application/json or a +json type)"}
}


def is_valid_id(value: str) -> bool:
    return _id_re.fullmatch(value) is not None


def not_found(what: str, ident: Any) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"{what} {ident!r} not found")


async def get_or_404(session: AsyncSession, model: type[ModelT], ident: str, what: str) -> ModelT:
    """The row with primary key `ident`, or 404. A path id that could never
    exist (not 1-50 chars of [A-Za-z0-9_-]) is simply not found: no query."""
    row = await session.get(model, ident) if is_valid_id(ident) else None
    if row is None:
        raise not_found(what, ident)
    return row


async def ensure_absent(
    session: AsyncSession, model: type[SQLModel], ident: str, what: str
) -> None:
    """409 when a row with primary key `ident` already exists (create with a
    client-chosen id)."""
    if await session.get(model, ident) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=f"{what} {ident!r} already exists")


async def delete_or_404(
    session: AsyncSession, model: type[SQLModel], ident: str, what: str
) -> Response:
    """Delete the row with primary key `ident` in one statement and commit:
    204, or 404 when there is none. Rows that depend on it go in the same
    transaction, through the foreign keys' ON DELETE CASCADE."""
    deleted = 0
    if is_valid_id(ident):
        table = model.__table__  # type: ignore[attr-defined]
        result = await session.exec(delete(table).where(table.c.id == ident))
        deleted = result.rowcount
    if not deleted:
        raise not_found(what, ident)
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
