"""Schemas shared by several resources."""

from typing import ClassVar, Generic, Self, TypeVar

from pydantic import BaseModel, model_validator
from sqlmodel import SQLModel

T = TypeVar("T")


def reject_nul(value: str | None) -> str | None:
    """Field validator for free text: PostgreSQL text cannot hold NUL (U+0000),
    so it is refused on every backend alike rather than failing at insert."""
    if value is not None and "\x00" in value:
        raise ValueError("must not contain NUL (U+0000) characters")
    return value


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
