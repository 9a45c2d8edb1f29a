"""Dependencies shared by the routers: the request's session and JSON-only
bodies, and the `responses=` helpers of their decorators."""

from typing import Annotated, Any

from fastapi import Depends, Request, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import get_session
from app.services.errors import UnsupportedMediaType

SessionDep = Annotated[AsyncSession, Depends(get_session)]


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
        raise UnsupportedMediaType("send the body as application/json")


# On every route that takes a JSON body (POST, PUT, PATCH), in its decorator:
# `dependencies=[JSON_BODY]`. Per route, not per router: a router-wide
# dependency would be solved on every GET too. It runs after the API key
# check and before the session is opened. (The OpenAPI document lists 415 on
# every body operation, app.api.openapi; a test checks that every body route
# does refuse.)
JSON_BODY = Depends(require_json_body)
# The `responses` of a route's decorator: extra statuses it documents.
Responses = dict[int | str, dict[str, Any]]


def json_response(body: bytes) -> Response:
    """A 200 whose JSON the service wrote itself (a page, streams)."""
    return Response(body, media_type="application/json")


def unknown(what: str) -> Responses:
    """The 404 of a route that looks a resource up by id."""
    return {404: {"description": f"Unknown {what}"}}


def conflict(description: str) -> Responses:
    """The 409 of a route whose change can collide with stored data."""
    return {409: {"description": description}}


# A row whose parent is deleted while it is being written: the foreign key
# refuses it (app.services.database_errors).
PARENT_GONE = "the parent was deleted meanwhile (a concurrent request)"
