"""Recurring merchants (subscriptions) from the charges of one lookback."""

from app.services.insights.days import day_number, median_of_sorted
from app.services.insights.rows import TxnRow
from app.services.insights.signal_types import RecurringMerchant

_MERCHANT_KEYS: dict[str, str] = {}
_MAX_CACHED_KEYS = 100_000


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
    settled qualifying rows of one lookback, in input order) make it one."""
    count = len(charges)
    if count < 3:
        return None
    # Amounts first: cheap, and what rejects most everyday merchants.
    amounts = sorted([row[2] for row in charges])
    half, odd = divmod(count, 2)
    # Twice the median, an integer, so the 10 % test is exact.
    median2 = 2 * amounts[half] if odd else amounts[half - 1] + amounts[half]
    spread2 = max(2 * amounts[-1] - median2, median2 - 2 * amounts[0])
    if spread2 > 200 and spread2 * 10 > median2:
        return None
    # Stable sort by timestamp: on a tie the later row in input order stays last.
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


def _timestamp(row: TxnRow) -> str:
    return row[1]


def recurring_merchants(
    charges_by_key: dict[str, list[TxnRow]], since: str | None, as_of_day: int
) -> list[RecurringMerchant]:
    """Every recurring merchant, by key. `since` drops the charges dated
    before it (the shorter lookback); None keeps them all."""
    found = []
    for key in sorted(charges_by_key):
        charges = charges_by_key[key]
        if since is not None:
            charges = [row for row in charges if row[1] >= since]
        merchant = recurring_merchant(key, charges, as_of_day)
        if merchant is not None:
            found.append(merchant)
    return found
