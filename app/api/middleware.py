"""The ASGI middlewares every request passes through, outermost first:

- APIKeyMiddleware: `Authorization: Bearer <key>` must carry
  SPENDSENSE_API_KEY on every /api/v1 route; with no key configured the API
  is open. Pure ASGI rather than a FastAPI dependency: FastAPI solves a
  dependency on every request, about 10 µs, which was 8 % of the hottest
  read. It runs before routing, so a request without the key learns nothing
  else (body size, media type, validation, whether an id exists).
  document_api_key() puts the scheme into the OpenAPI document, where a
  dependency would have put it.
- BodySizeLimitMiddleware: 413 for a body over MAX_BODY_BYTES, declared or
  streamed.
- EmptyQueryMiddleware: a query parameter sent empty (`?type=&persona=`) is
  the same as one not sent, on every /api/v1 route.
"""

import re
import secrets
from collections.abc import Callable

from fastapi import FastAPI, status
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import get_settings

# --- API key ----------------------------------------------------------------------

_UNAUTHORIZED = JSONResponse(
    {"detail": "missing or invalid API key"},
    status_code=status.HTTP_401_UNAUTHORIZED,
    headers={"WWW-Authenticate": "Bearer"},
)


class APIKeyMiddleware:
    """401 for a request under `prefix` without the configured key."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._guarded(scope) and not _has_key(scope):
            await _UNAUTHORIZED(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _guarded(self, scope: Scope) -> bool:
        return _under(scope, self.prefix)


def _has_key(scope: Scope) -> bool:
    key = get_settings().spendsense_api_key
    if key is None or not key.get_secret_value():
        return True
    scheme, _, sent = Headers(scope=scope).get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        sent = ""
    # Constant-time: the comparison must not tell how much of a key matched.
    return secrets.compare_digest(sent.encode(), key.get_secret_value().encode())


# --- body size --------------------------------------------------------------------


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes the limit. An
    HTTPException, so FastAPI's body reader passes it on unchanged (it turns
    other exceptions into a 400) and the app's handler answers 413 in JSON."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(status.HTTP_413_CONTENT_TOO_LARGE, too_large_detail(max_bytes))


def too_large_detail(max_bytes: int) -> str:
    return f"request body larger than {max_bytes} bytes"


class BodySizeLimitMiddleware:
    """Answer 413 when a request body exceeds `max_bytes`: at once when the
    declared Content-Length is too large, otherwise (chunked bodies) as soon as
    the bytes read so far pass the limit. Paths that `other_limit` gives a
    limit of their own (the imports: SPENDSENSE_IMPORT_MAX_BYTES plus room
    for a multipart envelope) are held to that one instead; their routes
    check the file's exact size themselves."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, other_limit: Callable[[str], int | None] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.other_limit = other_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.other_limit(_route_path(scope)) if self.other_limit else None
        max_bytes = limit or self.max_bytes
        has_body = False
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit() or int(value) > max_bytes:
                    await self._reject(send, max_bytes)
                    return
                has_body = True
            elif name == b"transfer-encoding":
                has_body = True
        if not has_body:
            # HTTP/1.1: a request with neither header has no body (most
            # GETs, the hottest reads): nothing to count, no wrappers.
            await self.app(scope, receive, send)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise BodyTooLarge(max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            # Reached only when no handler inside answered (e.g. a non-FastAPI app).
            if not response_started:
                await self._reject(send, max_bytes)

    async def _reject(self, send: Send, max_bytes: int) -> None:
        response = JSONResponse(
            {"detail": too_large_detail(max_bytes)},
            status_code=status.HTTP_413_CONTENT_TOO_LARGE,
        )
        await response({"type": "http"}, _empty_receive, send)


async def _empty_receive() -> Message:
    return {"type": "http.disconnect"}


# --- empty query parameters ---------------------------------------------------------


class EmptyQueryMiddleware:
    """Drop the query parameters sent without a value (`name=` or a bare
    `name`) on routes under `prefix`, before FastAPI reads them: the contract
    writes its filters that way (`GET /content?type=&persona=&signal=`,
    `/personas?window=`), and clients such as httpx send an optional
    parameter that is None as `name=`. An empty filter is no filter, an empty
    `limit` the default, an empty `cursor` the first page."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query: bytes = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if query and _under(scope, self.prefix):
            kept = [part for part in query.split(b"&") if part.partition(b"=")[2]]
            if len(kept) != query.count(b"&") + 1:
                scope = {**scope, "query_string": b"&".join(kept)}
        await self.app(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path the router matches: without the root_path a proxy mounts the
    app under, stripped the way Starlette's router strips it."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root + "/"):
        path = path[len(root) :]
    return path


def _under(scope: Scope, prefix: str) -> bool:
    """Is the request under `prefix`?"""
    path = _route_path(scope)
    return path == prefix or path.startswith(prefix + "/")


# What a multipart envelope and its form fields may add to an imported file.
MULTIPART_ROOM = 1024 * 1024
_IMPORT_PATH = re.compile(r"/users/[^/]+/(?:imports|plaid/transactions-sync|plaid/accounts)")


def import_body_limit(prefix: str, import_max_bytes: int) -> Callable[[str], int | None]:
    """The body limit of the import routes (None for every other path)."""
    limit = import_max_bytes + MULTIPART_ROOM

    def other_limit(path: str) -> int | None:
        if path.startswith(prefix) and _IMPORT_PATH.fullmatch(path, len(prefix)):
            return limit
        return None

    return other_limit


def install_middleware(app: FastAPI, api_prefix: str) -> None:
    """Added innermost first: the API key check runs before everything."""
    app.add_middleware(EmptyQueryMiddleware, prefix=api_prefix)
    settings = get_settings()
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        other_limit=import_body_limit(api_prefix, settings.spendsense_import_max_bytes),
    )
    app.add_middleware(APIKeyMiddleware, prefix=api_prefix)
