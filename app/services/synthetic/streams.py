"""Users with planted recurring streams, to measure stream detection.

`generate_stream_user(index, seed, as_of)` gives one user's rows (as
detection reads them) and the truth: every planted stream that the contract
(recurring.md) counts as one in those rows, with the dates of its
occurrences and its real next occurrence after `as_of` (generated like the
others and held out of the rows). Deterministic: a user depends only on
(seed, index, as_of, messy).

Planted: pay (weekly, biweekly on Fridays, semi-monthly on the 1st and 15th
or the 15th and the last day, monthly), rent, utilities with varying
amounts, subscriptions (on days 1-31, so the 29th-31st meet short months),
card payments and the card's side of them, transfers to savings and the
savings side, weekly and biweekly services, quarterly, semi-annual and
annual charges (annual ones where the history is 13-26 months). With
`messy` (the default) streams also drift (1 day for weekly, 3 otherwise),
skip an occurrence, carry a spike (more than 35 % off: not an occurrence),
change price, move off weekends, start late or end early, and the noise
holds look-alikes that must not be found: a merchant paid twice a month
apart and never again, merchants visited every few days, rare merchants,
pending rows.
"""

import random
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import count

from app.services.insights.streams import BY_NAME, StreamTxn
from app.services.synthetic.calendar import add_months
from app.services.synthetic.merchants import (
    ATM,
    ATM_STEP,
    ELECTRIC,
    EVERYDAY,
    INTERNET,
    P2P,
    PHONE,
    SUBSCRIPTIONS,
    WATER,
    build_local_names,
)

DEFAULT_AS_OF = date(2026, 6, 30)
_STEP_DAYS = {"weekly": 7, "biweekly": 14}
_MONTHS = {"semi_monthly": 1, "monthly": 1, "quarterly": 3, "semi_annually": 6, "annually": 12}
_SHORT = ("weekly", "biweekly", "semi_monthly", "monthly")
# Varying amounts stay within ±14 % of the base, so each is within 35 % of
# any median of them (1.14 / 0.86 < 1.35): the contract's outlier rule keeps
# them all.
VARIES = 0.14

WEEKLY_OUT = (("HelloFresh", "FOOD_AND_DRINK"), ("Greenlight", "TRANSFER_OUT"))
WEEKLY_IN = (("DoorDash Dasher Pay", "INCOME"), ("Instacart Shopper Pay", "INCOME"))
BIWEEKLY_OUT = (("Molly Maid", "GENERAL_SERVICES"), ("TruGreen Lawn Care", "HOME_IMPROVEMENT"))
QUARTERLY = (("Terminix", "GENERAL_SERVICES"), ("IRS Estimated Tax", "GOVERNMENT_AND_NON_PROFIT"))
SEMI_ANNUAL = (("GEICO", "GENERAL_SERVICES"), ("Progressive Insurance", "GENERAL_SERVICES"))
ANNUAL = (("Costco Membership", "GENERAL_MERCHANDISE"), ("GoDaddy Domains", "GENERAL_SERVICES"))
ONE_OFFS = ("Spirit Halloween", "Party City", "Guitar Center", "Sephora", "Wayfair")


@dataclass(frozen=True, slots=True)
class PlantedStream:
    """A planted stream as the truth knows it. `merchant_name` is None for a
    stream known by its description only (`description` as last written).
    `next_date` is the real next occurrence after as_of; None once ended."""

    account_id: str
    direction: str
    merchant_name: str | None
    description: str | None
    category: str
    frequency: str
    dates: tuple[date, ...]
    next_date: date | None


