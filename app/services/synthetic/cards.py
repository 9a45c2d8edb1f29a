"""Credit-card cycles: statements, interest, payments and late fees.

A card is simulated in time order so that its balance at the as-of date is
exactly the opening amount owed plus every charge minus every payment.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from app.services.synthetic.calendar import Window, at
from app.services.synthetic.ledger import Entry, entry
from app.services.synthetic.merchants import (
    CARD_PAYMENT_RECEIVED,
    INTEREST_CHARGE,
    LATE_FEE,
    card_payment_merchant,
)

PayPolicy = Literal["full", "minimum", "partial"]
MIN_PAYMENT_FLOOR = 2_500  # $25
DUE_AFTER_STATEMENT = timedelta(days=21)


@dataclass
class CardPlan:
    key: str  # cc1, cc2
    issuer: str
    limit: int
    apr: float
    policy: PayPolicy
    opening: int  # amount owed at the window's start (last statement's balance)
    statement_day: int
    partial_share: float = 0.0
    # Miss the last payment due before the as-of date (and pay a late fee).
    miss_last_payment: bool = False
    # Purchases that would take the balance over this are not made.
    spending_cap: int | None = None


@dataclass
class CardOutcome:
    card_entries: list[Entry] = field(default_factory=list)
    checking_entries: list[Entry] = field(default_factory=list)
    balance: int = 0
    peak_balance: int = 0
    min_payment: int = 0
    is_overdue: bool = False


def minimum_due(statement_balance: int, interest: int) -> int:
    if statement_balance <= 0:
        return 0
    return min(statement_balance, max(MIN_PAYMENT_FLOOR, statement_balance // 100 + interest))


def _payment(plan: CardPlan, statement_balance: int, min_due: int) -> int:
    if plan.policy == "full":
        return statement_balance
    if plan.policy == "minimum":
        return min_due
    return min_due + int(plan.partial_share * max(0, statement_balance - min_due))


def simulate_card(
    plan: CardPlan, purchases: list[Entry], window: Window, rng: random.Random
) -> CardOutcome:
    """Run the card through the window. `purchases` are charges on the card
    (positive amounts); the outcome holds those kept plus interest, fees and
    payments, and the payments' mirror entries on checking."""
    out = CardOutcome()
    payer = (card_payment_merchant(plan.issuer), "LOAN_PAYMENTS")
    carrying = plan.policy != "full"
    # (when, order, kind, value): order keeps statements before payments on a day.
    events: list[tuple[datetime, int, str, int]] = [
        (p.when, 2, "buy", i) for i, p in enumerate(purchases)
    ]
    statements = window.monthly(plan.statement_day)
    events += [(at(day, 5), 0, "statement", 0) for day in statements]
    # The statement just before the window: its payment falls early in the window.
    first_due = window.start + timedelta(days=rng.randint(3, 18))
    dues: list[date] = [first_due] + [d + DUE_AFTER_STATEMENT for d in statements]
    dues = [d for d in dues if d <= window.end]
    missed = dues[-1] if plan.miss_last_payment and dues else None
    events += [(at(d, 10), 1, "due", 0) for d in dues]
    events.sort(key=lambda e: (e[0], e[1], e[3]))

    balance = plan.opening
    statement_balance = plan.opening
    min_due = minimum_due(plan.opening, round(plan.opening * plan.apr / 1200) if carrying else 0)
    peak = balance
    for when, _, kind, index in events:
        if kind == "buy":
            purchase = purchases[index]
            if plan.spending_cap is not None and balance + purchase.amount > plan.spending_cap:
                continue
            balance += purchase.amount
            out.card_entries.append(purchase)
        elif kind == "statement":
            interest = round(balance * plan.apr / 1200) if carrying and balance > 0 else 0
            if interest:
                out.card_entries.append(entry(when, plan.key, interest, INTEREST_CHARGE))
                balance += interest
            statement_balance = balance
            min_due = minimum_due(balance, interest)
        elif when.date() == missed:
            fee_day = min(when.date() + timedelta(days=1), window.end)
            fee = rng.choice((2900, 3200, 3900, 4000))
            out.card_entries.append(entry(at(fee_day, 4), plan.key, fee, LATE_FEE))
            balance += fee
            out.is_overdue = True
        else:
            amount = min(_payment(plan, statement_balance, min_due), max(balance, 0))
            if amount > 0:
                out.card_entries.append(entry(when, plan.key, -amount, CARD_PAYMENT_RECEIVED))
                out.checking_entries.append(
                    Entry(when - timedelta(hours=2), "chk", amount, payer[0], payer[1])
                )
                balance -= amount
        peak = max(peak, balance)
    out.balance = balance
    out.peak_balance = peak
    out.min_payment = minimum_due(statement_balance, 0) if balance > 0 else 0
    if out.is_overdue:
        out.min_payment = max(out.min_payment, min_due)
    return out
