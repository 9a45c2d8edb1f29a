"""The OpenAPI document, made to tell the truth about every operation.

FastAPI documents what a route declares: its parameters, body, success
status and the `responses=` of its decorator. The service answers more than
that on every route, from middlewares and shared handlers; `install_openapi`
adds those statuses to every operation by construction, so a new route gets
them without declaring anything:

- 401 with `WWW-Authenticate` (and the bearer scheme) on every /api/v1
  operation, when an API key is configured (without one the API is open and
  the document says so: no security, no 401);
- 400 on an operation with a body (unreadable: not UTF-8, nested too deep,
  a number too long) or a `cursor` parameter (malformed cursor);
- 404 on an operation with path parameters (unknown resource), unless the
  route describes its own;
- 413 on every operation (a body over MAX_BODY_BYTES, declared or streamed);
- 415 on every operation with a body (not sent as JSON);
- 503 with `Retry-After` on every /api/v1 operation (database unavailable,
  locked or busy);
- every error response without a schema gets `Error` (`{"detail": str}`);
  422 keeps FastAPI's HTTPValidationError.

What a route declares itself: statuses only it can answer (403, 409, a 404
that says what is unknown, or a 404/422 with another schema), in its
decorator's `responses=`; its body schema; and, in its docstring, the rules
no schema can state. Operation ids are `<tag>-<route name>` (operation_id),
e.g. `users-create`: a route's `name=` is its short action.
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.api.deps import is_json_media_type
from app.config import get_settings

SCHEME_NAME = "HTTPBearer"
ERROR = "Error"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR}"}
VALIDATION_ERROR_REF = {"$ref": "#/components/schemas/HTTPValidationError"}
BODY_METHODS = frozenset({"post", "put", "patch"})

# How the document describes the statuses complete() adds.
DOC_UNREADABLE_BODY = "Body not readable as JSON: not UTF-8, nested too deep, or a number too long"
DOC_MALFORMED_CURSOR = "Malformed cursor: it does not match the `cursor` pattern"
DOC_TOO_LARGE = "Request body larger than MAX_BODY_BYTES (16 MiB unless configured)"
DOC_NOT_JSON = "Body not sent as JSON (application/json or a +json type)"
DOC_UNREADABLE_FORM = "Body not readable: a malformed multipart form"
DOC_UNAVAILABLE = (
    "Database unavailable, locked, or busy with conflicting requests: "
    "try again after `Retry-After` seconds"
)
DOC_UNAUTHORIZED = "Missing or invalid API key (`Authorization: Bearer <key>`)"


# Schemas of bodies a route parses itself (no typed body parameter), by
# name, added to the document's components (component_schema).
_EXTRA_SCHEMAS: dict[str, dict[str, Any]] = {}


def component_schema(model: type[BaseModel], **overrides: Any) -> dict[str, Any]:
    """A reference to `model`'s schema (and the models it uses) among the
    document's components, for a route that documents a body it does not
    declare as a parameter: generated clients get a named model for it.
    `overrides` replace properties of the model's own schema."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        _EXTRA_SCHEMAS[name] = definition
    for name, value in overrides.items():
        schema["properties"][name].update(value)
    _EXTRA_SCHEMAS[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def operation_id(route: APIRoute) -> str:
    """`<first tag>-<route name>`, underscores as dashes: `users-create`.
    Short and stable, so generated clients read like a hand-written SDK."""
    tag = str(route.tags[0]) if route.tags else "service"
    name = tag if route.name == tag else f"{tag}-{route.name}"
    return name.replace("_", "-").lower()


def _header(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "required": True, "schema": schema}


def _add(responses: dict[str, Any], status: int, description: str, **extra: Any) -> None:
    """Document `status`, or add `description` to the route's own."""
    response = responses.setdefault(str(status), {"description": description})
    if description not in response["description"]:
        response["description"] += f"; or: {description}"
    for key, value in extra.items():
        response.setdefault(key, {}).update(value)


# Keys that describe a parameter as a whole rather than one of its types.
_ANNOTATIONS = ("title", "description", "default", "examples")
EMPTY_VALUE = {"type": "string", "maxLength": 0}


def _admit_empty(parameter: dict[str, Any]) -> None:
    """An optional query parameter sent empty counts as not sent (the
    EmptyQueryMiddleware drops it), so its schema admits the empty string."""
    if parameter["name"] == "cursor":
        return  # its pattern admits "" already: the first page
    schema: dict[str, Any] = parameter["schema"]
    if "anyOf" in schema:
        if EMPTY_VALUE not in schema["anyOf"]:
            schema["anyOf"].append(dict(EMPTY_VALUE))
        return
    typed = {key: value for key, value in schema.items() if key not in _ANNOTATIONS}
    kept = {key: value for key, value in schema.items() if key in _ANNOTATIONS}
    parameter["schema"] = {"anyOf": [typed, dict(EMPTY_VALUE)], **kept}


def complete(schema: dict[str, Any], prefix: str, api_key: bool) -> dict[str, Any]:
    """Add the statuses every operation can answer (see the module's doc)."""
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).update(_EXTRA_SCHEMAS)
    components["schemas"][ERROR] = {
        "title": ERROR,
        "type": "object",
        "properties": {"detail": {"title": "Detail", "type": "string"}},
        "required": ["detail"],
    }
    if api_key:
        components.setdefault("securitySchemes", {})[SCHEME_NAME] = {
            "type": "http",
            "scheme": "bearer",
            "description": "SPENDSENSE_API_KEY",
        }
    for path, operations in schema["paths"].items():
        guarded = path == prefix or path.startswith(prefix + "/")
        for method, operation in operations.items():
            responses: dict[str, Any] = operation["responses"]
            parameters = operation.get("parameters", [])
            if guarded and api_key:
                operation["security"] = [{SCHEME_NAME: []}]
                www = _header("`Bearer`", {"type": "string", "const": "Bearer"})
                _add(responses, 401, DOC_UNAUTHORIZED, headers={"WWW-Authenticate": www})
            if "requestBody" in operation or method in BODY_METHODS:
                media = list(operation.get("requestBody", {}).get("content", {}))
                if not media or any(is_json_media_type(m) for m in media):
                    _add(responses, 400, DOC_UNREADABLE_BODY)
                    _add(responses, 415, DOC_NOT_JSON)
                elif "415" not in responses:  # an upload: the route says what it takes
                    _add(responses, 415, f"Body not sent as one of: {', '.join(media)}")
                else:
                    _add(responses, 400, DOC_UNREADABLE_FORM)
            if any(p["in"] == "query" and p["name"] == "cursor" for p in parameters):
                _add(responses, 400, DOC_MALFORMED_CURSOR)
            if guarded:
                for parameter in parameters:
                    if parameter["in"] == "query" and not parameter.get("required"):
                        _admit_empty(parameter)
            path_parameters = [p["name"] for p in parameters if p["in"] == "path"]
            if guarded and path_parameters and "404" not in responses:
                what = ", ".join(
                    name.removesuffix("_id").replace("_", " ") for name in path_parameters
                )
                _add(responses, 404, f"Unknown {what}")
            if "413" not in responses:  # the imports have a limit of their own
                _add(responses, 413, DOC_TOO_LARGE)
            if guarded:
                seconds = _header("Seconds", {"type": "string", "pattern": "^[0-9]+$"})
                _add(responses, 503, DOC_UNAVAILABLE, headers={"Retry-After": seconds})
            for status, response in responses.items():
                if status[0] in "45" and "content" not in response:
                    ref = VALIDATION_ERROR_REF if status == "422" else ERROR_REF
                    response["content"] = {"application/json": {"schema": ref}}
            operation["responses"] = dict(sorted(responses.items()))
    return schema


def install_openapi(app: FastAPI, prefix: str) -> None:
    """Serve the completed document; built once per API-key state (tests
    switch the key on and off)."""
    build: Callable[[], dict[str, Any]] = app.openapi
    documents: dict[bool, dict[str, Any]] = {}

    def openapi() -> dict[str, Any]:
        key = get_settings().spendsense_api_key
        api_key = key is not None and bool(key.get_secret_value())
        if api_key not in documents:
            app.openapi_schema = None
            documents[api_key] = complete(build(), prefix, api_key)
        app.openapi_schema = documents[api_key]
        return documents[api_key]

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way
