"""Every error becomes a JSON body with `detail`, by one handler.

The services' domain errors carry their status, headers and detail
(app.services.errors); so do the database's failures once translated
(app.services.database_errors), and FastAPI's own 422 for a request that
does not validate is rendered the same way. FastAPI's HTTP errors (404/405
for unknown routes) keep its JSON body, with a complete `Allow` on 405.
Anything else is a bug: logged with its traceback, answered 500 in JSON.
"""

import json
import logging
import math
import re
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from app.db import database_of
from app.services.database_errors import database_error
from app.services.errors import DomainError, InvalidInput, UnreadableBody

log = logging.getLogger(__name__)


def error_response(exc: DomainError) -> JSONResponse:
    """The one way a refusal becomes a response."""
    return JSONResponse(
        {"detail": jsonable_encoder(_json_safe(exc.detail))},
        status_code=exc.status_code,
        headers=dict(exc.headers),
    )


async def domain_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    if exc.status_code >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, exc.detail)
    return error_response(exc)


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 (`detail: [{type, loc, msg, input, ctx}]`), rendered like
    every other refusal."""
    assert isinstance(exc, RequestValidationError)
    return error_response(InvalidInput(exc.errors(), under=()))


async def database_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """A failure of the database or its driver: its domain error, else a bug."""
    database = database_of(request)
    refusal = database_error(exc, database.backend, database.url)
    if refusal is None:
        return await unexpected_error_handler(request, exc)
    log.log(
        logging.ERROR if refusal.status_code >= 500 else logging.INFO,
        "database refused %s %s: %s",
        request.method,
        request.url.path,
        exc,
    )
    return error_response(refusal)


async def unexpected_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """A bug: log it with its traceback, answer 500 with a JSON body like every
    other error (Starlette's default is plain text)."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        {"detail": "internal server error"}, status_code=status.HTTP_500_INTERNAL_SERVER_ERROR
    )


def _json_safe(value: Any) -> Any:
    """Make a validation error's echoed input and context renderable: JSON
    bodies may carry NaN/Infinity (Python's parser accepts them, the encoder
    refuses them) and `ctx.error` holds the exception a validator raised."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, BaseException):
        value = str(value)
    if isinstance(value, bytes):
        # Raw body bytes echoed by pydantic-core: any byte sequence, UTF-8 or not.
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, str):
        # A lone surrogate (JSON "\\ud800") cannot be encoded as UTF-8.
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def raw_body_error(body: bytes, exc: ValidationError) -> DomainError:
    """The error for a JSON body that a route validated from raw bytes itself
    (pydantic-core, the bulk route) and `exc` refused: the same answer FastAPI
    gives a route with a typed body, so every route treats a bad body alike.
    Malformed JSON is FastAPI's 422 `json_invalid`, a body its reader cannot
    read is a 400, and anything else is the validation error, `loc` under
    "body". Only on the error path: a valid body is parsed once, in Rust."""
    if any(error["type"] == "json_invalid" for error in exc.errors()):
        try:
            json.loads(body)  # what FastAPI (Starlette's Request.json) runs
        except json.JSONDecodeError as decode_error:
            invalid = {
                "type": "json_invalid",
                "loc": (decode_error.pos,),
                "msg": "JSON decode error",
                "input": {},
                "ctx": {"error": decode_error.msg},
            }
            return InvalidInput([invalid])
        except Exception:  # UnicodeDecodeError, RecursionError, ValueError (digits)
            return UnreadableBody()
    return InvalidInput(exc.errors(include_url=False))


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """FastAPI's own answer to an HTTPException, except that a 405 lists in
    `Allow` every method the path serves (RFC 9110), not only those of the
    first route whose path matched (Starlette's router stops there)."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        exc.headers = {**(exc.headers or {}), "Allow": allowed_methods(request)}
    return await http_exception_handler(request, exc)


def allowed_methods(request: Request) -> str:
    """The methods of the path's routes: of every route whose path template
    matches the request's path, those with the fewest parameters (a literal
    segment is more specific: /transactions/bulk is not a transaction id)."""
    # The path the router matched: without the root_path, as Starlette strips it.
    path: str = request.scope["path"]
    root: str = request.scope.get("root_path", "")
    if root and path.startswith(root + "/"):
        path = path[len(root) :]
    matching = [route for route in _route_table(request.app) if route[0].match(path)]
    fewest = min((params for _, params, _ in matching), default=0)
    methods = set[str]().union(*(m for _, params, m in matching if params == fewest))
    return ", ".join(sorted(methods))


RouteTable = list[tuple[re.Pattern[str], int, frozenset[str]]]


def _route_table(app: FastAPI) -> RouteTable:
    """(path regex, number of path parameters, methods) of every route with
    methods, included routers' routes too; built on the first 405 and kept
    on the app."""
    table: RouteTable | None = getattr(app.state, "route_methods", None)
    if table is None:
        table = []
        for route in iter_route_contexts(app.routes):
            if route.path is not None and route.methods:
                regex, _, convertors = compile_path(route.path)
                table.append((regex, len(convertors), frozenset(route.methods)))
        app.state.route_methods = table
    return table


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(DomainError, domain_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    for failure in (DBAPIError, ConnectionError, PoolTimeout):
        app.add_exception_handler(failure, database_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
