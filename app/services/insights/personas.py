"""assign_persona: the persona of one window from its signals, with the
reasons behind it and a confidence.

Rules, priority, reason codes and reason values follow the shared insights
spec (Personas). The first rule that holds is the persona; the lower rules
that also hold are `also_matched` (never `balanced`). A reason is emitted for
each condition that holds and made its rule hold, in the spec's code order,
cards by account id.

Confidence (the service's own formula):

- Each reason gets a strength `s = 0.5 + 0.5 · x / (1 + x)` in [0.5, 1),
  where `x ≥ 0` is how far its value is past its threshold (on the side that
  makes the condition hold), in units of a scale:
  `x = |value − threshold| / scale`. The scale is the threshold itself
  for every code except `interest_charges` (threshold 0; scale $50: $50 of
  interest gives 0.75) and `minimum_payment_only` (scale a tenth of the
  minimum payment, so paying exactly the minimum gives 0.75); `overdue`, a
  yes/no fact, has the fixed strength 0.9 (x = 4). A value at its threshold
  gives 0.5; twice as far past it as the scale gives 0.8333.
- A persona's confidence combines its reasons as a noisy-or,
  `1 − Π(1 − s)`, capped at 0.99 and rounded to 4 decimals: another reason
  that holds only ever raises it, and a stronger reason raises it more.
- `balanced`: `0.2 + 0.6 · n / (n + 25)` with `n` the settled transactions
  in the window, rounded to 4 decimals: 0.2 without data, 0.5 at 25
  transactions, approaching 0.8 (never above: "no pattern" is weaker
  evidence than a pattern).
"""

from dataclasses import dataclass
from typing import Any, NamedTuple

from app.models.persona import PersonaType
from app.services.insights.signal_types import CardSignals, WindowSignals
from app.services.insights.text import card_label, days, money, months, number, percent

UTILIZATION_HIGH = 0.50
UTILIZATION_LOW = 0.30
PAY_GAP_DAYS = 45
CASH_BUFFER_MONTHS = 1.0
RECURRING_COUNT = 3
RECURRING_SPEND = 5000  # cents a month
RECURRING_SHARE = 0.10
SAVINGS_GROWTH = 0.02
SAVINGS_INFLOW = 20000  # cents a month

# The spec's reason order.
REASON_CODES = (
    "credit_utilization_high",
    "interest_charges",
    "minimum_payment_only",
    "overdue",
    "long_pay_gap",
    "low_cash_buffer",
    "recurring_merchants",
    "subscription_spend",
    "savings_growth",
    "savings_transfers",
    "credit_utilization_low",
    "no_pattern",
)
PRIORITY = (
    PersonaType.high_utilization,
    PersonaType.variable_income,
    PersonaType.subscription_heavy,
    PersonaType.savings_builder,
)

INTEREST_SCALE = 5000  # cents
OVERDUE_STRENGTH = 0.9
MAX_CONFIDENCE = 0.99
# Conditions that hold below their threshold.
_BELOW = frozenset({"minimum_payment_only", "low_cash_buffer", "credit_utilization_low"})


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
    """How strongly one reason supports its persona, in [0.5, 1): 0.5 at the
    threshold, growing towards 1 with the margin past it (module docstring)."""
    if code == "overdue":
        return OVERDUE_STRENGTH
    if code == "interest_charges":
        scale: float = INTEREST_SCALE
    elif code == "minimum_payment_only":
        scale = threshold / 11  # a tenth of the minimum payment
    else:
        scale = threshold
    margin = threshold - value if code in _BELOW else value - threshold
    x = max(margin, 0.0) / scale
    return 0.5 + 0.5 * x / (1.0 + x)


def combined_confidence(reasons: list[Reason]) -> float:
    """Noisy-or of the reasons' strengths, capped at 0.99, 4 decimals."""
    doubt = 1.0
    for reason in reasons:
        if reason.value is not None and reason.threshold is not None:
            doubt *= 1.0 - reason_strength(reason.code, reason.value, reason.threshold)
    return round(min(1.0 - doubt, MAX_CONFIDENCE), 4)


def balanced_confidence(transaction_count: int) -> float:
    """Low with little data: 0.2 + 0.6 · n / (n + 25), 4 decimals."""
    n = max(transaction_count, 0)
    return round(0.2 + 0.6 * n / (n + 25), 4)


class _Hit(NamedTuple):
    """A condition that holds: a reason before its sentence is written (the
    sentences are only written for the persona that wins)."""

    code: str
    value: float
    threshold: float
    card: CardSignals | None = None


def _high_utilization(signals: WindowSignals) -> list[_Hit]:
    cards = signals.credit.cards  # by account id
    hits = [
        _Hit("credit_utilization_high", card.utilization, UTILIZATION_HIGH, card)
        for card in cards
        if card.utilization >= UTILIZATION_HIGH
    ]
    hits += [
        _Hit("interest_charges", card.interest_charged, 0, card)
        for card in cards
        if card.interest_charged > 0
    ]
    hits += [
        # 1.1 × min_payment, exact for whole tenths (3850.0, not 3850.0000000000005).
        _Hit("minimum_payment_only", card.last_payment, card.min_payment * 11 / 10, card)
        for card in cards
        if card.minimum_payment_only and card.last_payment is not None and card.min_payment
    ]
    hits += [_Hit("overdue", 1, 1, card) for card in cards if card.is_overdue]
    return hits


