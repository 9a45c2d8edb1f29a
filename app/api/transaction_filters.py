"""The account page's query string, validated in one pydantic call (much
cheaper per request than FastAPI resolving each parameter), and its OpenAPI
description. The filters themselves are app.models.transaction.TransactionFilters."""

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from app.models.transaction import TransactionFilters


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """OpenAPI query parameters for a model's fields (for a route that parses
    its query string itself)."""
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


def parse_query(request: Request) -> TransactionFilters:
    """The query string validated by one pydantic call (422 in FastAPI's shape)."""
    try:
        return TransactionFilters.model_validate(dict(request.query_params))
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("query", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None