@dataclass(frozen=True, slots=True)
class StreamUser:
    user_id: str
    as_of: date
    first_day: date  # of the history
    rows: list[StreamTxn]
    truth: list[PlantedStream]


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one stream is planted: its schedule and its amounts (cents)."""

    account: str
    sign: int  # 1 money out, -1 money in
    merchant: str
    category: str
    frequency: str
    first: date  # the first scheduled date (weekly/biweekly: the step's anchor)
    anchors: tuple[int, ...] = ()  # days of the month
    amount: int = 0
    variation: float = 0.0  # each amount within ± this share of `amount` (at most VARIES)
    drift: bool = False
    weekend: str = "stay"  # before | after | stay
    price_factor: float = 0.0  # > 0: one price change by this factor
    event: str = ""  # skip | spike: one occurrence missing or far off in amount
    end: date | None = None  # cancelled: nothing after this day
    by_description: bool = False  # rows carry no merchant name


def generate_stream_users(
    users: int, seed: int = 0, as_of: date = DEFAULT_AS_OF, messy: bool = True
) -> list[StreamUser]:
    return [generate_stream_user(index, seed, as_of, messy) for index in range(users)]


def generate_stream_user(
    index: int, seed: int = 0, as_of: date = DEFAULT_AS_OF, messy: bool = True
) -> StreamUser:
    rng = random.Random(f"streams:{seed}:{index}:{as_of.isoformat()}:{messy}")
    months = rng.randint(13, 26) if rng.random() < 0.4 else rng.randint(6, 12)
    user = _User(rng, f"ss{seed}-{index:05d}", as_of, months, messy, seed)
    plans = [*_pay(user), *_bills(user), *_subscriptions(user), *_services(user)]
    for plan in plans:
        user.plant(_with_event(rng, plan) if messy else plan)
    user.noise()
    return user.finish()


@lru_cache(maxsize=8)
def _local_names(seed: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(employers, landlords), drawn once per seed."""
    names = build_local_names(seed)
    return names.employers, names.landlords


def _on_day(month: date, anchor: int) -> date:
    """Day `anchor` of `month`'s month, clamped to its last day."""
    return month.replace(day=min(anchor, monthrange(month.year, month.month)[1]))


def _friday_on_or_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() - 4) % 7)


