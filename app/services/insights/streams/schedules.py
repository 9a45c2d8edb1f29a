"""Schedules: the dates a stream is due on, numbered as slots. `locate` puts
a day on its nearest slot and says how far off it is; `day_of` gives a
slot's date. Weekly and biweekly streams step a fixed number of days from
their first occurrence; the others fall on anchor days of the month."""

from typing import Protocol

from app.services.insights.streams.calendar import anchor_day, month_parts

# A deviation no tolerance accepts: the day is on no slot of the schedule.
OFF_SCHEDULE = 1_000_000


class Schedule(Protocol):
    # Whether slots are days of the month (a slot on a weekend may be moved).
    by_month: bool

    def locate(self, day: int) -> tuple[int, int]:
        """(the slot nearest `day`, `day` minus that slot's day)."""
        ...

    def day_of(self, slot: int) -> int: ...


class StepSchedule:
    """Every `step` days from `anchor` (slot 0)."""

    by_month = False
    __slots__ = ("step", "anchor", "_half")

    def __init__(self, step: int, anchor: int) -> None:
        self.step = step
        self.anchor = anchor
        self._half = step // 2

    def locate(self, day: int) -> tuple[int, int]:
        offset = day - self.anchor
        slot = (offset + self._half) // self.step
        return slot, offset - slot * self.step

    def day_of(self, slot: int) -> int:
        return self.anchor + slot * self.step


class MonthSchedule:
    """Day `anchor` of every `months`-th month: the months whose number is
    `phase` modulo `months`. A slot is the month number divided by `months`."""

    by_month = True
    __slots__ = ("months", "anchor", "phase")

    def __init__(self, months: int, anchor: int, phase: int) -> None:
        self.months = months
        self.anchor = anchor
        self.phase = phase

    def locate(self, day: int) -> tuple[int, int]:
        # The hottest function of detection: conditional expressions, not
        # min() and abs() calls.
        month, day_of_month, length, before, after = month_parts(day)
        anchor, months, phase = self.anchor, self.months, self.phase
        # Drift is a few days: the slot is in this month or a neighbour.
        best_month, best = month, OFF_SCHEDULE
        if month % months == phase:
            best = day_of_month - (anchor if anchor < length else length)
        if (month + 1) % months == phase:
            deviation = day_of_month - length - (anchor if anchor < after else after)
            if (deviation if deviation >= 0 else -deviation) < (best if best >= 0 else -best):
                best_month, best = month + 1, deviation
        if (month - 1) % months == phase:
            deviation = day_of_month + before - (anchor if anchor < before else before)
            if (deviation if deviation >= 0 else -deviation) < (best if best >= 0 else -best):
                best_month, best = month - 1, deviation
        return best_month // months, best

    def day_of(self, slot: int) -> int:
        return anchor_day(slot * self.months + self.phase, self.anchor)


class SemiMonthlySchedule:
    """Days `first` and `second` (first < second) of every month: slot
    2 x month number for the first, one more for the second."""

    by_month = True
    __slots__ = ("anchors",)

    def __init__(self, first: int, second: int) -> None:
        self.anchors = (first, second)

    def locate(self, day: int) -> tuple[int, int]:
        month, day_of_month, length, before, after = month_parts(day)
        first, second = self.anchors
        # The nearest of: the second day of the month before, both days of
        # this month, the first day of the month after.
        best_slot = 2 * month - 1
        best = day_of_month + before - (second if second < before else before)
        for slot, deviation in (
            (2 * month, day_of_month - (first if first < length else length)),
            (2 * month + 1, day_of_month - (second if second < length else length)),
            (2 * month + 2, day_of_month - length - (first if first < after else after)),
        ):
            if (deviation if deviation >= 0 else -deviation) < (best if best >= 0 else -best):
                best_slot, best = slot, deviation
        return best_slot, best

    def day_of(self, slot: int) -> int:
        month, half = divmod(slot, 2)
        return anchor_day(month, self.anchors[half])
