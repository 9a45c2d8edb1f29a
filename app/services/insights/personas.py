"""assign_persona: the persona of one window from its signals, with the
reasons behind it and a confidence.

Rules, priority, reason codes and reason values follow the shared insights
spec (Personas). The first rule that holds is the persona; the lower rules
that also hold are `also_matched` (never `balanced`). A reason is emitted for
each condition that holds and made its rule hold, in the spec's code order,
cards by account id.

Confidence (the service's own formula):

- Each reason gets a strength `s = 0.5 + 0.5 · x / (1 + x)` in [0.5, 1),
  where `x ≥ 0` is how far its value is past its threshold, in units of a
  scale: `x = |value − threshold| / scale`. The scale is the threshold itself
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

from dataclasses import dataclass, field
from typing import Any

from app.models.persona import PersonaType
from app.services.insights.signal_types import CardSignals, WindowSignals
from app.services.insights.text import card_label, days, money, months, percent

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


@dataclass(slots=True)
class Reason:
    code: str
    value: float | None
    threshold: float | None
    account_id: str | None
    text: str
    # How strongly this reason supports the persona, in [0.5, 1) (not shown).
    strength: float = field(default=0.5, repr=False, compare=False)

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


def strength(margin: float, scale: float) -> float:
    """0.5 at the threshold, growing towards 1 with the margin past it."""
    x = max(margin, 0.0) / scale
    return 0.5 + 0.5 * x / (1.0 + x)


def combined_confidence(reasons: list[Reason]) -> float:
    """Noisy-or of the reasons' strengths, capped at 0.99, 4 decimals."""
    doubt = 1.0
    for reason in reasons:
        doubt *= 1.0 - reason.strength
    return round(min(1.0 - doubt, MAX_CONFIDENCE), 4)


def balanced_confidence(transaction_count: int) -> float:
    n = max(transaction_count, 0)
    return round(0.2 + 0.6 * n / (n + 25), 4)


def _card(card: CardSignals) -> str:
    return card_label(card.name, card.mask)


def _high_utilization(signals: WindowSignals) -> list[Reason]:
    cards = signals.credit.cards  # by account id
    reasons = []
    for card in cards:
        if card.utilization >= UTILIZATION_HIGH:
            reasons.append(
                Reason(
                    "credit_utilization_high",
                    card.utilization,
                    UTILIZATION_HIGH,
                    card.account_id,
                    f"{_card(card)} is at {percent(card.utilization)} of its "
                    f"{money(card.limit)} limit ({money(card.balance)} owed)",
                    strength(card.utilization - UTILIZATION_HIGH, UTILIZATION_HIGH),
                )
            )
    for card in cards:
        if card.interest_charged > 0:
            reasons.append(
                Reason(
                    "interest_charges",
                    card.interest_charged,
                    0,
                    card.account_id,
                    f"{_card(card)} charged {money(card.interest_charged)} of interest "
                    "in this window",
                    strength(card.interest_charged, INTEREST_SCALE),
                )
            )
    for card in cards:
        if card.minimum_payment_only and card.last_payment is not None and card.min_payment:
            # 1.1 × min_payment, exact for whole tenths (3850.0, not 3850.0000000000005).
            limit = card.min_payment * 11 / 10
            reasons.append(
                Reason(
                    "minimum_payment_only",
                    card.last_payment,
                    limit,
                    card.account_id,
                    f"The last payment on {_card(card)} was {money(card.last_payment)}, "
                    f"no more than {money(limit)} (110 % of its minimum payment)",
                    strength(limit - card.last_payment, card.min_payment / 10),
                )
            )
    for card in cards:
        if card.is_overdue:
            reasons.append(
                Reason(
                    "overdue", 1, 1, card.account_id, f"{_card(card)} is overdue", OVERDUE_STRENGTH
                )
            )
    return reasons


