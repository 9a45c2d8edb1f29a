"""The insights engine against the database: a user's signals, and persona
assessments stored as persona rows, for one user (the HTTP routes) or for
every consenting user in batches (`spendsense assess`).

Consent gates everything here: a user whose `consent` is false is refused
(ConsentRequired) before any row of theirs is read, and nothing is written.
"""

import asyncio
import gc
import resource
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import backend_of
from app.db import open_session
from app.models import Persona, PersonaType
from app.models.persona import PersonaWindow
from app.models.types import utcnow
from app.services.insights import stream_store
from app.services.insights.decision import PersonaDecision, decide_persona
from app.services.insights.reader import UserRows, read_users, read_users_and_history
from app.services.insights.recurring import read_stream_rows
from app.services.insights.signal_types import WindowSignals
from app.services.insights.signals import compute_signals
from app.services.insights.stream_store import Snapshot
from app.services.insights.streams import StreamRow, detect_streams
from app.services.insights.user_ranges import (
    ALL_USERS,
    Selection,
    UserRange,
    count_consenting,
    next_users,
)
from app.services.users import require_consent

PERSONAS: Table = Persona.__table__  # type: ignore[attr-defined]
WINDOWS: tuple[PersonaWindow, ...] = ("30d", "180d")
BATCH_USERS = 500


async def user_signals(
    session: AsyncSession, user_id: str, as_of: date
) -> dict[str, WindowSignals]:
    """Both windows' signals of a consenting user at `as_of`; writes nothing."""
    await require_consent(session, user_id)
    rows = (await read_users(session, [user_id], as_of))[user_id]
    return compute_signals(rows.accounts, rows.transactions, as_of)


def decide(rows: UserRows, as_of: date) -> dict[str, tuple[WindowSignals, PersonaDecision]]:
    """Signals and persona of both windows, from one pass over the rows."""
    signals = compute_signals(rows.accounts, rows.transactions, as_of)
    return {window: (s, decide_persona(s)) for window, s in signals.items()}


def persona_row(
    user_id: str,
    window: str,
    signals: WindowSignals,
    decision: PersonaDecision,
    as_of: date,
    now: Any,
) -> dict[str, Any]:
    """A persona table row for one computed window."""
    return {
        "user_id": user_id,
        "window": window,
        "persona_type": decision.persona_type.value,
        "confidence": decision.confidence,
        "assigned_at": now,
        "as_of": as_of,
        "reasons": [reason.to_dict() for reason in decision.reasons],
        "also_matched": [persona.value for persona in decision.also_matched],
        "signals": signals.to_dict(),
    }


async def assess_user(session: AsyncSession, user_id: str, as_of: date) -> list[Persona]:
    """Compute both windows of a consenting user and store one persona row
    each, and the user's recurring streams (stream_store), in one
    transaction; returns the personas (30d first)."""
    await require_consent(session, user_id)
    await stream_store.claim(session, [user_id])
    versions = await stream_store.read_versions(session, [user_id])
    rows = (await read_users(session, [user_id], as_of))[user_id]
    stream_rows = await read_stream_rows(session, user_id, as_of)
    now = utcnow()
    personas = [
        Persona.model_validate(persona_row(user_id, window, signals, decision, as_of, now))
        for window, (signals, decision) in decide(rows, as_of).items()
    ]
    session.add_all(personas)
    if user_id in versions:
        streams = detect_streams(stream_rows, as_of)
        await stream_store.store(session, [Snapshot(user_id, versions[user_id], as_of, streams)])
    await stream_store.mark_assessed(session, versions)
    await session.commit()
    return personas


