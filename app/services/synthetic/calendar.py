"""The seeding window and the dates inside it."""

import calendar
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache

DAYS_PER_MONTH = 30.44
# Offsets from midnight of the minutes shops are open (07:00-21:59).
DAYTIME = tuple(timedelta(minutes=m) for m in range(7 * 60, 22 * 60))


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Window:
    """The days covered by the data: `start` and `end` (the as-of day) included."""

    start: date
    end: date

    @classmethod
    def ending(cls, as_of: date, months: int) -> "Window":
        return cls(add_months(as_of, -months) + timedelta(days=1), as_of)

    @cached_property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @cached_property
    def months(self) -> float:
        return self.days / DAYS_PER_MONTH

    @property
    def first_instant(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def random_day(self, rng: random.Random) -> date:
        return self.start + timedelta(days=int(rng.random() * self.days))

    @cached_property
    def midnights(self) -> tuple[datetime, ...]:
        first = self.first_instant
        return tuple(first + timedelta(days=d) for d in range(self.days))

    def random_daytime(self, rng: random.Random) -> datetime:
        """A daytime instant (07:00-21:59) on a random day of the window."""
        r = rng.random
        return self.midnights[int(r() * self.days)] + DAYTIME[int(r() * len(DAYTIME))]

    def monthly(self, day_of_month: int) -> list[date]:
        """The given day of every month that falls inside the window (clamped
        to short months, so day 31 is the last day of each month)."""
        return list(_monthly(self, day_of_month))


@lru_cache(maxsize=256)
def _monthly(window: Window, day_of_month: int) -> tuple[date, ...]:
    days: list[date] = []
    cursor = date(window.start.year, window.start.month, 1)
    while cursor <= window.end:
        last = calendar.monthrange(cursor.year, cursor.month)[1]
        day = cursor.replace(day=min(day_of_month, last))
        if window.contains(day):
            days.append(day)
        cursor = add_months(cursor, 1)
    return tuple(days)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def shopping_time(day: date, rng: random.Random) -> datetime:
    """A daytime instant (07:00-21:59) on `day`."""
    return at(day, 0) + DAYTIME[int(rng.random() * len(DAYTIME))]
