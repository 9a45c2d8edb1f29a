"""The anchor days of a day-of-month schedule, from the newest charges.

The anchors possible for a stream are those near (within the drift
tolerance of) every one of its charges; going back from the newest charge
while some anchor is near them all finds how far a schedule can reach.
Among the anchors left, the one the charges sit on most closely (least
squared days off, a weekend day moved to its Friday or Monday counting as
on time) is taken: only the likeliest few are scored, since every score is
a pass over the charges.
"""

from collections import Counter
from functools import lru_cache

from app.services.insights.streams.calendar import month_parts, off_schedule_cost
from app.services.insights.streams.records import SEMI_MONTHLY, Frequency
from app.services.insights.streams.schedules import MonthSchedule, Schedule, SemiMonthlySchedule

# Semi-monthly anchor days are about half a month apart.
SEMI_MONTHLY_SPACING = range(12, 19)


@lru_cache(maxsize=65_536)
def anchors_near(day: int, tolerance: int) -> frozenset[int]:
    """The days of the month (1-31) whose nearest date lies within
    `tolerance` days of `day` (cached: the same days recur for every user)."""
    return frozenset(
        anchor
        for anchor in range(1, 32)
        if abs(MonthSchedule(1, anchor, 0).locate(day)[1]) <= tolerance
    )


def month_schedule(
    days: list[int], start: int, frequency: Frequency, months: int
) -> MonthSchedule | None:
    """Day `anchor` of every `months`-th month (the months of the newest
    charge's phase), followed by the newest charges as far back as any
    anchor is; None when that is fewer than the frequency's least count."""
    tolerance = frequency.tolerance_days
    anchors = anchors_near(days[-1], tolerance)
    first = len(days) - 1
    while first > start:
        nearer = anchors & anchors_near(days[first - 1], tolerance)
        if not nearer:
            break
        anchors, first = nearer, first - 1
    if len(days) - first < frequency.min_occurrences:
        return None
    anchor = _closest_anchor(days[first:], anchors)
    month = MonthSchedule(1, anchor, 0).locate(days[-1])[0]
    return MonthSchedule(months, anchor, month % months)


def semi_monthly_schedule(days: list[int], start: int) -> SemiMonthlySchedule | None:
    """Two anchor days 12-18 days apart, one near each of the two newest
    charges (one step apart), followed by the charges as far back as any
    such pair is."""
    tolerance = SEMI_MONTHLY.tolerance_days
    pairs = {
        (min(newest, second), max(newest, second))
        for newest in anchors_near(days[-1], tolerance)
        for second in anchors_near(days[-2], tolerance)
        if abs(newest - second) in SEMI_MONTHLY_SPACING
    }
    first = len(days) - 2
    while first > start and pairs:
        near = anchors_near(days[first - 1], tolerance)
        kept = {pair for pair in pairs if pair[0] in near or pair[1] in near}
        if not kept:
            break
        pairs, first = kept, first - 1
    if not pairs or len(days) - first < SEMI_MONTHLY.min_occurrences:
        return None
    window = days[first:]
    reference = min(pairs)
    tries = pairs
    if len(pairs) > 1:
        probe = SemiMonthlySchedule(*reference)
        offsets: tuple[list[int], list[int]] = ([], [])
        for day in window:
            slot, deviation = probe.locate(day)
            offsets[slot % 2].append(deviation)
        lows = [reference[0] + guess for guess in _guesses(offsets[0])]
        highs = [reference[1] + guess for guess in _guesses(offsets[1])]
        tries = {(low, high) for low in lows for high in highs} & pairs or pairs
    return min(
        (SemiMonthlySchedule(*pair) for pair in tries),
        key=lambda schedule: (_cost(schedule, window), schedule.anchors),
    )


def _closest_anchor(days: list[int], anchors: frozenset[int]) -> int:
    """The anchor among `anchors` (each near every one of `days`) that the
    days sit on most closely; the lower day on a tie."""
    if len(anchors) == 1:
        return next(iter(anchors))
    # Most streams fall on one day of the month every time: that day.
    day_of_month = month_parts(days[0])[1]
    if day_of_month in anchors and all(month_parts(day)[1] == day_of_month for day in days):
        return day_of_month
    reference = min(anchors)
    probe = MonthSchedule(1, reference, 0)
    offsets = [probe.locate(day)[1] for day in days]
    tries = sorted({reference + guess for guess in _guesses(offsets)} & anchors or anchors)
    if len(tries) == 1:
        return tries[0]
    if tries[-1] <= _NEVER_CLAMPED:
        # Moving the anchor k days moves every deviation by -k: no new pass.
        return min(tries, key=lambda anchor: _shifted_cost(days, offsets, anchor - reference))
    return min(tries, key=lambda anchor: _cost(MonthSchedule(1, anchor, 0), days))


# Anchor days every month has: a schedule on them never moves to a month's end.
_NEVER_CLAMPED = 28


def _shifted_cost(days: list[int], offsets: list[int], shift: int) -> int:
    total = 0
    for day, offset in zip(days, offsets, strict=True):
        deviation = offset - shift
        if deviation:
            total += off_schedule_cost(day, day - deviation)
    return total


def _guesses(offsets: list[int]) -> set[int]:
    """Where the anchor likely is, as offsets from a reference anchor: the
    most common offset (charges exactly on their day) and the rounded mean
    (charges drifting around it)."""
    if not offsets:
        return {0}
    mean = sum(offsets) / len(offsets)
    counts = Counter(offsets)
    mode = max(counts, key=lambda offset: (counts[offset], -abs(offset - mean), -offset))
    return {mode, round(mean)}


def _cost(schedule: Schedule, days: list[int]) -> int:
    total = 0
    for day in days:
        deviation = schedule.locate(day)[1]
        if deviation:
            total += off_schedule_cost(day, day - deviation)
    return total
