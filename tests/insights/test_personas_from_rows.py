"""The rules' edges end to end: rows → signals → persona."""

import pytest

from app.models.persona import PersonaType
from app.services.insights import AccountRow, TxnRow, decide_persona
from app.services.insights.decision import PersonaDecision
from tests.insights.builders import card, checking, savings, series, signals, txn

P = PersonaType


def decide(accounts: list[AccountRow], rows: list[TxnRow], window: str = "30d") -> PersonaDecision:
    return decide_persona(signals(accounts, rows, window))


@pytest.mark.parametrize(
    ("owed", "persona"), [(49_990, P("balanced")), (50_000, P("high_utilization"))]
)
def test_utilization_half(owed: int, persona: PersonaType) -> None:
    decision = decide([checking(), card(owed, limit=100_000)], [])
    assert decision.persona_type == persona


@pytest.mark.parametrize(("cents", "persona"), [(0, P("balanced")), (1, P("high_utilization"))])
def test_one_cent_of_interest(cents: int, persona: PersonaType) -> None:
    rows = [txn("card", 3, cents, "Interest Charge", "BANK_FEES")]
    decision = decide([card(10_000, limit=100_000)], rows)
    assert decision.persona_type == persona
    if cents:
        assert [(r.code, r.value, r.threshold) for r in decision.reasons] == [
            ("interest_charges", 1, 0)
        ]


@pytest.mark.parametrize(
    ("payment", "persona"), [(3850, P("high_utilization")), (3851, P("balanced"))]
)
def test_minimum_payment_only(payment: int, persona: PersonaType) -> None:
    rows = [txn("card", 3, -payment, "Payment", "LOAN_PAYMENTS")]
    decision = decide([card(10_000, min_payment=3500)], rows)
    assert decision.persona_type == persona


def variable_income_rows(gap: int) -> list[TxnRow]:
    pay = [txn("chk", d, -300_000, "Gigs", "INCOME") for d in (2, 2 + gap, 2 + 2 * gap)]
    return [*pay, txn("chk", 1, 60_000, "Landlord", "RENT_AND_UTILITIES")]


@pytest.mark.parametrize(
    ("gap", "balance", "persona"),
    [(46, 9_999, P("variable_income")), (45, 0, P("balanced")), (46, 10_000, P("balanced"))],
)
def test_variable_income(gap: int, balance: int, persona: PersonaType) -> None:
    # The 180d window: monthly checking outflow 60,000 × 30 / 180 = 10,000,
    # so the balance in cents / 10,000 is the buffer in months.
    decision = decide([checking(balance)], variable_income_rows(gap), "180d")
    assert decision.persona_type == persona


def subscriptions(medians: list[int], other: int) -> list[TxnRow]:
    rows = [txn("chk", 1, other, "Landlord", "RENT_AND_UTILITIES")]
    for n, median in enumerate(medians):
        rows += series("chk", [30, 30], median, last=3, merchant=f"Service {n}")
    return rows


@pytest.mark.parametrize(
    ("medians", "other", "reason"),
    [
        ([1666, 1666, 1667], 200_000, None),  # $49.99 a month, 2.4 % of spending
        ([1666, 1667, 1667], 200_000, ("subscription_spend", 5000.0, 5000)),
        ([999, 999, 999], 27_003, None),  # 2,997 of 30,000: 0.0999
        ([1000, 1000, 1000], 27_000, ("subscription_spend", 0.1, 0.1)),
        ([1000, 1000], 1000, None),  # two merchants
    ],
)
def test_subscription_heavy(
    medians: list[int], other: int, reason: tuple[object, ...] | None
) -> None:
    decision = decide([checking(10**7)], subscriptions(medians, other))
    if reason is None:
        assert decision.persona_type == P("balanced")
    else:
        assert decision.persona_type == P("subscription_heavy")
        got = [(r.code, r.value, r.threshold) for r in decision.reasons]
        assert got == [("recurring_merchants", 3, 3), reason]


@pytest.mark.parametrize(
    ("inflow", "balance", "codes"),
    [
        (199, 10_199, []),  # growth 0.0199
        (200, 10_200, ["savings_growth"]),  # growth 0.02
        (19_999, 10**8, []),  # monthly net inflow 19,999
        (20_000, 10**8, ["savings_transfers"]),
        (20_000, 20_000, ["savings_transfers"]),  # start balance 0: no growth rate
    ],
)
def test_savings_builder(inflow: int, balance: int, codes: list[str]) -> None:
    rows = [txn("sav", 5, -inflow, "From checking", "TRANSFER_IN")]
    decision = decide([checking(), savings(balance)], rows)
    assert [r.code for r in decision.reasons] == (codes or ["no_pattern"])


@pytest.mark.parametrize(("owed", "holds"), [(29_990, True), (30_000, False)])
def test_savings_builder_card_under_30_percent(owed: int, holds: bool) -> None:
    rows = [txn("sav", 5, -50_000, "From checking", "TRANSFER_IN")]
    decision = decide([savings(100_000), card(owed, limit=100_000, id="acc_c")], rows)
    if holds:
        assert [(r.code, r.value, r.account_id) for r in decision.reasons][-1] == (
            "credit_utilization_low", 0.2999, "acc_c",
        )  # fmt: skip
        assert "29 %" in decision.reasons[-1].text
    else:
        assert decision.persona_type == P("balanced")


def test_two_cards_reasons_by_account_id() -> None:
    accounts = [
        card(90_000, limit=100_000, id="acc_z", name="Zeta", mask="0001", min_payment=2500),
        card(60_000, limit=100_000, id="acc_a", name="Alpha", mask="0002", overdue=True),
    ]
    rows = [
        txn("acc_z", 4, 999, "Interest Charge", "BANK_FEES"),
        txn("acc_a", 4, 555, "Interest Charge", "BANK_FEES"),
        txn("acc_z", 3, -2500, "Payment", "LOAN_PAYMENTS"),
    ]
    decision = decide(accounts, rows)
    assert [(r.code, r.account_id) for r in decision.reasons] == [
        ("credit_utilization_high", "acc_a"),
        ("credit_utilization_high", "acc_z"),
        ("interest_charges", "acc_a"),
        ("interest_charges", "acc_z"),
        ("minimum_payment_only", "acc_z"),
        ("overdue", "acc_a"),
    ]
    assert decision.reasons[0].text == (
        "Alpha ending in 0002 is at 60 % of its $1,000.00 limit ($600.00 owed)"
    )
