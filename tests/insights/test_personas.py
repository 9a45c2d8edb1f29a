"""Persona rules: priority, also_matched, reasons (codes, values, thresholds,
account ids, order, texts) and the confidence's properties."""

from typing import Unpack

import pytest

from app.models.persona import PersonaType
from app.services.insights import decide_persona
from app.services.insights.decision import PersonaDecision
from app.services.insights.persona_kinds import PERSONA_KINDS
from app.services.insights.signal_types import CardSignals
from tests.insights.builders import WindowOptions, card_signals, window_signals

P = PersonaType


def codes(decision: PersonaDecision) -> list[tuple[str, object, object, str | None]]:
    return [(r.code, r.value, r.threshold, r.account_id) for r in decision.reasons]


def test_balanced_has_exactly_no_pattern() -> None:
    decision = decide_persona(window_signals())
    assert decision.persona_type == P("balanced")
    assert codes(decision) == [("no_pattern", None, None, None)]
    assert decision.reasons[0].text
    assert decision.also_matched == []


def test_priority_order_and_also_matched() -> None:
    everything = window_signals(
        cards=[card_signals(utilization=0.1, interest=500)],  # high, yet under 30 %
        median_gap=60, buffer=0.5,
        recurring_count=4, recurring_spend=8000,
        growth=0.05,
    )  # fmt: skip
    decision = decide_persona(everything)
    assert decision.persona_type == P("high_utilization")
    assert decision.also_matched == [
        P("variable_income"),
        P("subscription_heavy"),
        P("savings_builder"),
    ]
    assert [r.code for r in decision.reasons] == ["interest_charges"]

    decision = decide_persona(window_signals(median_gap=60, buffer=0.5, growth=0.05))
    assert decision.persona_type == P("variable_income")
    assert decision.also_matched == [P("savings_builder")]

    decision = decide_persona(window_signals(recurring_count=3, recurring_spend=5000, growth=0.05))
    assert decision.persona_type == P("subscription_heavy")
    assert decision.also_matched == [P("savings_builder")]

    decision = decide_persona(window_signals(growth=0.05))
    assert (decision.persona_type, decision.also_matched) == (P("savings_builder"), [])


def test_high_utilization_reasons_in_spec_order_cards_by_id() -> None:
    cards = [
        card_signals("acc_a", utilization=0.6, interest=1234, overdue=True),
        card_signals("acc_b", utilization=0.9, min_payment=3500, last_payment=3500),
        card_signals("acc_c", utilization=0.2, interest=1),
    ]
    decision = decide_persona(window_signals(cards=cards))
    assert decision.persona_type == P("high_utilization")
    assert codes(decision) == [
        ("credit_utilization_high", 0.6, 0.5, "acc_a"),
        ("credit_utilization_high", 0.9, 0.5, "acc_b"),
        ("interest_charges", 1234, 0, "acc_a"),
        ("interest_charges", 1, 0, "acc_c"),
        ("minimum_payment_only", 3500, 3850.0, "acc_b"),
        ("overdue", 1, 1, "acc_a"),
    ]


@pytest.mark.parametrize(
    ("card", "persona"),
    [
        (card_signals(utilization=0.4999), P("balanced")),
        (card_signals(utilization=0.5), P("high_utilization")),
        (card_signals(interest=0), P("balanced")),
        (card_signals(interest=1), P("high_utilization")),
        (card_signals(min_payment=3500, last_payment=3851), P("balanced")),
        (card_signals(min_payment=3500, last_payment=3850), P("high_utilization")),
        (card_signals(overdue=True), P("high_utilization")),
    ],
)
def test_high_utilization_edges(card: CardSignals, persona: PersonaType) -> None:
    assert decide_persona(window_signals(cards=[card])).persona_type == persona


@pytest.mark.parametrize(
    ("gap", "buffer", "holds"),
    [(46, 0.5, True), (45, 0.5, False), (45.5, 0.5, True), (46, 0.99, True), (46, 1.0, False),
     (46, None, False), (None, 0.1, False)],
)  # fmt: skip
def test_variable_income_edges(gap: float | None, buffer: float | None, holds: bool) -> None:
    decision = decide_persona(window_signals(median_gap=gap, buffer=buffer))
    assert (decision.persona_type == P("variable_income")) is holds
    if holds:
        assert codes(decision) == [
            ("long_pay_gap", gap, 45, None),
            ("low_cash_buffer", buffer, 1.0, None),
        ]


