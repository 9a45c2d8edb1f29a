"""Windows, lookbacks, pending rows, rows after D, balances at D, spending."""

from datetime import date, datetime

import pytest

from app.services.insights import compute_signals
from tests.insights.builders import FIRST, LAST, D, card, checking, savings, signals, txn


def test_window_bounds_are_reported() -> None:
    both = compute_signals([checking()], [], D)
    assert both["30d"].to_dict()["start"] == "2026-06-01"
    assert both["30d"].to_dict()["end"] == "2026-06-30"
    assert both["180d"].to_dict()["start"] == "2026-01-02"
    assert both["180d"].to_dict()["as_of"] == "2026-06-30"
    assert both["180d"].window == "180d"


def test_30d_window_holds_its_first_and_last_microsecond() -> None:
    rows = [
        txn("chk", 29, 1, clock=FIRST),  # D − 29 00:00:00: in
        txn("chk", 30, 10, clock=LAST),  # the day before, 23:59:59.999999: out
        txn("chk", 0, 100, clock=LAST),  # D 23:59:59.999999: in
        txn("chk", -1, 1000, clock=FIRST),  # D + 1 00:00: out
    ]
    s = signals([checking()], rows)
    assert s.spending.total == 101
    assert s.transaction_count == 2
    assert s.income.monthly_checking_outflow == 101.0


def test_180d_window_holds_its_first_and_last_microsecond() -> None:
    rows = [
        txn("chk", 179, 1, clock=FIRST),
        txn("chk", 180, 10, clock=LAST),
        txn("chk", 0, 100, clock=LAST),
        txn("chk", -1, 1000, clock=FIRST),
    ]
    s = signals([checking()], rows, "180d")
    assert s.spending.total == 101
    assert s.transaction_count == 2
    assert s.spending.monthly == 101 * 30 / 180


def test_rows_before_the_longest_lookback_are_ignored() -> None:
    s = signals([checking()], [txn("chk", 200, 500), txn("chk", 180, 7, clock=LAST)], "180d")
    assert s.spending.total == 0
    assert s.transaction_count == 0


def test_pending_rows_are_ignored_by_every_signal() -> None:
    accounts = [checking(), savings(100_000), card(10_000, min_payment=2000)]
    settled = [txn("chk", 3, 500, "Shop")]
    pending = [
        txn("chk", 2, 7000, "Shop", pending=True),
        txn("chk", 2, -250_000, "Acme", "INCOME", pending=True),
        txn("sav", 2, -50_000, "Transfer", "TRANSFER_IN", pending=True),
        txn("card", 2, 3000, "Interest Charge", "BANK_FEES", pending=True),
        txn("card", 1, -2000, "Payment", "LOAN_PAYMENTS", pending=True),
        *[txn("card", d, 999, "Streamy", "ENTERTAINMENT", pending=True) for d in (5, 35, 65)],
    ]
    s = signals(accounts, settled + pending)
    assert s.transaction_count == 1
    assert s.spending.total == 500
    assert s.income.pay_days == []
    assert s.income.monthly_income == 0
    assert s.savings.net_inflow == 0
    assert s.credit.cards[0].interest_charged == 0
    assert s.credit.cards[0].last_payment is None
    assert s.credit.cards[0].minimum_payment_only is False
    assert s.subscriptions.recurring_count == 0


def test_balances_at_d_undo_the_rows_after_d_pending_or_not() -> None:
    accounts = [checking(100_000), savings(500_000), card(40_000, limit=100_000)]
    rows = [
        # Checking: 300 out and 200 in after D, so it held 100 more at D.
        txn("chk", -1, 300, clock=FIRST),
        txn("chk", -3, -200, "Acme", "INCOME", pending=True),
        # Savings: 10,000 came in after D.
        txn("sav", -2, -10_000, "Transfer", "TRANSFER_IN"),
        # Card: 5,000 bought after D (owed less at D), a 1,000 payment after D.
        txn("card", -1, 5_000, "Shop", pending=True),
        txn("card", -2, -1_000, "Payment", "LOAN_PAYMENTS"),
        # Before D: no effect on balances.
        txn("card", 1, 7_000, "Shop"),
    ]
    s = signals(accounts, rows)
    assert s.income.checking_balance == 100_000 + 300 - 200
    assert s.savings.balance == 500_000 - 10_000
    assert s.credit.cards[0].balance == 40_000 - 5_000 + 1_000
    assert s.credit.cards[0].utilization == 36_000 / 100_000
    # ... and the rows after D count for nothing else.
    assert s.spending.total == 7_000
    assert s.transaction_count == 1
    assert s.savings.net_inflow == 0
    assert s.credit.cards[0].last_payment is None


def test_rows_of_unknown_accounts_are_ignored() -> None:
    s = signals([checking()], [txn("other", 1, 500), txn("chk", 1, 20)])
    assert s.spending.total == 20
    assert s.transaction_count == 1


