"""Recommended content for a persona decision: which catalogue items qualify,
their score and order, and a rationale built from the user's own reasons.

Pure functions over plain values (the decision of one window and catalogue
items); no database. The shared insights spec (HTTP, recommendations) is the
contract.

Score (integer):

- 2 points for each distinct reason code of the persona that the item's
  `signal_tags` hold (two cards over 50 % are one code: 2 points);
- 1 point when the item's `persona_tags` hold the persona.

So an item answering two of the user's reasons (4) ranks above one that
answers one (2 or 3), and a reason answered counts more than the persona
alone (1). Items scoring 0 match nothing and are never returned. Order: score
descending, then content id ascending; then the first `limit`.

Rationale (one sentence):

- An item that answers reason codes cites, for each code it answers (in the
  spec's reason order), the persona's reason of that code with the highest
  strength (the confidence formula's `reason_strength`; on a tie the first,
  i.e. the card first by account id) by its own `text`, then says what the
  item is about (each code's topic in the persona registry,
  app.services.insights.persona_kinds): "Your Visa ending in 9911 is at
  61 % of its $3,000.00 limit ($1,830.00 owed): this article is about
  bringing card utilization down."
- An item that matches only by persona says so, by the persona's label in
  the registry, and cites the persona's strongest reason: "Suggested for
  your savings builder persona, whose strongest reason is that savings grew
  11.1 % in this window, at least 2 %."

Only the decision's own reasons (their code and text) are ever cited, so a
rationale never claims a reason the persona does not carry, and its numbers
are the reason texts' numbers: the signals' values and the rules'
thresholds, shown with the text helpers' rounding (app.services.insights.text).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from app.services.insights.decision import PersonaDecision, Reason, reason_strength
from app.services.insights.persona_kinds import PERSONA_KINDS

CODE_POINTS = 2
PERSONA_POINTS = 1
DEFAULT_RECOMMENDATIONS = 5
MAX_RECOMMENDATIONS = 20

DISCLAIMER = (
    "This is general financial education, not financial advice: it is based only on the "
    "data shared with SpendSense and does not know your whole situation. For advice about "
    "your own finances, talk to a qualified professional."
)


class CatalogItem(Protocol):
    """What ranking needs of a content item (a Content row qualifies)."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def persona_tags(self) -> Sequence[str]: ...
    @property
    def signal_tags(self) -> Sequence[str]: ...


ItemT = TypeVar("ItemT", bound=CatalogItem)


@dataclass(frozen=True, slots=True)
class Recommendation(Generic[ItemT]):
    item: ItemT
    score: int
    codes: tuple[str, ...]  # the persona's reason codes the item answers, spec order
    persona_match: bool
    rationale: str


def persona_codes(decision: PersonaDecision) -> list[str]:
    """The distinct reason codes of the decision, in the spec's order."""
    return sorted({reason.code for reason in decision.reasons}, key=PERSONA_KINDS.code_rank)


def match(
    item: CatalogItem, decision: PersonaDecision, codes: Sequence[str] | None = None
) -> tuple[int, tuple[str, ...], bool]:
    """(score, the reason codes answered, whether the persona tag matched);
    `codes` are the decision's persona_codes, when the caller has them."""
    tags = set(item.signal_tags)
    codes = tuple(code for code in codes or persona_codes(decision) if code in tags)
    persona_match = decision.persona_type.value in item.persona_tags
    return CODE_POINTS * len(codes) + PERSONA_POINTS * persona_match, codes, persona_match


def strongest(reasons: Iterable[Reason]) -> Reason:
    """The reason with the highest strength; the first one on a tie (and for
    `no_pattern`, which has no value)."""
    best: Reason | None = None
    best_strength = -1.0
    for reason in reasons:
        if reason.value is None or reason.threshold is None:
            strength = 0.0
        else:
            strength = reason_strength(reason.code, reason.value, reason.threshold)
        if strength > best_strength:
            best, best_strength = reason, strength
    if best is None:
        raise ValueError("a persona decision without reasons")
    return best


def clause(reason: Reason, first: bool) -> str:
    """The reason's text as part of a sentence: a text that opens with the
    card's name (ReasonKind.card_first: "Visa ending in 9911 is ...") cited
    as "your Visa ending in ...", another text's first letter lower-cased
    unless it opens the sentence."""
    text = reason.text
    if PERSONA_KINDS.reason(reason.code).card_first:
        text = f"your {text}"
    elif not first:
        text = text[:1].lower() + text[1:]
    return text[:1].upper() + text[1:] if first else text


def _series(parts: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(parts) <= 2:
        return " and ".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def rationale(
    decision: PersonaDecision, item_type: str, codes: Sequence[str], persona_match: bool
) -> str:
    """The sentence saying which of the user's reasons the item answers."""
    if codes:
        cited = [strongest(r for r in decision.reasons if r.code == code) for code in codes]
        clauses = [clause(reason, index == 0) for index, reason in enumerate(cited)]
        reasons = clauses[0] if len(clauses) == 1 else ", and ".join(clauses)
        verb = "helps with" if item_type == "tool" else "is about"
        topics = _series([PERSONA_KINDS.topics[code] for code in codes])
        return f"{reasons}: this {item_type} {verb} {topics}."
    if not persona_match:
        raise ValueError("the item matches nothing")
    label = PERSONA_KINDS.labels[decision.persona_type]
    reason = strongest(decision.reasons)
    return (
        f"Suggested for your {label} persona, whose strongest reason is that "
        f"{clause(reason, first=False)}."
    )


def recommend(
    decision: PersonaDecision, items: Iterable[ItemT], limit: int = DEFAULT_RECOMMENDATIONS
) -> list[Recommendation[ItemT]]:
    """The items that match the decision, best first (score descending, then
    id ascending), at most `limit`, each with its score and rationale."""
    scored = []
    codes_held = persona_codes(decision)
    for item in items:
        score, codes, persona_match = match(item, decision, codes_held)
        if score > 0:
            scored.append((-score, item.id, item, codes, persona_match))
    scored.sort(key=lambda entry: (entry[0], entry[1]))
    return [
        Recommendation(item, -score, codes, matched, rationale(decision, item.type, codes, matched))
        for score, _, item, codes, matched in scored[:limit]
    ]
