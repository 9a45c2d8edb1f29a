"""Small builders for hand-made users: accounts, rows at a day offset from
the as-of date D, and the signals of one window."""

from datetime import date, timedelta
from typing import TypedDict

from app.services.insights import AccountRow, TxnRow, WindowSignals, compute_signals
from app.services.insights.signal_types import (
    CardSignals,
    CreditSignals,
    IncomeSignals,
    SavingsSignals,
    SpendingSignals,
    SubscriptionSignals,
)

D = date(2026, 6, 30)
NOON = "12:00:00.000000"
FIRST = "00:00:00.000000"  # the first microsecond of a day
LAST = "23:59:59.999999"  # the last microsecond of a day


def at(days_before: int, clock: str = NOON) -> str:
    """The stored text of a time `days_before` days before D (negative: after D)."""
    return f"{(D - timedelta(days=days_before)).isoformat()} {clock}"


def txn(
    account: str,
    days_before: int,
    amount: int,
    merchant: str | None = None,
    category: str = "GENERAL_MERCHANDISE",
    pending: bool = False,
    clock: str = NOON,
    detailed: str | None = None,
) -> TxnRow:
    return (account, at(days_before, clock), amount, merchant, category, pending, detailed)


def checking(balance: int = 0, id: str = "chk") -> AccountRow:
    return AccountRow(id, "depository", "checking", "Everyday", "0042", balance)


def savings(balance: int = 0, id: str = "sav", subtype: str = "savings") -> AccountRow:
    return AccountRow(id, "depository", subtype, "Rainy Day", "0077", balance)


def card(
    balance: int = 0,
    limit: int | None = 100_000,
    id: str = "card",
    min_payment: int | None = None,
    overdue: bool = False,
    name: str = "Visa",
    mask: str = "9911",
) -> AccountRow:
    return AccountRow(id, "credit", "credit_card", name, mask, balance, limit, min_payment, overdue)


def signals(
    accounts: list[AccountRow], rows: list[TxnRow], window: str = "30d", as_of: date = D
) -> WindowSignals:
    """One window's signals; rows sorted as the readers deliver them."""
    ordered = sorted(rows, key=lambda row: (row[0], row[1]))
    return compute_signals(accounts, ordered, as_of)[window]


def series(
    account: str,
    gaps: list[int],
    amounts: list[int] | int = 1000,
    last: int = 2,
    merchant: str | None = "Streamy",
    category: str = "ENTERTAINMENT",
) -> list[TxnRow]:
    """Charges whose consecutive day gaps are `gaps`, the latest `last` days
    before D; `amounts` per charge (oldest first) or one for all."""
    offsets = [last]
    for gap in reversed(gaps):
        offsets.append(offsets[-1] + gap)
    offsets.reverse()
    each = amounts if isinstance(amounts, list) else [amounts] * len(offsets)
    assert len(each) == len(offsets)
    return [txn(account, o, a, merchant, category) for o, a in zip(offsets, each, strict=True)]


def card_signals(
    id: str = "card",
    utilization: float = 0.1,
    limit: int = 300_000,
    interest: int = 0,
    min_payment: int | None = None,
    last_payment: int | None = None,
    overdue: bool = False,
    name: str = "Visa",
    mask: str = "9911",
) -> CardSignals:
    """A card's signals; minimum_payment_only follows the spec's rule."""
    only = bool(min_payment and last_payment is not None and last_payment * 10 <= min_payment * 11)
    return CardSignals(
        id, name, mask, round(utilization * limit), limit, utilization, interest, min_payment,
        last_payment, only, overdue,
    )  # fmt: skip


class WindowOptions(TypedDict, total=False):
    """window_signals()'s arguments, for helpers that pass them on."""

    cards: list[CardSignals] | None
    median_gap: float | None
    buffer: float | None
    recurring_count: int
    recurring_spend: float
    share: float | None
    growth: float | None
    monthly_inflow: float
    transaction_count: int


def window_signals(
    cards: list[CardSignals] | None = None,
    median_gap: float | None = None,
    buffer: float | None = None,
    recurring_count: int = 0,
    recurring_spend: float = 0.0,
    share: float | None = None,
    growth: float | None = None,
    monthly_inflow: float = 0.0,
    transaction_count: int = 60,
) -> WindowSignals:
    """Signals that match no rule unless told otherwise."""
    cards = cards or []
    return WindowSignals(
        window="30d", as_of=D, start=D - timedelta(days=29), end=D,
        transaction_count=transaction_count,
        spending=SpendingSignals(total=100_000, monthly=100_000.0),
        credit=CreditSignals(cards, max((c.utilization for c in cards), default=None)),
        income=IncomeSignals([], 0, median_gap, 0.0, 0, 0.0, buffer),
        subscriptions=SubscriptionSignals(90, [], recurring_count, recurring_spend, share),
        savings=SavingsSignals(0, round(monthly_inflow), monthly_inflow, growth, None),
    )  # fmt: skip
