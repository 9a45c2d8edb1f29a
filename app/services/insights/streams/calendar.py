"""Calendar arithmetic on day numbers (proleptic ordinals, as
`date.toordinal()`): the month a day lies in, an anchor day of a month, and
weekdays, each a cached lookup so that no row is turned into a date twice."""

from calendar import monthrange
from datetime import date
from functools import lru_cache

SATURDAY, SUNDAY = 5, 6


def weekday(day: int) -> int:
    """Monday 0 ... Sunday 6 (ordinal 1, 0001-01-01, was a Monday)."""
    return (day - 1) % 7


@lru_cache(maxsize=65_536)
def month_parts(day: int) -> tuple[int, int, int, int, int]:
    """(month number, day of the month, days in the month, days in the month
    before, days in the month after) of `day`: what placing it on a
    day-of-month schedule takes, in one cached lookup."""
    value = date.fromordinal(day)
    year, month = value.year, value.month
    before = monthrange(year - (month == 1), (month - 2) % 12 + 1)[1]
    after = monthrange(year + (month == 12), month % 12 + 1)[1]
    return year * 12 + month - 1, value.day, monthrange(year, month)[1], before, after


@lru_cache(maxsize=65_536)
def anchor_day(month: int, anchor: int) -> int:
    """The day number of day `anchor` (1-31) of month number `month`, clamped
    to the month's last day (an anchor of 31 is February's 28th or 29th)."""
    year, month_zero = divmod(month, 12)
    last = monthrange(year, month_zero + 1)[1]
    return date(year, month_zero + 1, min(anchor, last)).toordinal()


def off_weekend(day: int, shift: str) -> int:
    """`day` moved off a weekend: to the Friday before (`before`), the Monday
    after (`after`), or left where it is (`stay`, or a weekday)."""
    week_day = weekday(day)
    if week_day < SATURDAY or shift == "stay":
        return day
    if shift == "before":
        return day - (week_day - 4)
    return day + (7 - week_day)


def off_schedule_cost(day: int, scheduled: int) -> int:
    """The square of the days `day` is off its `scheduled` day, where the
    Friday before and the Monday after a weekend day count as on time (a
    payment moved off the weekend is neither late nor early). Squares pick
    the anchor in the middle of drifting dates (as a mean does), which
    predicts the next one best."""
    if day == scheduled:
        return 0
    if weekday(scheduled) >= SATURDAY and day in (
        off_weekend(scheduled, "before"),
        off_weekend(scheduled, "after"),
    ):
        return 0
    return (day - scheduled) ** 2
