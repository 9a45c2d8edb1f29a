"""Recurring merchants: count, cadence, tolerances, activity, lookback, keys."""

import pytest

from app.services.insights import TxnRow, compute_signals
from app.services.insights.recurrence import merchant_key
from tests.insights.builders import FIRST, LAST, D, card, checking, series, signals, txn

ACCOUNTS = [checking(), card()]


def recurring(rows: list[TxnRow], window: str = "180d") -> list[str]:
    s = signals(ACCOUNTS, rows, window)
    return [m.cadence for m in s.subscriptions.recurring_merchants]


def test_a_monthly_merchant() -> None:
    rows = series("card", [30, 31, 29], [1599, 1599, 1699, 1599], last=4)
    s = signals(ACCOUNTS, rows, "180d")
    (m,) = s.subscriptions.recurring_merchants
    assert (m.merchant_key, m.cadence, m.median_gap_days, m.median_amount) == (
        "streamy", "monthly", 30.0, 1599.0,
    )  # fmt: skip
    assert (m.charge_count, m.last_date) == (4, "2026-06-26")
    assert s.subscriptions.recurring_count == 1
    assert s.subscriptions.monthly_recurring_spend == 1599.0
    assert s.subscriptions.lookback_days == 180


def test_two_charges_are_not_enough() -> None:
    assert recurring(series("card", [30])) == []
    assert recurring(series("card", [30, 30])) == ["monthly"]


@pytest.mark.parametrize(
    ("gap", "cadence"),
    [(4, None), (5, "weekly"), (9, "weekly"), (10, None), (11, None), (12, "biweekly"),
     (16, "biweekly"), (17, None), (25, None), (26, "monthly"), (35, "monthly"), (36, None)],
)  # fmt: skip
def test_cadence_ranges(gap: int, cadence: str | None) -> None:
    assert recurring(series("card", [gap, gap, gap])) == ([cadence] if cadence else [])


@pytest.mark.parametrize(
    ("gaps", "cadence"),
    [
        ([30, 30, 33], "monthly"),  # within ±3 of g = 30
        ([30, 30, 27], "monthly"),
        ([30, 30, 30, 34], None),  # 4 days off
        ([30, 30, 30, 36], None),
        ([7, 7, 9], "weekly"),  # ±2 for weekly
        ([7, 7, 5], "weekly"),
        ([7, 7, 7, 10], None),  # 3 days off a weekly g
        ([14, 14, 17], "biweekly"),  # ±3 for biweekly
        ([14, 14, 14, 18], None),
    ],
)
def test_every_gap_within_tolerance_of_the_median(gaps: list[int], cadence: str | None) -> None:
    assert recurring(series("card", gaps)) == ([cadence] if cadence else [])


def test_even_count_median_gap_is_the_mean_of_the_middle_two() -> None:
    s = signals(ACCOUNTS, series("card", [7, 8, 8, 9]), "180d")
    assert s.subscriptions.recurring_merchants[0].median_gap_days == 8.0
    s = signals(ACCOUNTS, series("card", [14, 15]), "180d")
    assert s.subscriptions.recurring_merchants[0].median_gap_days == 14.5
    # 9.5 is in no cadence range.
    assert recurring(series("card", [9, 10])) == []


def test_two_charges_on_one_day_make_a_gap_of_zero() -> None:
    rows = series("card", [30, 30, 30]) + [
        txn("card", 2, 1000, "Streamy", "ENTERTAINMENT", clock=FIRST)
    ]
    assert recurring(rows) == []


@pytest.mark.parametrize(
    ("amounts", "holds"),
    [
        ([10_000, 10_000, 10_900], True),  # 9 % off the median
        ([10_000, 10_000, 11_000], True),  # exactly 10 %
        ([10_000, 10_000, 11_001], False),
        ([10_000, 10_000, 11_100], False),  # 11 %
        ([10_000, 10_000, 8_900], False),
        ([500, 500, 600], True),  # 100 cents: more than 10 % of a small charge
        ([500, 500, 400], True),
        ([500, 500, 601], False),
        ([1000, 1000, 900, 1100], True),  # median 1000 of an even count
        ([999, 1000, 1100, 1101], True),  # median 1050, tolerance 105
        ([999, 1000, 1100, 1156], False),  # 106 over
    ],
)
def test_every_charge_within_tolerance_of_the_median(amounts: list[int], holds: bool) -> None:
    gaps = [30] * (len(amounts) - 1)
    assert recurring(series("card", gaps, amounts)) == (["monthly"] if holds else [])


@pytest.mark.parametrize(("last", "active"), [(35, True), (36, False), (0, True)])
def test_still_active_within_g_plus_5_days(last: int, active: bool) -> None:
    assert recurring(series("card", [30, 30], last=last)) == (["monthly"] if active else [])


def test_still_active_uses_the_median_gap() -> None:
    assert recurring(series("card", [7, 7], last=12)) == ["weekly"]
    assert recurring(series("card", [7, 7], last=13)) == []
    assert recurring(series("card", [7, 8, 8, 9], last=13)) == ["weekly"]  # g = 8


@pytest.mark.parametrize(
    "category",
    ["TRANSFER_OUT", "TRANSFER_IN", "LOAN_PAYMENTS", "INCOME", "BANK_FEES", "RENT_AND_UTILITIES"],
)
def test_excluded_categories_are_never_subscriptions(category: str) -> None:
    assert recurring(series("chk", [30, 30], category=category)) == []


