"""Random users for the randomized comparison: few rows, but dense with the
spec's edges (window boundaries at the first and last microsecond of a day,
exact thresholds, recurring series with jitter around the tolerances, rows
after D, pending rows, merchant names that differ only by case and spaces)."""

import random
from datetime import date, timedelta

from app.services.insights.rows import AccountRow, TxnRow

CATEGORIES = [
    "FOOD_AND_DRINK", "GENERAL_MERCHANDISE", "ENTERTAINMENT", "TRANSPORTATION",
    "TRANSFER_OUT", "TRANSFER_IN", "LOAN_PAYMENTS", "INCOME", "BANK_FEES",
    "RENT_AND_UTILITIES", "PERSONAL_CARE",
]  # fmt: skip
# Spellings of one merchant key, and names that only look alike.
SERIES_MERCHANTS = [
    ["Netflix", "netflix ", "  NETFLIX", "NetFlix"],
    ["Net  flix", "net flix"],
    ["Spotify Premium", "spotify\tpremium", "SPOTIFY  PREMIUM "],
    ["Spotify"],
    ["Gym"],
    ["Hulu"],
    ["Cloud Storage"],
    ["News Daily"],
    ["Meal Kit"],
    ["Music Box"],
    ["Game Pass"],
    ["Photo Cloud"],
]
MERCHANTS = [
    "Corner Cafe", "Grocer", "Fuel Stop", "Book Shop", "Interest Charge", "Late Fee",
    "INTEREST adj", "Acme Payroll", " ", None,
]  # fmt: skip
TIMES = ["00:00:00.000000", "23:59:59.999999", "12:00:00.000000", "00:00:00.000001"]


def _stamp(rng: random.Random, day: date) -> str:
    if rng.random() < 0.6:
        clock = rng.choice(TIMES)
    else:
        clock = (
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
            f".{rng.randint(0, 999_999):06d}"
        )
    return f"{day.isoformat()} {clock}"


def _day(rng: random.Random, as_of: date) -> date:
    if rng.random() < 0.3:  # a boundary day of some window or lookback
        offset = rng.choice([0, -1, 29, 30, 89, 90, 179, 180])
    else:
        offset = rng.randint(-15, 200)
    return as_of - timedelta(days=offset)


INCOME_DETAILED = [None, "INCOME_WAGES", None, "INCOME_INTEREST_EARNED", "INCOME_DIVIDENDS"]


