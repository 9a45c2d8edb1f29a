"""Recommended content for a user: the persona of the window asked for,
computed on the fly from their rows, and the catalogue items it picks
(app.services.insights.recommendations holds the rules).

Nothing here writes: no persona row, no log of the user's numbers. Consent
gates everything: a user whose `consent` is false is refused
(ConsentRequired) before any row of theirs is read.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Content, ContentPublic
from app.models.persona import WINDOW_DAYS, PersonaReason, PersonaWindow
from app.models.recommendation import (
    RecommendationPersona,
    Recommendations,
    RecommendedContent,
)
from app.services.insights.assess import WINDOWS, consenting_user
from app.services.insights.personas import PersonaDecision, assign_persona
from app.services.insights.reader import LOOKBACK_DAYS, read_users
from app.services.insights.recommendations import (
    DEFAULT_LIMIT,
    DISCLAIMER,
    recommend,
)
from app.services.insights.signal_types import WindowSignals
from app.services.insights.signals import compute_signals


def lookback_days(window: PersonaWindow) -> int:
    """The days of rows a window's signals need: its lookback, max(W, 90)."""
    return max(WINDOW_DAYS[window], 90)


CONTENT: Table = Content.__table__  # type: ignore[attr-defined]
PUBLIC_KEYS = tuple(ContentPublic.model_fields)
PUBLIC_COLUMNS = [CONTENT.c[key] for key in PUBLIC_KEYS]


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A catalogue item as stored: what ranking reads, and all its public
    fields for the response."""

    id: str
    type: str
    persona_tags: list[str]
    signal_tags: list[str]
    fields: dict[str, Any]


async def read_catalog(session: AsyncSession) -> list[CatalogEntry]:
    """The whole catalogue (it is small: tens to hundreds of items), by id,
    in one query of plain columns; the ranking picks from it in Python. (A
    filter on the JSON tags in SQL cost more than it saved at this size.)"""
    result = await session.execute(select(*PUBLIC_COLUMNS).order_by(CONTENT.c.id))
    entries = []
    for row in result:
        fields = dict(zip(PUBLIC_KEYS, row, strict=True))
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
    limit: int = DEFAULT_LIMIT,
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
    return Recommendations(persona=persona, items=items, disclaimer=DISCLAIMER)


async def user_recommendations(
    session: AsyncSession,
    user_id: str,
    window: PersonaWindow,
    as_of: date,
    limit: int = DEFAULT_LIMIT,
) -> Recommendations:
    """The content recommended to a consenting user for `window` at `as_of`.
    Reads only the window's lookback; computes the decision; writes nothing."""
    await consenting_user(session, user_id)
    rows = (await read_users(session, [user_id], as_of, lookback_days(window)))[user_id]
    # Both windows come out of the one pass; only `window`'s is exact here.
    signals = compute_signals(rows.accounts, rows.transactions, as_of)[window]
    decision = assign_persona(signals)
    catalog = await read_catalog(session)
    return recommendations_of(decision, window, as_of, catalog, limit)


@dataclass(frozen=True)
class Explanation:
    """Everything `spendsense explain` shows of one user, both windows."""

    signals: dict[str, WindowSignals]
    recommendations: dict[str, Recommendations]


async def explain_user(
    session: AsyncSession, user_id: str, as_of: date, limit: int = DEFAULT_LIMIT
) -> Explanation:
    """Signals, persona and recommendations of both windows of a consenting
    user at `as_of`, from one read; writes nothing."""
    await consenting_user(session, user_id)
    rows = (await read_users(session, [user_id], as_of, LOOKBACK_DAYS))[user_id]
    signals = compute_signals(rows.accounts, rows.transactions, as_of)
    decisions = {window: assign_persona(signals[window]) for window in WINDOWS}
    catalog = await read_catalog(session)
    return Explanation(
        signals=signals,
        recommendations={
            window: recommendations_of(decision, window, as_of, catalog, limit)
            for window, decision in decisions.items()
        },
    )
