"""Query parameters shared by the list routes: page size and cursor."""

from typing import Annotated

from fastapi import Query

from app.models.common import DEFAULT_LIMIT, MAX_LIMIT

LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (1-{MAX_LIMIT})")]
CursorQuery = Annotated[
    str | None, Query(max_length=1000, description="Opaque cursor from `next_cursor`")
]

__all__ = ["DEFAULT_LIMIT", "CursorQuery", "LimitQuery"]
