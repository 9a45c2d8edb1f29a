"""PostgreSQL's bulk insert: the whole batch as one JSON text, one statement.

`INSERT … SELECT … FROM json_to_recordset($1::json) … ON CONFLICT DO
NOTHING`, the created rows counted by the server. SQLAlchemy's executemany
(multi-row VALUES with RETURNING) processed every parameter in Python and
had PostgreSQL parse statements of thousands of placeholders; arrays per
column (unnest) cost asyncpg an isinstance() against collections.abc per
value, as much again. COPY would be cheaper still but cannot skip a stored
key (it needs a temporary table and a second INSERT … SELECT); this keeps
one statement, the caller's transaction and an exact count.

A value must be stored as a bound parameter would store it. asyncpg binds
the two instants datetime.max and datetime.min (in UTC) as timestamptz
`infinity` and `-infinity`, and every reader (the account pages' cursors
among them) compares stored dates with values bound that way: a text path
that stored them as the finite instants would leave a page's cursor, bound
as `infinity`, after its own row for ever. So they go into the JSON as
'infinity' and '-infinity' too.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any

import orjson
from sqlalchemy import String, Table, TypeDecorator
from sqlalchemy.engine import Dialect

from app.models.types import UTCDateTime

# What asyncpg binds as timestamptz infinity and -infinity.
_INFINITIES = {
    datetime.max.replace(tzinfo=UTC): "infinity",
    datetime.min.replace(tzinfo=UTC): "-infinity",
}
_EDGE_YEARS = frozenset({datetime.max.year, datetime.min.year})


def json_payload(table: Table, rows: Sequence[dict[str, Any]], dialect: Dialect) -> tuple[str, str]:
    """(the statement, its one parameter: the rows as a JSON array) for
    `rows`, every row with the keys of the first."""
    keys = tuple(rows[0])
    sql, converted, instants = _json_insert(table, keys, dialect)
    if converted:  # JSON-as-text columns and the like: their own bind conversion
        rows = [row | {key: convert(row[key]) for key, convert in converted} for row in rows]
    for key in instants:
        rows = _infinities_named(rows, key)
    # Naive datetimes are UTC (UTCDateTime), and orjson writes them so.
    return sql, orjson.dumps(rows, option=orjson.OPT_NAIVE_UTC).decode()


def _infinities_named(rows: Sequence[dict[str, Any]], key: str) -> Sequence[dict[str, Any]]:
    """`rows` with the datetimes of `key` that asyncpg would bind as
    ±infinity written as such; the same rows (no copy) when none is in the
    first or last year, which one pass in C tells."""
    values = filter(None, map(itemgetter(key), rows))
    if _EDGE_YEARS.isdisjoint(map(attrgetter("year"), values)):
        return rows
    return [
        row | {key: _INFINITIES.get(_as_utc(row[key]), row[key])} if row[key] else row
        for row in rows
    ]


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# The SQL type a JSON field is read as: the column's own type, except text
# for every string type (the INSERT's assignment to a varchar(n) column then
# refuses a longer value, as a plain INSERT does, where a cast would cut
# it), and timestamptz for UTCDateTime (orjson writes the offset).
@lru_cache(maxsize=64)
def _json_insert(
    table: Table, keys: tuple[str, ...], dialect: Dialect
) -> tuple[str, tuple[tuple[str, Callable[[Any], Any]], ...], tuple[str, ...]]:
    """INSERT ... SELECT FROM json_to_recordset($1) ON CONFLICT (pk) DO
    NOTHING counting the rows it created; the (key, bind conversion) of the
    columns whose values JSON cannot carry as they are; the UTCDateTime
    columns."""
    prepare = dialect.identifier_preparer
    fields, converted, instants = [], [], []
    for key in keys:
        column_type = table.c[key].type
        if isinstance(column_type, UTCDateTime):
            instants.append(key)
        elif isinstance(column_type, TypeDecorator):
            convert = column_type.bind_processor(dialect)
            if convert is not None:
                converted.append((key, convert))
        impl = column_type.impl_instance if isinstance(column_type, TypeDecorator) else column_type
        name = "text" if isinstance(impl, String) else impl.compile(dialect=dialect)
        fields.append(f"{prepare.quote(key)} {name}")
    columns = ", ".join(prepare.quote(key) for key in keys)
    pk = ", ".join(prepare.quote(column.name) for column in table.primary_key.columns)
    sql = (
        f"WITH created AS (INSERT INTO {prepare.format_table(table)} ({columns}) "
        f"SELECT {columns} FROM json_to_recordset($1::json) AS r({', '.join(fields)}) "
        f"ON CONFLICT ({pk}) DO NOTHING RETURNING 1) SELECT count(*) FROM created"
    )
    return sql, tuple(converted), tuple(instants)
