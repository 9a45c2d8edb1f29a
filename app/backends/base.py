"""The interface both databases implement (app.backends.sqlite, .postgres)."""

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any, ClassVar, NamedTuple

from sqlalchemy import ColumnElement, Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

# A lasting reason why the database refuses writes: (state, detail for a person).
Cause = tuple[str, str]
READ_ONLY = "read_only"
DISK_FULL = "disk_full"

_BIND = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class RawPage(NamedTuple):
    """A page of an account's transactions as a fast path reads it: the items
    as a JSON array (bytes), and the keyset values (date, id) of its last row
    when more rows follow it (else None)."""

    items: bytes
    last: list[Any] | None


class RawQuery:
    """A read sent to the driver itself, for the hot paths where SQLAlchemy's
    cursor and result processing cost more than the query: the insights
    reader's rows, the consent check, the catalogue. Written once, in SQL
    both databases run, with `:name` parameters; `build(backend)` may ask the
    backend for the few fragments that differ (Backend.utc_text,
    Backend.any_of). Each backend builds and converts it once."""

    def __init__(self, build: Callable[["Backend"], str]) -> None:
        self.build = build
        self._sql: dict[str, tuple[str, tuple[str, ...]]] = {}

    def compiled(self, backend: "Backend") -> tuple[str, tuple[str, ...]]:
        """(the SQL in the driver's parameter style, parameter names in order)."""
        compiled = self._sql.get(backend.name)
        if compiled is None:
            compiled = self._sql[backend.name] = backend.paramstyle(self.build(backend))
        return compiled


