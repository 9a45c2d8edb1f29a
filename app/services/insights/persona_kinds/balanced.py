"""balanced: none of the other rules holds (the registry's fallback)."""

from collections.abc import Sequence

from app.services.insights.persona_kinds.kind import Hit, PersonaKind, ReasonKind
from app.services.insights.persona_kinds.plant import Plant
from app.services.insights.signal_types import WindowSignals

NO_PATTERN_TEXT = "No credit, income, subscription or savings pattern stands out in this window"


def _no_pattern_sentence(hit: Hit) -> str:
    return NO_PATTERN_TEXT


NO_PATTERN = ReasonKind("no_pattern", _no_pattern_sentence, "everyday money habits")


def rule(signals: WindowSignals) -> list[Hit]:
    """Holds whenever it is asked: the engine asks only when no other rule
    held. Its one reason compares nothing (value and threshold null)."""
    return [Hit(NO_PATTERN)]


def confidence(hits: Sequence[Hit], signals: WindowSignals) -> float:
    """Low with little data: 0.2 + 0.6 · n / (n + 25), n the settled
    transactions in the window, 4 decimals ("no pattern" is weaker evidence
    than a pattern: never above 0.8)."""
    n = max(signals.transaction_count, 0)
    return round(0.2 + 0.6 * n / (n + 25), 4)


KIND = PersonaKind(
    name="balanced",
    label="balanced",
    priority=1000,
    reasons=(NO_PATTERN,),
    rule=rule,
    plant=Plant(savings_account_odds=0.7, card_odds=0.8),
    confidence=confidence,
    fallback=True,
)
