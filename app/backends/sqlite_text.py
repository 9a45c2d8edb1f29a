"""UTCDateTime's SQLite storage text, written fast for the code that binds
plain sqlite3 parameters: bulk inserts (SQLiteBackend.insert_ignoring_duplicates),
the driver reads (SQLiteBackend.run) and the inline page reader
(app.backends.sqlite_pages). Tests check that both functions give exactly
the text SQLAlchemy writes for the column."""

from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import TypeAdapter

# Writes the ISO 8601 text of a whole list of datetimes in one Rust call.
_ISO_TEXTS = TypeAdapter(list[datetime | None])  # a list: twice as fast as a Sequence


def sqlite_utc_text(value: datetime | None) -> str | None:
    """Naive = UTC; `YYYY-MM-DD HH:MM:SS.ffffff`. One isoformat() in the
    common case (naive or already UTC), whose offset suffix is cut off."""
    if value is None:
        return None
    text = value.isoformat(" ", "microseconds")
    if len(text) == 26 or text.endswith("+00:00"):
        return text[:26]
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


# The lengths of pydantic's ISO text of a naive or a UTC datetime, on the
# second or with microseconds: `YYYY-MM-DDTHH:MM:SS[.ffffff][Z]`.
_NAIVE_OR_UTC = frozenset({19, 20, 26, 27})
_STORED_LENGTH = 26


def sqlite_utc_texts(values: Sequence[datetime | None]) -> list[str] | list[str | None]:
    """sqlite_utc_text() of each value, at a fraction of the cost:
    pydantic-core writes every value's ISO text at once, and when all of
    them are naive or UTC (what clients and statements send), the whole
    column is rearranged as one text (`T` -> space, no `Z`) by str methods
    in C; values on the second get their `.000000`. Other columns (an
    offset, a null) take the per-value path."""
    isos = _ISO_TEXTS.dump_python(values if isinstance(values, list) else list(values), mode="json")
    try:
        plain = bool(isos) and _NAIVE_OR_UTC.issuperset(map(len, isos))
    except TypeError:  # a None
        plain = False
    if not plain:
        return [
            _from_iso(iso) or sqlite_utc_text(value)
            for value, iso in zip(values, isos, strict=True)
        ]
    texts = "\n".join(isos).replace("T", " ").replace("Z", "").split("\n")
    if min(map(len, texts)) == _STORED_LENGTH:
        return texts
    return [text if len(text) == _STORED_LENGTH else f"{text}.000000" for text in texts]


def _from_iso(iso: str | None) -> str | None:
    """The storage text of pydantic's ISO text of a UTC datetime; None for
    another form."""
    if iso is None or iso[-1:] != "Z":
        return None
    if len(iso) == 27:
        return iso[:26].replace("T", " ")
    if len(iso) == 20:
        return f"{iso[:10]} {iso[11:19]}.000000"
    return None
