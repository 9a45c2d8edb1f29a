"""Recommendations without a database: the vocabulary of the spec against
the engine and the shipped catalogue (both ways), the score, the order and
its ties, the limit, and rationales that cite only the persona's own reasons
with the signals' numbers."""

import random
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from app.models import Content, PersonaType
from app.services.insights import compute_signals, decide_persona
from app.services.insights.decision import PersonaDecision, Reason
from app.services.insights.persona_kinds import PERSONA_KINDS
from app.services.insights.ranking import (
    match,
    rationale,
    recommend,
    strongest,
)
from app.services.insights.signal_types import WindowSignals
from app.services.seeding import load_catalog
from tests.insights.builders import card_signals, window_signals
from tests.insights.random_users import random_user
from tests.insights.rationale_numbers import expected_numbers, numbers_in

# Transcribed from the spec (insights.md, "Reason codes"), not from the code.
SPEC_CODES = {
    "high_utilization": [
        "credit_utilization_high", "interest_charges", "minimum_payment_only", "overdue"
    ],
    "variable_income": ["long_pay_gap", "low_cash_buffer"],
    "subscription_heavy": ["recurring_merchants", "subscription_spend"],
    "savings_builder": ["savings_growth", "savings_transfers", "credit_utilization_low"],
    "balanced": ["no_pattern"],
}  # fmt: skip
ALL_SPEC_CODES = [code for codes in SPEC_CODES.values() for code in codes]
# The shipped catalogue as the service stores and ranks it: rows, each with its id.
CATALOG = [Content.model_validate(item.model_dump()) for item in load_catalog()]


@dataclass
class Item:
    """A catalogue item as ranking sees it."""

    id: str
    signal_tags: list[str] = field(default_factory=list)
    persona_tags: list[str] = field(default_factory=list)
    type: str = "article"


# --- vocabulary ----------------------------------------------------------------------


def test_the_engine_emits_exactly_the_spec_codes_in_the_spec_order() -> None:
    assert list(PERSONA_KINDS.reason_codes) == ALL_SPEC_CODES
    assert set(SPEC_CODES) == {p.value for p in PersonaType}
    assert set(PERSONA_KINDS.topics) == set(ALL_SPEC_CODES)
    assert set(PERSONA_KINDS.labels) == set(PersonaType)


def test_catalogue_tags_are_exactly_the_spec_vocabulary() -> None:
    """Both ways: no tag that nothing emits (or misspelt), and every code
    and persona answered by enough items."""
    signal_tags = [tag for item in CATALOG for tag in item.signal_tags]
    persona_tags = [tag.value for item in CATALOG for tag in item.persona_tags]
    assert set(signal_tags) == set(ALL_SPEC_CODES)
    assert set(persona_tags) == set(SPEC_CODES)
    for code in ALL_SPEC_CODES:
        assert signal_tags.count(code) >= 2, code
    for persona in SPEC_CODES:
        assert persona_tags.count(persona) >= 3, persona
    for item in CATALOG:  # no tag twice on one item (it would not score twice anyway)
        assert len(set(item.signal_tags)) == len(item.signal_tags), item.id
        assert len(set(item.persona_tags)) == len(item.persona_tags), item.id


# --- decisions that carry each code ---------------------------------------------------


def decision_with(code: str) -> tuple[WindowSignals, PersonaDecision]:
    """Signals whose persona carries the reason `code`, and that decision."""
    cards = {
        "credit_utilization_high": [card_signals(utilization=0.61)],
        "interest_charges": [card_signals(interest=2_500)],
        "minimum_payment_only": [card_signals(min_payment=3_500, last_payment=3_500)],
        "overdue": [card_signals(overdue=True)],
        "credit_utilization_low": [card_signals(utilization=0.12)],
    }.get(code)
    signals = window_signals(
        cards=cards,
        median_gap=50.5 if code in ("long_pay_gap", "low_cash_buffer") else None,
        buffer=0.678 if code in ("long_pay_gap", "low_cash_buffer") else None,
        recurring_count=4 if code in ("recurring_merchants", "subscription_spend") else 0,
        recurring_spend=6_123.4 if code in ("recurring_merchants", "subscription_spend") else 0,
        growth=0.0523 if code in ("savings_growth", "credit_utilization_low") else None,
        monthly_inflow=25_000.5 if code == "savings_transfers" else 0.0,
    )
    decision = decide_persona(signals)
    assert code in {reason.code for reason in decision.reasons}
    return signals, decision


