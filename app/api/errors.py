"""Every error becomes a JSON body with `detail`, in one place.

FastAPI already answers its own errors (404/405 for unknown routes, 422 for
validation, 400 for an unparsable body) with a JSON `detail`; the handlers
here cover the rest: the services' domain errors (each class has its status
here and nowhere else), 422 bodies that echo unrenderable input, database
conflicts (409), values the database refuses (422), an unreachable or busy
database (503, with Retry-After) and unexpected failures (500).
"""

import json
import logging
import math
import re
from typing import Any

from fastapi import FastAPI, HTTPException, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from app.db_status import lasting_cause
from app.services import retry
from app.services.errors import (
    Busy,
    Conflict,
    ConsentRequired,
    DomainError,
    InvalidCursor,
    InvalidInput,
    NotFound,
    UnknownReferences,
)

log = logging.getLogger(__name__)


async def integrity_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Last line of defence: routes check ids first, but a race can still hit a
    constraint. The transaction has been rolled back; report a conflict."""
    log.info("integrity error on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {
            "detail": "the change conflicts with existing data (duplicate id or email, or a "
            "missing parent)"
        },
        status_code=status.HTTP_409_CONFLICT,
    )


# SQLSTATE classes that mean the database cannot serve requests now, whatever
# the request: connection exception (08), invalid authorization (28), no such
# database (3D), insufficient resources such as too many connections (53),
# shutdown in progress or not accepting connections yet (57P).
_UNAVAILABLE_SQLSTATES = ("08", "28", "3D", "53", "57P")


async def database_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Database errors other than conflicts. A value the database cannot store
    (SQLSTATE class 22, e.g. text with NUL on PostgreSQL) is the client's 422;
    a database that cannot be reached, entered (missing, wrong credentials) or
    is locked is a 503, and so is one that refuses writes for a lasting cause
    (read-only, disk full), with a detail naming it; anything else is a bug."""
    assert isinstance(exc, DBAPIError)
    sqlstate = retry.sqlstate(exc)
    if sqlstate.startswith("22"):
        log.info("data error on %s %s: %s", request.method, request.url.path, exc.orig)
        error = {"type": "value_error", "loc": ["body"], "msg": f"value not storable: {exc.orig}"}
        return JSONResponse(
            {"detail": [_json_safe(error)]}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT
        )
    cause = lasting_cause(exc)
    if cause is not None:
        # Read-only, disk full: retrying will not help until someone acts.
        log.error("database refuses %s %s: %s", request.method, request.url.path, exc.orig)
        return JSONResponse(
            {"detail": cause[1]},
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers=LASTING_RETRY_AFTER,
        )
    if retry.is_retryable(exc):
        # A deadlock or serialization failure outside a service's retries.
        return _busy(request, exc)
    if (
        isinstance(exc, OperationalError | InterfaceError)
        or exc.connection_invalidated
        or sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    ):
        return await database_unavailable_handler(request, exc)
    return await unexpected_error_handler(request, exc)


async def database_unavailable_handler(request: Request, exc: Exception) -> JSONResponse:
    """The database cannot be reached (asyncpg raises a plain ConnectionError
    when the server refuses) or is locked past the busy timeout: 503."""
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {"detail": "database unavailable, try again later"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers=RETRY_AFTER,
    )


# Every 503 says when to try again (RFC 9110 Retry-After, seconds). A lasting
# cause (read-only database, full disk) needs an operator: a longer wait.
RETRY_AFTER = {"Retry-After": str(Busy.retry_after_seconds)}
LASTING_RETRY_AFTER = {"Retry-After": "60"}


def _busy(request: Request, exc: Exception) -> JSONResponse:
    log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {"detail": Busy().detail},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers=RETRY_AFTER,
    )


async def pool_exhausted_handler(request: Request, exc: Exception) -> JSONResponse:
    """Every pooled connection stayed busy for DB_POOL_TIMEOUT: the service is
    overloaded, not broken. 503, so clients and load balancers back off."""
    log.error("no database connection free on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {"detail": "every database connection is busy, try again later"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers=RETRY_AFTER,
    )


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


# FastAPI's answer to a body its JSON reader cannot read at all (not UTF-8,
# nested too deep, a number too long): 400.
UNREADABLE_BODY = "There was an error parsing the body"


def raw_body_error(body: bytes, exc: ValidationError) -> Exception:
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
            return RequestValidationError(
                [
                    {
                        "type": "json_invalid",
                        "loc": ("body", decode_error.pos),
                        "msg": "JSON decode error",
                        "input": {},
                        "ctx": {"error": decode_error.msg},
                    }
                ]
            )
        except Exception:  # UnicodeDecodeError, RecursionError, ValueError (digits)
            return HTTPException(status.HTTP_400_BAD_REQUEST, detail=UNREADABLE_BODY)
    return RequestValidationError(
        [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
    )


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's standard 422 body (`detail: [{type, loc, msg, input, ctx}]`),
    made safe to render whatever the client sent."""
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(
        {"detail": jsonable_encoder(_json_safe(exc.errors()))},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


# The status of each domain error (app.services.errors); InvalidInput is a
# 422 and UnknownReferences a 404, both in FastAPI's validation-error shape.
DOMAIN_STATUS: dict[type[DomainError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    InvalidCursor: status.HTTP_400_BAD_REQUEST,
    ConsentRequired: status.HTTP_403_FORBIDDEN,
    Busy: status.HTTP_503_SERVICE_UNAVAILABLE,
}


async def domain_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """A service refused the request: its status, and its detail for a person;
    InvalidInput in FastAPI's 422 shape, `loc` under the request body."""
    if isinstance(exc, InvalidInput):
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors]
        response = await validation_error_handler(request, RequestValidationError(errors))
        if isinstance(exc, UnknownReferences):
            response.status_code = status.HTTP_404_NOT_FOUND
        return response
    assert isinstance(exc, DomainError)
    if isinstance(exc, Busy):
        return _busy(request, exc)
    status_code = next(code for kind, code in DOMAIN_STATUS.items() if isinstance(exc, kind))
    return JSONResponse({"detail": exc.detail}, status_code=status_code)


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
    app.add_exception_handler(IntegrityError, integrity_error_handler)
    app.add_exception_handler(DBAPIError, database_error_handler)
    app.add_exception_handler(ConnectionError, database_unavailable_handler)
    app.add_exception_handler(PoolTimeout, pool_exhausted_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
