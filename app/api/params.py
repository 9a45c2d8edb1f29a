"""Query parameters shared by the list routes: page size and cursor."""

from typing import Annotated, Any

from fastapi import Query

from app.models.common import CURSOR_DESCRIPTION, DEFAULT_LIMIT, MAX_LIMIT
from app.services.pagination import Keyset

LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (1-{MAX_LIMIT})")]


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


__all__ = ["CURSOR_DESCRIPTION", "DEFAULT_LIMIT", "LimitQuery", "cursor_query"]
