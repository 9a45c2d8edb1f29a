"""Query parameters of the transaction list routes: the filters, validated
in one pydantic call, and their OpenAPI description."""

from typing import Annotated, Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import ColumnElement
from sqlmodel import col

from app.api.pagination import DEFAULT_LIMIT
from app.models import Transaction
from app.models.transaction import Category
from app.models.types import MAX_CENTS, Id, UTCDatetime

QueryAmount = Annotated[int, Field(ge=-MAX_CENTS, le=MAX_CENTS)]


class TransactionFilters(BaseModel):
    """Query parameters of both list routes, validated in one pydantic call
    (much cheaper per request than FastAPI resolving each parameter)."""

    start: UTCDatetime | None = Field(
        None, description="Earliest `date`, inclusive (datetime, naive = UTC, or a date)"
    )
    end: UTCDatetime | None = Field(
        None, description="Latest `date`, exclusive (datetime, naive = UTC, or a date)"
    )
    category: Category | None = None
    pending: bool | None = None
    min_amount: QueryAmount | None = Field(None, description="Smallest amount, cents, inclusive")
    max_amount: QueryAmount | None = Field(None, description="Largest amount, cents, inclusive")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500, description="Page size (1-500)")
    cursor: str | None = Field(
        None, max_length=1000, description="Opaque cursor from `next_cursor`"
    )

    def clauses(self) -> list[ColumnElement[bool]]:
        """WHERE clauses for the filters sent (start after end is 422)."""
        _check_range("start", self.start, "end", self.end)
        _check_range("min_amount", self.min_amount, "max_amount", self.max_amount)
        clauses: list[ColumnElement[bool]] = []
        if self.start is not None:
            clauses.append(col(Transaction.date) >= self.start)
        if self.end is not None:
            clauses.append(col(Transaction.date) < self.end)
        if self.category is not None:
            clauses.append(col(Transaction.category) == self.category)
        if self.pending is not None:
            clauses.append(col(Transaction.pending) == self.pending)
        if self.min_amount is not None:
            clauses.append(col(Transaction.amount) >= self.min_amount)
        if self.max_amount is not None:
            clauses.append(col(Transaction.amount) <= self.max_amount)
        return clauses


class GlobalTransactionFilters(TransactionFilters):
    account_id: Id | None = None
    user_id: Id | None = Field(None, description="Transactions of all the user's accounts")


def _check_range(low_name: str, low: Any, high_name: str, high: Any) -> None:
    if low is not None and high is not None and low > high:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", high_name),
                    "msg": f"{high_name} must not be before {low_name}",
                    "type": "value_error",
                    "input": str(high),
                }
            ]
        )


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
