"""decide_persona: the persona of one window from its signals, with the
reasons behind it and a confidence.

The personas, their rules, reason codes, sentences and confidence scales are
the registry's (app.services.insights.persona_kinds); this module only runs
them, following the shared insights spec (Personas): the first rule that
holds, in priority order, is the persona; the lower rules that also hold are
`also_matched` (never the fallback, `balanced`). A reason is emitted for each
condition that holds and made its rule hold, in the spec's code order, cards
by account id.

Confidence (the service's own formula): each reason has a strength in
[0.5, 1) growing with how far its value is past its threshold
(ReasonKind.strength); a persona combines its reasons as a noisy-or capped at
0.99 (kind.noisy_or), except `balanced`, which grows with the window's
settled transactions (balanced.confidence).
"""

from dataclasses import dataclass
from typing import Any

from app.services.insights.persona_kinds import PERSONA_KINDS, Hit, PersonaType
from app.services.insights.signal_types import WindowSignals


@dataclass(slots=True)
class Reason:
    code: str
    value: float | None
    threshold: float | None
    account_id: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "value": self.value,
            "threshold": self.threshold,
            "account_id": self.account_id,
            "text": self.text,
        }


@dataclass(slots=True)
class PersonaDecision:
    persona_type: PersonaType
    confidence: float
    reasons: list[Reason]
    also_matched: list[PersonaType]

    def to_dict(self) -> dict[str, Any]:
        return {
            "persona_type": self.persona_type.value,
            "confidence": self.confidence,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "also_matched": [persona.value for persona in self.also_matched],
        }


def reason_strength(code: str, value: float, threshold: float) -> float:
    """How strongly one reason supports its persona, in [0.5, 1)."""
    return PERSONA_KINDS.reason(code).strength(value, threshold)


def _reason(hit: Hit) -> Reason:
    account_id = hit.card.account_id if hit.card is not None else None
    return Reason(hit.reason.code, hit.value, hit.threshold, account_id, hit.reason.sentence(hit))


def decide_persona(signals: WindowSignals) -> PersonaDecision:
    """The persona of `signals`' window: the first rule that holds, its
    reasons and confidence, and the lower rules that also hold."""
    chosen = None
    hits: list[Hit] = []
    also: list[PersonaType] = []
    for kind in PERSONA_KINDS.rules:
        held = kind.rule(signals)
        if not held:
            continue
        if chosen is None:
            chosen, hits = kind, held
        else:
            also.append(PersonaType(kind.name))
    if chosen is None:
        chosen = PERSONA_KINDS.fallback
        hits = chosen.rule(signals)
    return PersonaDecision(
        PersonaType(chosen.name),
        chosen.confidence(hits, signals),
        [_reason(hit) for hit in hits],
        also,
    )
