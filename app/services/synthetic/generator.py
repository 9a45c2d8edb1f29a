"""One synthetic user: profile, accounts and six months (or so) of money.

Everything is drawn from a `random.Random` seeded by the run's tag and the
user's index, so a user is the same whatever else the run generates. The
planted pattern shapes a few choices (cards, pay schedule, subscriptions,
savings); the rest is everyday life common to all users.
"""

import bisect
import hashlib
import random
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from app.models.persona import PersonaType
from app.services.synthetic.calendar import Window, at, shopping_time
from app.services.synthetic.cards import CardOutcome, CardPlan, simulate_card
from app.services.synthetic.ledger import Entry, balance_deltas, entry, running_balances
from app.services.synthetic.merchants import (
    CARD_PRODUCTS,
    CASH_OUT,
    CHECKING_NAMES,
    ELECTRIC,
    EVERYDAY,
    FROM_CHECKING,
    FROM_SAVINGS,
    GIG_PLATFORMS,
    INTERNET,
    MORTGAGE_LENDERS,
    PHONE,
    SAVINGS_INTEREST,
    SAVINGS_NAMES,
    SUBSCRIPTIONS,
    TO_CHECKING,
    TO_SAVINGS,
    WATER,
    LocalNames,
    build_local_names,
)

Row = dict[str, Any]
PATTERNS: tuple[PersonaType, ...] = tuple(PersonaType)
CHECKING_FLOOR = 5_000  # checking never drops below $50
MIN_RECURRING_SPEND = 5_000  # subscription-heavy users pay at least $50 a month
# Categories that never go pending (posted on their value date).
_SETTLED = frozenset({"INCOME", "TRANSFER_IN", "TRANSFER_OUT", "LOAN_PAYMENTS", "BANK_FEES"})

_SAVINGS_SHARE = {
    PersonaType.high_utilization: 0.4,
    PersonaType.variable_income: 0.5,
    PersonaType.subscription_heavy: 0.6,
    PersonaType.savings_builder: 1.0,
    PersonaType.balanced: 0.7,
}
_CARD_SHARE = {
    PersonaType.high_utilization: 1.0,
    PersonaType.variable_income: 0.6,
    PersonaType.subscription_heavy: 0.8,
    PersonaType.savings_builder: 0.7,
    PersonaType.balanced: 0.8,
}
# Checking balance at the as-of date, in months of checking outflow.
_BUFFER_MONTHS = {
    PersonaType.high_utilization: (0.3, 0.9),
    PersonaType.variable_income: (0.15, 0.6),
    PersonaType.subscription_heavy: (1.2, 3.0),
    PersonaType.savings_builder: (1.2, 3.0),
    PersonaType.balanced: (1.2, 3.0),
}


@dataclass(frozen=True)
class SeedSpec:
    """What to generate; equal specs give identical rows, ids included."""

    users: int
    seed: int
    as_of: date
    months: int = 6

    @cached_property
    def tag(self) -> str:
        """Short digest of the data set's identity, part of every id, so data
        sets with another window never mix rows with this one."""
        key = f"{self.seed}|{self.months}|{self.as_of.isoformat()}"
        return hashlib.sha256(key.encode()).hexdigest()[:6]

    @cached_property
    def window(self) -> Window:
        return Window.ending(self.as_of, self.months)

    def user_id(self, index: int) -> str:
        return f"usr_{self.seed}_{self.tag}_{index + 1:05d}"


@dataclass(frozen=True)
class GeneratedUser:
    pattern: PersonaType
    user: Row
    accounts: list[Row]
    transactions: list[Row]


def planted_pattern(spec: SeedSpec, index: int) -> PersonaType:
    """Patterns in equal shares: each block of five users gets all five, in an
    order shuffled per block."""
    block, position = divmod(index, len(PATTERNS))
    order = list(PATTERNS)
    random.Random(f"{spec.tag}:patterns:{block}").shuffle(order)
    return order[position]


