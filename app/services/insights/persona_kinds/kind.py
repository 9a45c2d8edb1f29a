"""What the registry holds for one persona: its rule over a window's
signals, the reason codes that rule gives (sentence, confidence scale,
ranking topic), and how the synthetic generator plants it.

Plain frozen data filled in by the persona modules next to this one; the
engine (decision.py), ranking, the catalogue check, the command line and the
generator read it and know no persona by name.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from app.services.insights.persona_kinds.plant import Plant
from app.services.insights.signal_types import CardSignals, WindowSignals
from app.services.insights.text import card_label

MAX_CONFIDENCE = 0.99


def never(threshold: float) -> bool:
    return False


def always(threshold: float) -> bool:
    return True


def _the_threshold(threshold: float) -> float:
    return threshold


@dataclass(frozen=True, slots=True, eq=False)
class ReasonKind:
    """One condition of a rule, named by its reason code.

    Strength (the confidence formula, docs/personas-registry.md):
    `0.5 + 0.5 · x / (1 + x)` with `x` how far the value is past the
    threshold (on the side that makes the condition hold) in units of
    `scale(threshold)`; `fixed_strength` for a yes/no fact."""

    code: str
    sentence: "Callable[[Hit], str]"  # the reason's text, from its numbers and card
    topic: str  # what content answering this code is about (rationales)
    scale: Callable[[float], float] = _the_threshold
    holds_below: bool = False  # the condition holds below its threshold
    fixed_strength: float | None = None
    card_first: bool = False  # the sentence opens with the card's name
    in_cents: Callable[[float], bool] = never  # from the threshold: money or not

    def strength(self, value: float, threshold: float) -> float:
        """How strongly this reason supports its persona, in [0.5, 1)."""
        if self.fixed_strength is not None:
            return self.fixed_strength
        scale = self.scale(threshold)
        margin = threshold - value if self.holds_below else value - threshold
        x = max(margin, 0.0) / scale
        return 0.5 + 0.5 * x / (1.0 + x)


class Hit(NamedTuple):
    """A condition that holds: a reason before its sentence is written (only
    the winning persona's sentences are). A tuple: rules make many."""

    reason: ReasonKind
    value: float | None = None
    threshold: float | None = None
    card: CardSignals | None = None

    @property
    def compared(self) -> tuple[float, float]:
        """(value, threshold): the numbers the condition compared."""
        if self.value is None or self.threshold is None:
            raise ValueError(f"reason {self.reason.code} compares no numbers")
        return self.value, self.threshold

    @property
    def named_card(self) -> tuple[str, CardSignals]:
        """How a sentence names the card ("Visa ending in 9911"), and the card."""
        if self.card is None:
            raise ValueError(f"reason {self.reason.code} needs its card")
        return card_label(self.card.name, self.card.mask), self.card


Rule = Callable[[WindowSignals], list[Hit]]
Confidence = Callable[[Sequence[Hit], WindowSignals], float]


def noisy_or(hits: Sequence[Hit], signals: WindowSignals) -> float:
    """`1 − Π(1 − strength)` over the reasons, capped at 0.99, 4 decimals:
    another reason that holds only ever raises it."""
    doubt = 1.0
    for hit in hits:
        if hit.value is not None and hit.threshold is not None:
            doubt *= 1.0 - hit.reason.strength(hit.value, hit.threshold)
    return round(min(1.0 - doubt, MAX_CONFIDENCE), 4)


@dataclass(frozen=True, slots=True, eq=False)
class PersonaKind:
    """One persona: everything the service knows about it."""

    name: str  # the persona_type value
    label: str  # in sentences: "Suggested for your <label> persona"
    priority: int  # lower first: the first rule that holds is the persona
    reasons: tuple[ReasonKind, ...]  # its reason codes, in the spec's order
    rule: Rule  # the reasons of the conditions that hold; none: the rule fails
    plant: Plant
    confidence: Confidence = noisy_or
    # Holds when no other rule does ("none of the above"): never also-matched.
    fallback: bool = False