@pytest.mark.parametrize("code", ALL_SPEC_CODES)
def test_every_reason_code_reaches_content(code: str) -> None:
    signals, decision = decision_with(code)
    picks = recommend(decision, CATALOG, limit=20)
    answering = [pick for pick in picks if code in pick.codes]
    assert len(answering) >= 2
    (reason,) = [r for r in decision.reasons if r.code == code]
    for pick in answering:
        assert reason.text[1:] in pick.rationale
        assert PERSONA_KINDS.topics[code] in pick.rationale


@pytest.mark.parametrize("code", ALL_SPEC_CODES)
def test_rationale_numbers_equal_the_signals(code: str) -> None:
    signals, decision = decision_with(code)
    for pick in recommend(decision, CATALOG, limit=20):
        cited = pick.codes or (strongest(decision.reasons).code,)
        want = [n for c in cited for n in expected_numbers(c, signals.to_dict())]
        assert numbers_in(pick.rationale) == want, pick.rationale


# --- score, order, ties, limit ------------------------------------------------------


def high_utilization() -> PersonaDecision:
    """Two cards over 50 % and interest on one."""
    signals = window_signals(
        cards=[
            card_signals("a_card", utilization=0.55, interest=1_000, mask="1111"),
            card_signals("b_card", utilization=0.91, mask="2222"),
        ]
    )
    decision = decide_persona(signals)
    codes = [r.code for r in decision.reasons]
    assert codes == ["credit_utilization_high", "credit_utilization_high", "interest_charges"]
    return decision


def test_score_two_per_code_answered_one_for_the_persona() -> None:
    decision = high_utilization()
    cases = {
        "both_codes_and_persona": (["interest_charges", "credit_utilization_high"],
                                   ["high_utilization"], 5),
        "both_codes": (["credit_utilization_high", "interest_charges"], [], 4),
        "one_code_and_persona": (["interest_charges"], ["high_utilization", "balanced"], 3),
        "one_code": (["credit_utilization_high"], [], 2),
        "persona_only": (["savings_growth"], ["high_utilization"], 1),
        "nothing": (["savings_growth", "overdue", "no_pattern"], ["balanced"], 0),
    }  # fmt: skip
    for name, (signal_tags, persona_tags, score) in cases.items():
        assert match(Item(name, signal_tags, persona_tags), decision)[0] == score, name


def test_order_is_score_then_id_and_unmatched_items_never_come_back() -> None:
    decision = high_utilization()
    items = [
        Item("m", ["credit_utilization_high"]),
        Item("z", ["credit_utilization_high", "interest_charges"]),
        Item("b", [], ["high_utilization"]),
        Item("a", [], ["high_utilization"]),
        Item("c", ["credit_utilization_high"], ["high_utilization"]),
        Item("k", ["savings_growth"], ["balanced"]),  # matches nothing
        Item("d", ["credit_utilization_high"]),
    ]
    picks = recommend(decision, items, limit=20)
    assert [(p.item.id, p.score) for p in picks] == [
        ("z", 4), ("c", 3), ("d", 2), ("m", 2), ("a", 1), ("b", 1)
    ]  # fmt: skip
    assert [p.item.id for p in recommend(decision, items, limit=3)] == ["z", "c", "d"]
    assert [p.item.id for p in recommend(decision, items, limit=1)] == ["z"]


def test_ranking_is_deterministic_whatever_the_catalogue_order() -> None:
    decision = high_utilization()
    first = recommend(decision, CATALOG, limit=20)
    for seed in range(5):
        shuffled = list(CATALOG)
        random.Random(seed).shuffle(shuffled)
        assert recommend(decision, shuffled, limit=20) == first


def test_a_code_held_by_two_cards_counts_once_and_cites_the_strongest_card() -> None:
    decision = high_utilization()
    (pick,) = recommend(decision, [Item("x", ["credit_utilization_high"])])
    assert pick.score == 2
    assert pick.rationale == (
        "Your Visa ending in 2222 is at 91 % of its $3,000.00 limit ($2,730.00 owed): "
        "this article is about bringing card utilization down."
    )


# --- rationale -----------------------------------------------------------------------


def test_rationale_of_several_codes_names_each_in_the_spec_order() -> None:
    decision = high_utilization()
    (pick,) = recommend(decision, [Item("x", ["interest_charges", "credit_utilization_high"],
                                        type="tool")])  # fmt: skip
    assert pick.codes == ("credit_utilization_high", "interest_charges")
    assert pick.rationale == (
        "Your Visa ending in 2222 is at 91 % of its $3,000.00 limit ($2,730.00 owed), and "
        "your Visa ending in 1111 charged $10.00 of interest in this window: this tool helps "
        "with bringing card utilization down and paying less card interest."
    )


