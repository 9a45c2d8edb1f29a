"""Query parameters: the page size and cursor of every list, and query
strings validated by a model in one pydantic call (for a route that reads
its query string itself, documented from the same model)."""

from typing import Annotated, Any, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel, ValidationError

from app.models.common import CURSOR_DESCRIPTION, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from app.services.errors import InvalidInput
from app.services.pagination import Keyset

ModelT = TypeVar("ModelT", bound=BaseModel)

PageSizeQuery = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Page size (1-{MAX_PAGE_SIZE})")
]


def cursor_query(keyset: Keyset) -> Any:
    """`Annotated[str | None, cursor_query(keyset)]`: the `cursor` parameter
    of a list in `keyset`'s order. The pattern is documented, not checked by
    FastAPI: the service refuses a cursor that does not match it with 400
    "malformed cursor"."""
    return Query(
        max_length=1000,
        description=CURSOR_DESCRIPTION,
        json_schema_extra={"pattern": keyset.cursor_pattern},
    )


def parse_query(request: Request, model: type[ModelT]) -> ModelT:
    """The query string validated by one pydantic call (much cheaper per
    request than FastAPI resolving each parameter); 422 in FastAPI's shape."""
    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as exc:
        raise InvalidInput(exc.errors(include_url=False), under=("query",)) from None


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """OpenAPI query parameters for a model's fields (for a route that parses
    its query string itself with parse_query)."""
    schema = model.model_json_schema()
    parameters = []
    for name, field_schema in schema["properties"].items():
        description = field_schema.pop("description", None)
        field_schema.pop("title", None)
        parameter = {"name": name, "in": "query", "required": False, "schema": field_schema}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


__all__ = [
    "CURSOR_DESCRIPTION",
    "DEFAULT_PAGE_SIZE",
    "PageSizeQuery",
    "cursor_query",
    "parse_query",
    "query_parameters",
]