@pytest.mark.parametrize(
    ("count", "spend", "share", "reason"),
    [
        (3, 5000.0, None, ("subscription_spend", 5000.0, 5000, None)),
        (3, 5000.0, 0.5, ("subscription_spend", 5000.0, 5000, None)),  # spend first
        (3, 4999.99, 0.10, ("subscription_spend", 0.10, 0.10, None)),
        (3, 4999.99, 0.0999, None),
        (3, 4999.99, None, None),
        (2, 9000.0, 0.9, None),
    ],
)
def test_subscription_heavy_edges(
    count: int, spend: float, share: float | None, reason: tuple[object, ...] | None
) -> None:
    decision = decide_persona(
        window_signals(recurring_count=count, recurring_spend=spend, share=share)
    )
    if reason is None:
        assert decision.persona_type == P("balanced")
    else:
        assert decision.persona_type == P("subscription_heavy")
        assert codes(decision) == [("recurring_merchants", count, 3, None), reason]


@pytest.mark.parametrize(
    ("growth", "inflow", "expected"),
    [
        (0.02, 0.0, ["savings_growth"]),
        (0.0199, 0.0, []),
        (None, 20_000.0, ["savings_transfers"]),
        (0.0199, 19_999.0, []),
        (0.3, 25_000.0, ["savings_growth", "savings_transfers"]),
    ],
)
def test_savings_builder_edges(growth: float | None, inflow: float, expected: list[str]) -> None:
    decision = decide_persona(window_signals(growth=growth, monthly_inflow=inflow))
    assert [r.code for r in decision.reasons] == (expected or ["no_pattern"])
    for reason in decision.reasons:
        if reason.code == "savings_growth":
            assert (reason.value, reason.threshold) == (growth, 0.02)
        if reason.code == "savings_transfers":
            assert (reason.value, reason.threshold) == (inflow, 20_000)


def test_savings_builder_needs_every_card_under_30_percent() -> None:
    low = [card_signals("acc_b", utilization=0.2999), card_signals("acc_a", utilization=0.1)]
    decision = decide_persona(window_signals(cards=low, growth=0.05))
    assert codes(decision) == [
        ("savings_growth", 0.05, 0.02, None),
        ("credit_utilization_low", 0.2999, 0.3, "acc_b"),
    ]
    high = [card_signals("acc_b", utilization=0.3), card_signals("acc_a", utilization=0.1)]
    assert decide_persona(window_signals(cards=high, growth=0.05)).persona_type == P("balanced")


def test_credit_utilization_low_names_the_first_card_by_id_on_a_tie() -> None:
    cards = [card_signals("acc_a", utilization=0.2), card_signals("acc_b", utilization=0.2)]
    decision = decide_persona(window_signals(cards=cards, growth=0.05))
    assert decision.reasons[-1].account_id == "acc_a"


def test_no_credit_utilization_low_without_cards() -> None:
    decision = decide_persona(window_signals(growth=0.05))
    assert [r.code for r in decision.reasons] == ["savings_growth"]


# -- texts ---------------------------------------------------------------------


def text_of(decision: PersonaDecision, code: str) -> str:
    return next(r.text for r in decision.reasons if r.code == code)


def test_the_spec_example_sentence() -> None:
    visa = card_signals("acc_v", utilization=0.61, limit=300_000)
    assert visa.balance == 183_000
    decision = decide_persona(window_signals(cards=[visa]))
    assert text_of(decision, "credit_utilization_high") == (
        "Visa ending in 9911 is at 61 % of its $3,000.00 limit ($1,830.00 owed)"
    )


def test_texts_carry_the_numbers_in_dollars_and_name_the_card() -> None:
    cards = [
        card_signals("a", utilization=0.1, interest=4567, name="Amex Gold", mask="1005"),
        card_signals("b", utilization=0.1, min_payment=3500, last_payment=3500, mask="2222"),
        card_signals("c", utilization=0.1, overdue=True, name="Store Card", mask="3333"),
    ]
    decision = decide_persona(window_signals(cards=cards))
    interest = text_of(decision, "interest_charges")
    assert "Amex Gold ending in 1005" in interest and "$45.67" in interest
    minimum = text_of(decision, "minimum_payment_only")
    assert "Visa ending in 2222" in minimum and "$35.00" in minimum and "$38.50" in minimum
    assert text_of(decision, "overdue") == "Store Card ending in 3333 is overdue"


