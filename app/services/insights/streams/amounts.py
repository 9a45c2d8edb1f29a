"""Which charges of a candidate stream belong to it by amount: split at
price changes, then drop the charges far from their part's median.

Amounts are magnitudes (cents > 0) in date order. Every comparison is in
integers, so that 35 % is in and 36 % is out exactly."""

from collections.abc import Sequence

# A price change needs the charges on each side within 5 % of each other.
# A run of charges is steady when (max - min) / min <= 1/20.
_STEADY = 20
# A charge more than 35 % (7/20) from its part's median is not in the stream.
_OUTLIER_NUM, _OUTLIER_DEN = 7, 20


def steady(low: int, high: int) -> bool:
    return (high - low) * _STEADY <= low


def _steady_runs(amounts: Sequence[int]) -> list[tuple[int, int, int, int]]:
    """Maximal runs of consecutive steady charges, greedily from the first:
    (start, end, low, high) with `end` exclusive."""
    runs = []
    start, count = 0, len(amounts)
    while start < count:
        low = high = amounts[start]
        end = start + 1
        while end < count:
            amount = amounts[end]
            new_low, new_high = min(low, amount), max(high, amount)
            if not steady(new_low, new_high):
                break
            low, high, end = new_low, new_high, end + 1
        runs.append((start, end, low, high))
        start = end
    return runs


def price_parts(amounts: Sequence[int]) -> list[list[int]]:
    """The charges (indices) split at price changes.

    A price change lies between two steady runs of at least two charges
    each; the newest charge alone also counts as a run (a price that has
    just changed). The charges in no such run (loose ones: a one-off spike,
    an introductory price) join the neighbouring part whose median is
    nearer. When loose charges are more than one in six (at least one is
    allowed), the amounts simply vary (a phone bill): one part."""
    count = len(amounts)
    runs = _steady_runs(amounts)
    firm = [end - start >= 2 for start, end, _, _ in runs]
    if not any(firm):
        return [list(range(count))]
    firm[-1] = True
    loose = sum(
        end - start for (start, end, _, _), is_firm in zip(runs, firm, strict=True) if not is_firm
    )
    if loose > max(1, count // 6):
        return [list(range(count))]
    # Neighbouring firm runs at one price (a spike between them) are one part.
    parts: list[list[int]] = []
    bounds: list[tuple[int, int]] = []
    for (start, end, low, high), is_firm in zip(runs, firm, strict=True):
        if not is_firm:
            continue
        if parts and steady(min(bounds[-1][0], low), max(bounds[-1][1], high)):
            parts[-1].extend(range(start, end))
            bounds[-1] = (min(bounds[-1][0], low), max(bounds[-1][1], high))
        else:
            parts.append(list(range(start, end)))
            bounds.append((low, high))
    medians = [(low + high) / 2 for low, high in bounds]
    spans = [(part[0], part[-1]) for part in parts]
    for (start, end, _, _), is_firm in zip(runs, firm, strict=True):
        if is_firm:
            continue
        for index in range(start, end):
            parts[_nearest_part(spans, medians, index, amounts[index])].append(index)
    for part in parts:
        part.sort()
    return parts


def _nearest_part(
    spans: list[tuple[int, int]], medians: list[float], index: int, amount: int
) -> int:
    """The part (number) just before `index` or just after it, whichever has
    the nearer price (the one before on a tie); a part spanning `index` wins."""
    before = after = None
    for number, (first, last) in enumerate(spans):
        if first < index:
            before = number
            if last > index:
                return number
        elif after is None:
            after = number
    if before is None:
        return after if after is not None else 0
    if after is None or abs(amount - medians[before]) <= abs(amount - medians[after]):
        return before
    return after


def members_by_amount(amounts: Sequence[int]) -> list[bool]:
    """For each charge: whether its amount lets it be part of the stream
    (within 35 % of its part's median, both ends included)."""
    keep = [True] * len(amounts)
    if steady(min(amounts), max(amounts)):  # one price: nothing is far from it
        return keep
    for part in price_parts(amounts):
        values = sorted(amounts[index] for index in part)
        half, odd = divmod(len(values), 2)
        # Twice the median, an integer: the mean of the middle two is exact.
        median2 = 2 * values[half] if odd else values[half - 1] + values[half]
        for index in part:
            if _OUTLIER_DEN * abs(2 * amounts[index] - median2) > _OUTLIER_NUM * median2:
                keep[index] = False
    return keep
