"""Writing synthetic data and the content catalogue into the database.

Rows go through the service's own bulk path (insert_ignoring_duplicates; on
PostgreSQL, batches of thousands through COPY with the same guarantees:
seed_copy), so a second run with the same spec creates nothing, and a run that crashed part-way
is repaired by running it again: every batch holds whole users (user, accounts,
transactions) and is committed on its own.
"""

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sqlalchemy import Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import backend_of
from app.db import open_session
from app.models import (
    TABLES_CHILDREN_FIRST,
    Account,
    Content,
    ContentCreate,
    PersonaType,
    Transaction,
    User,
)
from app.models.types import utcnow
from app.services.ingest import insert_ignoring_duplicates
from app.services.insights import stream_store
from app.services.insights.catalog_coverage import catalog_gaps
from app.services.insights.persona_kinds import PERSONA_KINDS
from app.services.seed_copy import copy_ignoring_duplicates
from app.services.synthetic import GeneratedUser, SeedSpec, generate
from app.services.synthetic.stream_users import StreamSeedUser, stream_seed_user

BATCH_TRANSACTIONS = 10_000
CATALOG_FILE = "content_catalog.json"
# Items an earlier catalogue shipped whose tags named no reason code the
# engine emits; they were replaced by items with new ids (mostly `<id>_v2`).
# Loading the catalogue deletes them, so an existing database picks up the
# new tags by running the seeder again (`spendsense seed --users 0`).
RETIRED_CATALOG_IDS = (
    "cnt_50_30_20_budget",
    "cnt_autopay_checklist",
    "cnt_beyond_emergency_fund",
    "cnt_cash_buffer_video",
    "cnt_cash_flow_checkup",
    "cnt_credit_utilization_101",
    "cnt_emergency_fund_size",
    "cnt_freelancer_taxes",
    "cnt_high_yield_savings",
    "cnt_irregular_income_budget",
    "cnt_keep_utilization_low",
    "cnt_missed_payment_next_steps",
    "cnt_pay_yourself_salary",
    "cnt_percent_budget_tool",
    "cnt_reading_statements",
)
USERS: Table = User.__table__  # type: ignore[attr-defined]
ACCOUNTS: Table = Account.__table__  # type: ignore[attr-defined]
TRANSACTIONS: Table = Transaction.__table__  # type: ignore[attr-defined]
CONTENT: Table = Content.__table__  # type: ignore[attr-defined]


@dataclass
class PatternCounts:
    users: int = 0
    accounts: int = 0
    transactions: int = 0


@dataclass
class SeedReport:
    """What a run generated (per planted pattern) and what it actually created."""

    per_pattern: dict[PersonaType, PatternCounts] = field(
        default_factory=lambda: {PersonaType(name): PatternCounts() for name in PERSONA_KINDS.names}
    )
    # Users with planted recurring streams (`streams` of the spec).
    streams: PatternCounts = field(default_factory=PatternCounts)
    # user id -> planted persona (str), or a stream user's planted streams.
    manifest: dict[str, Any] = field(default_factory=dict)
    users_created: int = 0
    accounts_created: int = 0
    transactions_created: int = 0
    seconds: float = 0.0

    @property
    def transactions(self) -> int:
        return sum(c.transactions for c in self._all_counts())

    @property
    def rows_generated(self) -> int:
        return sum(c.users + c.accounts + c.transactions for c in self._all_counts())

    def _all_counts(self) -> list[PatternCounts]:
        return [*self.per_pattern.values(), self.streams]

    @property
    def rows_created(self) -> int:
        return self.users_created + self.accounts_created + self.transactions_created

    @property
    def rate(self) -> float:
        """Transactions created per second of the run: a rerun that finds every
        id already there creates nothing, so its rate is 0."""
        return self.transactions_created / self.seconds if self.seconds > 0 else 0.0

    def count(self, generated: "SeededUser") -> None:
        if isinstance(generated, StreamSeedUser):
            counts = self.streams
            self.manifest[generated.user["id"]] = generated.manifest
        else:
            counts = self.per_pattern[generated.pattern]
            self.manifest[generated.user["id"]] = generated.pattern.value
        counts.users += 1
        counts.accounts += len(generated.accounts)
        counts.transactions += len(generated.transactions)


