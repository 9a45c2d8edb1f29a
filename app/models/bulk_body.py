"""The body of POST /transactions/bulk, read into columns.

A 10,000-item body is read the cheap way first: orjson parses it, and each
field's values are taken out as one list and validated in one pydantic-core
call with the field's own type from TransactionBulkItem (the date as
IsoDatetime). The columns are what the insert binds: no dict or model per
item. Whatever that pass refuses (a bad item, a body of another shape, JSON
that orjson does not read) is judged again by BULK_BODY, which parses the
bytes in pydantic-core and names every bad item: the route's errors are
BULK_BODY's, and the fast pass only ever takes bodies BULK_BODY takes, into
the same values.
"""

from collections.abc import Sequence
from itertools import repeat
from operator import itemgetter
from typing import Annotated, Any, NotRequired

import orjson
from pydantic import Field as PydanticField
from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypedDict

from app.models.transaction import TransactionBulk, TransactionBulkItem
from app.models.types import IsoDatetime, ParsedDatetime

# Field name -> its values, one per item, in the items' order.
Columns = dict[str, list[Any]]

REQUIRED = object()

# TransactionBulk's bounds of the items' list (1 to MAX_BULK_ITEMS).
_ITEMS_BOUNDS = TransactionBulk.model_fields["transactions"].metadata


def _fields(date_type: Any) -> dict[str, tuple[Any, Any]]:
    """TransactionBulkItem's fields: name -> (type with its constraints,
    default or REQUIRED). Only `date` differs: `date_type` (ParsedDatetime,
    or its fast pass IsoDatetime), parsed in Rust and made UTC when stored,
    instead of ClientDatetime's per-item Python conversion."""
    fields: dict[str, tuple[Any, Any]] = {}
    for name, info in TransactionBulkItem.model_fields.items():
        if info.default_factory is not None:
            raise TypeError(f"TransactionBulkItem.{name}: a default factory is not read in bulk")
        kind: Any = date_type if name == "date" else info.annotation
        if name != "date" and info.metadata:
            kind = Annotated[(kind, *info.metadata)]
        fields[name] = (kind, REQUIRED if info.is_required() else info.default)
    return fields


def _bulk_body() -> TypeAdapter[dict[str, list[dict[str, Any]]]]:
    """The whole body as a TypedDict of TypedDicts, validated from bytes in
    pydantic-core into plain dicts (no model instances)."""
    row: dict[str, Any] = {}
    for name, (kind, default) in _fields(ParsedDatetime).items():
        row[name] = (
            kind
            if default is REQUIRED
            else NotRequired[Annotated[kind, PydanticField(default=default)]]
        )
    item = TypedDict("BulkRow", row)  # type: ignore[misc]
    items = Annotated[(list[item], *_ITEMS_BOUNDS)]
    return TypeAdapter(TypedDict("BulkBody", {"transactions": items}))  # type: ignore[operator]


# Judges any body and names every bad item (the route documents the body
# with TransactionBulk's schema).
BULK_BODY = _bulk_body()


class _Column:
    """One field of the fast pass: its values validated as one list."""

    def __init__(self, name: str, kind: Any, default: Any) -> None:
        self.name = name
        self.default = default
        self.adapter: TypeAdapter[list[Any]] = TypeAdapter(Annotated[(list[kind], *_ITEMS_BOUNDS)])
        # A column of nulls needs no validation where the field takes null.
        try:
            self.adapter.validate_python([None])
            self.takes_null = True
        except ValidationError:
            self.takes_null = False

    def take(self, items: list[Any]) -> list[Any]:
        """The field's values, unvalidated. KeyError or TypeError for a
        missing field or an item that is not an object."""
        if self.default is REQUIRED:
            return list(map(itemgetter(self.name), items))
        return list(map(dict.get, items, repeat(self.name), repeat(self.default)))

    def validate(self, values: Sequence[Any]) -> list[Any]:
        if self.takes_null and values[0] is None and values.count(None) == len(values):
            return list(values)
        return self.adapter.validate_python(values)


_COLUMNS = {name: _Column(name, *field) for name, field in _fields(IsoDatetime).items()}


def parse_bulk_body(body: bytes) -> Columns:
    """The items of a raw JSON bulk body, as columns. Raises pydantic's
    ValidationError (BULK_BODY's, naming every bad item) for a body the
    route refuses."""
    try:
        items = orjson.loads(body)["transactions"]
        if type(items) is list and items:
            return {name: column.validate(column.take(items)) for name, column in _COLUMNS.items()}
    except (orjson.JSONDecodeError, KeyError, TypeError, ValidationError):
        pass
    rows = BULK_BODY.validate_json(body)["transactions"]  # raises for a body it refuses
    return {name: list(map(itemgetter(name), rows)) for name in _COLUMNS}