@pytest.mark.parametrize("category", ["ENTERTAINMENT", "GENERAL_SERVICES", "FOOD_AND_DRINK"])
def test_other_categories_can_recur(category: str) -> None:
    assert recurring(series("chk", [30, 30], category=category)) == ["monthly"]


def test_refunds_and_pending_charges_are_not_charges() -> None:
    rows = series("card", [30, 30])
    rows.append(txn("card", 17, -1000, "Streamy", "ENTERTAINMENT"))  # a refund: ignored
    assert recurring(rows) == ["monthly"]
    rows.append(txn("card", 16, 1000, "Streamy", "ENTERTAINMENT", pending=True))
    assert recurring(rows) == ["monthly"]
    rows.append(txn("card", 15, 1000, "Streamy", "ENTERTAINMENT"))
    assert recurring(rows) == []


def test_charges_are_grouped_across_accounts_by_merchant_key() -> None:
    rows = [
        txn("card", 62, 1599, "Netflix", "ENTERTAINMENT"),
        txn("chk", 32, 1599, "  NETFLIX ", "ENTERTAINMENT"),
        txn("card", 2, 1599, "netflix", "ENTERTAINMENT"),
        txn("card", 47, 1599, "Net flix", "ENTERTAINMENT"),  # another key
    ]
    s = signals(ACCOUNTS, rows, "180d")
    (m,) = s.subscriptions.recurring_merchants
    assert (m.merchant_key, m.merchant_name, m.charge_count) == ("netflix", "netflix", 3)


def test_merchant_name_is_the_name_on_the_latest_charge() -> None:
    rows = [
        txn("chk", 2, 1599, "NETFLIX.COM  ", "ENTERTAINMENT"),
        txn("card", 32, 1599, "netflix.com", "ENTERTAINMENT"),
        txn("card", 62, 1599, "Netflix.com", "ENTERTAINMENT"),
    ]
    (m,) = signals(ACCOUNTS, rows, "180d").subscriptions.recurring_merchants
    assert m.merchant_name == "NETFLIX.COM  "
    assert m.merchant_key == "netflix.com"


@pytest.mark.parametrize(
    ("name", "key"),
    [("Netflix", "netflix"), ("  Blue \t Bottle\n Coffee ", "blue bottle coffee"),
     ("ÉCOLE", "école"), (" ", ""), ("", "")],
)  # fmt: skip
def test_merchant_key(name: str, key: str) -> None:
    assert merchant_key(name) == key


def test_no_merchant_or_a_blank_one_is_no_subscription() -> None:
    assert recurring(series("card", [30, 30], merchant=None)) == []
    assert recurring(series("card", [30, 30], merchant="   ")) == []


def test_the_30d_window_looks_back_90_days() -> None:
    rows = series("card", [30, 30, 30], last=10)  # 100, 70, 40 and 10 days before D
    both = compute_signals(ACCOUNTS, sorted(rows), D)
    assert both["30d"].subscriptions.lookback_days == 90
    assert both["30d"].subscriptions.recurring_merchants[0].charge_count == 3
    assert both["180d"].subscriptions.recurring_merchants[0].charge_count == 4
    # With only two charges in the 90 days, the 30d window has no subscription.
    rows = series("card", [30, 30], last=30)  # 90, 60, 30 days before D
    both = compute_signals(ACCOUNTS, sorted(rows), D)
    assert both["30d"].subscriptions.recurring_count == 0
    assert both["180d"].subscriptions.recurring_count == 1


def test_the_lookback_starts_at_midnight_89_days_before_d() -> None:
    base = series("card", [30], last=29)  # 59 and 29 days before D
    inside = [*base, txn("card", 89, 1000, "Streamy", "ENTERTAINMENT", clock=FIRST)]
    outside = [*base, txn("card", 90, 1000, "Streamy", "ENTERTAINMENT", clock=LAST)]
    assert recurring(inside, "30d") == ["monthly"]
    assert recurring(outside, "30d") == []
    assert recurring(outside, "180d") == ["monthly"]


def test_an_old_price_outside_the_short_lookback_does_not_matter_there() -> None:
    rows = series("card", [30, 30, 30, 30], [500, 2000, 2000, 2000, 2000], last=5)
    both = compute_signals(ACCOUNTS, sorted(rows), D)
    assert both["180d"].subscriptions.recurring_count == 0
    assert both["30d"].subscriptions.recurring_count == 1


def test_monthly_recurring_spend_and_share() -> None:
    rows = [
        *series("card", [7, 7], 1000, merchant="Weekly Box"),
        *series("card", [14, 14], 2000, merchant="Biweekly Box"),
        txn("chk", 3, 20_000, "Landlord", "RENT_AND_UTILITIES"),
    ]
    s = signals(ACCOUNTS, rows)
    subs = s.subscriptions
    assert [m.merchant_key for m in subs.recurring_merchants] == ["biweekly box", "weekly box"]
    assert subs.monthly_recurring_spend == pytest.approx(2000 * 30 / 14 + 1000 * 30 / 7)
    assert subs.recurring_share == pytest.approx(subs.monthly_recurring_spend / s.spending.monthly)


def test_recurring_share_is_null_without_spending() -> None:
    s = signals(ACCOUNTS, [])
    assert s.subscriptions.recurring_share is None
    assert s.subscriptions.monthly_recurring_spend == 0.0
