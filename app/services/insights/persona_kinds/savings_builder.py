"""savings_builder: savings grew at least 2 % or take in at least $200.00 a
month, and every card is under 30 % of its limit (true without cards)."""

from app.services.insights.persona_kinds.kind import (
    Hit,
    PersonaKind,
    ReasonKind,
    always,
)
from app.services.insights.persona_kinds.plant import Plant
from app.services.insights.signal_types import CardSignals, WindowSignals
from app.services.insights.text import money, percent

UTILIZATION_LOW = 0.30
SAVINGS_GROWTH = 0.02
SAVINGS_INFLOW = 20000  # cents a month


def _growth_sentence(hit: Hit) -> str:
    value, threshold = hit.compared
    return f"Savings grew {percent(value, 1)} in this window, at least {percent(threshold)}"


def _transfers_sentence(hit: Hit) -> str:
    value, threshold = hit.compared
    return f"Savings take in a net {money(value)} a month, at least {money(threshold)}"


def _low_utilization_sentence(hit: Hit) -> str:
    value, threshold = hit.compared
    name, card = hit.named_card
    return (
        f"Every card is under {percent(threshold)} of its limit; the most used, {name}, "
        f"is at {percent(value)} of {money(card.limit)}"
    )


SAVINGS_GROWTH_REASON = ReasonKind("savings_growth", _growth_sentence, "keeping savings growing")
SAVINGS_TRANSFERS = ReasonKind(
    "savings_transfers",
    _transfers_sentence,
    "making regular saving pay off",
    in_cents=always,
)
LOW_UTILIZATION = ReasonKind(
    "credit_utilization_low",
    _low_utilization_sentence,
    "keeping card balances low",
    holds_below=True,
)


def _utilization(card: CardSignals) -> float:
    return card.utilization


def rule(signals: WindowSignals) -> list[Hit]:
    savings, cards = signals.savings, signals.credit.cards
    if any(card.utilization >= UTILIZATION_LOW for card in cards):
        return []
    hits = []
    growth = savings.growth_rate
    if growth is not None and growth >= SAVINGS_GROWTH:
        hits.append(Hit(SAVINGS_GROWTH_REASON, growth, SAVINGS_GROWTH))
    inflow = savings.monthly_net_inflow
    if inflow >= SAVINGS_INFLOW:
        hits.append(Hit(SAVINGS_TRANSFERS, inflow, SAVINGS_INFLOW))
    if hits and cards:
        # The card with the highest utilization (the first by id on a tie).
        top = max(cards, key=_utilization)
        hits.append(Hit(LOW_UTILIZATION, top.utilization, UTILIZATION_LOW, top))
    return hits


KIND = PersonaKind(
    name="savings_builder",
    label="savings builder",
    priority=40,
    reasons=(SAVINGS_GROWTH_REASON, SAVINGS_TRANSFERS, LOW_UTILIZATION),
    rule=rule,
    plant=Plant(savings_account_odds=1.0, card_odds=0.7, savings="built"),
)
