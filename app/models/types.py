"""Column types and field types shared by the models."""

import json
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, TypeAdapter
from sqlalchemy import DateTime, Dialect, Text
from sqlalchemy.types import TypeDecorator

ID_PATTERN = r"^[A-Za-z0-9_-]{1,50}$"
MAX_CENTS = 10**12

# Client-chosen or server-generated identifier: 1-50 chars of [A-Za-z0-9_-].
Id = Annotated[str, Field(min_length=1, max_length=50, pattern=ID_PATTERN)]
# Money in integer cents; strict so 12.5 (or "12") is refused, not rounded.
Cents = Annotated[int, Field(strict=True, ge=-MAX_CENTS, le=MAX_CENTS)]
NonNegativeCents = Annotated[int, Field(strict=True, ge=0, le=MAX_CENTS)]
PositiveCents = Annotated[int, Field(strict=True, gt=0, le=MAX_CENTS)]


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
        try:
            return value.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError("datetime out of range") from exc
    return value


# A timezone-aware UTC datetime, whatever form the client sent.
UTCDatetime = Annotated[datetime, BeforeValidator(to_utc)]
# A datetime as sent (naive or aware, made UTC when stored), parsed by
# pydantic-core: the bulk route's date, where a Python conversion per item
# would cost too much. Unix times are refused as by UTCDatetime.
ParsedDatetime = Annotated[datetime, BeforeValidator(refuse_unix_time)]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    PostgreSQL stores timestamptz. SQLite has no timezone type, so values are
    stored as naive UTC text of fixed width, which sorts chronologically.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# UTCDateTime's SQLite text, written fast for the bulk path and the inline
# page reader, which bind plain sqlite3 parameters (tests check it matches
# what SQLAlchemy writes). _ISO_TEXTS writes the ISO 8601 text of a whole
# list of datetimes in one Rust call.
_ISO_TEXTS = TypeAdapter(list[datetime | None])


def sqlite_utc_texts(values: list[datetime | None]) -> list[str | None]:
    """sqlite_utc_text() of each value, at a third of the cost: pydantic-core
    writes every value's ISO text at once, and the usual form, UTC with
    microseconds (`YYYY-MM-DDTHH:MM:SS.ffffffZ`), is rearranged as text.
    Other forms (naive, an offset, no fraction) take the per-value path."""
    return [
        iso[:26].replace("T", " ")
        if iso is not None and len(iso) == 27 and iso[26] == "Z"
        else sqlite_utc_text(value)
        for value, iso in zip(values, _ISO_TEXTS.dump_python(values, mode="json"), strict=True)
    ]


def sqlite_utc_text(value: datetime | None) -> str | None:
    """Naive = UTC; `YYYY-MM-DD HH:MM:SS.ffffff`. One isoformat() in the
    common case (naive or already UTC), whose offset suffix is cut off."""
    if value is None:
        return None
    text = value.isoformat(" ", "microseconds")
    if len(text) == 26 or text.endswith("+00:00"):
        return text[:26]
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


class JSONList(TypeDecorator[list[Any]]):
    """A list stored as JSON text (portable across SQLite and PostgreSQL)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps([getattr(v, "value", v) for v in value])

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[Any] | None:
        return None if value is None else list(json.loads(value))
