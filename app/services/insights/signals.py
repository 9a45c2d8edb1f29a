"""compute_signals: both windows' signals of one user from one pass over the
rows. The contract is the shared insights spec (Signals); every threshold and
definition there is exact, and a checker recomputes them independently.

Dates are compared as text: each boundary is a `YYYY-MM-DD` string, and a
row's timestamp text sorts after the boundary of its own day and before the
next one, so `start <= date < end` selects whole UTC days without parsing a
single row. Only pay days and subscription charges become day numbers.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from itertools import groupby
from operator import itemgetter

from app.services.insights.days import day_number, median_of_sorted
from app.services.insights.recurrence import recurring_merchants
from app.services.insights.rows import (
    NOT_PAY,
    NOT_SPENDING,
    NOT_SUBSCRIPTION,
    SAVINGS_SUBTYPES,
    AccountRow,
    TxnRow,
)
from app.services.insights.signal_types import (
    CardSignals,
    CreditSignals,
    IncomeSignals,
    SavingsSignals,
    SpendingSignals,
    SubscriptionSignals,
    WindowSignals,
)

# (name, days W, lookback L = max(W, 90)) of each window; the pass below is
# written for exactly these two.
WINDOWS = (("30d", 30, 90), ("180d", 180, 180))
MONTH_DAYS = 30

# What the pass tracks for an account, beyond what every account feeds.
_OTHER, _CHECKING, _SAVINGS, _CARD = 0, 1, 2, 3

_account_id = itemgetter(0)


def _kind(account: AccountRow) -> int:
    if account.type == "depository":
        if account.subtype == "checking":
            return _CHECKING
        if account.subtype in SAVINGS_SUBTYPES:
            return _SAVINGS
    elif account.type == "credit" and account.limit is not None and account.limit > 0:
        return _CARD
    return _OTHER


class _Card:
    """What the pass gathers for one card (both windows)."""

    __slots__ = ("interest_30", "interest_180", "payment_date", "payment")

    def __init__(self) -> None:
        self.interest_30 = 0
        self.interest_180 = 0
        # The most recent payment (amount < 0) in the 180 days; it is also the
        # 30d window's when dated in that window.
        self.payment_date = ""
        self.payment = 0


def compute_signals(
    accounts: Sequence[AccountRow], rows: Iterable[TxnRow], as_of: date
) -> dict[str, WindowSignals]:
    """The "30d" and "180d" signals of one user at `as_of`.

    `rows` are the transactions of `accounts` dated on or after the first day
    of the 180-day lookback, including every row dated after `as_of` (they
    rebuild the balances at `as_of`). Rows of other accounts are ignored.
    """
    if isinstance(as_of, datetime):  # its isoformat() would carry a time: wrong bounds
        raise TypeError("as_of is a calendar date, not a datetime")
    end = (as_of + timedelta(days=1)).isoformat()
    start_30 = (as_of - timedelta(days=29)).isoformat()
    start_90 = (as_of - timedelta(days=89)).isoformat()
    start_180 = (as_of - timedelta(days=179)).isoformat()
    by_id = {account.id: account for account in accounts}

    after: dict[str, int] = {}  # Σ amount dated after D, per account
    cards: dict[str, _Card] = {}
    # Subscription candidates by merchant name, in the 90-day lookback and before.
    recent_charges: dict[str, list[TxnRow]] = {}
    older_charges: dict[str, list[TxnRow]] = {}
    pay_days: set[str] = set()
    count_30 = count_180 = 0
    spend_30 = spend_180 = 0
    outflow_30 = outflow_180 = 0  # checking
    pay_30 = pay_180 = 0  # Σ amount (negative) of pay-day rows
    savings_30 = savings_180 = 0  # Σ amount on savings accounts

    # Rows come grouped by account: the account is looked up once per group.
    # (Nothing relies on it: an account seen twice just gets two groups.)
    for account_id, group in groupby(rows, _account_id):
        account = by_id.get(account_id)
        if account is None:
            continue
        kind = _kind(account)
        is_checking, is_savings = kind == _CHECKING, kind == _SAVINGS
        card = None
        if kind == _CARD:
            card = cards.get(account_id)
            if card is None:
                card = cards[account_id] = _Card()
        shift = 0
        for row in group:
            _, day, amount, merchant, category, pending, detailed = row
            if day >= end:
                shift += amount
                continue
            if pending or day < start_180:
                continue
            count_180 += 1
            recent = day >= start_30
            if recent:
                count_30 += 1
            if amount > 0:
                if category not in NOT_SPENDING:
                    spend_180 += amount
                    if recent:
                        spend_30 += amount
                if merchant is not None and category not in NOT_SUBSCRIPTION:
                    bucket = recent_charges if day >= start_90 else older_charges
                    same = bucket.get(merchant)
                    if same is None:
                        bucket[merchant] = [row]
                    else:
                        same.append(row)
            if is_checking:
                if amount > 0:
                    outflow_180 += amount
                    if recent:
                        outflow_30 += amount
                elif amount < 0 and category == "INCOME" and detailed not in NOT_PAY:
                    pay_days.add(day[:10])
                    pay_180 += amount
                    if recent:
                        pay_30 += amount
            elif card is not None:
                # >=: on an exact tie the later row in input order is the most recent.
                if amount < 0 and day >= card.payment_date:
                    card.payment_date = day
                    card.payment = -amount
                if (
                    category == "BANK_FEES"
                    and merchant is not None
                    and "interest" in merchant.lower()
                ):
                    card.interest_180 += amount
                    if recent:
                        card.interest_30 += amount
            elif is_savings:
                savings_180 += amount
                if recent:
                    savings_30 += amount
        if shift:
            after[account_id] = after.get(account_id, 0) + shift

    # Balances at D, per kind.
    checking_balance = savings_balance = 0
    has_savings = False
    for account in accounts:
        kind = _kind(account)
        if kind == _CHECKING:
            checking_balance += account.balance + after.get(account.id, 0)
        elif kind == _SAVINGS:
            has_savings = True
            savings_balance += account.balance + after.get(account.id, 0)

    sorted_pay_days = sorted(pay_days)
    recurring_short, recurring_long = recurring_merchants(
        recent_charges, older_charges, as_of.toordinal()
    )
    result = {}
    for name, days, lookback in WINDOWS:
        short = days == 30
        start = start_30 if short else start_180
        spending = spend_30 if short else spend_180
        monthly_spending = spending * MONTH_DAYS / days
        outflow = outflow_30 if short else outflow_180
        monthly_outflow = outflow * MONTH_DAYS / days
        net_inflow = -(savings_30 if short else savings_180)
        start_balance = savings_balance - net_inflow

        window_pay_days = (
            [d for d in sorted_pay_days if d >= start_90] if lookback == 90 else sorted_pay_days
        )
        merchants = recurring_short if lookback == 90 else recurring_long
        monthly_recurring = sum(m.median_amount * MONTH_DAYS / m.median_gap_days for m in merchants)

        result[name] = WindowSignals(
            window=name,
            as_of=as_of,
            start=date.fromisoformat(start),
            end=as_of,
            transaction_count=count_30 if short else count_180,
            spending=SpendingSignals(total=spending, monthly=monthly_spending),
            credit=_credit(accounts, cards, after, short, start_30),
            income=IncomeSignals(
                pay_days=window_pay_days,
                pay_day_count=len(window_pay_days),
                median_pay_gap_days=_median_gap(window_pay_days),
                monthly_income=-(pay_30 if short else pay_180) * MONTH_DAYS / days,
                checking_balance=checking_balance,
                monthly_checking_outflow=monthly_outflow,
                cash_buffer_months=checking_balance / monthly_outflow if outflow else None,
            ),
            subscriptions=SubscriptionSignals(
                lookback_days=lookback,
                recurring_merchants=merchants,
                recurring_count=len(merchants),
                monthly_recurring_spend=float(monthly_recurring),
                recurring_share=monthly_recurring / monthly_spending if spending else None,
            ),
            savings=SavingsSignals(
                balance=savings_balance,
                net_inflow=net_inflow,
                monthly_net_inflow=net_inflow * MONTH_DAYS / days,
                growth_rate=net_inflow / start_balance
                if has_savings and start_balance > 0
                else None,
                emergency_fund_months=savings_balance / monthly_spending if spending else None,
            ),
        )
    return result


def _median_gap(pay_days: list[str]) -> float | None:
    """Median of the day gaps between consecutive (sorted, distinct) pay days."""
    if len(pay_days) < 2:
        return None
    numbers = [day_number(d) for d in pay_days]
    return median_of_sorted(sorted([b - a for a, b in zip(numbers, numbers[1:], strict=False)]))


def _credit(
    accounts: Sequence[AccountRow],
    cards: dict[str, _Card],
    after: dict[str, int],
    short: bool,
    start_30: str,
) -> CreditSignals:
    entries = []
    for account in sorted(accounts, key=_by_id):
        if _kind(account) != _CARD:
            continue
        limit = account.limit or 0  # > 0: only such cards are _CARD
        card = cards.get(account.id)
        interest = 0
        last_payment = None
        if card is not None:
            interest = card.interest_30 if short else card.interest_180
            if card.payment_date and (not short or card.payment_date >= start_30):
                last_payment = card.payment
        min_payment = account.min_payment
        balance = account.balance - after.get(account.id, 0)
        entries.append(
            CardSignals(
                account_id=account.id,
                name=account.name,
                mask=account.mask,
                balance=balance,
                limit=limit,
                utilization=balance / limit,
                interest_charged=interest,
                min_payment=min_payment,
                last_payment=last_payment,
                # |payment| ≤ 1.1 × min_payment, in integers so it is exact.
                minimum_payment_only=min_payment is not None
                and min_payment > 0
                and last_payment is not None
                and last_payment * 10 <= min_payment * 11,
                is_overdue=account.is_overdue,
            )
        )
    return CreditSignals(
        cards=entries,
        max_utilization=max(c.utilization for c in entries) if entries else None,
    )


def _by_id(account: AccountRow) -> str:
    return account.id