class _User:
    def __init__(
        self, rng: random.Random, user_id: str, as_of: date, months: int, messy: bool, seed: int
    ) -> None:
        self.rng = rng
        self.user_id = user_id
        self.as_of = as_of
        self.first_day = add_months(as_of, -months) + timedelta(days=1)
        self.span = (as_of - self.first_day).days
        self.messy = messy
        self.employers, self.landlords = _local_names(seed)
        self.checking, self.savings, self.card = (f"{user_id}-{k}" for k in ("chk", "sav", "crd"))
        # (account, day, amount, merchant, description, category, pending)
        self.entries: list[tuple[str, date, int, str | None, str | None, str, bool]] = []
        self.truth: list[PlantedStream] = []

    def month_first(self, anchor: int, months: int = 1, late_days: int = 0) -> date:
        """Day `anchor` of a random month among the first `months` of the
        history (after `late_days` days), on or after that start."""
        start = self.first_day + timedelta(days=late_days)
        month = add_months(start.replace(day=1), self.rng.randrange(months))
        when = _on_day(month, anchor)
        return when if when >= start else _on_day(add_months(month, months), anchor)

    def maybe_late(self, plan: _Plan) -> _Plan:
        """Now and then a stream that starts well into the history."""
        if not self.messy or self.rng.random() >= 0.2:
            return plan
        late = self.rng.randint(self.span // 3, max(self.span // 3, self.span - 60))
        if plan.frequency in _STEP_DAYS:
            return replace(plan, first=plan.first + timedelta(days=late // 7 * 7))
        return replace(plan, first=self.month_first(plan.anchors[0], late_days=late))

    def plant(self, plan: _Plan) -> None:
        rng = self.rng
        frequency = BY_NAME[plan.frequency]
        occurrences, next_date = self._occurrences(plan, frequency.tolerance_days)
        amounts = [self._amount(plan) for _ in occurrences]
        members = list(range(len(occurrences)))
        if plan.price_factor and len(occurrences) >= 4:
            change = rng.randint(2, len(occurrences) - 2)
            amounts[change:] = [round(amount * plan.price_factor) for amount in amounts[change:]]
        elif plan.event and len(occurrences) >= 5:
            # Away from both ends: the stream keeps its first and last.
            at = rng.randint(2, len(occurrences) - 3)
            members.remove(at)
            # A spike is far enough from any median of the varying amounts.
            amounts[at] = round(plan.amount * rng.uniform(1.8, 2.5)) if plan.event == "spike" else 0
        description = None
        for number, (when, amount) in enumerate(zip(occurrences, amounts, strict=True)):
            if not amount:
                continue
            if plan.by_description:
                description = f"{plan.merchant.upper()} PPD ID {1000 + number}"
            else:
                description = f"{plan.merchant.upper()} {rng.randint(100000, 999999)}"
            merchant = None if plan.by_description else plan.merchant
            self.entries.append(
                (
                    plan.account,
                    when,
                    plan.sign * amount,
                    merchant,
                    description,
                    plan.category,
                    False,
                )
            )
        dates = tuple(occurrences[index] for index in members)
        if len(dates) >= frequency.min_occurrences:
            self.truth.append(
                PlantedStream(
                    account_id=plan.account,
                    direction="outflow" if plan.sign > 0 else "inflow",
                    merchant_name=None if plan.by_description else plan.merchant,
                    description=description,
                    category=plan.category,
                    frequency=plan.frequency,
                    dates=dates,
                    next_date=next_date,
                )
            )

    def _occurrences(self, plan: _Plan, tolerance: int) -> tuple[list[date], date | None]:
        """The plan's dates inside the history, and the first one after it
        (None when the stream has ended)."""
        occurrences: list[date] = []
        for scheduled in _schedule(plan):
            if plan.end is not None and scheduled > plan.end:
                return occurrences, None
            actual = scheduled
            if plan.weekend != "stay" and actual.weekday() >= 5:
                back = plan.weekend == "before"
                actual += timedelta(days=4 - actual.weekday() if back else 7 - actual.weekday())
            # A weekly or biweekly schedule steps from the first occurrence: it stays put.
            elif plan.drift and (occurrences or plan.frequency not in _STEP_DAYS):
                actual += timedelta(days=self._drift(tolerance))
            if actual > self.as_of:
                return occurrences, actual
            if actual >= self.first_day:
                occurrences.append(actual)
        raise AssertionError("schedules never end")

    def _drift(self, tolerance: int) -> int:
        """Days off schedule: mostly none or one, now and then the most the
        contract allows (weights 4 for 0, then 2, 1 and 1/2 for each side)."""
        weights = [0.5, 1, 2, 4, 2, 1, 0.5][3 - tolerance : 4 + tolerance]
        return self.rng.choices(range(-tolerance, tolerance + 1), weights)[0]

    def _amount(self, plan: _Plan) -> int:
        if not plan.variation:
            return plan.amount
        return round(plan.amount * (1 + self.rng.uniform(-plan.variation, plan.variation)))

    def noise(self) -> None:
        """Everyday spending as the seeding generator makes it (per habit one
        to three favourite merchants sharing its visits, the first visited
        most; amounts skewed low), cash and payments to friends, a coffee
        shop every few days; when messy, a merchant paid twice a month apart
        and never again, and pending rows at planted merchants."""
        rng = self.rng
        months = self.span / 30.44
        for kind in EVERYDAY.values():
            if rng.random() < kind.skip_share:
                continue
            favourites = rng.sample(kind.merchants, min(len(kind.merchants), rng.randint(1, 3)))
            low, high = kind.amount
            for _ in range(round(rng.uniform(*kind.visits_per_month) * months)):
                merchant = favourites[int(rng.random() ** 2 * len(favourites))]
                cents = round(rng.triangular(low, high, low + (high - low) / 4) * 100)
                self.spend(merchant, kind.category, cents)
        for _ in range(round(rng.uniform(0, 2) * months)):
            self.spend(ATM[0], ATM[1], rng.randrange(2, 16) * ATM_STEP, self.checking)
        for _ in range(round(rng.uniform(0, 2) * months)):
            name, category = rng.choice(P2P)
            self.spend(name, category, round(rng.triangular(10, 250, 30)) * 100, self.checking)
        when = self.first_day
        while True:
            when += timedelta(days=rng.randint(1, 4))
            if when > self.as_of:
                break
            cents = rng.randint(350, 950)
            self.entries.append(
                (self.card, when, cents, "Corner Coffee", None, "FOOD_AND_DRINK", False)
            )
        if not self.messy:
            return
        one_off = rng.choice(ONE_OFFS)
        when = self.first_day + timedelta(days=rng.randint(0, max(0, self.span - 40)))
        for gap in (0, rng.randint(28, 33)):
            cents = rng.randint(2_000, 9_000)
            self.entries.append(
                (self.card, when + timedelta(days=gap), cents, one_off, None, "SHOPPING", False)
            )
        # Pending rows, off schedule, at planted merchants: never read.
        for planted in rng.sample(self.truth, min(3, len(self.truth))):
            when = self.first_day + timedelta(days=rng.randint(0, self.span))
            cents = rng.randint(500, 5_000) * (1 if planted.direction == "outflow" else -1)
            self.entries.append(
                (planted.account_id, when, cents, planted.merchant_name, planted.description,
                 planted.category, True)
            )  # fmt: skip

    def spend(self, merchant: str, category: str, cents: int, account: str | None = None) -> None:
        """A charge on a random day of the history, on the card 4 times in 5."""
        when = self.first_day + timedelta(days=self.rng.randint(0, self.span))
        if account is None:
            account = self.card if self.rng.random() < 0.8 else self.checking
        self.entries.append((account, when, cents, merchant, None, category, False))

    def finish(self) -> StreamUser:
        self.entries.sort(key=lambda entry: (entry[1], entry[0], entry[3] or entry[4] or ""))
        ids = count(1)
        rows = [
            StreamTxn(
                f"{self.user_id}-t{next(ids):05d}",
                account,
                f"{when.isoformat()} {_clock(self.rng)}",
                amount,
                merchant,
                description,
                category,
                pending,
            )
            for account, when, amount, merchant, description, category, pending in self.entries
        ]
        return StreamUser(self.user_id, self.as_of, self.first_day, rows, self.truth)


def _schedule(plan: _Plan) -> Iterator[date]:
    """The plan's scheduled dates from its first one on, without end."""
    step = _STEP_DAYS.get(plan.frequency)
    if step is not None:
        when = plan.first
        while True:
            yield when
            when += timedelta(days=step)
    month = plan.first.replace(day=1)
    while True:
        for anchor in plan.anchors:
            when = _on_day(month, anchor)
            if when >= plan.first:
                yield when
        month = add_months(month, _MONTHS[plan.frequency])


def _with_event(rng: random.Random, plan: _Plan) -> _Plan:
    """Now and then a skipped occurrence or a spike (not with a price change)."""
    if plan.price_factor or plan.frequency not in _SHORT:
        return plan
    draw = rng.random()
    if draw < 0.08:
        return replace(plan, event="skip")
    if draw < 0.15:
        return replace(plan, event="spike")
    return plan


def _clock(rng: random.Random) -> str:
    return f"{rng.randint(6, 21):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.000000"


def _pay(user: _User) -> Iterator[_Plan]:
    """One pay stream into checking, of a random kind."""
    rng = user.rng
    employer, pay = rng.choice(user.employers), rng.randint(120_000, 420_000)
    kind = rng.choices(["biweekly", "semi_monthly", "monthly", "weekly"], [35, 30, 20, 15])[0]
    base = _Plan(user.checking, -1, employer, "INCOME", kind, user.first_day, amount=pay)
    base = replace(base, by_description=rng.random() < 0.2)
    if kind == "biweekly":
        first = _friday_on_or_before(user.first_day + timedelta(days=rng.randint(0, 13)))
        yield replace(base, first=first, variation=rng.choice((0.0, 0.0, 0.03)))
    elif kind == "semi_monthly":
        anchors = rng.choice(((1, 15), (15, 31)))
        first = user.month_first(anchors[0])
        yield replace(base, first=first, anchors=anchors, amount=pay // 2, weekend="before")
    elif kind == "monthly":
        anchor = rng.choice((1, 25, 28, 31))
        yield replace(base, first=user.month_first(anchor), anchors=(anchor,), weekend="before")
    else:
        merchant, category = rng.choice(WEEKLY_IN)
        first = user.first_day + timedelta(days=rng.randint(0, 6))
        drift = user.messy and rng.random() < 0.3
        amount = rng.randint(30_000, 90_000)
        yield _Plan(
            user.checking, -1, merchant, category, "weekly", first, (), amount, VARIES, drift
        )


def _monthly(user: _User, account: str, sign: int, merchant: str, category: str) -> _Plan:
    anchor = user.rng.randint(1, 28)
    return _Plan(account, sign, merchant, category, "monthly", user.month_first(anchor), (anchor,))


def _bills(user: _User) -> Iterator[_Plan]:
    """Rent, utilities, the card payment (both sides), savings transfers."""
    rng, messy = user.rng, user.messy
    if rng.random() < 0.75:
        anchor = rng.choice((1, 1, 1, 5))
        yield _Plan(
            user.checking, 1, rng.choice(user.landlords), "RENT_AND_UTILITIES", "monthly",
            user.month_first(anchor), (anchor,), rng.randint(120_000, 320_000),
            weekend=rng.choice(("before", "stay", "after")) if messy else "stay",
            by_description=rng.random() < 0.2,
        )  # fmt: skip
    for names, variation in ((ELECTRIC, VARIES), (INTERNET, 0.0), (PHONE, 0.08)):
        if rng.random() < 0.8:
            plan = _monthly(user, user.checking, 1, rng.choice(names), "RENT_AND_UTILITIES")
            amount = rng.randint(4_000, 22_000)
            yield user.maybe_late(replace(plan, amount=amount, variation=variation, drift=messy))
    if rng.random() < 0.8:
        plan = _monthly(user, user.checking, 1, "Chase Card Payment", "LOAN_PAYMENTS")
        plan = replace(plan, amount=rng.randint(20_000, 150_000), variation=VARIES, drift=messy)
        yield plan
        yield replace(plan, account=user.card, sign=-1, merchant="Payment Thank You")
    if rng.random() < 0.5:
        amount = rng.choice((10_000, 20_000, 25_000, 50_000))
        out = _monthly(user, user.checking, 1, "Online Transfer to Savings", "TRANSFER_OUT")
        out = replace(out, amount=amount)
        if rng.random() < 0.5:
            first = _friday_on_or_before(user.first_day + timedelta(days=rng.randint(0, 13)))
            out = replace(out, frequency="biweekly", first=first, anchors=())
        yield out
        yield replace(
            out, account=user.savings, sign=-1, merchant="Online Transfer from Checking",
            category="TRANSFER_IN",
        )  # fmt: skip


def _subscriptions(user: _User) -> Iterator[_Plan]:
    """Two to six monthly subscriptions on the card."""
    rng = user.rng
    for merchant, category, price in rng.sample(SUBSCRIPTIONS, rng.randint(2, 6)):
        anchor = rng.randint(29, 31) if rng.random() < 0.2 else rng.randint(1, 28)
        first = user.month_first(anchor)
        plan = _Plan(user.card, 1, merchant, category, "monthly", first, (anchor,), price)
        if user.messy and rng.random() < 0.15:
            plan = replace(plan, price_factor=rng.uniform(1.08, 1.5))
        if user.messy and rng.random() < 0.1:
            plan = replace(plan, end=user.as_of - timedelta(days=rng.randint(70, 200)))
        yield user.maybe_late(plan)


def _services(user: _User) -> Iterator[_Plan]:
    """Weekly and biweekly services; quarterly, semi-annual, annual charges."""
    rng, messy = user.rng, user.messy
    if rng.random() < 0.35:
        merchant, category = rng.choice(WEEKLY_OUT)
        first = user.first_day + timedelta(days=rng.randint(0, 6))
        drift = messy and rng.random() < 0.3
        amount = rng.randint(2_000, 8_000)
        plan = _Plan(user.card, 1, merchant, category, "weekly", first, (), amount, 0.0, drift)
        yield user.maybe_late(plan)
    if rng.random() < 0.3:
        merchant, category = rng.choice(BIWEEKLY_OUT)
        first = user.first_day + timedelta(days=rng.randint(0, 13))
        amount = rng.randint(6_000, 20_000)
        yield _Plan(user.checking, 1, merchant, category, "biweekly", first, (), amount, 0.0, messy)
    long_ones = (
        (0.35, (WATER[0], "RENT_AND_UTILITIES"), "quarterly", user.checking, VARIES),
        (0.3, rng.choice(QUARTERLY), "quarterly", user.checking, 0.0),
        (0.5, rng.choice(SEMI_ANNUAL), "semi_annually", user.card, 0.0),
        (0.7, rng.choice(ANNUAL), "annually", user.card, 0.0),
    )
    for share, (merchant, category), frequency, account, variation in long_ones:
        if rng.random() >= share:
            continue
        anchor = rng.randint(1, 31)
        months = _MONTHS[frequency]
        # Annual charges fall in the months that leave a second one in the history.
        within = max(1, round(user.span / 30.44) - 12) if months == 12 else months
        first = user.month_first(anchor, within)
        amount = rng.randint(6_000, 120_000)
        yield _Plan(
            account, 1, merchant, category, frequency, first, (anchor,), amount, variation, messy
        )
