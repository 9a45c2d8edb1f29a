"""Savings signals: net inflow, growth, balance, emergency fund."""

import pytest

from app.services.insights import compute_signals
from tests.insights.builders import D, card, checking, savings, signals, txn


def test_net_inflow_is_money_in_minus_money_out_in_w() -> None:
    rows = [
        txn("sav", 3, -50_000, "From checking", "TRANSFER_IN"),
        txn("sav", 4, -120, "Interest", "INCOME"),
        txn("sav", 5, 10_000, "To checking", "TRANSFER_OUT"),
        txn("sav", 31, -99_999, "From checking", "TRANSFER_IN"),  # not in 30d
    ]
    both = compute_signals([savings(1_000_000)], sorted(rows), D)
    assert both["30d"].savings.net_inflow == 40_120
    assert both["30d"].savings.monthly_net_inflow == 40_120.0
    assert both["180d"].savings.net_inflow == 140_119
    assert both["180d"].savings.monthly_net_inflow == 140_119 * 30 / 180


@pytest.mark.parametrize("subtype", ["savings", "money_market", "hsa"])
def test_savings_subtypes(subtype: str) -> None:
    s = signals([savings(70_000, subtype=subtype)], [txn("sav", 3, -20_000, "In", "TRANSFER_IN")])
    assert s.savings.net_inflow == 20_000
    assert s.savings.balance == 70_000
    assert s.savings.growth_rate == 0.4


def test_growth_rate_sums_over_savings_accounts() -> None:
    accounts = [savings(300_000, id="s1"), savings(210_000, id="s2", subtype="hsa"), checking()]
    rows = [txn("s1", 3, -6_000, "In", "TRANSFER_IN"), txn("s2", 3, -4_000, "In", "TRANSFER_IN")]
    s = signals(accounts, rows)
    assert s.savings.balance == 510_000
    assert s.savings.growth_rate == 10_000 / 500_000


@pytest.mark.parametrize(("balance", "growth"), [(10_000, None), (9_000, None), (10_001, 10_000.0)])
def test_growth_is_null_when_the_start_balance_is_not_positive(
    balance: int, growth: float | None
) -> None:
    s = signals([savings(balance)], [txn("sav", 3, -10_000, "In", "TRANSFER_IN")])
    assert s.savings.growth_rate == growth


def test_without_savings_accounts() -> None:
    s = signals([checking(), card()], [txn("chk", 3, 900, "Shop")])
    assert s.savings.net_inflow == 0
    assert s.savings.monthly_net_inflow == 0.0
    assert s.savings.growth_rate is None
    assert s.savings.balance == 0
    assert s.savings.emergency_fund_months == 0.0


def test_emergency_fund_months() -> None:
    s = signals([savings(90_000), checking()], [txn("chk", 3, 30_000, "Shop")], "180d")
    assert s.spending.monthly == 5_000.0
    assert s.savings.emergency_fund_months == 18.0
    assert signals([savings(90_000)], []).savings.emergency_fund_months is None