@dataclass
class AssessReport:
    """What a batch run did: personas per window, users skipped, time; and,
    for the benchmarks, the CPU time and peak memory of the process(es)."""

    assessed: int = 0
    skipped_no_consent: int = 0
    personas: dict[str, Counter[str]] = field(
        default_factory=lambda: {window: Counter() for window in WINDOWS}
    )
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    # The largest peak resident set size of a process that ran the batches,
    # KiB, and that peak as the run started (a forked worker's starts near
    # its parent's size): the difference is what the run itself held.
    peak_rss_kib: int = 0
    start_rss_kib: int = 0

    @property
    def users_per_second(self) -> float:
        return self.assessed / self.seconds if self.seconds > 0 else 0.0

    def add(self, other: "AssessReport") -> None:
        """Count another worker's run in this one (times are the caller's)."""
        self.assessed += other.assessed
        self.skipped_no_consent += other.skipped_no_consent
        for window in WINDOWS:
            self.personas[window].update(other.personas[window])
        self.cpu_seconds += other.cpu_seconds
        self.peak_rss_kib = max(self.peak_rss_kib, other.peak_rss_kib)
        self.start_rss_kib = max(self.start_rss_kib, other.start_rss_kib)


def assess_rows(
    by_user: dict[str, UserRows], as_of: date, report: AssessReport
) -> list[dict[str, Any]]:
    """The persona rows of both windows of every user in `by_user`."""
    now = utcnow()
    rows = []
    for user_id, user_rows in by_user.items():
        for window, (signals, decision) in decide(user_rows, as_of).items():
            rows.append(persona_row(user_id, window, signals, decision, as_of, now))
            report.personas[window][decision.persona_type.value] += 1
    report.assessed += len(by_user)
    return rows


@dataclass
class Batch:
    """What a batch of users reads: their rows for the signals, the
    data_version of each (what the personas and streams are computed from),
    for the streams their settled rows of all time; the last user id of the
    page (where the next page starts; None after the last page) and how
    many users of the page have no consent."""

    by_user: dict[str, UserRows]
    versions: dict[str, int] = field(default_factory=dict)
    stream_rows: dict[str, list[StreamRow]] = field(default_factory=dict)
    last: str | None = None
    refused: int = 0


async def _read_batch(
    session: AsyncSession,
    selection: Selection,
    after: str | None,
    limit: int,
    as_of: date,
    streams: bool,
) -> Batch:
    """The next page of users, claimed (stream_store.claim, a short write of
    its own), then their versions and rows in one read transaction, ended
    before returning (a long-lived SQLite read snapshot would keep the WAL
    from being checkpointed). The versions are read before the rows: a write
    after that bumps them, and what is computed from these rows is then not
    marked as current (nor are its streams stored)."""
    page = await next_users(session, selection, after, limit)
    await session.rollback()
    if not page:
        return Batch({})
    chosen = [user_id for user_id, consent in page if consent]
    batch = Batch({}, last=page[-1][0], refused=len(page) - len(chosen))
    if not chosen:
        return batch
    await stream_store.claim(session, chosen)
    try:
        batch.versions = await stream_store.read_versions(session, chosen)
        if streams:
            batch.by_user, batch.stream_rows = await read_users_and_history(session, chosen, as_of)
        else:
            batch.by_user = await read_users(session, chosen, as_of)
        return batch
    finally:
        await session.rollback()


def batch_snapshots(batch: Batch, as_of: date) -> list[Snapshot]:
    """The streams of every claimed user of the batch, detected at `as_of`."""
    return [
        Snapshot(user_id, version, as_of, detect_streams(batch.stream_rows.get(user_id, ()), as_of))
        for user_id, version in batch.versions.items()
    ]


