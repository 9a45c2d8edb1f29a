"""Recurring merchants (subscriptions) of both lookbacks, from the charges
the pass gathered by merchant name."""

from operator import itemgetter

from app.services.insights.days import day_number, median_of_sorted
from app.services.insights.rows import TxnRow
from app.services.insights.signal_types import RecurringMerchant

_MERCHANT_KEYS: dict[str, str] = {}
_MAX_CACHED_KEYS = 100_000

_timestamp = itemgetter(1)
_amount = itemgetter(2)


def merchant_key(name: str) -> str:
    """`name` lower-cased, runs of whitespace made one space, ends trimmed
    ("" for a name of only whitespace, which then has no key). Cached: the
    same merchant names recur for every user."""
    key = _MERCHANT_KEYS.get(name)
    if key is None:
        if len(_MERCHANT_KEYS) >= _MAX_CACHED_KEYS:
            _MERCHANT_KEYS.clear()
        key = _MERCHANT_KEYS[name] = " ".join(name.lower().split())
    return key


def cadence_of(gap: float) -> str | None:
    """The cadence whose range holds the median gap `gap` (days), if any."""
    if 5 <= gap <= 9:
        return "weekly"
    if 12 <= gap <= 16:
        return "biweekly"
    if 26 <= gap <= 35:
        return "monthly"
    return None


def recurring_merchant(key: str, charges: list[TxnRow], as_of_day: int) -> RecurringMerchant | None:
    """The merchant `key` as a recurring merchant, when its `charges` (the
    settled qualifying rows of one lookback, in any order) make it one."""
    count = len(charges)
    if count < 3:
        return None
    # Amounts first: they reject most everyday merchants. Every charge within
    # max(10 % of the median m, 100 cents) of m means that any two charges
    # differ by at most 200 cents or lie in [0.9 m, 1.1 m] (ratio ≤ 11/9):
    # three charges that break both reject the merchant before any sorting.
    first, second, third = charges[0][2], charges[1][2], charges[2][2]
    low, high = min(first, second, third), max(first, second, third)
    if high - low > 200 and 9 * high > 11 * low:
        return None
    amounts = sorted(map(_amount, charges))
    half, odd = divmod(count, 2)
    # Twice the median, an integer, so that the 10 % test is exact.
    median2 = 2 * amounts[half] if odd else amounts[half - 1] + amounts[half]
    spread2 = max(2 * amounts[-1] - median2, median2 - 2 * amounts[0])
    if spread2 > 200 and spread2 * 10 > median2:
        return None
    # By timestamp. Stable: on a tie the later row in input order counts as
    # the latest, though ties never reach a result (two charges on one day
    # make a gap of 0, which no cadence's tolerance accepts).
    charges = sorted(charges, key=_timestamp)
    days = [day_number(row[1][:10]) for row in charges]
    gaps = sorted([later - earlier for earlier, later in zip(days, days[1:], strict=False)])
    gap = median_of_sorted(gaps)
    cadence = cadence_of(gap)
    if cadence is None:
        return None
    tolerance = 2 if cadence == "weekly" else 3
    if gaps[0] < gap - tolerance or gaps[-1] > gap + tolerance:
        return None
    if as_of_day - days[-1] > gap + 5:
        return None
    last = charges[-1]
    return RecurringMerchant(
        merchant_name=last[3] or key,
        merchant_key=key,
        cadence=cadence,
        median_gap_days=gap,
        median_amount=median2 / 2,
        charge_count=count,
        last_date=last[1][:10],
    )


def _by_key(charges_by_name: dict[str, list[TxnRow]]) -> dict[str, list[TxnRow]]:
    by_key: dict[str, list[TxnRow]] = {}
    for name, charges in charges_by_name.items():
        key = merchant_key(name)
        if key:
            same = by_key.get(key)
            # Names that differ only by case or spacing are one merchant.
            by_key[key] = charges if same is None else same + charges
    return by_key


def recurring_merchants(
    recent_by_name: dict[str, list[TxnRow]],
    older_by_name: dict[str, list[TxnRow]],
    as_of_day: int,
) -> tuple[list[RecurringMerchant], list[RecurringMerchant]]:
    """The recurring merchants, by key, of the short lookback (the `recent`
    charges) and of the long one (the `recent` and `older` charges), from the
    charges gathered by merchant name."""
    recent_by_key = _by_key(recent_by_name)
    older_by_key = _by_key(older_by_name)
    short: list[RecurringMerchant] = []
    long: list[RecurringMerchant] = []
    nothing: list[TxnRow] = []
    for key in sorted(recent_by_key.keys() | older_by_key.keys()):
        recent = recent_by_key.get(key, nothing)
        older = older_by_key.get(key, nothing)
        if len(recent) + len(older) < 3:
            continue
        merchant = recurring_merchant(key, recent + older if older else recent, as_of_day)
        if merchant is not None:
            long.append(merchant)
        if older:
            merchant = recurring_merchant(key, recent, as_of_day)
        if merchant is not None:
            short.append(merchant)
    return short, long
