"""What differs between SQLite and PostgreSQL lives in app/backends: no other
module looks at the dialect, calls a driver itself or imports one; and the
pieces of the small interface behave the same on both."""

import re
from pathlib import Path

import pytest

from app.backends import backend_of_url
from app.backends.base import RawQuery, named_binds, numbered_binds

APP = Path(__file__).resolve().parents[1] / "app"
# Where knowing the database is the job: the backends themselves, engine
# set-up (app/db.py: pools, the folder of a database file; app/config.py:
# the async driver of a URL; app/startup_errors.py: what a failed first
# connection means, in one line) and the column types' variants
# (app/models/types.py).
ALLOWED = {"backends", "db.py", "config.py", "startup_errors.py", "models/types.py"}
BRANCHING = re.compile(
    r"dialect\.name|get_backend_name|is_sqlite|driver_connection|get_raw_connection"
    r"|sqlalchemy\.dialects|^\s*import sqlite3|^\s*(?:from|import) asyncpg"
    r'|== "(?:sqlite|postgresql)"',
    re.MULTILINE,
)


def _modules() -> list[Path]:
    return [
        path
        for path in APP.rglob("*.py")
        if not any(str(path.relative_to(APP)).startswith(allowed) for allowed in ALLOWED)
    ]


def test_only_the_backends_branch_on_the_database() -> None:
    offenders = {
        str(path.relative_to(APP)): BRANCHING.findall(path.read_text()) for path in _modules()
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_rule_would_catch_a_branch() -> None:
    """The pattern above finds what it is meant to find."""
    for line in (
        'if conn.dialect.name == "postgresql":',
        "driver = (await conn.get_raw_connection()).driver_connection",
        "import sqlite3",
        "from sqlalchemy.dialects.postgresql import JSONB",
    ):
        assert BRANCHING.search(line), line


def test_named_parameters_become_the_drivers() -> None:
    sql = "SELECT :a, :b::text[], x::int FROM t WHERE y = :a AND z = ':q'"
    assert named_binds(sql) == ["a", "b", "a", "q"]
    assert numbered_binds("SELECT :a, :b::text[] WHERE y = :a") == (
        "SELECT $1, $2::text[] WHERE y = $1",
        ("a", "b"),
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "sqlite+aiosqlite:///x.db",
            "SELECT date FROM t WHERE id IN (SELECT value FROM json_each(:ids))",
        ),
        (
            "postgresql+asyncpg://u@h/d",
            "SELECT to_char(date AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM t "
            "WHERE id = ANY($1::text[])",
        ),
    ],
)
def test_a_raw_query_is_built_once_per_backend(url: str, expected: str) -> None:
    built: list[str] = []

    def build(db: object) -> str:
        backend = backend_of_url(url)
        built.append(backend.name)
        return f"SELECT {backend.utc_text('date')} FROM t WHERE {backend.any_of('id', 'ids')}"

    query = RawQuery(build)
    backend = backend_of_url(url)
    sql, names = query.compiled(backend)
    assert query.compiled(backend) == (sql, names) and len(built) == 1
    assert sql == expected
    assert names == ("ids",)


def test_an_unknown_database_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database 'mysql'"):
        backend_of_url("mysql+aiomysql://u@h/d")


def test_no_service_imports_the_web_framework() -> None:
    """Services raise domain errors (app.services.errors); HTTP is app/api's."""
    framework = re.compile(r"^\s*(?:from|import) (?:fastapi|starlette)\b", re.MULTILINE)
    services = [APP / "services", APP / "backends", APP / "models"]
    found = [
        str(path.relative_to(APP))
        for folder in services
        for path in folder.rglob("*.py")
        if framework.search(path.read_text())
    ]
    assert found == []


def test_postgres_json_insert_writes_the_instants_asyncpg_binds_as_infinity() -> None:
    """PostgreSQL's bulk insert sends rows as JSON text; asyncpg binds
    datetime.max and datetime.min (in UTC) as timestamptz ±infinity, so the
    JSON says 'infinity' and '-infinity' for them (whatever the offset or
    naive form), and every other date as it is."""
    from datetime import UTC, datetime, timedelta, timezone

    import orjson
    from sqlalchemy.dialects import postgresql

    from app.backends.postgres_insert import json_payload
    from app.models import Transaction

    west = timezone(timedelta(hours=-1))
    dates = [
        datetime.max.replace(tzinfo=UTC),
        datetime(9999, 12, 31, 22, 59, 59, 999999, tzinfo=west),  # datetime.max in UTC
        datetime.max,  # naive = UTC
        datetime.min.replace(tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999998, tzinfo=UTC),
        datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
        datetime(2026, 3, 1, 12, tzinfo=UTC),
    ]
    rows = [{"id": f"t{i}", "date": date} for i, date in enumerate(dates)]
    table = Transaction.__table__  # type: ignore[attr-defined]
    sql, payload = json_payload(table, rows, postgresql.dialect())  # type: ignore[no-untyped-call]
    assert "json_to_recordset($1::json)" in sql and "ON CONFLICT (id) DO NOTHING" in sql
    assert [row["date"] for row in orjson.loads(payload)] == [
        "infinity",
        "infinity",
        "infinity",
        "-infinity",
        "9999-12-31T23:59:59.999998+00:00",
        "0001-01-01T00:00:00.000001+00:00",
        "2026-03-01T12:00:00+00:00",
    ]
    assert rows[0]["date"] == dates[0]  # the caller's rows are left alone
