"""Field types (what clients may send) and column types (how values are
stored) shared by the models."""

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

import orjson
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetPydanticSchema,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import core_schema
from sqlalchemy import DateTime, Dialect, String, Text
from sqlalchemy.types import TypeDecorator

ID_PATTERN = r"^[A-Za-z0-9_-]{1,50}$"
MAX_CENTS = 10**12

# --- field types ---------------------------------------------------------------

# Client-chosen or server-generated identifier: 1-50 chars of [A-Za-z0-9_-].
Id = Annotated[str, Field(min_length=1, max_length=50, pattern=ID_PATTERN)]


def whole_number(*, ge: int | None = None, gt: int | None = None, le: int) -> Any:
    """An integer sent as a JSON number without a fractional part: 12 or
    12.0 (the same number to JSON, and to JSON Schema's "integer"), never
    12.5, "12", true or NaN. Checked in pydantic-core alone (no Python call
    per value: the bulk route validates 10,000 of them per request): a JSON
    int or float, then pydantic's int conversion, which refuses a fraction."""
    number = core_schema.union_schema(
        [core_schema.int_schema(strict=True), core_schema.float_schema(strict=True)],
        custom_error_type="int_type",
    )
    whole = core_schema.chain_schema([number, core_schema.int_schema(ge=ge, gt=gt, le=le)])
    json_schema: dict[str, Any] = {"type": "integer", "maximum": le}
    if ge is not None:
        json_schema["minimum"] = ge
    if gt is not None:
        json_schema["exclusiveMinimum"] = gt
    return Annotated[
        int, GetPydanticSchema(lambda _type, _handler: whole), WithJsonSchema(json_schema)
    ]


# Money in integer cents: 12.5 (or "12", or true) is refused, not rounded.
Cents = whole_number(ge=-MAX_CENTS, le=MAX_CENTS)
NonNegativeCents = whole_number(ge=0, le=MAX_CENTS)
PositiveCents = whole_number(gt=0, le=MAX_CENTS)
# A JSON boolean, true or false: not "true", 1 or "yes" (pydantic's lax
# rules), which the OpenAPI document's "boolean" does not admit.
StrictBool = Annotated[bool, Field(strict=True)]
# A JSON number: not true or "12" (pydantic's lax float takes both as numbers).
StrictFloat = Annotated[float, Field(strict=True)]

# Free text every database can store: no NUL (U+0000, which PostgreSQL text
# refuses). Checked in pydantic-core, which also refuses lone surrogates (not
# UTF-8) in any string with a pattern, so even the bulk route pays no Python
# call per value. Lengths are added where the field is declared.
STORABLE_TEXT_PATTERN = r"^[^\x00]*$"
StorableText = Annotated[str, StringConstraints(pattern=STORABLE_TEXT_PATTERN)]

UNIX_TIME_REFUSED = "expected an ISO 8601 date or datetime string"


def refuse_unix_time(value: Any) -> Any:
    """Before-validator of every date field: refuse a number, or a string that
    holds only one ("1700000000", "-5", "1.5e9"), which pydantic would take as
    a Unix time (a bare number is too easily a mistake for a date; "20260301"
    would be 1970-08-23). Anything else is left for the date parser to judge."""
    if type(value) is str and value[4:5] == "-" and value[7:8] == "-":
        # Fast path, every ISO date: YYYY-MM-DD. No number has two such dashes.
        return value
    if isinstance(value, str):
        try:
            float(value)  # accepts every number syntax pydantic's parser does, and more
        except ValueError:
            return value
    elif not isinstance(value, int | float):  # bool is an int: refused too
        return value
    raise ValueError(UNIX_TIME_REFUSED)


def to_utc(value: Any) -> Any:
    """Accept a date (midnight UTC), a naive datetime (UTC) or an aware one.
    Numbers, and strings holding only a number, are refused (refuse_unix_time)."""
    value = refuse_unix_time(value)
    if isinstance(value, str) and len(value) == 10:
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value  # let pydantic report the bad string
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time.min, tzinfo=UTC)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        if offset_leaves_range(value):
            raise ValueError(OUT_OF_RANGE)
        return value.astimezone(UTC)
    return value


OUT_OF_RANGE = (
    "datetime out of range: on 0001-01-01 the UTC offset may not be positive, "
    "on 9999-12-31 not negative"
)


def offset_leaves_range(value: datetime) -> bool:
    """Could the UTC offset move this datetime out of years 1-9999? The rule
    is by calendar day, so the OpenAPI pattern (DATETIME_PATTERN) states it
    exactly: a positive offset on 0001-01-01 or a negative one on 9999-12-31
    (even where the UTC time would still exist)."""
    day = value.date()
    if day != date.min and day != date.max:
        return False
    offset = value.utcoffset() or timedelta(0)
    return offset > timedelta(0) if day == date.min else offset < timedelta(0)


