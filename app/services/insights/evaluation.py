"""How well the stored personas recover the patterns planted by the seeder
(`spendsense evaluate`): confusion matrix, precision and recall per persona,
coverage, explainability, the share of the most common persona, and the time
the engine takes per user.

Metrics are pure functions of (planted, predicted) pairs; `evaluate` reads
what they need and recomputes every user once, in memory, to time the engine
and to check that the stored rows match a fresh computation.
"""

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import open_session
from app.models import Persona, User
from app.services.insights.assess import WINDOWS, decide, newest_computed
from app.services.insights.persona_kinds import PERSONA_KINDS
from app.services.insights.reader import read_users


def is_explained(reasons: list[dict[str, Any]]) -> bool:
    """Every reason carries a value, a threshold and a sentence (`no_pattern`
    alone has none to compare: its value and threshold are null by
    definition), and there is at least one reason."""
    return bool(reasons) and all(
        isinstance(reason.get("text"), str)
        and reason["text"].strip() != ""
        and "value" in reason
        and "threshold" in reason
        and (
            reason.get("code") == "no_pattern" or None not in (reason["value"], reason["threshold"])
        )
        for reason in reasons
    )


@dataclass
class WindowReport:
    window: str
    consenting: int = 0
    covered: int = 0
    explained: int = 0
    # confusion[planted][predicted] = users, for every registered persona
    confusion: dict[str, Counter[str]] = field(
        default_factory=lambda: {persona: Counter() for persona in PERSONA_KINDS.names}
    )

    @property
    def correct(self) -> int:
        return sum(self.confusion[p][p] for p in PERSONA_KINDS.names)

    @property
    def recovered(self) -> float:
        """Share of consenting users whose persona is the planted pattern."""
        return self.correct / self.consenting if self.consenting else 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.consenting if self.consenting else 0.0

    @property
    def explainability(self) -> float:
        return self.explained / self.covered if self.covered else 0.0

    def predicted_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for row in self.confusion.values():
            counts.update(row)
        return counts

    @property
    def top_persona(self) -> tuple[str | None, float]:
        """The most common computed persona and its share of covered users."""
        counts = self.predicted_counts()
        if not counts:
            return None, 0.0
        persona, count = counts.most_common(1)[0]
        return persona, count / self.covered

    def precision(self, persona: str) -> float | None:
        predicted = self.predicted_counts()[persona]
        return self.confusion[persona][persona] / predicted if predicted else None

    def recall(self, persona: str) -> float | None:
        planted = sum(self.confusion[persona].values())
        return self.confusion[persona][persona] / planted if planted else None

    def to_dict(self) -> dict[str, Any]:
        top, share = self.top_persona
        return {
            "window": self.window,
            "consenting_users": self.consenting,
            "with_persona": self.covered,
            "coverage": self.coverage,
            "recovered": self.correct,
            "recovery": self.recovered,
            "explainability": self.explainability,
            "top_persona": top,
            "top_persona_share": share,
            "confusion": {
                p: {q: self.confusion[p][q] for q in PERSONA_KINDS.names}
                for p in PERSONA_KINDS.names
            },
            "per_persona": {
                p: {"precision": self.precision(p), "recall": self.recall(p)}
                for p in PERSONA_KINDS.names
            },
        }


@dataclass
class Evaluation:
    as_of: date | None
    manifest_users: int
    without_consent: int
    missing_users: int
    windows: dict[str, WindowReport]
    seconds_per_user: float
    # Users whose stored personas equal a fresh computation (both windows).
    agreeing: int
    compared: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "manifest_users": self.manifest_users,
            "without_consent": self.without_consent,
            "missing_users": self.missing_users,
            "seconds_per_user": self.seconds_per_user,
            "stored_match_recomputed": {"agreeing": self.agreeing, "compared": self.compared},
            "windows": {window: report.to_dict() for window, report in self.windows.items()},
        }


async def evaluate(engine: AsyncEngine, manifest: dict[str, str], as_of: date | None) -> Evaluation:
    """Compare the newest computed persona of each window (computed for
    `as_of` when given) with the manifest's planted patterns."""
    async with open_session(engine) as session:
        users = await _consent_of(session, list(manifest))
        consenting = sorted(u for u, ok in users.items() if ok)
        newest = await newest_computed(session, consenting, as_of)
        windows: dict[str, WindowReport] = {window: WindowReport(window) for window in WINDOWS}
        for user_id in consenting:
            for window, report in windows.items():
                report.consenting += 1
                persona = newest.get((user_id, window))
                if persona is None:
                    continue
                report.covered += 1
                report.explained += is_explained(persona.reasons)
                report.confusion[manifest[user_id]][persona.persona_type] += 1
        seconds, agreeing, compared = await _recompute(session, consenting, newest)
    return Evaluation(
        as_of=as_of,
        manifest_users=len(manifest),
        without_consent=sum(1 for ok in users.values() if not ok),
        missing_users=len(manifest) - len(users),
        windows=windows,
        seconds_per_user=seconds / len(consenting) if consenting else 0.0,
        agreeing=agreeing,
        compared=compared,
    )


async def _consent_of(session: AsyncSession, user_ids: list[str]) -> dict[str, bool]:
    found: dict[str, bool] = {}
    for start in range(0, len(user_ids), 1000):
        chunk = user_ids[start : start + 1000]
        stmt = select(col(User.id), col(User.consent)).where(col(User.id).in_(chunk))
        found.update((await session.exec(stmt)).all())
    return found


async def _recompute(
    session: AsyncSession, user_ids: list[str], newest: dict[tuple[str, str], Persona]
) -> tuple[float, int, int]:
    """Time a fresh computation of every user (reading included) and count
    the users whose stored personas (both windows, same as_of) it matches."""
    seconds = 0.0
    agreeing = compared = 0
    by_as_of: dict[date, list[str]] = {}
    for user_id in user_ids:
        stored = newest.get((user_id, WINDOWS[-1]))
        if stored is not None and stored.as_of is not None:
            by_as_of.setdefault(stored.as_of, []).append(user_id)
    for as_of, group in by_as_of.items():
        for start in range(0, len(group), 500):
            batch = group[start : start + 500]
            started = time.perf_counter()
            rows = await read_users(session, batch, as_of)
            decisions = {user_id: decide(user_rows, as_of) for user_id, user_rows in rows.items()}
            seconds += time.perf_counter() - started
            for user_id, decided in decisions.items():
                compared += 1
                agreeing += all(
                    (persona := newest.get((user_id, window))) is not None
                    and persona.as_of == as_of
                    and persona.persona_type == decided[window][1].persona_type
                    and persona.confidence == decided[window][1].confidence
                    for window in WINDOWS
                )
    return seconds, agreeing, compared