def _variable_income(signals: WindowSignals) -> list[Reason]:
    gap = signals.income.median_pay_gap_days
    buffer = signals.income.cash_buffer_months
    if gap is None or buffer is None or not (gap > PAY_GAP_DAYS and buffer < CASH_BUFFER_MONTHS):
        return []
    return [
        Reason(
            "long_pay_gap",
            gap,
            PAY_GAP_DAYS,
            None,
            f"Pay days are a median of {days(gap)} apart, more than {days(PAY_GAP_DAYS)}",
            strength(gap - PAY_GAP_DAYS, PAY_GAP_DAYS),
        ),
        Reason(
            "low_cash_buffer",
            buffer,
            CASH_BUFFER_MONTHS,
            None,
            f"Checking balances cover {months(buffer)} of checking outflow, "
            f"less than {months(CASH_BUFFER_MONTHS)}",
            strength(CASH_BUFFER_MONTHS - buffer, CASH_BUFFER_MONTHS),
        ),
    ]


def _subscription_heavy(signals: WindowSignals) -> list[Reason]:
    subs = signals.subscriptions
    count, spend, share = subs.recurring_count, subs.monthly_recurring_spend, subs.recurring_share
    if count < RECURRING_COUNT:
        return []
    if spend >= RECURRING_SPEND:
        amount = Reason(
            "subscription_spend",
            spend,
            RECURRING_SPEND,
            None,
            f"Recurring charges come to {money(spend)} a month, at least {money(RECURRING_SPEND)}",
            strength(spend - RECURRING_SPEND, RECURRING_SPEND),
        )
    elif share is not None and share >= RECURRING_SHARE:
        amount = Reason(
            "subscription_spend",
            share,
            RECURRING_SHARE,
            None,
            f"Recurring charges are {percent(share, 1)} of monthly spending, "
            f"at least {percent(RECURRING_SHARE)}",
            strength(share - RECURRING_SHARE, RECURRING_SHARE),
        )
    else:
        return []
    merchants = Reason(
        "recurring_merchants",
        count,
        RECURRING_COUNT,
        None,
        f"{count} merchants charge on a regular schedule, at least {RECURRING_COUNT}",
        strength(count - RECURRING_COUNT, RECURRING_COUNT),
    )
    return [merchants, amount]


def _savings_builder(signals: WindowSignals) -> list[Reason]:
    savings, credit = signals.savings, signals.credit
    if any(card.utilization >= UTILIZATION_LOW for card in credit.cards):
        return []
    reasons = []
    growth = savings.growth_rate
    if growth is not None and growth >= SAVINGS_GROWTH:
        reasons.append(
            Reason(
                "savings_growth",
                growth,
                SAVINGS_GROWTH,
                None,
                f"Savings grew {percent(growth, 1)} in this window, "
                f"at least {percent(SAVINGS_GROWTH)}",
                strength(growth - SAVINGS_GROWTH, SAVINGS_GROWTH),
            )
        )
    inflow = savings.monthly_net_inflow
    if inflow >= SAVINGS_INFLOW:
        reasons.append(
            Reason(
                "savings_transfers",
                inflow,
                SAVINGS_INFLOW,
                None,
                f"Savings take in a net {money(inflow)} a month, at least {money(SAVINGS_INFLOW)}",
                strength(inflow - SAVINGS_INFLOW, SAVINGS_INFLOW),
            )
        )
    if not reasons:
        return []
    if credit.cards:
        # The card with the highest utilization (the first by id on a tie).
        top = max(credit.cards, key=_utilization)
        reasons.append(
            Reason(
                "credit_utilization_low",
                top.utilization,
                UTILIZATION_LOW,
                top.account_id,
                f"Every card is under {percent(UTILIZATION_LOW)} of its limit; the most used, "
                f"{_card(top)}, is at {percent(top.utilization)} of {money(top.limit)}",
                strength(UTILIZATION_LOW - top.utilization, UTILIZATION_LOW),
            )
        )
    return reasons


def _utilization(card: CardSignals) -> float:
    return card.utilization


_RULES = (_high_utilization, _variable_income, _subscription_heavy, _savings_builder)


def assign_persona(signals: WindowSignals) -> PersonaDecision:
    """The persona of `signals`' window: the first rule that holds, its
    reasons and confidence, and the lower rules that also hold."""
    chosen: PersonaType | None = None
    reasons: list[Reason] = []
    also: list[PersonaType] = []
    for persona, rule in zip(PRIORITY, _RULES, strict=True):
        held = rule(signals)
        if not held:
            continue
        if chosen is None:
            chosen, reasons = persona, held
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
    return PersonaDecision(chosen, combined_confidence(reasons), reasons, also)
