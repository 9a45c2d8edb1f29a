"""Income signals: pay days, median pay gap, monthly income, cash buffer."""

import pytest

from app.services.insights import TxnRow, compute_signals
from tests.insights.builders import FIRST, LAST, NOON, D, checking, savings, signals, txn


def pay(
    days_before: int,
    amount: int = -200_000,
    account: str = "chk",
    pending: bool = False,
    clock: str = NOON,
) -> TxnRow:
    return txn(account, days_before, amount, "Acme Payroll", "INCOME", pending, clock)


def test_pay_days_are_distinct_utc_dates_of_checking_income() -> None:
    rows = [
        pay(10, clock=FIRST),
        pay(10, clock=LAST),  # same day: one pay day
        pay(20, account="sav"),  # not checking
        pay(25, amount=5000),  # a positive INCOME row is no pay
        pay(26, pending=True),
        txn("chk", 27, -9000, "Refund", "GENERAL_MERCHANDISE"),  # money in, not INCOME
    ]
    s = signals([checking(), savings()], rows)
    assert s.income.pay_days == ["2026-06-20"]
    assert s.income.pay_day_count == 1
    assert s.income.median_pay_gap_days is None
    assert s.income.monthly_income == 400_000.0


def test_pay_days_of_the_30d_window_come_from_a_90_day_lookback() -> None:
    rows = [pay(89, clock=FIRST), pay(90, clock=LAST), pay(40), pay(5)]
    both = compute_signals([checking()], sorted(rows), D)
    short, long = both["30d"].income, both["180d"].income
    assert short.pay_days == ["2026-04-02", "2026-05-21", "2026-06-25"]
    assert short.median_pay_gap_days == (49 + 35) / 2
    # Monthly income counts only the pay in W itself.
    assert short.monthly_income == 200_000.0
    assert long.pay_day_count == 4
    assert long.monthly_income == 800_000 * 30 / 180


@pytest.mark.parametrize(
    ("gaps", "median"),
    [([45, 45], 45.0), ([46, 46], 46.0), ([45, 46], 45.5), ([10, 60, 46], 46.0), ([30], 30.0)],
)
def test_median_pay_gap(gaps: list[int], median: float) -> None:
    days = [3]
    for gap in gaps:
        days.append(days[-1] + gap)
    s = signals([checking()], [pay(d) for d in days], "180d")
    assert s.income.median_pay_gap_days == median


@pytest.mark.parametrize(
    ("balance", "buffer"), [(99_000, 0.99), (100_000, 1.0), (0, 0.0), (-5_000, -0.05)]
)
def test_cash_buffer_months(balance: int, buffer: float) -> None:
    # Every category counts as checking outflow.
    rows = [txn("chk", 3, 60_000, "Landlord", "RENT_AND_UTILITIES"),
            txn("chk", 4, 40_000, "To savings", "TRANSFER_OUT")]  # fmt: skip
    s = signals([checking(balance)], rows)
    assert s.income.monthly_checking_outflow == 100_000.0
    assert s.income.checking_balance == balance
    assert s.income.cash_buffer_months == buffer


def test_cash_buffer_sums_every_checking_account() -> None:
    accounts = [checking(30_000, id="c1"), checking(30_000, id="c2"), savings(900_000)]
    rows = [txn("c1", 2, 20_000), txn("c2", 2, 10_000), txn("sav", 2, 99_000)]
    s = signals(accounts, rows, "180d")
    assert s.income.monthly_checking_outflow == 5_000.0
    assert s.income.cash_buffer_months == 12.0


def test_cash_buffer_is_null_without_outflow() -> None:
    s = signals([checking(50_000)], [txn("chk", 2, -100, "Interest", "INCOME")])
    assert s.income.cash_buffer_months is None
    assert signals([savings()], []).income.cash_buffer_months is None


@pytest.mark.parametrize(
    ("detailed", "is_pay"),
    [
        (None, True),
        ("INCOME_WAGES", True),
        ("INCOME_OTHER_INCOME", True),
        ("INCOME_INTEREST_EARNED", False),
        ("INCOME_DIVIDENDS", False),
    ],
)
def test_interest_and_dividends_are_not_pay(detailed: str | None, is_pay: bool) -> None:
    """insights.md: a row whose category_detailed is INCOME_INTEREST_EARNED
    or INCOME_DIVIDENDS is not pay, though its category is INCOME."""
    rows = [
        pay(40),
        txn("chk", 10, -1_234, "Interest Paid", "INCOME", detailed=detailed),
    ]
    income = signals([checking()], rows, "180d").income
    assert income.pay_day_count == (2 if is_pay else 1)
    assert income.monthly_income == (200_000 + (1_234 if is_pay else 0)) * 30 / 180
