"""The insights engine against the database: a user's signals, and persona
assessments stored as persona rows, for one user (the HTTP routes) or for
every consenting user in batches (`spendsense assess`).

Consent gates everything here: a user whose `consent` is false is refused
(ConsentRequired) before any row of theirs is read, and nothing is written.
"""

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import open_session
from app.models import Persona, PersonaType
from app.models.persona import PersonaWindow
from app.models.types import utcnow
from app.services.insights import stream_store
from app.services.insights.decision import PersonaDecision, decide_persona
from app.services.insights.reader import (
    UserRows,
    consenting,
    read_users,
    read_users_and_history,
)
from app.services.insights.recurring import read_stream_rows
from app.services.insights.signal_types import WindowSignals
from app.services.insights.signals import compute_signals
from app.services.insights.stream_store import Snapshot
from app.services.insights.streams import StreamRow, detect_streams
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
    await session.commit()
    return personas


@dataclass
class AssessReport:
    """What a batch run did: personas per window, users skipped, time."""

    assessed: int = 0
    skipped_no_consent: int = 0
    personas: dict[str, Counter[str]] = field(
        default_factory=lambda: {window: Counter() for window in WINDOWS}
    )
    seconds: float = 0.0

    @property
    def users_per_second(self) -> float:
        return self.assessed / self.seconds if self.seconds > 0 else 0.0


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
    """What a batch of users reads: their rows for the signals, and for their
    streams the data_version of each and their settled rows of all time."""

    by_user: dict[str, UserRows]
    versions: dict[str, int] = field(default_factory=dict)
    stream_rows: dict[str, list[StreamRow]] = field(default_factory=dict)


async def _read_batch(
    session: AsyncSession, user_ids: Sequence[str], as_of: date, streams: bool
) -> Batch:
    """read_users (and what the streams read), then end the read transaction
    (a long-lived SQLite read snapshot would keep the WAL from being
    checkpointed). The versions are read first: a write after that bumps
    them, and the streams computed here are then not stored."""
    try:
        if not streams:
            return Batch(await read_users(session, user_ids, as_of))
        versions = await stream_store.read_versions(session, user_ids)
        by_user, history = await read_users_and_history(session, user_ids, as_of)
        return Batch(by_user, versions, history)
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
    batch_users: int = BATCH_USERS,
    on_batch: Callable[[int, int], None] | None = None,
    streams: bool = False,
) -> AssessReport:
    """Assess every consenting user (or those of `user_ids`) and store both
    windows' persona rows. Users go in batches of `batch_users`: each batch is
    read in two queries and written in one transaction (a crash loses at most
    the batch in progress; a rerun writes newer rows, it never corrupts).
    While a batch is computed, the next one is read on a second connection,
    so the database and the engine work at the same time. With `streams`,
    each user's recurring streams are also detected from their whole history
    and stored with the personas (stream_store): about three times the work
    of the personas alone. Users without consent are counted and left alone.
    `on_batch(done, total)` reports progress."""
    report = AssessReport()
    started = time.perf_counter()
    async with (
        open_session(engine) as reader,
        open_session(engine) as writer,
    ):
        chosen, refused = await consenting(reader, user_ids)
        await reader.rollback()
        report.skipped_no_consent = len(refused)
        if streams:
            await stream_store.claim(writer, chosen)
        batches = [chosen[i : i + batch_users] for i in range(0, len(chosen), batch_users)]

        def read(index: int) -> "asyncio.Task[Batch]":
            return asyncio.create_task(_read_batch(reader, batches[index], as_of, streams))

        reading = read(0) if batches else None
        for index in range(len(batches)):
            assert reading is not None
            batch = await reading
            if index + 1 < len(batches):
                reading = read(index + 1)
            rows = assess_rows(batch.by_user, as_of, report)
            snapshots = batch_snapshots(batch, as_of)
            await writer.execute(insert(PERSONAS), rows)
            await stream_store.store(writer, snapshots)
            await writer.commit()
            if on_batch is not None:
                on_batch(report.assessed, len(chosen))
    report.seconds = time.perf_counter() - started
    return report


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
