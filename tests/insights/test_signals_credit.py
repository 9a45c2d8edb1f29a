"""Credit signals: utilization, interest, minimum-payment-only, overdue."""

import pytest

from app.services.insights import compute_signals
from tests.insights.builders import D, card, checking, signals, txn


def test_only_cards_with_a_limit_are_reported() -> None:
    accounts = [card(5_000, limit=None, id="a"), card(5_000, limit=0, id="b"), card(5_000, id="c")]
    s = signals(accounts, [txn("a", 1, 900, "Shop")])
    assert [c.account_id for c in s.credit.cards] == ["c"]
    assert s.spending.total == 900  # its purchases are still spending


def test_no_cards_means_no_max_utilization() -> None:
    s = signals([checking()], [])
    assert s.credit.cards == []
    assert s.credit.max_utilization is None


def test_utilization_may_exceed_one_and_max_is_over_cards() -> None:
    accounts = [card(120_000, limit=100_000, id="b"), card(30_000, limit=100_000, id="a")]
    s = signals(accounts, [])
    assert [c.account_id for c in s.credit.cards] == ["a", "b"]  # by account id
    assert [c.utilization for c in s.credit.cards] == [0.3, 1.2]
    assert s.credit.max_utilization == 1.2


@pytest.mark.parametrize(
    ("merchant", "category", "counted"),
    [
        ("Interest Charge", "BANK_FEES", True),
        ("PURCHASE INTEREST", "BANK_FEES", True),
        ("interest", "BANK_FEES", True),
        ("Late Fee", "BANK_FEES", False),
        ("Interest Charge", "GENERAL_MERCHANDISE", False),  # not a fee
        (None, "BANK_FEES", False),
    ],
)
def test_interest_is_bank_fees_named_interest(
    merchant: str | None, category: str, counted: bool
) -> None:
    s = signals([card()], [txn("card", 3, 1, merchant, category)])
    assert s.credit.cards[0].interest_charged == (1 if counted else 0)


def test_interest_counts_only_inside_the_window() -> None:
    rows = [txn("card", 29, 400, "Interest Charge", "BANK_FEES"),
            txn("card", 30, 2000, "Interest Charge", "BANK_FEES")]  # fmt: skip
    both = compute_signals([card()], rows, D)
    assert both["30d"].credit.cards[0].interest_charged == 400
    assert both["180d"].credit.cards[0].interest_charged == 2400


def test_interest_sums_refunds_too() -> None:
    rows = [txn("card", 9, 1500, "Interest Charge", "BANK_FEES"),
            txn("card", 8, -1500, "Interest Charge reversal", "BANK_FEES")]  # fmt: skip
    assert signals([card()], rows).credit.cards[0].interest_charged == 0


@pytest.mark.parametrize(
    ("payment", "only_minimum"),
    [(3500, True), (3850, True), (3851, False), (100, True), (9000, False)],
)
def test_minimum_payment_only_at_one_point_one_times(payment: int, only_minimum: bool) -> None:
    rows = [txn("card", 5, -payment, "Payment", "LOAN_PAYMENTS")]
    entry = signals([card(min_payment=3500)], rows).credit.cards[0]
    assert entry.last_payment == payment
    assert entry.minimum_payment_only is only_minimum


def test_minimum_payment_only_uses_the_most_recent_payment() -> None:
    small_last = [txn("card", 20, -50_000, "Payment"), txn("card", 5, -3500, "Payment")]
    big_last = [txn("card", 20, -3500, "Payment"), txn("card", 5, -50_000, "Payment")]
    assert signals([card(min_payment=3500)], small_last).credit.cards[0].minimum_payment_only
    entry = signals([card(min_payment=3500)], big_last).credit.cards[0]
    assert entry.minimum_payment_only is False
    assert entry.last_payment == 50_000


def test_on_an_exact_tie_the_later_row_is_the_most_recent_payment() -> None:
    first, second = txn("card", 5, -3500, "Payment"), txn("card", 5, -50_000, "Payment")
    forward = compute_signals([card(min_payment=3500)], [first, second], D)["30d"]
    backward = compute_signals([card(min_payment=3500)], [second, first], D)["30d"]
    assert forward.credit.cards[0].last_payment == 50_000
    assert backward.credit.cards[0].last_payment == 3500
    assert backward.credit.cards[0].minimum_payment_only


def test_payments_outside_the_window_are_ignored() -> None:
    rows = [txn("card", 30, -3500, "Payment"), txn("card", -1, -3500, "Payment")]
    both = compute_signals([card(min_payment=3500)], rows, D)
    assert both["30d"].credit.cards[0].last_payment is None
    assert both["30d"].credit.cards[0].minimum_payment_only is False
    assert both["180d"].credit.cards[0].minimum_payment_only is True


def test_a_later_big_payment_outside_the_window_does_not_hide_the_minimum() -> None:
    # The payment after D is not in W; the one in W is the minimum.
    rows = [txn("card", 10, -3500, "Payment"), txn("card", -2, -90_000, "Payment")]
    assert signals([card(min_payment=3500)], rows).credit.cards[0].minimum_payment_only


@pytest.mark.parametrize("min_payment", [None, 0])
def test_no_minimum_means_not_minimum_payment_only(min_payment: int | None) -> None:
    rows = [txn("card", 5, -1, "Payment")]
    entry = signals([card(min_payment=min_payment)], rows).credit.cards[0]
    assert entry.minimum_payment_only is False
    assert entry.last_payment == 1


def test_any_money_in_on_the_card_is_a_payment() -> None:
    rows = [txn("card", 5, -3000, "Refund", "GENERAL_MERCHANDISE")]
    entry = signals([card(min_payment=3500)], rows).credit.cards[0]
    assert entry.last_payment == 3000
    assert entry.minimum_payment_only


def test_overdue_is_the_account_flag() -> None:
    accounts = [card(id="a", overdue=True), card(id="b")]
    assert [c.is_overdue for c in signals(accounts, []).credit.cards] == [True, False]
