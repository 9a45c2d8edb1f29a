"""Recommended content for a user: the persona of the window asked for,
computed on the fly from their rows, and the catalogue items it picks
(app.services.insights.ranking holds the rules).

Nothing here writes: no persona row, no log of the user's numbers. Consent
gates everything: a user whose `consent` is false is refused
(ConsentRequired) before any row of theirs is read.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import RawQuery, backend_of
from app.models import ContentPublic
from app.models.persona import WINDOW_DAYS, PersonaReason, PersonaWindow
from app.models.recommendation import (
    RecommendationPersona,
    Recommendations,
    RecommendedContent,
    empty_note,
)
from app.services.insights.assess import WINDOWS
from app.services.insights.decision import PersonaDecision, decide_persona
from app.services.insights.ranking import (
    DEFAULT_RECOMMENDATIONS,
    DISCLAIMER,
    recommend,
)
from app.services.insights.reader import LOOKBACK_DAYS, read_user
from app.services.insights.recurring import user_streams
from app.services.insights.signal_types import WindowSignals
from app.services.insights.signals import compute_signals
from app.services.insights.streams import Stream
from app.services.users import require_consent


def lookback_days(window: PersonaWindow) -> int:
    """The days of rows a window's signals need: its lookback, max(W, 90)."""
    return max(WINDOW_DAYS[window], 90)


PUBLIC_KEYS = tuple(ContentPublic.model_fields)
# Through the driver itself, in the session's connection and transaction: one
# call (one asyncpg round trip, one hop to aiosqlite's thread) where
# SQLAlchemy's cursor makes four; those hops, not the query, were most of
# the route's time.
_CATALOG = RawQuery(lambda db: f"SELECT {', '.join(PUBLIC_KEYS)} FROM content ORDER BY id")


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A catalogue item as stored: what ranking reads, and all its public
    fields for the response."""

    id: str
    type: str
    persona_tags: list[str]
    signal_tags: list[str]
    fields: dict[str, Any]


def _utc(value: datetime | str) -> datetime:
    """A stored created_at: SQLite's naive UTC text, or PostgreSQL's aware datetime."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.astimezone(UTC)


async def read_catalog(session: AsyncSession) -> list[CatalogEntry]:
    """The whole catalogue (it is small: tens to hundreds of items), by id,
    in one query; the ranking picks from it in Python. (A filter on the JSON
    tags in SQL cost more than it saved at this size.)"""
    entries = []
    for row in await backend_of(session).fetch(session, _CATALOG, {}):
        fields = dict(zip(PUBLIC_KEYS, row, strict=True))
        fields["persona_tags"] = json.loads(fields["persona_tags"])
        fields["signal_tags"] = json.loads(fields["signal_tags"])
        fields["created_at"] = _utc(fields["created_at"])
        entries.append(
            CatalogEntry(
                fields["id"], fields["type"], fields["persona_tags"], fields["signal_tags"], fields
            )
        )
    return entries


def recommendations_of(
    decision: PersonaDecision,
    window: PersonaWindow,
    as_of: date,
    catalog: Sequence[CatalogEntry],
    limit: int = DEFAULT_RECOMMENDATIONS,
) -> Recommendations:
    """The response body: the persona block, the ranked items, the disclaimer."""
    items = [
        RecommendedContent.model_validate(
            {**pick.item.fields, "score": pick.score, "rationale": pick.rationale}
        )
        for pick in recommend(decision, catalog, limit)
    ]
    persona = RecommendationPersona(
        persona_type=decision.persona_type,
        confidence=decision.confidence,
        reasons=[PersonaReason.model_validate(reason.to_dict()) for reason in decision.reasons],
        also_matched=decision.also_matched,
        window=window,
        as_of=as_of,
    )
    note = None if items else empty_note(len(catalog))
    return Recommendations(persona=persona, items=items, disclaimer=DISCLAIMER, note=note)


async def user_recommendations(
    session: AsyncSession,
    user_id: str,
    window: PersonaWindow,
    as_of: date,
    limit: int = DEFAULT_RECOMMENDATIONS,
) -> Recommendations:
    """The content recommended to a consenting user for `window` at `as_of`.
    Reads only the window's lookback; computes the decision; writes nothing."""
    await require_consent(session, user_id)
    rows = await read_user(session, user_id, as_of, lookback_days(window))
    # Both windows come out of the one pass; only `window`'s is exact here.
    signals = compute_signals(rows.accounts, rows.transactions, as_of)[window]
    decision = decide_persona(signals)
    catalog = await read_catalog(session)
    return recommendations_of(decision, window, as_of, catalog, limit)


@dataclass(frozen=True)
class Explanation:
    """Everything `spendsense explain` shows of one user, both windows."""

    signals: dict[str, WindowSignals]
    recommendations: dict[str, Recommendations]
    # Every recurring stream at as_of (tombstoned ones included), choices applied.
    streams: list[Stream]


async def explain_user(
    session: AsyncSession, user_id: str, as_of: date, limit: int = DEFAULT_RECOMMENDATIONS
) -> Explanation:
    """Signals, persona and recommendations of both windows of a consenting
    user at `as_of`, from one read, and their recurring streams (from all
    their history); writes nothing."""
    await require_consent(session, user_id)
    rows = await read_user(session, user_id, as_of, LOOKBACK_DAYS)
    signals = compute_signals(rows.accounts, rows.transactions, as_of)
    decisions = {window: decide_persona(signals[window]) for window in WINDOWS}
    catalog = await read_catalog(session)
    return Explanation(
        streams=await user_streams(session, user_id, as_of),
        signals=signals,
        recommendations={
            window: recommendations_of(decision, window, as_of, catalog, limit)
            for window, decision in decisions.items()
        },
    )