# The forms of ClientDatetime that JSON Schema's date-time covers, minus the
# offsets offset_leaves_range refuses.
DATETIME_PATTERN = (
    r"^(?!0001-01-01[Tt ].*\+(?!00:?00$))(?!9999-12-31[Tt ].*-(?!00:?00$)[0-9]{2}:?[0-9]{2}$)"
)
DATETIME_DESCRIPTION = (
    "ISO 8601 datetime; with an offset (converted to UTC), naive (taken as UTC) or a date "
    "(midnight UTC)"
)


# A datetime in any form a client may send (with an offset, naive = UTC, or a
# date = midnight UTC), validated into a timezone-aware UTC datetime.
ClientDatetime = Annotated[
    datetime,
    BeforeValidator(to_utc),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]
# The same forms, parsed by pydantic-core and left as sent (naive or aware):
# the bulk route's date, made UTC when stored, where a Python conversion per
# item would cost too much. Unix times are refused as by ClientDatetime.
ParsedDatetime = Annotated[
    datetime,
    BeforeValidator(refuse_unix_time),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]
# What ParsedDatetime takes without a Python call, for the bulk route's fast
# pass (app.models.bulk_body): only a string that passes
# refuse_unix_time's own fast path (dashes where an ISO date has them), parsed
# by the same pydantic-core datetime parser, so it gives the same datetime.
# Anything else fails here and is judged by ParsedDatetime, for its errors.
IsoDatetime = Annotated[
    datetime,
    GetPydanticSchema(
        lambda _type, _handler: core_schema.chain_schema(
            [core_schema.str_schema(pattern=r"(?s)^.{4}-.{2}-"), core_schema.datetime_schema()]
        )
    ),
]


def utcnow() -> datetime:
    return datetime.now(UTC)


# The dates the insights engine can compute for: its 180-day lookback must
# start on or after date.min, and the day after as_of must exist.
EARLIEST_AS_OF = date.min + timedelta(days=179)
LATEST_AS_OF = date.max - timedelta(days=1)


def calendar_date_only(value: Any) -> Any:
    """Before-validator of `as_of`: a calendar date `YYYY-MM-DD` (or a date
    object) and nothing else. A datetime, even at midnight, is refused: the
    insights are defined per UTC calendar day. Numbers are refused too."""
    if isinstance(value, datetime):
        raise ValueError("expected a date YYYY-MM-DD, not a datetime")
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("expected a date YYYY-MM-DD")
    return value


def within_as_of_range(value: date) -> date:
    if not EARLIEST_AS_OF <= value <= LATEST_AS_OF:
        raise ValueError(f"as_of must be between {EARLIEST_AS_OF} and {LATEST_AS_OF}")
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# YYYY-MM-DD from EARLIEST_AS_OF (0001-06-29) to LATEST_AS_OF (9999-12-30).
AS_OF_PATTERN = (
    r"^(?!0001-0[1-5]|0001-06-(?:[01][0-9]|2[0-8])|9999-12-31)[0-9]{4}-[0-9]{2}-[0-9]{2}$"
)
# The date the insights are computed for (a UTC calendar day).
AsOfDate = Annotated[
    date,
    BeforeValidator(calendar_date_only),
    AfterValidator(within_as_of_range),
    WithJsonSchema({"type": "string", "format": "date", "pattern": AS_OF_PATTERN}),
]


# --- column types --------------------------------------------------------------

# Every id and foreign-key id column. Ids compare bytewise on both databases,
# as Python's sorted() and a client comparing strings do: SQLite's default
# (BINARY) does, on PostgreSQL the column's collation is "C" (migration 0005),
# whatever the database's default (en_US or ICU ignore case and punctuation
# at first: "a_c" < "a-b" < "A1" < "aa"). Keyset pages (ORDER BY ..., id and
# id < :cursor) and every list ordered by id rely on it; a referencing column
# has the referenced column's collation, so joins and foreign keys agree.
IdColumn = String(50).with_variant(String(50, collation="C"), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Column type: timezone-aware UTC datetimes on every backend.

    PostgreSQL stores timestamptz. SQLite has no timezone type, so values are
    stored as naive UTC text of fixed width (`YYYY-MM-DD HH:MM:SS.ffffff`),
    which sorts chronologically (app.services.sqlite_text writes it fast).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # SQLite's DATETIME writes the naive text of an aware value as it is.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class JSONList(TypeDecorator[list[Any]]):
    """Column type: a list stored as JSON text (portable across SQLite and
    PostgreSQL)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> str | None:
        # orjson writes enum members (StrEnum tags) as their values.
        return None if value is None else orjson.dumps(value).decode()

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[Any] | None:
        return None if value is None else list(json.loads(value))


class JSONObject(TypeDecorator[dict[str, Any]]):
    """Column type: a JSON object stored as JSON text (portable across SQLite
    and PostgreSQL)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> str | None:
        return None if value is None else orjson.dumps(value).decode()

    def process_result_value(self, value: str | None, dialect: Dialect) -> dict[str, Any] | None:
        return None if value is None else dict(json.loads(value))