def generate(spec: SeedSpec) -> Iterator[GeneratedUser]:
    """The users of `spec`, one at a time (ids in order)."""
    names = build_local_names(spec.seed)
    for index in range(spec.users):
        yield _UserBuilder(spec, names, index).build()


def _round_to(cents: float, step: int) -> int:
    return max(step, int(round(cents / step)) * step)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


class _UserBuilder:
    def __init__(self, spec: SeedSpec, names: LocalNames, index: int) -> None:
        self.spec = spec
        self.names = names
        self.index = index
        self.pattern = planted_pattern(spec, index)
        self.window = spec.window
        self.rng = random.Random(f"{spec.tag}:user:{index}")
        self.entries: list[Entry] = []  # checking and savings
        self.card_buys: dict[str, list[Entry]] = {}
        self.paydays: list[date] = []

    # -- profile ---------------------------------------------------------
    def build(self) -> GeneratedUser:
        rng, pattern = self.rng, self.pattern
        self.monthly_net = _round_to(rng.randrange(38_000, 140_001, 500) * 0.76 / 12 * 100, 100)
        self.scale = _clamp(self.monthly_net / 400_000, 0.55, 1.8)
        if pattern == PersonaType.high_utilization:
            self.scale *= rng.uniform(1.05, 1.25)
        has_savings = rng.random() < _SAVINGS_SHARE[pattern]
        n_cards = 0
        if rng.random() < _CARD_SHARE[pattern]:
            n_cards = 2 if rng.random() < 0.2 else 1
        self.card_keys = [f"cc{i + 1}" for i in range(n_cards)]
        self.card_buys = {key: [] for key in self.card_keys}
        high = pattern == PersonaType.high_utilization
        self.card_share = rng.uniform(0.65, 0.85) if high else rng.uniform(0.3, 0.7)

        self._income()
        self._housing_and_utilities()
        self._subscriptions()
        self._everyday_spending()
        cards = self._cards()
        savings_balance = self._savings() if has_savings else None
        checking_balance = self._settle_checking()
        return self._rows(cards, savings_balance, checking_balance)

    def _spend_account(self) -> str:
        if self.card_keys and self.rng.random() < self.card_share:
            return "cc2" if len(self.card_keys) > 1 and self.rng.random() < 0.25 else "cc1"
        return "chk"

    def _add(self, account: str, when: datetime, amount: int, merchant: str, category: str) -> None:
        item = Entry(when, account, amount, merchant, category)
        (self.card_buys[account] if account.startswith("cc") else self.entries).append(item)

    # -- income ------------------------------------------------------------
    def _income(self) -> None:
        if self.pattern == PersonaType.variable_income:
            self._irregular_income()
            return
        rng, window = self.rng, self.window
        employer = rng.choice(self.names.employers)
        schedule = rng.choices(("biweekly", "semimonthly", "monthly"), (55, 25, 20))[0]
        if schedule == "biweekly":
            first = window.start + timedelta(days=rng.randrange(14))
            days = [first + timedelta(days=14 * k) for k in range(window.days // 14 + 1)]
            pay = self.monthly_net * 12 // 26
        elif schedule == "semimonthly":
            days = sorted(window.monthly(1) + window.monthly(15))
            pay = self.monthly_net // 2
        else:
            days = window.monthly(rng.choice((1, 28, 31)))
            pay = self.monthly_net
        self.paydays = [d for d in days if window.contains(d)]
        for day in self.paydays:
            self._add("chk", at(day, 9), -pay, employer, "INCOME")

    def _irregular_income(self) -> None:
        rng, window = self.rng, self.window
        long_gaps = window.days >= 120 and rng.random() < 0.5
        days: list[date] = []
        for _ in range(60):
            days = [window.start + timedelta(days=rng.randint(0, 20 if long_gaps else 8))]
            while True:
                gap = rng.randint(38, 80) if long_gaps else rng.choice((5, 8, 12, 17, 23, 31, 40))
                if days[-1] + timedelta(days=gap) > window.end:
                    break
                days.append(days[-1] + timedelta(days=gap))
            gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
            if len(gaps) >= 2 and (
                statistics.median(gaps) > 45
                if long_gaps
                else statistics.pstdev(gaps) / statistics.mean(gaps) > 0.4
            ):
                break
        self.paydays = days
        total = self.monthly_net * window.months * rng.uniform(0.95, 1.05)
        previous = [rng.randint(14, 35)] + [
            (b - a).days for a, b in zip(days, days[1:], strict=False)
        ]
        weights = [g * rng.uniform(0.6, 1.4) for g in previous]
        payers = rng.sample(self.names.clients[:40] + GIG_PLATFORMS, rng.randint(1, 3))
        for day, weight in zip(days, weights, strict=True):
            amount = round(total * weight / sum(weights))
            self._add("chk", at(day, rng.randint(6, 16)), -amount, rng.choice(payers), "INCOME")

    # -- bills -------------------------------------------------------------
    def _housing_and_utilities(self) -> None:
        rng, window = self.rng, self.window
        housing = _round_to(self.monthly_net * rng.uniform(0.24, 0.36), 500)
        if rng.random() < 0.3:
            lender, category, day = rng.choice(MORTGAGE_LENDERS), "LOAN_PAYMENTS", rng.randint(1, 5)
        else:
            lender, category, day = rng.choice(self.names.landlords), "RENT_AND_UTILITIES", 1
        for d in window.monthly(day):
            self._add("chk", at(d, 8, rng.randrange(60)), housing, lender, category)

        # (merchant, lowest, highest): electricity varies month to month,
        # internet and phone plans cost the same every month.
        electric = rng.randint(5_500, 16_000)
        internet, phone = rng.randint(55, 90) * 100 - 1, rng.randint(35, 120) * 100 - 1
        bills = [
            (rng.choice(ELECTRIC), electric * 3 // 4, electric * 13 // 10),
            (rng.choice(INTERNET), internet, internet),
            (rng.choice(PHONE), phone, phone),
        ]
        if rng.random() < 0.4:
            bills.append((WATER[0], 3_000, 8_000))
        bill_account = "cc1" if self.card_keys and rng.random() < 0.3 else "chk"
        for offset, (merchant, low, high) in enumerate(bills):
            for d in window.monthly(rng.randint(3, 27)):
                amount = rng.randint(low, high) if high > low else low
                self._add(bill_account, at(d, 6, offset), amount, merchant, "RENT_AND_UTILITIES")

    def _subscriptions(self) -> None:
        rng = self.rng
        heavy = self.pattern == PersonaType.subscription_heavy
        count = rng.randint(4, 7) if heavy else rng.choice((0, 1, 1, 2, 2))
        chosen = rng.sample(SUBSCRIPTIONS, count)
        if heavy:
            rest = [s for s in SUBSCRIPTIONS if s not in chosen]
            rng.shuffle(rest)
            while sum(price for _, _, price in chosen) < MIN_RECURRING_SPEND:
                chosen.append(rest.pop())
        for merchant, category, price in chosen:
            account = self._spend_account()
            for d in self.window.monthly(rng.randint(1, 28)):
                self._add(account, at(d, 3, rng.randrange(60)), price, merchant, category)

    def _everyday_spending(self) -> None:
        rng, window = self.rng, self.window
        random_, triangular, daytime = rng.random, rng.triangular, window.random_daytime
        cards = self.card_keys
        card_share = self.card_share if cards else 0.0
        second_card = len(cards) > 1
        for key, kind in EVERYDAY.items():
            if random_() < kind.skip_share:
                continue
            favourites = rng.sample(kind.merchants, min(len(kind.merchants), rng.randint(1, 3)))
            if key == "dining":
                favourites += rng.sample(self.names.restaurants, 2)
            count = round(rng.uniform(*kind.visits_per_month) * window.months)
            low, high = kind.amount[0] * self.scale, kind.amount[1] * self.scale
            mode = low + (high - low) * 0.25
            category, n = kind.category, len(favourites)
            for _ in range(count):
                merchant = favourites[int(random_() ** 2 * n)]
                cents = max(100, round(triangular(low, high, mode) * 100))
                if random_() < card_share:
                    account = "cc2" if second_card and random_() < 0.25 else "cc1"
                    self.card_buys[account].append(
                        Entry(daytime(rng), account, cents, merchant, category)
                    )
                else:
                    self.entries.append(Entry(daytime(rng), "chk", cents, merchant, category))

    # -- cards ---------------------------------------------------------------
    def _cards(self) -> dict[str, tuple[CardPlan, CardOutcome, str]]:
        rng, window = self.rng, self.window
        products = rng.sample(CARD_PRODUCTS, len(self.card_keys))
        out: dict[str, tuple[CardPlan, CardOutcome, str]] = {}
        for key, (issuer, product) in zip(self.card_keys, products, strict=True):
            buys = self.card_buys[key]
            monthly = sum(b.amount for b in buys) / window.months
            if key == "cc1" and self.pattern == PersonaType.high_utilization:
                plan, outcome = self._stretched_card(key, issuer, monthly)
            else:
                plan = CardPlan(
                    key=key,
                    issuer=issuer,
                    limit=1,  # set below from the balances actually reached
                    apr=round(rng.uniform(15.99, 27.99), 2),
                    policy="full",
                    opening=round(monthly * rng.uniform(0.4, 1.0)),
                    statement_day=rng.randint(1, 28),
                )
                outcome = simulate_card(plan, buys, window, rng)
                plan.limit = max(
                    100_000, _round_to(outcome.peak_balance / rng.uniform(0.12, 0.27), 50_000)
                )
                plan.limit = max(plan.limit, -(-outcome.peak_balance * 100 // 28))
            out[key] = (plan, outcome, product)
            self.entries.extend(outcome.checking_entries)
        return out

    def _stretched_card(
        self, key: str, issuer: str, monthly: float
    ) -> tuple[CardPlan, CardOutcome]:
        """A card carried near its limit: minimum or small payments, interest
        every month, and for some users the last payment missed."""
        rng = self.rng
        limit = int(
            _clamp(_round_to(monthly / rng.uniform(0.08, 0.15), 50_000), 150_000, 2_500_000)
        )
        minimum_only = rng.random() < 0.5
        plan = CardPlan(
            key=key,
            issuer=issuer,
            limit=limit,
            apr=round(rng.uniform(22.99, 29.99), 2),
            policy="minimum" if minimum_only else "partial",
            partial_share=0.0 if minimum_only else rng.uniform(0.02, 0.08),
            opening=round(limit * rng.uniform(0.62, 0.9)),
            statement_day=rng.randint(1, 28),
            miss_last_payment=rng.random() < 0.4,
            spending_cap=limit * 93 // 100,
        )
        outcome = simulate_card(plan, self.card_buys[key], self.window, rng)
        for _ in range(3):
            if outcome.balance * 100 >= limit * 55:
                break
            plan.opening = min(
                limit * 95 // 100, plan.opening + limit * 60 // 100 - outcome.balance
            )
            outcome = simulate_card(plan, self.card_buys[key], self.window, rng)
        if outcome.balance * 100 < limit * 55:  # still low: the bank cut the limit
            plan.limit = max(1, outcome.balance * 100 // 65)
        return plan, outcome

    # -- savings ---------------------------------------------------------------
    def _savings(self) -> int:
        rng, window = self.rng, self.window
        flows: list[Entry] = []

        def move(when: datetime, cents: int, to_savings: bool) -> None:
            if to_savings:
                self.entries.append(entry(when, "chk", cents, TO_SAVINGS))
                flows.append(entry(when, "sav", -cents, FROM_CHECKING))
            else:
                self.entries.append(entry(when, "chk", -cents, FROM_SAVINGS))
                flows.append(entry(when, "sav", cents, TO_CHECKING))

        if self.pattern == PersonaType.savings_builder:
            per_month = self.monthly_net * rng.uniform(0.08, 0.2)
            per_transfer = _round_to(per_month * window.months / max(1, len(self.paydays)), 2_500)
            days = [d + timedelta(days=1) for d in self.paydays if d < window.end]
            for d in days:
                move(at(d, 7), per_transfer, to_savings=True)
            total_in = per_transfer * len(days)
            opening = min(_round_to(rng.uniform(500, 15_000) * 100, 100), total_in * 100 // 3)
            apy = rng.uniform(3.5, 4.6)
        else:
            opening = _round_to(rng.uniform(300, 9_000) * 100, 100)
            apy = rng.uniform(0.01, 0.5)
            ins = [_round_to(rng.uniform(50, 400) * 100, 500) for _ in range(rng.randint(0, 3))]
            while sum(ins) > opening * 3 // 10:
                ins.pop()
            for cents in ins:
                move(shopping_time(window.random_day(rng), rng), cents, to_savings=True)
            # Out at least as much as came in (interest included): no growth.
            interest_bound = int(opening * 1.3 * apy / 1200 * (window.months + 1)) + 100
            total_out = sum(ins) + interest_bound + int(opening * rng.uniform(0, 0.15))
            parts = rng.randint(1, 3)
            for i in range(parts):
                cents = total_out // parts + (total_out % parts if i == 0 else 0)
                move(shopping_time(window.random_day(rng), rng), cents, to_savings=False)

        # Monthly interest on the balance reached by each month's end.
        deltas = balance_deltas(flows, credit=False)
        balances = running_balances(opening, deltas)
        for day in window.monthly(31):
            when = at(day, 23)
            i = bisect.bisect_right([w for w, _ in deltas], when)
            balance = balances[i - 1] if i else opening
            interest = round(balance * apy / 1200)
            if interest > 0:
                flows.append(entry(when, "sav", -interest, SAVINGS_INTEREST))
                deltas = balance_deltas(flows, credit=False)
                balances = running_balances(opening, deltas)
        self.entries.extend(flows)
        return opening - sum(f.amount for f in flows)

    # -- checking --------------------------------------------------------------
    def _settle_checking(self) -> int:
        """Pick the unseen opening balance so checking never falls under the
        floor, then spend (cash, Venmo, Zelle) any surplus above the target
        buffer. Returns the balance at the as-of date."""
        rng, window = self.rng, self.window
        checking = [e for e in self.entries if e.account == "chk"]
        deltas = balance_deltas(checking, credit=False)
        cumulative = running_balances(0, deltas)
        outflow = sum(e.amount for e in checking if e.amount > 0) / window.months
        target = max(
            CHECKING_FLOOR + 10_000, round(outflow * rng.uniform(*_BUFFER_MONTHS[self.pattern]))
        )
        net = cumulative[-1] if cumulative else 0
        opening = max(target - net, CHECKING_FLOOR - min([0, *cumulative]))
        balances = [opening + c for c in cumulative]
        end = opening + net
        excess = end - target
        if excess <= 0 or not balances:
            return end

        times = [w for w, _ in deltas]
        suffix_min = balances[:]
        for i in range(len(suffix_min) - 2, -1, -1):
            suffix_min[i] = min(suffix_min[i], suffix_min[i + 1])
        candidates = [
            shopping_time(window.start + timedelta(days=d), rng)
            for d in range(3, window.days, rng.randint(5, 10))
        ]
        candidates.append(at(window.end, 22))
        spent = 0
        for n, when in enumerate(candidates):
            i = bisect.bisect_left(times, when)
            # The balance right after the withdrawal, and every later one.
            lowest = balances[i - 1] if i else opening
            if i < len(suffix_min):
                lowest = min(lowest, suffix_min[i])
            room = lowest - CHECKING_FLOOR - spent
            remaining = excess - spent
            if n == len(candidates) - 1:
                cents = remaining
            else:
                share = remaining / (len(candidates) - n) * rng.uniform(0.5, 1.6)
                cents = min(_round_to(share, 2_000), room, remaining)
            if cents >= 1_000 or (n == len(candidates) - 1 and cents > 0):
                name, category = rng.choice(CASH_OUT)
                self.entries.append(Entry(when, "chk", cents, name, category))
                spent += cents
        return end - spent

    # -- rows --------------------------------------------------------------------
    def _rows(
        self,
        cards: dict[str, tuple[CardPlan, CardOutcome, str]],
        savings_balance: int | None,
        checking_balance: int,
    ) -> GeneratedUser:
        rng, spec, window = self.rng, self.spec, self.window
        user_id = spec.user_id(self.index)
        first = rng.choice(self.names.first_names)
        last = rng.choice(self.names.last_names)
        local = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
        created = at(window.end - timedelta(days=rng.randint(0, 90)), rng.randint(0, 23))
        user: Row = {
            "id": user_id,
            "name": f"{first} {last}",
            "email": f"{local}.{spec.tag}{self.index + 1}@example.com",
            "consent": rng.random() < 0.9,
            "created_at": created,
        }
        masks = rng.sample(range(10_000), 4)
        account_ids = {key: f"acc_{user_id[4:]}_{key}" for key in ("chk", "sav", "cc1", "cc2")}

        def depository(key: str, subtype: str, name: str, balance: int, mask: int) -> Row:
            return _account_row(account_ids[key], user_id, "depository", subtype, name, mask) | {
                "balance": balance
            }

        accounts = [
            depository("chk", "checking", rng.choice(CHECKING_NAMES), checking_balance, masks[0])
        ]
        if savings_balance is not None:
            accounts.append(
                depository("sav", "savings", rng.choice(SAVINGS_NAMES), savings_balance, masks[1])
            )
        entries = list(self.entries)
        for n, (key, (plan, outcome, product)) in enumerate(cards.items()):
            row = _account_row(
                account_ids[key], user_id, "credit", "credit_card", product, masks[2 + n]
            )
            row |= {
                "balance": outcome.balance,
                "limit": plan.limit,
                "apr": plan.apr,
                "min_payment": outcome.min_payment,
                "is_overdue": outcome.is_overdue,
            }
            accounts.append(row)
            entries.extend(outcome.card_entries)

        entries.sort(key=lambda e: (e.when, e.account, e.merchant, e.amount))
        recent = window.midnights[-2] if window.days > 1 else window.first_instant
        random_ = rng.random
        id_prefix = f"txn_{user_id[4:]}_"
        transactions = [
            {
                "id": f"{id_prefix}{k:04d}",
                "account_id": account_ids[account],
                "date": when,
                "amount": amount,
                "merchant_name": merchant,
                "category": category,
                "pending": when >= recent and category not in _SETTLED and random_() < 0.6,
            }
            for k, (when, account, amount, merchant, category) in enumerate(entries, start=1)
        ]
        return GeneratedUser(self.pattern, user, accounts, transactions)


def _account_row(
    account_id: str, user_id: str, type_: str, subtype: str, name: str, mask: int
) -> Row:
    return {
        "id": account_id,
        "user_id": user_id,
        "type": type_,
        "subtype": subtype,
        "name": name,
        "mask": f"{mask:04d}",
        "balance": 0,
        "limit": None,
        "currency": "USD",
        "apr": None,
        "min_payment": None,
        "is_overdue": False,
    }
