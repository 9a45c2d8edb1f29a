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
STATEMENT_HOUR = 5
# A missed payment is at least this long before the as-of date, so its late
# fee (the next day) is posted before the as-of date too.
MISSED_BEFORE_END = timedelta(days=2)


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
    # Stop paying from the last payment due at least two days before the
    # as-of date on (and pay a late fee).
    miss_last_payment: bool = False
    # Purchases that would take the balance over this are declined (the
    # generator pays for them from checking instead).
    spending_cap: int | None = None


@dataclass
class CardOutcome:
    card_entries: list[Entry] = field(default_factory=list)
    checking_entries: list[Entry] = field(default_factory=list)
    declined: list[Entry] = field(default_factory=list)
    balance: int = 0
    peak_balance: int = 0
    # (instant, minimum due) of every statement, the one before the window first.
    statements: list[tuple[datetime, int]] = field(default_factory=list)
    # The instant of the first payment not made, if any.
    missed_at: datetime | None = None

    def min_payment(self, until: datetime | None = None) -> int:
        """The minimum due of the newest statement issued by `until`."""
        due = [m for when, m in self.statements if until is None or when <= until]
        return due[-1] if due else 0

    def is_overdue(self, until: datetime | None = None) -> bool:
        return self.missed_at is not None and (until is None or self.missed_at <= until)


def statement_instants(window: Window, statement_day: int) -> list[datetime]:
    return [at(day, STATEMENT_HOUR) for day in window.monthly(statement_day)]


def minimum_due(statement_balance: int, interest: int) -> int:
    if statement_balance <= 0:
        return 0
    return min(statement_balance, max(MIN_PAYMENT_FLOOR, statement_balance // 100 + interest))


def _payment(plan: CardPlan, statement_balance: int, min_due: int) -> int:
    """What the policy pays on a statement."""
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
    statements = statement_instants(window, plan.statement_day)
    events += [(when, 0, "statement", 0) for when in statements]
    # The statement just before the window: its payment falls early in the window.
    first_due = window.start + timedelta(days=rng.randint(3, 18))
    dues: list[date] = [first_due] + [s.date() + DUE_AFTER_STATEMENT for s in statements]
    dues = [d for d in dues if d <= window.end]
    missed: date | None = None
    if plan.miss_last_payment:
        missed = max((d for d in dues if d <= window.end - MISSED_BEFORE_END), default=None)
    events += [(at(d, 10), 1, "due", 0) for d in dues]
    events.sort(key=lambda e: (e[0], e[1], e[3]))

    balance = plan.opening
    statement_balance = plan.opening
    min_due = minimum_due(plan.opening, round(plan.opening * plan.apr / 1200) if carrying else 0)
    out.statements.append((window.first_instant - timedelta(seconds=1), min_due))
    paid = 0  # paid since the newest statement: a statement is paid once
    peak = balance
    for when, _, kind, index in events:
        if kind == "buy":
            purchase = purchases[index]
            if plan.spending_cap is not None and balance + purchase.amount > plan.spending_cap:
                out.declined.append(purchase)
                continue
            balance += purchase.amount
            out.card_entries.append(purchase)
        elif kind == "statement":
            interest = round(balance * plan.apr / 1200) if carrying and balance > 0 else 0
            if interest:
                out.card_entries.append(entry(when, plan.key, interest, INTEREST_CHARGE))
                balance += interest
            statement_balance, paid = balance, 0
            min_due = minimum_due(balance, interest)
            out.statements.append((when, min_due))
        elif missed is not None and when.date() >= missed:
            # Missed, and nothing paid since: one late fee, the next morning.
            if out.missed_at is None:
                out.missed_at = when
                fee = rng.choice((2900, 3200, 3900, 4000))
                out.card_entries.append(
                    entry(at(missed, 4) + timedelta(days=1), plan.key, fee, LATE_FEE)
                )
                balance += fee
        else:
            amount = min(_payment(plan, statement_balance, min_due) - paid, balance)
            if amount > 0:
                paid += amount
                out.card_entries.append(entry(when, plan.key, -amount, CARD_PAYMENT_RECEIVED))
                out.checking_entries.append(
                    Entry(when - timedelta(hours=2), "chk", amount, payer[0], payer[1])
                )
                balance -= amount
        peak = max(peak, balance)
    out.balance = balance
    out.peak_balance = peak
    return out