def test_texts_never_round_up_across_a_threshold() -> None:
    decision = decide_persona(window_signals(median_gap=45.5, buffer=0.999))
    assert "45.5 days" in text_of(decision, "long_pay_gap")
    assert "0.99 months" in text_of(decision, "low_cash_buffer")
    assert "1 month" in text_of(decision, "low_cash_buffer")

    cards = [card_signals("a", utilization=0.29996, limit=100_000)]
    decision = decide_persona(window_signals(cards=cards, growth=0.0200001))
    low = text_of(decision, "credit_utilization_low")
    assert "29 %" in low and "30 %" in low and "Visa ending in 9911" in low
    assert "2 %" in text_of(decision, "savings_growth")

    decision = decide_persona(window_signals(recurring_count=3, recurring_spend=4999.99, share=0.1))
    assert "10 %" in text_of(decision, "subscription_spend")
    decision = decide_persona(window_signals(recurring_count=3, recurring_spend=5000.0))
    assert "$50.00" in text_of(decision, "subscription_spend")
    decision = decide_persona(window_signals(monthly_inflow=20_000.4))
    assert "$200.00" in text_of(decision, "savings_transfers")


def test_every_reason_code_has_a_sentence() -> None:
    high = [card_signals("a", utilization=0.7, interest=10, min_payment=100, last_payment=100,
                         overdue=True)]  # fmt: skip
    decisions = [
        decide_persona(window_signals(cards=high)),
        decide_persona(window_signals(median_gap=50, buffer=0.2)),
        decide_persona(window_signals(recurring_count=5, recurring_spend=9000)),
        decide_persona(window_signals(recurring_count=5, recurring_spend=90, share=0.5)),
        decide_persona(window_signals(growth=0.1, monthly_inflow=50_000, cards=[card_signals()])),
        decide_persona(window_signals()),
    ]
    reasons = [r for d in decisions for r in d.reasons]
    assert {r.code for r in reasons} == set(PERSONA_KINDS.reason_codes)
    for reason in reasons:
        assert reason.text.strip() == reason.text and "None" not in reason.text
        assert reason.text[0].isupper() or reason.text[0].isdigit()
        if reason.account_id is not None:
            assert "Visa ending in 9911" in reason.text


# -- confidence ----------------------------------------------------------------


def confidence(**kw: Unpack[WindowOptions]) -> float:
    return decide_persona(window_signals(**kw)).confidence


def test_stronger_evidence_scores_higher() -> None:
    assert confidence(cards=[card_signals(utilization=0.9)]) > confidence(
        cards=[card_signals(utilization=0.51)]
    )
    assert confidence(median_gap=90, buffer=0.1) > confidence(median_gap=46, buffer=0.9)
    assert confidence(recurring_count=8, recurring_spend=20_000) > confidence(
        recurring_count=3, recurring_spend=5000
    )
    assert confidence(growth=0.2) > confidence(growth=0.021)


def test_more_conditions_score_higher() -> None:
    one = confidence(cards=[card_signals(utilization=0.6)])
    two = confidence(cards=[card_signals(utilization=0.6, interest=2000)])
    three = confidence(cards=[card_signals(utilization=0.6, interest=2000, overdue=True)])
    assert one < two < three
    assert confidence(growth=0.03) < confidence(growth=0.03, monthly_inflow=25_000)


def test_confidence_stays_in_range_and_is_capped() -> None:
    many = [card_signals(f"c{i}", utilization=5.0, interest=10**6, overdue=True) for i in range(9)]
    assert confidence(cards=many) == 0.99
    at_threshold = confidence(cards=[card_signals(utilization=0.5)])
    assert at_threshold == 0.5
    options: list[WindowOptions] = [{}, {"transaction_count": 0}, {"transaction_count": 10**6}]
    for kw in options:
        assert 0 <= confidence(**kw) <= 1


def test_balanced_scores_lower_with_little_data() -> None:
    counts = [0, 3, 10, 30, 100, 1000]
    scores = [confidence(transaction_count=n) for n in counts]
    assert scores == sorted(scores) and len(set(scores)) == len(scores)
    assert scores[0] == 0.2 and scores[-1] < 0.8


def test_confidence_has_four_decimals() -> None:
    value = confidence(cards=[card_signals(utilization=0.777777)])
    assert value == round(value, 4)


def test_to_dict() -> None:
    decision = decide_persona(window_signals(median_gap=46, buffer=0.5, growth=0.05))
    body = decision.to_dict()
    assert body["persona_type"] == "variable_income"
    assert body["also_matched"] == ["savings_builder"]
    assert body["confidence"] == decision.confidence
    assert body["reasons"][0] == {
        "code": "long_pay_gap", "value": 46, "threshold": 45, "account_id": None,
        "text": decision.reasons[0].text,
    }  # fmt: skip