def columns_of(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Rows (every row with the keys of the first) as columns."""
    return {key: list(map(itemgetter(key), rows)) for key in rows[0]} if rows else {}


def rows_of(columns: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Columns (every list as long) as rows."""
    keys = list(columns)
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def named_binds(sql: str) -> list[str]:
    """The `:name` parameters of `sql`, in order of appearance (`::` casts are not)."""
    return _BIND.findall(sql)


def numbered_binds(sql: str) -> tuple[str, tuple[str, ...]]:
    """`:name` parameters as `$1`, `$2`, ... (a name used twice keeps its number)."""
    order: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in order:
            order.append(name)
        return f"${order.index(name) + 1}"

    return _BIND.sub(number, sql), tuple(order)


class PageReader(ABC):
    """The fast path of an account's unfiltered transaction pages, held for
    the life of the app (app.db.Database)."""

    @abstractmethod
    async def read(self, account_id: str, after: list[Any] | None, limit: int) -> RawPage | None:
        """The page after the keyset values `after` (None: the first page);
        None when this path failed (the caller takes the general path)."""

    def close(self) -> None:  # noqa: B027 (most readers hold nothing of their own)
        """Release what the reader holds (at shutdown)."""


class Backend(ABC):
    name: ClassVar[str]

    # --- the driver itself --------------------------------------------------------
    @abstractmethod
    def paramstyle(self, sql: str) -> tuple[str, tuple[str, ...]]:
        """`sql` with `:name` parameters in the driver's style, and their order."""

    @abstractmethod
    async def run(
        self, driver: Any, sql: str, names: Sequence[str], params: Mapping[str, Any]
    ) -> list[Any]:
        """Rows of `sql` on the driver's own connection."""

    async def fetch(
        self, session: AsyncSession, query: RawQuery, params: Mapping[str, Any]
    ) -> list[Any]:
        """Rows (tuples) of `query` through the driver of the session's
        connection, in its transaction: one call to the driver."""
        conn = await session.connection()
        driver = (await conn.get_raw_connection()).driver_connection
        sql, names = query.compiled(self)
        return await self.run(driver, sql, names, params)

    # --- SQL fragments and expressions ------------------------------------------
    @abstractmethod
    def utc_text(self, column: str) -> str:
        """SQL for a UTCDateTime column as `YYYY-MM-DD HH:MM:SS.ffffff` (UTC)
        text, the form SQLite stores and the insights engine reads."""

    def ordered_utc_text(self, column: str) -> str:
        """SQL for a UTCDateTime column as UTC text that starts with the
        `YYYY-MM-DD` of its day and sorts in time order, in whatever form is
        cheapest to produce: what the insights engine's batch reads need (it
        compares the text with day boundaries and with other rows' text, and
        cuts the day off), where the exact form of utc_text is not."""
        return self.utc_text(column)

    @abstractmethod
    def any_of(self, column: str, param: str) -> str:
        """SQL: `column` equals one of the values of the list parameter `param`."""

    @abstractmethod
    def json_array_has(self, column: Any, value: str) -> ColumnElement[bool]:
        """True where the JSON array stored as text in `column` has a string
        element equal to `value`."""

    @abstractmethod
    def has_non_ascii(self, column: Any) -> ColumnElement[bool]:
        """True where the text in `column` has a character beyond ASCII."""

    # --- writes ---------------------------------------------------------------------
    @abstractmethod
    async def insert_ignoring_duplicates(
        self, conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
    ) -> int:
        """Insert `rows` (every row with the keys of the first), skipping rows
        whose primary key exists or repeats an earlier row; the count created.
        In the caller's transaction."""

    async def copy_ignoring_duplicates(
        self, conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
    ) -> int:
        """insert_ignoring_duplicates for a large batch (the seeder's), the
        fastest way the database takes one; by default that same insert."""
        return await self.insert_ignoring_duplicates(conn, table, rows)

    @abstractmethod
    async def insert_columns_ignoring_duplicates(
        self, conn: AsyncConnection, table: Table, columns: Mapping[str, Sequence[Any]]
    ) -> int:
        """insert_ignoring_duplicates() of rows given as columns: column name
        -> the rows' values, every list as long (the bulk route reads its
        body that way)."""

    @abstractmethod
    def insert(self, table: Table) -> Any:
        """The dialect's INSERT of `table`, which knows ON CONFLICT."""

    def in_key_order(
        self, table: Table, rows: Sequence[dict[str, Any]]
    ) -> Sequence[dict[str, Any]]:
        """The rows in the order a batch should write them (as they are; see
        PostgreSQL's)."""
        return rows

    async def upsert(
        self,
        conn: AsyncConnection,
        table: Table,
        rows: Sequence[dict[str, Any]],
        update: Sequence[str],
    ) -> None:
        """Insert `rows` (every row with the keys of the first); a row whose
        primary key exists sets the columns `update` of the stored row
        instead. In the caller's transaction."""
        if not rows:
            return
        stmt = self.insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=[c.name for c in table.primary_key.columns],
            set_={name: stmt.excluded[name] for name in update},
        )
        await conn.execute(stmt, list(self.in_key_order(table, rows)))

    @abstractmethod
    async def lock_for_writes(self, conn: AsyncConnection, table: Table, ident: str) -> bool:
        """Start the caller's transaction by taking the lock that serializes
        writers of the row of `table` whose `id` is `ident` (an import of a
        user's data waits for another one to commit); False when there is no
        such row. Readers are not blocked, nor are inserts of rows that
        reference it."""

    async def begin_write(self, conn: AsyncConnection, table: Table) -> None:  # noqa: B027
        """Start the caller's transaction as a writer among several processes
        writing at once (`spendsense assess --workers`): where the database
        has one writer at a time, wait for its turn now, before anything is
        read or written, rather than fail later (SQLite); where writers run
        side by side, nothing (PostgreSQL). `table` is one the caller writes."""

    @abstractmethod
    async def empty_tables(self, session: AsyncSession, tables: Sequence[str]) -> None:
        """Delete every row of `tables` (children first). Does not commit."""

    # --- failures -------------------------------------------------------------------
    @abstractmethod
    def lasting_cause(self, orig: BaseException, database_url: str) -> Cause | None:
        """(state, detail) when the driver error `orig` says writes will keep
        failing until someone acts (read-only, disk full); else None."""

    @abstractmethod
    async def write_problem(self, conn: AsyncConnection, database_url: str) -> Cause | None:
        """(state, detail) when the database cannot take writes now; None when
        it can. Writes no row."""

    async def journal_mode(self, conn: AsyncConnection) -> str | None:
        """The journal mode /health reports (SQLite's; None elsewhere)."""
        return None

    # --- the account page -----------------------------------------------------------
    @abstractmethod
    def page_reader(self, engine: AsyncEngine, database_url: str) -> PageReader | None:
        """The fast path of account pages for this database, or None."""

    @abstractmethod
    def stored_revision(self, database_url: str) -> str | None:
        """The Alembic revision the database at `database_url` is at (None: no
        schema), read without creating or changing anything; a database that
        cannot be read raises SetupError (app.startup_errors) or the driver's
        error for the caller to explain."""

    # --- engine set-up ----------------------------------------------------------------
    def configure_engine(self, engine: AsyncEngine, busy_timeout_ms: int) -> None:  # noqa: B027
        """Per-connection set-up of the engine's connections (SQLite's pragmas)."""