async def assess_all(
    engine: AsyncEngine,
    as_of: date,
    user_ids: Sequence[str] | None = None,
    *,
    span: UserRange = ALL_USERS,
    changed_only: bool = False,
    batch_users: int = BATCH_USERS,
    on_batch: Callable[[int, int], None] | None = None,
    streams: bool = False,
) -> AssessReport:
    """Assess every consenting user (or those of `user_ids`; those of the id
    range `span`; with `changed_only` those whose transactions changed since
    their last assessment, or never assessed) and store both windows'
    persona rows. Users go in pages of `batch_users` in id order: each page
    is read in a few queries and written in one transaction (a crash loses at
    most the batch in progress; a rerun writes newer rows, it never
    corrupts), and marked as assessed from its data_version
    (stream_store.mark_assessed). While a batch is computed, the next one is
    read on a second connection, so the database and the engine work at the
    same time. Writes begin with Backend.begin_write, so that several
    processes can run this at once on one database (assess_workers). With
    `streams`, each user's recurring streams are also detected from their
    whole history and stored with the personas (stream_store): about three
    times the work of the personas alone. Users without consent are counted
    and left alone. `on_batch(done, total)` reports progress."""
    report = AssessReport(start_rss_kib=peak_rss_kib())
    started, cpu = time.perf_counter(), time.process_time()
    selection = Selection(span, user_ids, changed_only)
    backend = backend_of(engine)
    async with (
        open_session(engine) as reader,
        open_session(engine) as writer,
    ):
        with collecting_per_batch() as collect:
            total = await count_consenting(reader, selection)
            await reader.rollback()
            if on_batch is not None:
                on_batch(0, total)

            def read(after: str | None) -> "asyncio.Task[Batch]":
                return asyncio.create_task(
                    _read_batch(reader, selection, after, batch_users, as_of, streams)
                )

            reading = read(None)
            while True:
                batch = await reading
                if batch.last is None:
                    break
                reading = read(batch.last)
                report.skipped_no_consent += batch.refused
                if not batch.by_user:
                    continue
                rows = assess_rows(batch.by_user, as_of, report)
                snapshots = batch_snapshots(batch, as_of) if streams else []
                await backend.begin_write(await writer.connection(), PERSONAS)
                await writer.execute(insert(PERSONAS), rows)
                await stream_store.store(writer, snapshots)
                await stream_store.mark_assessed(writer, batch.versions)
                await writer.commit()
                collect()
                if on_batch is not None:
                    on_batch(report.assessed, total)
    report.seconds = time.perf_counter() - started
    report.cpu_seconds = time.process_time() - cpu
    report.peak_rss_kib = peak_rss_kib()
    return report


@contextmanager
def collecting_per_batch() -> Iterator[Callable[[], int]]:
    """Python's cyclic garbage collector off for the run, and one full
    collection per batch instead (the `collect` given). A batch is hundreds of
    thousands of row tuples: the automatic collector ran hundreds of times per
    batch and traversed every row again at each older-generation pass, half
    the worker's CPU (PostgreSQL, 10k users). The objects already there when
    the run starts (the app's modules) are frozen out of those collections;
    the collector is restored as it was on exit."""
    enabled = gc.isenabled()
    # A process that froze its objects itself (a forking server) keeps them so.
    freeze = gc.get_freeze_count() == 0
    gc.disable()
    if freeze:
        gc.freeze()
    try:
        yield gc.collect
    finally:
        if freeze:
            gc.unfreeze()
        if enabled:
            gc.enable()


def peak_rss_kib() -> int:
    """This process's peak resident set size so far, KiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def newest_computed(
    session: AsyncSession, user_ids: Sequence[str], as_of: date | None
) -> dict[tuple[str, str], Persona]:
    """The newest computed persona of each (user, window), optionally only
    those computed for `as_of`."""
    stmt = select(Persona).where(
        col(Persona.user_id).in_(list(user_ids)), col(Persona.as_of).is_not(None)
    )
    if as_of is not None:
        stmt = stmt.where(col(Persona.as_of) == as_of)
    newest: dict[tuple[str, str], Persona] = {}
    for persona in (await session.exec(stmt)).all():
        key = (persona.user_id, persona.window)
        held = newest.get(key)
        if held is None or (persona.assigned_at, persona.id or 0) > (
            held.assigned_at,
            held.id or 0,
        ):
            newest[key] = persona
    return newest


__all__ = [
    "AssessReport",
    "PersonaType",
    "assess_all",
    "assess_rows",
    "assess_user",
    "decide",
    "newest_computed",
    "user_signals",
]
