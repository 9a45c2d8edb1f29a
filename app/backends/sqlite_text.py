"""UTCDateTime's SQLite storage text, written fast for the code that binds
plain sqlite3 parameters: bulk inserts (SQLiteBackend.insert_ignoring_duplicates),
the driver reads (SQLiteBackend.run) and the inline page reader
(app.backends.sqlite_pages). Tests check that both functions give exactly
the text SQLAlchemy writes for the column."""

from datetime import UTC, datetime

from pydantic import TypeAdapter

# Writes the ISO 8601 text of a whole list of datetimes in one Rust call.
_ISO_TEXTS = TypeAdapter(list[datetime | None])


def sqlite_utc_text(value: datetime | None) -> str | None:
    """Naive = UTC; `YYYY-MM-DD HH:MM:SS.ffffff`. One isoformat() in the
    common case (naive or already UTC), whose offset suffix is cut off."""
    if value is None:
        return None
    text = value.isoformat(" ", "microseconds")
    if len(text) == 26 or text.endswith("+00:00"):
        return text[:26]
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def sqlite_utc_texts(values: list[datetime | None]) -> list[str | None]:
    """sqlite_utc_text() of each value, at a third of the cost: pydantic-core
    writes every value's ISO text at once, and the two usual forms, UTC with
    microseconds (`YYYY-MM-DDTHH:MM:SS.ffffffZ`) and UTC on the second
    (`YYYY-MM-DDTHH:MM:SSZ`, what most statements and clients send), are
    rearranged as text. Other forms (naive, an offset) take the per-value path."""
    return [
        _from_iso(iso) or sqlite_utc_text(value)
        for value, iso in zip(values, _ISO_TEXTS.dump_python(values, mode="json"), strict=True)
    ]


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
