"""high_utilization: a card at half its limit or more, interest charged,
minimum-only payments or an overdue card (any card)."""

from app.services.insights.persona_kinds.kind import Hit, PersonaKind, ReasonKind, always
from app.services.insights.persona_kinds.plant import Plant
from app.services.insights.signal_types import WindowSignals
from app.services.insights.text import money, percent

UTILIZATION_HIGH = 0.50
INTEREST_SCALE = 5000  # cents: $50 of interest gives a strength of 0.75
OVERDUE_STRENGTH = 0.9  # a yes/no fact (x = 4)


def _utilization_sentence(hit: Hit) -> str:
    value, _ = hit.compared
    name, card = hit.named_card
    return (
        f"{name} is at {percent(value)} of its {money(card.limit)} limit "
        f"({money(card.balance)} owed)"
    )


def _interest_sentence(hit: Hit) -> str:
    value, _ = hit.compared
    name, _card = hit.named_card
    return f"{name} charged {money(value)} of interest in this window"


def _minimum_sentence(hit: Hit) -> str:
    value, threshold = hit.compared
    name, _card = hit.named_card
    return (
        f"The last payment on {name} was {money(value)}, no more than {money(threshold)} "
        "(110 % of its minimum payment)"
    )


def _overdue_sentence(hit: Hit) -> str:
    name, _card = hit.named_card
    return f"{name} is overdue"


def _tenth_of_the_minimum(threshold: float) -> float:
    return threshold / 11  # the threshold is 1.1 × the minimum payment


def _interest_scale(threshold: float) -> float:
    return INTEREST_SCALE


UTILIZATION = ReasonKind(
    "credit_utilization_high",
    _utilization_sentence,
    "bringing card utilization down",
    card_first=True,
)
INTEREST = ReasonKind(
    "interest_charges",
    _interest_sentence,
    "paying less card interest",
    scale=_interest_scale,
    card_first=True,
    in_cents=always,
)
MINIMUM_ONLY = ReasonKind(
    "minimum_payment_only",
    _minimum_sentence,
    "paying more than the minimum",
    scale=_tenth_of_the_minimum,
    holds_below=True,
    in_cents=always,
)
OVERDUE = ReasonKind(
    "overdue",
    _overdue_sentence,
    "getting an overdue account current",
    fixed_strength=OVERDUE_STRENGTH,
    card_first=True,
)


def rule(signals: WindowSignals) -> list[Hit]:
    """One reason per card and condition: every card's utilization first,
    then interest, minimum-only payments, overdue (cards by account id)."""
    cards = signals.credit.cards  # by account id
    hits = [
        Hit(UTILIZATION, card.utilization, UTILIZATION_HIGH, card)
        for card in cards
        if card.utilization >= UTILIZATION_HIGH
    ]
    hits += [
        Hit(INTEREST, card.interest_charged, 0, card) for card in cards if card.interest_charged > 0
    ]
    hits += [
        # 1.1 × min_payment, exact for whole tenths (3850.0, not 3850.0000000000005).
        Hit(MINIMUM_ONLY, card.last_payment, card.min_payment * 11 / 10, card)
        for card in cards
        if card.minimum_payment_only and card.last_payment is not None and card.min_payment
    ]
    hits += [Hit(OVERDUE, 1, 1, card) for card in cards if card.is_overdue]
    return hits


KIND = PersonaKind(
    name="high_utilization",
    label="high utilization",
    priority=10,
    reasons=(UTILIZATION, INTEREST, MINIMUM_ONLY, OVERDUE),
    rule=rule,
    plant=Plant(
        savings_account_odds=0.4,
        card_odds=1.0,
        card_spend_share=(0.65, 0.85),
        buffer_months=(0.3, 0.9),
        spending_boost=(1.05, 1.25),
        first_card="stretched",
    ),
)