def _variable_income(signals: WindowSignals) -> list[_Hit]:
    gap = signals.income.median_pay_gap_days
    buffer = signals.income.cash_buffer_months
    if gap is None or buffer is None or not (gap > PAY_GAP_DAYS and buffer < CASH_BUFFER_MONTHS):
        return []
    return [
        _Hit("long_pay_gap", gap, PAY_GAP_DAYS),
        _Hit("low_cash_buffer", buffer, CASH_BUFFER_MONTHS),
    ]


def _subscription_heavy(signals: WindowSignals) -> list[_Hit]:
    subs = signals.subscriptions
    count, spend, share = subs.recurring_count, subs.monthly_recurring_spend, subs.recurring_share
    if count < RECURRING_COUNT:
        return []
    if spend >= RECURRING_SPEND:
        amount = _Hit("subscription_spend", spend, RECURRING_SPEND)
    elif share is not None and share >= RECURRING_SHARE:
        amount = _Hit("subscription_spend", share, RECURRING_SHARE)
    else:
        return []
    return [_Hit("recurring_merchants", count, RECURRING_COUNT), amount]


def _savings_builder(signals: WindowSignals) -> list[_Hit]:
    savings, cards = signals.savings, signals.credit.cards
    if any(card.utilization >= UTILIZATION_LOW for card in cards):
        return []
    hits = []
    growth = savings.growth_rate
    if growth is not None and growth >= SAVINGS_GROWTH:
        hits.append(_Hit("savings_growth", growth, SAVINGS_GROWTH))
    inflow = savings.monthly_net_inflow
    if inflow >= SAVINGS_INFLOW:
        hits.append(_Hit("savings_transfers", inflow, SAVINGS_INFLOW))
    if hits and cards:
        # The card with the highest utilization (the first by id on a tie).
        top = max(cards, key=_utilization)
        hits.append(_Hit("credit_utilization_low", top.utilization, UTILIZATION_LOW, top))
    return hits


def _utilization(card: CardSignals) -> float:
    return card.utilization


_RULES = (_high_utilization, _variable_income, _subscription_heavy, _savings_builder)


def reason_text(code: str, value: float, threshold: float, card: CardSignals | None) -> str:
    """The reason's sentence, from its value and threshold and, for a card,
    the card's name, mask, balance and limit. Numbers are floored at the
    precision shown, so the sentence never reads past the threshold."""
    name = card_label(card.name, card.mask) if card is not None else ""
    if code == "credit_utilization_high" and card is not None:
        return (
            f"{name} is at {percent(value)} of its {money(card.limit)} limit "
            f"({money(card.balance)} owed)"
        )
    if code == "interest_charges":
        return f"{name} charged {money(value)} of interest in this window"
    if code == "minimum_payment_only":
        return (
            f"The last payment on {name} was {money(value)}, no more than {money(threshold)} "
            "(110 % of its minimum payment)"
        )
    if code == "overdue":
        return f"{name} is overdue"
    if code == "long_pay_gap":
        return f"Pay days are a median of {days(value)} apart, more than {days(threshold)}"
    if code == "low_cash_buffer":
        return (
            f"Checking balances cover {months(value)} of checking outflow, "
            f"less than {months(threshold)}"
        )
    if code == "recurring_merchants":
        return (
            f"{number(value, 0)} merchants charge on a regular schedule, "
            f"at least {number(threshold, 0)}"
        )
    if code == "subscription_spend":
        if threshold == RECURRING_SPEND:
            return f"Recurring charges come to {money(value)} a month, at least {money(threshold)}"
        return (
            f"Recurring charges are {percent(value, 1)} of monthly spending, "
            f"at least {percent(threshold)}"
        )
    if code == "savings_growth":
        return f"Savings grew {percent(value, 1)} in this window, at least {percent(threshold)}"
    if code == "savings_transfers":
        return f"Savings take in a net {money(value)} a month, at least {money(threshold)}"
    if code == "credit_utilization_low" and card is not None:
        return (
            f"Every card is under {percent(threshold)} of its limit; the most used, {name}, "
            f"is at {percent(value)} of {money(card.limit)}"
        )
    raise ValueError(f"no sentence for reason {code}")


def assign_persona(signals: WindowSignals) -> PersonaDecision:
    """The persona of `signals`' window: the first rule that holds, its
    reasons and confidence, and the lower rules that also hold."""
    chosen: PersonaType | None = None
    hits: list[_Hit] = []
    also: list[PersonaType] = []
    for persona, rule in zip(PRIORITY, _RULES, strict=True):
        held = rule(signals)
        if not held:
            continue
        if chosen is None:
            chosen, hits = persona, held
        else:
            also.append(persona)
    if chosen is None:
        return PersonaDecision(
            PersonaType.balanced,
            balanced_confidence(signals.transaction_count),
            [
                Reason(
                    "no_pattern",
                    None,
                    None,
                    None,
                    "No credit, income, subscription or savings pattern stands out in this window",
                )
            ],
            [],
        )
    reasons = [
        Reason(
            hit.code,
            hit.value,
            hit.threshold,
            hit.card.account_id if hit.card is not None else None,
            reason_text(hit.code, hit.value, hit.threshold, hit.card),
        )
        for hit in hits
    ]
    return PersonaDecision(chosen, combined_confidence(reasons), reasons, also)
