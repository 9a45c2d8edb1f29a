"""Schemas shared by several resources."""

from typing import ClassVar, Generic, Self, TypeVar

from pydantic import BaseModel, model_validator
from sqlmodel import SQLModel

T = TypeVar("T")

# Page size of every list: `limit` 1-500, default 50.
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    """A page of a keyset-paginated list."""

    items: list[T]
    next_cursor: str | None = None


class PatchModel(SQLModel):
    """Base of the XUpdate schemas: every field is optional, but the fields in
    `not_nullable` may only be omitted, never sent as null."""

    not_nullable: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _reject_nulls(self) -> Self:
        sent = self.model_fields_set
        nulls = [n for n in self.not_nullable if n in sent and getattr(self, n) is None]
        if nulls:
            raise ValueError(f"may be omitted but not null: {', '.join(nulls)}")
        return self