def random_user(seed: int) -> tuple[list[AccountRow], list[TxnRow], date]:
    rng = random.Random(seed)
    as_of = date(2025, 1, 1) + timedelta(days=rng.randint(0, 600))
    numbers = rng.sample(range(100), 8)
    specs: list[tuple[str, str, str]] = []  # (id, type, subtype)
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        specs.append((f"acc_{numbers.pop():02d}", "depository", "checking"))
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        subtype = rng.choice(["savings", "savings", "money_market", "hsa"])
        specs.append((f"acc_{numbers.pop():02d}", "depository", subtype))
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        specs.append((f"acc_{numbers.pop():02d}", "credit", "credit_card"))

    rows: list[TxnRow] = []

    def add(account: str, day: date, amount: int, merchant: str | None, category: str) -> None:
        stamp, pending = _stamp(rng, day), rng.random() < 0.08
        # Income is now and then interest or dividends, which are not pay.
        detailed = rng.choice(INCOME_DETAILED) if category == "INCOME" else None
        rows.append((account, stamp, amount, merchant, category, pending, detailed))

    for account, type_, subtype in specs:
        # Everyday noise.
        for _ in range(rng.randint(0, 30)):
            amount = rng.choice([rng.randint(-30000, 60000), rng.randint(1, 20000), 0])
            # Now and then a stray row of a subscription merchant, breaking its series.
            merchant = rng.choice(MERCHANTS if rng.random() < 0.97 else ["Netflix", "Gym"])
            add(account, _day(rng, as_of), amount, merchant, rng.choice(CATEGORIES))
        if subtype == "checking" or rng.random() < 0.1:
            # Pay (now and then on a non-checking account, where it must not count).
            period, jitter = rng.randint(6, 70), rng.randint(0, 6)
            day = as_of - timedelta(days=rng.randint(-3, 40))
            for _ in range(rng.randint(0, 9)):
                add(account, day, -rng.randint(50000, 400000), "Acme Payroll", "INCOME")
                day -= timedelta(days=max(1, period + rng.randint(-jitter, jitter)))
        if type_ == "credit":
            for _ in range(rng.choice([0, 0, 1, 2, 4])):
                day = _day(rng, as_of)
                # Now and then two payments at one timestamp: the later row wins.
                for _ in range(rng.choice([1, 1, 2])):
                    rows.append(
                        (account, f"{day.isoformat()} 09:00:00.000000",
                         -rng.choice([3500, 3850, 3851, 3849, rng.randint(100, 90000)]),
                         "Card Payment", rng.choice(["LOAN_PAYMENTS", "TRANSFER_IN"]), False, None)
                    )  # fmt: skip
            for _ in range(rng.choice([0, 0, 0, 1, 3])):
                add(account, _day(rng, as_of), rng.choice([0, 1, -1, rng.randint(1, 9000)]),
                    rng.choice(["Interest Charge", "INTEREST adj", "Late Fee", None]),
                    rng.choice(["BANK_FEES", "BANK_FEES", "ENTERTAINMENT"]))  # fmt: skip
        if subtype != "checking" and type_ == "depository":
            for _ in range(rng.randint(0, 8)):
                amount = -rng.randint(1000, 80000) if rng.random() < 0.7 else rng.randint(1, 50000)
                add(account, _day(rng, as_of), amount, "Transfer", rng.choice(CATEGORIES[4:6]))

    # Recurring series, with gap and amount jitter around the tolerances.
    if specs:
        for _ in range(rng.choice([0, 2, 4, 6, 8, 10])):
            account = rng.choice(specs)[0]
            spellings = rng.choice(SERIES_MERCHANTS)
            # Half the series are clean, the others wander near and past the limits.
            clean = rng.random() < 0.5
            if clean:
                period, jitter = rng.choice([7, 14, 30, 31]), rng.choice([0, 0, 1])
                offsets = [0, 0, 1, -1]
                day = as_of - timedelta(days=rng.randint(0, 5))
            else:
                period = rng.choice([4, 5, 7, 9, 10, 11, 12, 14, 16, 17, 25, 26, 30, 31, 35, 36])
                period += rng.choice([0, 0, 0, rng.randint(-3, 3)])
                jitter = rng.choice([0, 1, 2, 3, 4])
                offsets = [0, 0, 0, 1, -1, 100, -100, 101, -101]
                day = as_of - timedelta(days=rng.choice([0, 1, rng.randint(-5, 45)]))
            base = rng.choice([rng.randint(300, 1500), rng.randint(1500, 30000)])
            spread = rng.choice([0.0, 0.05, 0.09, 0.1, 0.11, 0.2])
            offsets += [round(base * spread), -round(base * spread)]
            category = rng.choice(["ENTERTAINMENT"] * 12 + CATEGORIES)
            for _ in range(rng.choice([2, 3, 3, 4, 5, 6, 7, 12, 25])):
                amount = base + rng.choice(offsets)
                add(account, day, max(amount, 1), rng.choice(spellings), category)
                if rng.random() < 0.03:  # a twin at the same instant, maybe spelled otherwise
                    twin = rows[-1]
                    rows.append((twin[0], twin[1], twin[2], rng.choice(spellings), *twin[4:]))
                day -= timedelta(days=max(0, period + rng.randint(-jitter, jitter)))

    # Balances: pick the balance at D (often right at a utilization edge),
    # then store the balance "now" that the rows after D lead to.
    end = (as_of + timedelta(days=1)).isoformat()
    starts = {days: (as_of - timedelta(days=days - 1)).isoformat() for days in (30, 180)}
    accounts = []
    for account, type_, subtype in specs:
        mine = [r for r in rows if r[0] == account]
        later = sum(r[2] for r in mine if r[1] >= end)
        # Settled Σ amount and Σ amount > 0 of each window, to aim at edges.
        window = rng.choice([30, 180])
        settled = [r[2] for r in mine if starts[window] <= r[1] < end and not r[5]]
        net, outflow = -sum(settled), sum(a for a in settled if a > 0)
        limit = min_payment = None
        overdue = False
        if type_ == "credit":
            limit = rng.choice(
                [None, 100_000, rng.randint(1, 2000) * 100, rng.randint(100, 1_000_000)]
            )
            base = limit or 100_000
            at_d = rng.choice(
                [base // 2, base // 2 - 1, base * 3 // 10, base * 3 // 10 - 1, base,
                 rng.randint(-5000, base * 6 // 10), rng.randint(-5000, base * 3 // 10)]
            )  # fmt: skip
            balance = at_d + later
            min_payment = rng.choice([None, None, 0, 3500, rng.randint(100, 20000)])
            overdue = rng.random() < 0.05
        else:
            at_d = rng.choice(
                [rng.randint(-20000, 3_000_000), rng.randint(-20000, 200_000),
                 outflow * 30 // window, outflow * 30 // window - 1,  # cash buffer edge
                 51 * net, 51 * net - 1, 51 * net + 1, net, net - 1]  # growth edge, start 0
            )  # fmt: skip
            balance = at_d - later
        mask = f"{rng.randint(0, 9999):04d}"
        name = f"Card {account[-2:]}"
        accounts.append(
            AccountRow(account, type_, subtype, name, mask, balance, limit, min_payment, overdue)
        )
    rng.shuffle(accounts)

    indexed = list(enumerate(rows))
    if rng.random() < 0.8:  # the readers' order; otherwise any order at all
        indexed.sort(key=lambda item: (item[1][0], item[1][1], item[0]))
    else:
        rng.shuffle(indexed)
    return accounts, [row for _, row in indexed], as_of