def test_a_persona_match_alone_cites_the_strongest_reason() -> None:
    decision = high_utilization()
    (pick,) = recommend(decision, [Item("x", ["overdue"], ["high_utilization"], "video")])
    assert (pick.score, pick.codes) == (1, ())
    assert pick.rationale == (
        "Suggested for your high utilization persona, whose strongest reason is that your "
        "Visa ending in 2222 is at 91 % of its $3,000.00 limit ($2,730.00 owed)."
    )


def test_plain_texts_are_lower_cased_inside_a_sentence() -> None:
    _, decision = decision_with("long_pay_gap")
    (pick,) = recommend(decision, [Item("x", ["low_cash_buffer", "long_pay_gap"])])
    assert pick.rationale == (
        "Pay days are a median of 50.5 days apart, more than 45 days, and checking balances "
        "cover 0.67 months of checking outflow, less than 1 month: this article is about "
        "budgeting between far-apart pay days and building a cash buffer."
    )
    # The buffer is further past its threshold (0.322 of 1.0) than the gap (5.5 of 45).
    (pick,) = recommend(decision, [Item("x", ["overdue"], ["variable_income"])])
    assert pick.rationale == (
        "Suggested for your variable income persona, whose strongest reason is that checking "
        "balances cover 0.67 months of checking outflow, less than 1 month."
    )


def test_a_balanced_user_gets_no_pattern_content() -> None:
    _, decision = decision_with("no_pattern")
    assert decision.persona_type is PersonaType("balanced")
    picks = recommend(decision, CATALOG, limit=20)
    assert picks and all(p.codes in ((), ("no_pattern",)) for p in picks)
    assert picks[0].rationale == (
        "No credit, income, subscription or savings pattern stands out in this window: this "
        "article is about everyday money habits."
    )


def test_no_sentence_claims_a_reason_the_persona_does_not_carry() -> None:
    """Every catalogue item against every kind of decision: only the
    persona's own codes are cited, by their own text and topic."""
    for code in ALL_SPEC_CODES:
        _, decision = decision_with(code)
        carried = {r.code for r in decision.reasons}
        for pick in recommend(decision, CATALOG, limit=20):
            assert set(pick.codes) <= carried
            for other in set(ALL_SPEC_CODES) - carried:
                assert PERSONA_KINDS.topics[other] not in pick.rationale, (code, pick.rationale)
            texts = [r.text[1:] for r in decision.reasons]
            assert any(text in pick.rationale for text in texts)


def test_an_item_that_matches_nothing_has_no_rationale() -> None:
    decision = high_utilization()
    with pytest.raises(ValueError):
        rationale(decision, "article", (), persona_match=False)


def test_strongest_takes_the_first_of_equals() -> None:
    reasons = [
        Reason("overdue", 1, 1, "a", "A is overdue"),
        Reason("overdue", 1, 1, "b", "B is overdue"),
    ]
    assert strongest(reasons).account_id == "a"


# --- on many random users -------------------------------------------------------------


@pytest.mark.parametrize("block", range(4))
def test_random_users_rationales_cite_their_signals(block: int) -> None:
    """Users dense with edges (tests/insights/random_users.py), both windows,
    the whole shipped catalogue: each rationale's numbers, in order, are
    those of the signals for the reasons it cites."""
    for seed in range(block * 100, (block + 1) * 100):
        accounts, rows, as_of = random_user(seed)
        ordered = sorted(rows, key=lambda row: (row[0], row[1]))
        for signals in compute_signals(accounts, ordered, as_of).values():
            decision = decide_persona(signals)
            as_dict = signals.to_dict()
            for pick in recommend(decision, CATALOG, limit=20):
                cited = pick.codes or (strongest(decision.reasons).code,)
                want = [n for c in cited for n in expected_numbers(c, as_dict)]
                assert numbers_in(pick.rationale) == want, (seed, pick.rationale)


@pytest.mark.parametrize("block", range(4))
def test_the_30d_window_needs_only_90_days_of_rows(block: int) -> None:
    """The route reads only the 90-day lookback for the 30d window: its
    signals are then the same as from the full 180 days."""
    for seed in range(block * 100, (block + 1) * 100):
        accounts, rows, as_of = random_user(seed)
        ordered = sorted(rows, key=lambda row: (row[0], row[1]))
        since = (as_of - timedelta(days=89)).isoformat()
        recent = [row for row in ordered if row[1] >= since]
        full = compute_signals(accounts, ordered, as_of)["30d"]
        assert compute_signals(accounts, recent, as_of)["30d"] == full, seed