def test_rows_in_any_order_give_the_same_signals() -> None:
    accounts = [checking(90_000), card(20_000, min_payment=1000)]
    rows = [
        txn("chk", 40, 500),
        txn("card", 3, -1100, "Payment", "LOAN_PAYMENTS"),
        txn("chk", 3, -200_000, "Acme", "INCOME"),
        txn("card", 10, -5000, "Payment", "LOAN_PAYMENTS"),
        txn("chk", 1, 700),
        txn("chk", 60, -200_000, "Acme", "INCOME"),
    ]
    ordered = compute_signals(accounts, sorted(rows), D)
    shuffled = compute_signals(accounts, rows[::-1], D)
    for window in ("30d", "180d"):
        assert ordered[window].to_dict() == shuffled[window].to_dict()


def test_spending_excludes_moves_and_card_payments_only() -> None:
    rows = [
        txn("chk", 1, 1000, "Shop", "GENERAL_MERCHANDISE"),
        txn("chk", 1, 2000, "Landlord", "RENT_AND_UTILITIES"),
        txn("chk", 1, 300, "Bank", "BANK_FEES"),
        txn("chk", 1, 40_000, "To savings", "TRANSFER_OUT"),
        txn("chk", 1, 50_000, "Card payment", "LOAN_PAYMENTS"),
        txn("chk", 1, -9_000, "Refund", "GENERAL_MERCHANDISE"),  # money in: not spending
        txn("card", 2, 700, "Cafe", "FOOD_AND_DRINK"),  # a card purchase is spending
    ]
    s = signals([checking(), card()], rows)
    assert s.spending.total == 1000 + 2000 + 300 + 700
    assert s.spending.monthly == 4000.0
    assert s.transaction_count == 7


def test_monthly_figures_use_30_day_months() -> None:
    rows = [txn("chk", d, 600) for d in (1, 50, 100, 150)]
    s = signals([checking()], rows, "180d")
    assert s.spending.total == 2400
    assert s.spending.monthly == 2400 * 30 / 180
    assert s.income.monthly_checking_outflow == 400.0


def test_as_of_in_the_past_uses_the_rows_up_to_its_end() -> None:
    as_of = date(2026, 3, 15)
    rows = [("chk", "2026-03-15 23:59:59.999999", 100, None, "X", False, None),
            ("chk", "2026-03-16 00:00:00.000000", 5000, None, "X", False, None)]  # fmt: skip
    s = compute_signals([checking(10_000)], rows, as_of)["30d"]
    assert s.spending.total == 100
    assert s.income.checking_balance == 15_000
    assert s.start == date(2026, 2, 14)


def test_to_dict_has_the_route_shape() -> None:
    accounts = [
        checking(254_000),
        savings(1_200_000),
        card(183_000, limit=300_000, min_payment=3500),
    ]
    rows = [
        txn("card", 5, -3500, "Payment", "LOAN_PAYMENTS"),
        txn("chk", 10, -250_000, "Acme", "INCOME"),
        txn("chk", 24, -250_000, "Acme", "INCOME"),
        *[txn("card", d, 1599, "Netflix", "ENTERTAINMENT") for d in (3, 33, 63)],
    ]
    body = signals(accounts, rows).to_dict()
    assert list(body) == ["window", "as_of", "start", "end", "transaction_count", "spending",
                          "credit", "income", "subscriptions", "savings"]  # fmt: skip
    assert body["spending"] == {"total": 1599, "monthly": 1599.0}
    assert body["credit"] == {
        "cards": [{
            "account_id": "card", "name": "Visa", "mask": "9911", "balance": 183_000,
            "limit": 300_000, "utilization": 0.61, "interest_charged": 0, "min_payment": 3500,
            "last_payment": 3500, "minimum_payment_only": True, "is_overdue": False,
        }],
        "max_utilization": 0.61,
    }  # fmt: skip
    assert body["income"] == {
        "pay_days": ["2026-06-06", "2026-06-20"], "pay_day_count": 2,
        "median_pay_gap_days": 14.0, "monthly_income": 500_000.0, "checking_balance": 254_000,
        "monthly_checking_outflow": 0.0, "cash_buffer_months": None,
    }  # fmt: skip
    assert body["subscriptions"] == {
        "lookback_days": 90,
        "recurring_merchants": [{
            "merchant_name": "Netflix", "merchant_key": "netflix", "cadence": "monthly",
            "median_gap_days": 30.0, "median_amount": 1599.0, "charge_count": 3,
            "last_date": "2026-06-27",
        }],
        "recurring_count": 1, "monthly_recurring_spend": 1599.0, "recurring_share": 1.0,
    }  # fmt: skip
    assert body["savings"] == {
        "balance": 1_200_000, "net_inflow": 0, "monthly_net_inflow": 0.0, "growth_rate": 0.0,
        "emergency_fund_months": 1_200_000 / 1599,
    }  # fmt: skip
    assert type(body["credit"]["cards"][0]["balance"]) is int


def test_as_of_must_be_a_date_not_a_datetime() -> None:
    with pytest.raises(TypeError):
        compute_signals([checking()], [], datetime(2026, 6, 30, 12))
