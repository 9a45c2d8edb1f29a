"""Schemas shared by several resources."""

from typing import Any, ClassVar, Generic, Literal, Self, TypeVar

from pydantic import BaseModel, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema
from sqlmodel import Field, SQLModel

from app.models.types import IdColumn

T = TypeVar("T")

# The page size of every list: `limit` 1-500, default 50.
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def owner_id(target: str) -> Any:
    """The column naming the row's owner (`users.id`, `accounts.id`): its rows
    go with it (ON DELETE CASCADE), it is indexed for the owner's lists, and
    it compares bytewise like the id it references (IdColumn)."""
    return Field(
        foreign_key=target,
        ondelete="CASCADE",
        index=True,
        nullable=False,
        max_length=50,
        sa_type=IdColumn,
    )


def owner_key(target: str) -> Any:
    """The owner's id as the first column of the row's primary key (a user's
    choices, their stored streams): its rows go with it (ON DELETE CASCADE),
    and the primary key's index serves the owner's rows."""
    return Field(
        primary_key=True,
        foreign_key=target,
        ondelete="CASCADE",
        max_length=50,
        sa_type=IdColumn,
    )


class Page(BaseModel, Generic[T]):
    """A page of a keyset-paginated list."""

    items: list[T]
    next_cursor: str | None = None


class PatchModel(SQLModel):
    """Base of the XUpdate schemas: every field is optional, but the fields in
    `not_nullable` may only be omitted, never sent as null (their JSON
    schema admits no null either)."""

    not_nullable: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        target = handler.resolve_ref_schema(json_schema)
        for name in cls.not_nullable:
            prop = target["properties"][name]
            branches = [b for b in prop.get("anyOf", ()) if b.get("type") != "null"]
            if len(branches) == 1:
                del prop["anyOf"]
                prop.update(branches[0])
            prop.pop("default", None)
        return json_schema

    @model_validator(mode="after")
    def _reject_nulls(self) -> Self:
        sent = self.model_fields_set
        nulls = [n for n in self.not_nullable if n in sent and getattr(self, n) is None]
        if nulls:
            raise ValueError(f"may be omitted but not null: {', '.join(nulls)}")
        return self


# --- cursors ----------------------------------------------------------------------
# A cursor holds the keyset values of the last row of a page, as text that a
# regular expression describes exactly, so the OpenAPI document can state its
# format: the values joined by ".", a datetime as signed microseconds since
# 1970-01-01T00:00Z, an integer in decimal, an id as itself. Every string the
# pattern matches is a position in the list (numbers beyond the column's range
# are clamped), so a client that keeps to the pattern is never refused.
CURSOR_SEPARATOR = "."
CURSOR_VALUE_PATTERNS = {
    "datetime": "-?[0-9]{1,18}",
    "integer": "-?[0-9]{1,19}",
    "id": "[A-Za-z0-9_-]{1,50}",
}
CursorKind = Literal["datetime", "integer", "id"]


def cursor_pattern(*kinds: CursorKind) -> str:
    """The pattern of a cursor over values of these kinds, in keyset order.
    Empty is the first page, as if no cursor were sent."""
    return "^(?:" + r"\.".join(CURSOR_VALUE_PATTERNS[kind] for kind in kinds) + ")?$"


# The transaction lists' order (date, id): their filters are a model.
TRANSACTION_CURSOR = cursor_pattern("datetime", "id")
CURSOR_DESCRIPTION = (
    "`next_cursor` of the previous page, sent back unchanged with the same filters. "
    "Opaque; one that does not match the pattern is 400 (malformed cursor)."
)
