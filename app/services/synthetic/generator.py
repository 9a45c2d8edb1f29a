"""One synthetic user: profile, accounts and a few months of money.

Everything is drawn from a `random.Random` seeded by the run's tag and the
user's index, so a user is the same whatever else the run generates. The
planted pattern shapes a few choices (cards, pay schedule, subscriptions,
savings), as its persona's `Plant` in the persona registry says
(app.services.insights.persona_kinds); the rest is everyday life common to
all users.

Each pattern is built to *be* its persona under the insights spec's rules
for the 180-day window ending on the as-of date (and no rule above it): the
amounts those rules compare are sized against the rules' own measures (the
window's outflow, the lookback's charges, the balance at the as-of date)
rather than left to chance.
"""

import bisect
import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from app.services.insights.persona_kinds import PERSONA_KINDS, PersonaType, Plant
from app.services.synthetic.calendar import DAYTIME, Window, at, shopping_time
from app.services.synthetic.cards import (
    CardOutcome,
    CardPlan,
    simulate_card,
    statement_instants,
)
from app.services.synthetic.ledger import Entry, balance_deltas, entry, running_balances
from app.services.synthetic.merchants import (
    ATM,
    ATM_MAX,
    ATM_STEP,
    BROKERAGES,
    CARD_PRODUCTS,
    CHECKING_NAMES,
    ELECTRIC,
    EVERYDAY,
    FROM_CHECKING,
    FROM_SAVINGS,
    GIG_PLATFORMS,
    INTERNET,
    MORTGAGE_LENDERS,
    P2P,
    P2P_MAX,
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
CHECKING_FLOOR = 5_000  # checking never drops below $50
# Subscription-heavy users' services list at least $60 a month: monthly
# charges on a fixed day are at most 31 days apart, so the rules' monthly
# figure (median x 30 / median gap) stays at or above $50.
MIN_RECURRING_SPEND = 6_000
# A statement of a card paid in full gets everyday purchases moved to it from
# checking until it holds $150 (where its cycle has them), so the full payment
# is not within 1.1 x the minimum due (a "minimum-only" payment to the rules).
MIN_CARD_CYCLE = 15_000
# Savings builders move at least $400 a month, $200 or more at a time, so a
# 30-day window holding one of their paydays shows $200 a month coming in.
SAVER_MIN_MONTHLY = 40_000
SAVER_MIN_TRANSFER = 20_000
# Irregular pay: days between pay days, and how long before the as-of date
# the last one falls. Two pay days always fall in the last 89 days, so even
# the 90-day lookback of the 30d window sees a gap over 45 days.
PAY_GAP_DAYS = (46, 80)
LAST_PAY_DAYS_AGO = (5, 35)
LOOKBACK_DAYS = 89
PAY_MIN = 30_000
SURPLUS_TO_INVEST = 30_000  # a monthly surplus over $300 is partly invested
INVEST_MAX = 500_000
# Categories that never go pending (posted on their value date).
_SETTLED = frozenset({"INCOME", "TRANSFER_IN", "TRANSFER_OUT", "LOAN_PAYMENTS", "BANK_FEES"})


@dataclass(frozen=True)
class SeedSpec:
    """What to generate; equal specs give identical rows, ids included.

    `cutoff`, an instant on the as-of date, leaves out the rows dated after it
    (the account balances follow); the rows before it are the same as
    without it. The command line cuts a data set ending today at 00:00 UTC,
    so that nothing is dated after the moment of seeding."""

    users: int
    seed: int
    as_of: date
    months: int = 6
    cutoff: datetime | None = None
    # Users with planted recurring streams, beside the persona users
    # (app.services.synthetic.stream_users); the others do not depend on it.
    streams: int = 0

    def __post_init__(self) -> None:
        if self.cutoff is not None and self.cutoff.date() != self.as_of:
            raise ValueError("cutoff must be an instant on the as-of date")

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
    """Patterns in equal shares: each block of as many users as there are
    personas gets every one, in an order shuffled per block."""
    block, position = divmod(index, len(PERSONA_KINDS))
    order = [PersonaType(name) for name in PERSONA_KINDS.names]
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
        self.plant: Plant = PERSONA_KINDS[self.pattern].plant
        self.window = spec.window
        self.rng = random.Random(f"{spec.tag}:user:{index}")
        self.entries: list[Entry] = []  # checking and savings
        self.card_buys: dict[str, list[Entry]] = {}
        # Everyday purchases paid from checking, kept apart until the cards
        # have taken what they need.
        self.everyday_chk: list[Entry] = []
        self.paydays: list[date] = []

    # -- profile ---------------------------------------------------------
    def build(self) -> GeneratedUser:
        rng, plant = self.rng, self.plant
        self.monthly_net = _round_to(rng.randrange(38_000, 140_001, 500) * 0.76 / 12 * 100, 100)
        self.scale = _clamp(self.monthly_net / 400_000, 0.55, 1.8)
        if plant.spending_boost is not None:
            self.scale *= rng.uniform(*plant.spending_boost)
        has_savings = rng.random() < plant.savings_account_odds
        n_cards = 0
        if rng.random() < plant.card_odds:
            n_cards = 2 if rng.random() < 0.2 else 1
        self.card_keys = [f"cc{i + 1}" for i in range(n_cards)]
        self.card_buys = {key: [] for key in self.card_keys}
        self.card_share = rng.uniform(*plant.card_spend_share)

        irregular = plant.pay == "irregular"
        if irregular:
            self._irregular_paydays()
        else:
            self._regular_income()
        self._housing_and_utilities()
        self._subscriptions()
        self._everyday_spending()
        cards = self._cards()
        self.entries.extend(self.everyday_chk)
        savings_balance = self._savings() if has_savings else None
        if irregular:
            target = self._irregular_pay()
        else:
            self._invest_surplus()
            target = self._buffer_target()
        checking_balance = self._settle_checking(target)
        return self._rows(cards, savings_balance, checking_balance)

    def _spend_account(self) -> str:
        if self.card_keys and self.rng.random() < self.card_share:
            return "cc2" if len(self.card_keys) > 1 and self.rng.random() < 0.25 else "cc1"
        return "chk"

    def _add(self, account: str, when: datetime, amount: int, merchant: str, category: str) -> None:
        item = Entry(when, account, amount, merchant, category)
        (self.card_buys[account] if account.startswith("cc") else self.entries).append(item)

    # -- income ------------------------------------------------------------
    def _regular_income(self) -> None:
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

    def _irregular_paydays(self) -> None:
        """Pay days more than 45 days apart, counted back from the as-of date;
        the amounts come last (_irregular_pay), once the spending is known."""
        rng, window = self.rng, self.window
        day = window.end - timedelta(days=rng.randint(*LAST_PAY_DAYS_AGO))
        days = [day]
        # The gap before the last pay day keeps both inside the short lookback.
        longest = min(LOOKBACK_DAYS, window.days - 1) - (window.end - day).days
        gap = rng.randint(PAY_GAP_DAYS[0], longest)
        while window.contains(day - timedelta(days=gap)):
            day -= timedelta(days=gap)
            days.append(day)
            gap = rng.randint(*PAY_GAP_DAYS)
        self.paydays = days[::-1]

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
        """Monthly services on a fixed day of the month. "many" (a
        subscription-heavy user): 4-7, at least MIN_RECURRING_SPEND a month;
        "few": at most 2, below the rules' three recurring merchants."""
        rng, window = self.rng, self.window
        heavy = self.plant.subscriptions == "many"
        count = rng.randint(4, 7) if heavy else rng.choice((0, 1, 1, 2, 2))
        chosen = rng.sample(SUBSCRIPTIONS, count)
        if heavy:
            rest = [s for s in SUBSCRIPTIONS if s not in chosen]
            rng.shuffle(rest)
            while sum(price for _, _, price in chosen) < MIN_RECURRING_SPEND:
                chosen.append(rest.pop())
        # Never the as-of day of the month: a data set cut early that day
        # still holds three charges of every service in a three-month window.
        # A heavy user's last charge is 2-27 days old: settled (rows of the
        # last two days may be pending, which the rules ignore), and recent
        # enough for three to fall in the 90-day lookback of a 30-day window.
        fresh = (2, 27) if heavy else (1, 31)
        billing_days = [
            d
            for d in range(1, 29)
            if fresh[0] <= (window.end - window.monthly(d)[-1]).days <= fresh[1]
        ]
        for merchant, category, price in chosen:
            account = self._spend_account()
            for d in window.monthly(rng.choice(billing_days)):
                self._add(account, at(d, 3, rng.randrange(60)), price, merchant, category)

    def _everyday_spending(self) -> None:
        rng, window = self.rng, self.window
        random_, triangular, daytime = rng.random, rng.triangular, window.random_daytime
        # A random daytime of the window, inline: this loop makes most rows.
        midnights, days, minutes = window.midnights, window.days, len(DAYTIME)
        cards = self.card_keys
        card_share = self.card_share if cards else 0.0
        second_card = len(cards) > 1
        buys: list[Entry] = []
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
                account = "chk"
                if random_() < card_share:
                    account = "cc2" if second_card and random_() < 0.25 else "cc1"
                when = midnights[int(random_() * days)] + DAYTIME[int(random_() * minutes)]
                buys.append(Entry(when, account, cents, merchant, category))
        for item in _uneven(buys, window.midnights[-1]):
            (self.everyday_chk if item.account == "chk" else self.card_buys[item.account]).append(
                item
            )
        # Cash from ATMs ($40-$300) and small payments to friends.
        for _ in range(round(rng.uniform(0, 2) * window.months)):
            cents = rng.randrange(2, 16) * ATM_STEP
            self.entries.append(Entry(daytime(rng), "chk", cents, ATM[0], ATM[1]))
        for _ in range(round(rng.uniform(0, 2) * window.months)):
            name, category = rng.choice(P2P)
            cents = round(triangular(10, 250, 30)) * 100
            self.entries.append(Entry(daytime(rng), "chk", cents, name, category))

    # -- cards ---------------------------------------------------------------
    def _cards(self) -> dict[str, tuple[CardPlan, CardOutcome, str]]:
        rng, window = self.rng, self.window
        products = rng.sample(CARD_PRODUCTS, len(self.card_keys))
        out: dict[str, tuple[CardPlan, CardOutcome, str]] = {}
        for key, (issuer, product) in zip(self.card_keys, products, strict=True):
            if key == "cc1" and self.plant.first_card == "stretched":
                monthly = sum(b.amount for b in self.card_buys[key]) / window.months
                plan, outcome = self._stretched_card(key, issuer, monthly)
                # A maxed-out card is declined: those purchases come out of checking.
                self.entries.extend(b._replace(account="chk") for b in outcome.declined)
            else:
                statement_day = rng.randint(1, 28)
                self._fill_thin_cycles(key, statement_instants(window, statement_day))
                buys = self.card_buys[key]
                monthly = sum(b.amount for b in buys) / window.months
                plan = CardPlan(
                    key=key,
                    issuer=issuer,
                    limit=1,  # set below from the balances actually reached
                    apr=round(rng.uniform(15.99, 27.99), 2),
                    policy="full",
                    opening=max(MIN_CARD_CYCLE, round(monthly * rng.uniform(0.4, 1.0))),
                    statement_day=statement_day,
                )
                outcome = simulate_card(plan, buys, window, rng)
                # Under 30 % of the limit at its highest: never high, and
                # never in the way of a savings builder.
                plan.limit = max(
                    100_000, _round_to(outcome.peak_balance / rng.uniform(0.12, 0.27), 50_000)
                )
                plan.limit = max(plan.limit, -(-outcome.peak_balance * 100 // 28))
            out[key] = (plan, outcome, product)
            self.entries.extend(outcome.checking_entries)
        return out

    def _fill_thin_cycles(self, key: str, statements: list[datetime]) -> None:
        """Move everyday purchases from checking to the card in billing cycles
        where it holds less than MIN_CARD_CYCLE."""
        buys, checking = self.card_buys[key], self.everyday_chk
        checking.sort()
        times = [e.when for e in checking]
        bounds = [self.window.first_instant, *statements]
        held_in = [0] * len(bounds)  # purchases per cycle (the last one is open)
        for b in buys:
            held_in[bisect.bisect_right(bounds, b.when) - 1] += b.amount
        moved: set[int] = set()
        for cycle, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False)):
            held = held_in[cycle]
            if held >= MIN_CARD_CYCLE:
                continue
            candidates = list(
                range(bisect.bisect_left(times, low), bisect.bisect_left(times, high))
            )
            self.rng.shuffle(candidates)
            for i in candidates:
                if held >= MIN_CARD_CYCLE:
                    break
                moved.add(i)
                buys.append(checking[i]._replace(account=key))
                held += checking[i].amount
        if moved:
            self.everyday_chk = [e for i, e in enumerate(checking) if i not in moved]

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
        """Savings flows; returns the balance at the end of the as-of date.

        Savings "built" (a savings builder) take part of every paycheck.
        Otherwise money moves both ways, and savings "drawn_down" lose in the
        last month at least what came in (interest included) over the last
        180 days, so they never grow in a 30- or 180-day window ending on the
        as-of date; savings "kept" skip that (a variable-income user, whose
        persona outranks savings and whose checking buffer such a late
        transfer would swell)."""
        rng, window = self.rng, self.window
        flows: list[Entry] = []

        def move(when: datetime, cents: int, to_savings: bool) -> None:
            if to_savings:
                self.entries.append(entry(when, "chk", cents, TO_SAVINGS))
                flows.append(entry(when, "sav", -cents, FROM_CHECKING))
            else:
                self.entries.append(entry(when, "chk", -cents, FROM_SAVINGS))
                flows.append(entry(when, "sav", cents, TO_CHECKING))

        if self.plant.savings == "built":
            per_month = max(SAVER_MIN_MONTHLY, self.monthly_net * rng.uniform(0.08, 0.2))
            days = list(self.paydays)
            if len(days) > 1 and (days[1] - days[0]).days > 20:
                # Paid monthly: a second transfer mid-month, so no 30 days
                # go by without one.
                days += [
                    d + timedelta(days=15) for d in days if d + timedelta(days=15) <= window.end
                ]
            per_transfer = per_month * window.months / max(1, len(days))
            per_transfer = max(SAVER_MIN_TRANSFER, -(-int(per_transfer) // 2_500) * 2_500)
            for d in sorted(days):
                move(at(d, 12), per_transfer, to_savings=True)
            opening = _round_to(rng.uniform(500, 15_000) * 100, 100)
            apy = rng.uniform(3.5, 4.6)
            return self._with_interest(opening, apy, flows)

        opening = _round_to(rng.uniform(300, 9_000) * 100, 100)
        apy = rng.uniform(0.01, 0.5)
        # Everything else happens before the last month (a window is at
        # least 89 days long).
        early = Window(window.start, window.end - timedelta(days=30))
        ins = [_round_to(rng.uniform(50, 400) * 100, 500) for _ in range(rng.randint(0, 3))]
        while sum(ins) > opening * 3 // 10:
            ins.pop()
        recent = window.end - timedelta(days=179)
        ins_recent = 0
        for cents in ins:
            day = early.random_day(rng)
            move(shopping_time(day, rng), cents, to_savings=True)
            ins_recent += cents if day >= recent else 0
        if rng.random() < 0.5:
            cents = _round_to(opening * rng.uniform(0.05, 0.2), 500)
            move(shopping_time(early.random_day(rng), rng), cents, to_savings=False)
        if self.plant.savings == "kept":
            return self._with_interest(opening, apy, flows)
        # Interest can't exceed this much over seven months (the balance never
        # goes above opening + deposits).
        interest_bound = int((opening + sum(ins)) * apy / 1200 * 7) + 100
        cents = -(-(ins_recent + interest_bound + int(opening * rng.uniform(0, 0.1))) // 500) * 500
        day = window.end - timedelta(days=rng.randint(3, min(28, window.days - 1)))
        move(shopping_time(day, rng), cents, to_savings=False)
        return self._with_interest(opening, apy, flows)

    def _with_interest(self, opening: int, apy: float, flows: list[Entry]) -> int:
        """Add monthly interest on the balance reached by each month's end;
        returns the balance at the end."""
        deltas = balance_deltas(flows, credit=False)
        balances = running_balances(opening, deltas)
        times = [w for w, _ in deltas]
        added = 0
        for day in self.window.monthly(31):
            when = at(day, 23)
            i = bisect.bisect_right(times, when)
            balance = (balances[i - 1] if i else opening) + added
            interest = round(balance * apy / 1200)
            if interest > 0:
                flows.append(entry(when, "sav", -interest, SAVINGS_INTEREST))
                added += interest
        self.entries.extend(flows)
        return opening - sum(f.amount for f in flows)

    # -- checking --------------------------------------------------------------
    def _irregular_pay(self) -> int:
        """Size the irregular payments: each carries checking down to a small
        cushion just before the next one, and the last leaves a buffer of
        under half a month of outflow at the start of the as-of date (as the
        rules measure it, over 30 and 180 days, leaving that day out since it
        may be cut). Returns the checking balance at the end."""
        rng, window = self.rng, self.window
        day_start = window.midnights[-1]
        # Bills of the as-of day are paid the day before: a cut early that day
        # would otherwise leave in checking the money held to pay them, and
        # with three months of data (half a "month" of outflow in 180 days)
        # the rent alone outweighs the buffer.
        self.entries = [
            e._replace(when=e.when - timedelta(days=1))
            if e.account == "chk" and e.amount > 0 and e.when >= day_start
            else e
            for e in self.entries
        ]
        checking = balance_deltas([e for e in self.entries if e.account == "chk"], credit=False)
        times = [w for w, _ in checking]
        # The rules count settled rows only: leave out what may go pending.
        maybe_pending = window.midnights[-2] if window.days > 1 else day_start
        settled_out = sorted(
            (e.when, e.amount)
            for e in self.entries
            if e.account == "chk"
            and e.amount > 0
            and (e.when < maybe_pending or e.category in _SETTLED)
        )

        def monthly_outflow(days: int) -> float:
            since = day_start - timedelta(days=days - 1)
            return sum(a for when, a in settled_out if since <= when < day_start) * 30 / days

        base = max(10_000.0, min(monthly_outflow(180), monthly_outflow(30)))
        pay_times = [at(d, rng.randint(6, 16)) for d in self.paydays]
        cuts = [bisect.bisect_left(times, t) for t in pay_times]
        spans = list(zip([0, *cuts], [*cuts, len(checking)], strict=True))

        def drawdown(low: int, high: int) -> tuple[int, int]:
            """(lowest running change, total change) over checking[low:high]."""
            running = lowest = 0
            for _, delta in checking[low:high]:
                running += delta
                lowest = min(lowest, running)
            return lowest, running

        def cushion() -> int:
            return round(max(2_000.0, base * rng.uniform(0.05, 0.35)))

        lowest, change = drawdown(*spans[0])
        balance = CHECKING_FLOOR + cushion() - lowest + change  # just before the first pay
        target = round(max(base * rng.uniform(*self.plant.buffer_months), 2_000.0))
        payers = rng.sample(self.names.clients[:40] + GIG_PLATFORMS, rng.randint(1, 3))
        for n, (when, (low, high)) in enumerate(zip(pay_times, spans[1:], strict=True)):
            lowest, change = drawdown(low, high)
            if n < len(pay_times) - 1:
                pay = CHECKING_FLOOR + cushion() - lowest - balance
            else:
                before_day = bisect.bisect_left(times, day_start, low, high)
                pay = target - drawdown(low, before_day)[1] - balance
                pay = max(pay, CHECKING_FLOOR - lowest - balance)
            pay = max(PAY_MIN, pay)
            balance += pay + change
            first = round(pay * rng.uniform(0.3, 0.7)) if rng.random() < 0.3 else pay
            for cents in (first, pay - first):
                if cents:
                    self._add("chk", when, -cents, rng.choice(payers), "INCOME")
        return balance

    def _buffer_target(self) -> int:
        months = self.rng.uniform(*self.plant.buffer_months)
        outflow = sum(e.amount for e in self.entries if e.account == "chk" and e.amount > 0)
        return max(CHECKING_FLOOR + 10_000, round(outflow / self.window.months * months))

    def _invest_surplus(self) -> None:
        """Pay left over month after month goes to a brokerage account on a
        fixed day, a fixed amount (a share of the surplus)."""
        rng, window = self.rng, self.window
        net = -sum(e.amount for e in self.entries if e.account == "chk")
        monthly = net / window.months
        if monthly < SURPLUS_TO_INVEST:
            return
        amount = min(INVEST_MAX, int(monthly * rng.uniform(0.5, 0.85)) // 5_000 * 5_000)
        broker, day = rng.choice(BROKERAGES), rng.randint(2, 28)
        for d in window.monthly(day):
            if d < window.end:
                self.entries.append(Entry(at(d, 9, 30), "chk", amount, broker, "TRANSFER_OUT"))

    def _settle_checking(self, target: int) -> int:
        """Pick the unseen opening balance so checking never falls under the
        floor and ends near `target`; any surplus above it goes out as cash
        and payments to friends (each of a plausible size) while the balance
        allows. Returns the balance at the end of the as-of date."""
        rng, window = self.rng, self.window
        checking = [e for e in self.entries if e.account == "chk"]
        deltas = balance_deltas(checking, credit=False)
        cumulative = running_balances(0, deltas)
        net = cumulative[-1] if cumulative else 0
        opening = max(target - net, CHECKING_FLOOR - min([0, *cumulative]))
        end = opening + net
        excess = end - target
        if excess < ATM_STEP or not deltas:
            return end

        balances = [opening + c for c in cumulative]
        times = [w for w, _ in deltas]
        suffix_min = balances[:]
        for i in range(len(suffix_min) - 2, -1, -1):
            suffix_min[i] = min(suffix_min[i], suffix_min[i + 1])
        candidates = [
            shopping_time(window.start + timedelta(days=d), rng)
            for d in range(3, window.days - 1, rng.randint(3, 7))
        ]
        spent = 0
        for n, when in enumerate(candidates):
            remaining = excess - spent
            if remaining < ATM_STEP:
                break
            i = bisect.bisect_left(times, when)
            # The balance right after the withdrawal, and every later one.
            lowest = balances[i - 1] if i else opening
            if i < len(suffix_min):
                lowest = min(lowest, suffix_min[i])
            room = lowest - CHECKING_FLOOR - spent
            share = remaining / (len(candidates) - n) * rng.uniform(0.5, 1.6)
            if rng.random() < 0.4:
                (name, category), cap, step = ATM, ATM_MAX, ATM_STEP
            else:
                (name, category), cap, step = rng.choice(P2P), P2P_MAX, 500
            cents = int(min(share, cap, room, remaining)) // step * step
            if cents >= ATM_STEP:
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
        created = at(window.end - timedelta(days=rng.randint(1, 90)), rng.randint(0, 23))
        user: Row = {
            "id": user_id,
            "name": f"{first} {last}",
            "email": f"{local}.{spec.tag}{self.index + 1}@example.com",
            "consent": rng.random() < 0.9,
            "created_at": created,
        }
        masks = rng.sample(range(10_000), 4)
        account_ids = {key: f"acc_{user_id[4:]}_{key}" for key in ("chk", "sav", "cc1", "cc2")}

        entries = list(self.entries)
        for _, outcome, _ in cards.values():
            entries.extend(outcome.card_entries)
        entries.sort(key=lambda e: (e.when, e.account, e.merchant, e.amount))
        balances = {"chk": checking_balance, "sav": savings_balance or 0}
        balances |= {key: outcome.balance for key, (_, outcome, _) in cards.items()}
        cutoff = spec.cutoff
        if cutoff is not None:
            # Rows after the cut are a suffix: the ids of the rest don't move.
            kept = bisect.bisect_right([e.when for e in entries], cutoff)
            for e in entries[kept:]:
                balances[e.account] += -e.amount if e.account.startswith("cc") else e.amount
            entries = entries[:kept]

        def depository(key: str, subtype: str, name: str, mask: int) -> Row:
            return _account_row(account_ids[key], user_id, "depository", subtype, name, mask) | {
                "balance": balances[key]
            }

        accounts = [depository("chk", "checking", rng.choice(CHECKING_NAMES), masks[0])]
        if savings_balance is not None:
            accounts.append(depository("sav", "savings", rng.choice(SAVINGS_NAMES), masks[1]))
        for n, (key, (plan, outcome, product)) in enumerate(cards.items()):
            row = _account_row(
                account_ids[key], user_id, "credit", "credit_card", product, masks[2 + n]
            )
            row |= {
                "balance": balances[key],
                "limit": plan.limit,
                "apr": plan.apr,
                "min_payment": outcome.min_payment(cutoff),
                "is_overdue": outcome.is_overdue(cutoff),
            }
            accounts.append(row)

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


def _uneven(buys: list[Entry], day_start: datetime) -> list[Entry]:
    """`buys` such that no merchant's everyday charges look like a
    subscription to the rules: three or more in the 180- or 90-day lookback
    all within max(10 %, $1) of their median. A cut may leave out any later
    part of the as-of day (from `day_start`), so each lookback is judged with
    every earlier part of that day's charges. Where one looks even by chance,
    the latest charge before the as-of day costs a quarter more than the
    dearest, which breaks it for every lookback and cut holding it."""
    since, since_90 = day_start - timedelta(days=179), day_start - timedelta(days=89)
    by_merchant: dict[str, list[tuple[datetime, int, int]]] = {}
    for i, (when, _, amount, merchant, _) in enumerate(buys):
        if when >= since:
            by_merchant.setdefault(merchant, []).append((when, amount, i))
    for charges in by_merchant.values():
        if len(charges) < 3:
            continue
        # The as-of day's charges in time order: a cut leaves a first part.
        today = [amount for _, amount, _ in sorted(c for c in charges if c[0] >= day_start)]
        for low in (since, since_90):
            before = [c for c in charges if low <= c[0] < day_start]
            amounts = [amount for _, amount, _ in before]
            if not before or not any(
                len(amounts) + k >= 3 and _even(amounts + today[:k]) for k in range(len(today) + 1)
            ):
                continue
            # The latest charge before the as-of day is in both lookbacks (a
            # lookback holding none has at most that day's charges: no series).
            i = max(before)[2]
            dearest = max(amount for _, amount, _ in charges)
            buys[i] = buys[i]._replace(amount=round(dearest * 1.25) + 150)
            break
    return buys


def _even(amounts: list[int]) -> bool:
    """Every amount within max(10 %, $1) of their median."""
    amounts.sort()
    count, half = len(amounts), len(amounts) // 2
    middle = amounts[half] if count % 2 else (amounts[half - 1] + amounts[half]) / 2
    slack = max(middle * 0.1, 100)
    return amounts[0] >= middle - slack and amounts[-1] <= middle + slack


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