def load_catalog() -> list[ContentCreate]:
    """The content catalogue shipped in app/data, validated, and checked
    against the persona registry (ValueError naming what it lacks)."""
    raw = resources.files("app").joinpath("data", CATALOG_FILE).read_text(encoding="utf-8")
    items = [ContentCreate.model_validate(item) for item in json.loads(raw)]
    gaps = catalog_gaps(items)
    if gaps:
        raise ValueError(f"{CATALOG_FILE} does not fit the personas: {'; '.join(gaps)}")
    return items


async def load_content_catalog(session: AsyncSession) -> int:
    """Insert catalogue items whose id is not there yet, and delete the
    retired items of earlier catalogues; returns how many were inserted.
    Items already there are left as they are (an operator may have edited
    them)."""
    now = utcnow()
    rows = [item.model_dump() | {"created_at": now} for item in load_catalog()]
    await session.execute(delete(CONTENT).where(CONTENT.c.id.in_(RETIRED_CATALOG_IDS)))
    created = await insert_ignoring_duplicates(session, CONTENT, rows)
    await session.commit()
    return created


async def count_users(session: AsyncSession) -> int:
    result = await session.execute(select(func.count()).select_from(User))
    return int(result.scalar_one())


async def reset_tables(session: AsyncSession) -> None:
    """Empty users, accounts, transactions, personas and content."""
    await backend_of(session).empty_tables(session, TABLES_CHILDREN_FIRST)
    await session.commit()


async def _write_batch(
    session: AsyncSession, batch: "list[SeededUser]", report: SeedReport
) -> None:
    """Insert whole users (parents first) and commit them together."""
    accounts = [row for generated in batch for row in generated.accounts]
    users = [generated.user for generated in batch]
    report.users_created += await copy_ignoring_duplicates(session, USERS, users)
    report.accounts_created += await copy_ignoring_duplicates(session, ACCOUNTS, accounts)
    # One insert per kind of user: a bulk insert takes the columns of its
    # first row, and stream users' rows also carry the bank's description.
    created = 0
    for kind in (GeneratedUser, StreamSeedUser):
        rows = [row for g in batch if isinstance(g, kind) for row in g.transactions]
        created += await copy_ignoring_duplicates(session, TRANSACTIONS, rows)
    if created:  # a rerun completing users written in part before
        await stream_store.transactions_changed(session, users=[user["id"] for user in users])
    report.transactions_created += created
    await session.commit()


# Persona users, or users with planted streams: what a batch holds.
SeededUser = GeneratedUser | StreamSeedUser


def _generated(spec: SeedSpec) -> "Iterator[SeededUser]":
    """The persona users of `spec`, then its stream users."""
    yield from generate(spec)
    for index in range(spec.streams):
        yield stream_seed_user(spec, index)


def _batches(
    spec: SeedSpec,
    report: SeedReport,
    on_user: "Callable[[SeededUser], None] | None",
    batch_transactions: int,
) -> "Iterator[list[SeededUser]]":
    """Generated users grouped into batches of about `batch_transactions`."""
    batch: list[SeededUser] = []
    pending = 0
    for generated in _generated(spec):
        batch.append(generated)
        pending += len(generated.transactions)
        report.count(generated)
        if on_user is not None:
            on_user(generated)
        if pending >= batch_transactions:
            yield batch
            batch, pending = [], 0
    if batch:
        yield batch


async def seed_users(
    engine: AsyncEngine,
    spec: SeedSpec,
    *,
    on_user: "Callable[[SeededUser], None] | None" = None,
    batch_transactions: int = BATCH_TRANSACTIONS,
) -> SeedReport:
    """Generate `spec` and write it, skipping rows whose id exists.

    The next batch is generated in a worker thread while the database takes
    the current one, so generation and inserts overlap."""
    report = SeedReport()
    started = time.perf_counter()
    batches = _batches(spec, report, on_user, batch_transactions)
    async with open_session(engine) as session:
        batch = await asyncio.to_thread(next, batches, None)
        while batch is not None:
            writing = asyncio.create_task(_write_batch(session, batch, report))
            try:
                batch = await asyncio.to_thread(next, batches, None)
            finally:
                await writing
    report.seconds = time.perf_counter() - started
    return report
