"""Fitting a schedule to one merchant's charges: which frequency, which
anchor days, which charges are occurrences.

The charges of a group are in date order as day numbers. A stream ends with
the group's newest charge and reaches back as far as its schedule holds:
every charge in it sits on its own scheduled date (within the drift
tolerance), consecutive charges are one or two steps apart, the amounts
keep to their parts (amounts.py; a charge that does not counts as a
missing occurrence) and missing occurrences are at least six steps apart
(so never two in a row, at most one in any six). Where the schedule stops
holding, the stream starts after that point; a charge off the schedule in
the middle of a stream therefore leaves only the part after it.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from app.services.insights.streams.amounts import members_by_amount, steady
from app.services.insights.streams.anchors import month_schedule, semi_monthly_schedule
from app.services.insights.streams.calendar import off_schedule_cost
from app.services.insights.streams.records import FREQUENCIES, SEMI_MONTHLY, Frequency
from app.services.insights.streams.schedules import Schedule, StepSchedule

# Missing occurrences closer than this many steps are too many.
MISSING_SPACING = 6
# A young stream (fewer occurrences than this) after other charges of the
# merchant is the tail of a denser habit, not a stream: see _habit_tail.
YOUNG_OCCURRENCES = 6
# Bounds that keep a group's cost O(n log n) whatever its rows: how many
# earlier episodes a young stream may look back through, and how many times
# a fit may move its start (real data settles in one or two; a group that
# does not settle within the bound has no stream).
MAX_EPISODES = 2
MAX_REFITS = 8
# The most days one semi-monthly step spans (19, drifting 3 days at each end).
SEMI_MONTHLY_STEP_GAP = 25
_MONTHS = {"monthly": 1, "quarterly": 3, "semi_annually": 6, "annually": 12}
_STEPS = {"weekly": 7, "biweekly": 14}

# The days of the merchant's charges on the user's other accounts.
Elsewhere = Callable[[], Sequence[int]]
# Builds a schedule given the day of the stream's first occurrence (which
# only weekly and biweekly schedules depend on).
ScheduleFor = Callable[[int], Schedule]


@dataclass(frozen=True, slots=True)
class Fit:
    frequency: Frequency
    schedule: Schedule
    # The first charge (index) of the stretch the schedule holds for.
    start: int
    # The occurrences (indices into the group, date order), their slots and
    # their days off those slots.
    members: list[int]
    slots: list[int]
    deviations: list[int]
    missing: int
    # Σ squared days off schedule (a weekend day moved to Friday or Monday is
    # on time): calendar.off_schedule_cost.
    cost: int

    def rank(self) -> tuple[int, int, int, int]:
        """Smaller is better: most occurrences, fewest missing, closest to
        the schedule, then the shorter period."""
        order = FREQUENCIES.index(self.frequency)
        return (-len(self.members), self.missing, self.cost, order)


def fit_stream(
    days: list[int], amounts: list[int], elsewhere: Elsewhere = lambda: ()
) -> Fit | None:
    """The best stream among the charges of one group (day numbers and
    amount magnitudes in date order), or None. `elsewhere()`: the days of
    the same merchant's charges (same direction) on the user's other
    accounts, in order: evidence of a habit for a young stream, asked for
    only then."""
    if len(days) < 2:
        return None
    best: Fit | None = None
    for frequency in frequencies_after(days[-1] - days[-2]):
        fit = _stream_of(days, amounts, frequency, elsewhere, best)
        if fit is not None and (best is None or fit.rank() < best.rank()):
            best = fit
    return best


def frequencies_after(gap: int) -> tuple[Frequency, ...]:
    """The frequencies whose stream can have `gap` days between its two
    newest charges (none for most gaps of everyday shopping)."""
    return _BY_GAP[gap] if 0 <= gap < len(_BY_GAP) else ()


_BY_GAP = [
    tuple(frequency for frequency in FREQUENCIES if frequency.fits_gap(gap))
    for gap in range(max(frequency.gaps[1].stop for frequency in FREQUENCIES))
]


def _stream_of(
    days: list[int],
    amounts: list[int],
    frequency: Frequency,
    elsewhere: Elsewhere,
    rival: Fit | None = None,
    episodes: int = MAX_EPISODES,
) -> Fit | None:
    """The stream of `frequency` ending with the newest charge, unless it is
    a habit's tail or cannot rank above `rival` (a fit of a shorter period).
    `episodes`: how many earlier episodes its habit test may look through."""
    fit = _fit_frequency(days, amounts, frequency, rival)
    if fit is None or _habit_tail(fit, days, amounts, elsewhere, episodes):
        return None
    return fit


def _fit_frequency(
    days: list[int], amounts: list[int], frequency: Frequency, rival: Fit | None = None
) -> Fit | None:
    """The stream of `frequency` that ends with the newest charge, if any."""
    count = len(days)
    least = frequency.min_occurrences
    if count < least:
        return None
    last_gap = days[-1] - days[-2]
    if not frequency.fits_gap(last_gap):
        return None
    # Semi-monthly anchors come from the two newest charges: one step apart.
    if frequency is SEMI_MONTHLY and last_gap > SEMI_MONTHLY_STEP_GAP:
        return None
    # The least stream's newest gaps are single steps, but for one missing.
    one_step = frequency.gaps[0]
    singles = sum(later - earlier in one_step for earlier, later in pairwise(days[-least - 1 :]))
    if singles < least - 1:
        return None
    start = _reach_start(days, frequency)
    most = count - start  # occurrences at most
    if most < least or (rival is not None and _outranks(rival, most)):
        return None
    best: Fit | None = None
    for schedule_for in _schedules(days, start, frequency):
        fit = _fit(days, amounts, start, frequency, schedule_for)
        if fit is not None and (best is None or fit.rank() < best.rank()):
            best = fit
    return best


def _outranks(rival: Fit, most: int) -> bool:
    """Whether `rival` ranks above any fit of a longer period with at most
    `most` occurrences (ties go to the shorter period)."""
    members = len(rival.members)
    return most < members or (most == members and rival.missing == 0 and rival.cost == 0)


def _reach_start(days: list[int], frequency: Frequency) -> int:
    """The first charge of the newest stretch whose consecutive gaps could
    all be one or two steps of `frequency`: no stream reaches further."""
    start = len(days) - 1
    while start > 0 and frequency.fits_gap(days[start] - days[start - 1]):
        start -= 1
    return start


def _habit_tail(
    fit: Fit, days: list[int], amounts: list[int], elsewhere: Elsewhere, episodes: int
) -> bool:
    """Whether the stream is the tail of a denser habit rather than a stream.

    Visits to a shop every few days or every few months fall into a
    regular-looking pattern now and then; real streams rarely share their
    merchant with other charges. So besides the contract's rule (no other
    charge between the stream's dates, which the fit keeps), a young stream
    (fewer than 6 occurrences) is a habit's tail when the merchant has an
    earlier charge in the account before the stretch the schedule holds for
    (a charge on the slot before the first occurrence at another price, a
    trial, is in it), unless those charges end in a stream of the same
    frequency themselves (an earlier episode: a subscription cancelled and
    taken up again); or a charge on another account, up to the last
    occurrence, off this stream's schedule (a pay split over two accounts
    stays on it)."""
    frequency = fit.frequency
    if len(fit.members) >= YOUNG_OCCURRENCES:
        return False
    last_day = days[fit.members[-1]]
    for day in elsewhere():
        if day > last_day:
            break
        if abs(fit.schedule.locate(day)[1]) > frequency.tolerance_days:
            return True
    start = fit.start
    if start == 0:
        return False
    if episodes == 0:
        return True
    earlier = _stream_of(days[:start], amounts[:start], frequency, elsewhere, None, episodes - 1)
    return earlier is None


def _schedules(days: list[int], start: int, frequency: Frequency) -> Iterator[ScheduleFor]:
    step = _STEPS.get(frequency.name)
    if step is not None:
        yield lambda first: StepSchedule(step, first)
        return
    schedule: Schedule | None
    if frequency is SEMI_MONTHLY:
        schedule = semi_monthly_schedule(days, start)
    else:
        schedule = month_schedule(days, start, frequency, _MONTHS[frequency.name])
    if schedule is not None:
        yield lambda _first: schedule


def _fit(
    days: list[int],
    amounts: list[int],
    start: int,
    frequency: Frequency,
    schedule_for: ScheduleFor,
) -> Fit | None:
    """The stream of `frequency` in the charges from `start` on, moving the
    start later until every rule holds (None when too few charges remain or
    it has not settled after MAX_REFITS moves)."""
    count = len(days)
    tolerance = frequency.tolerance_days
    for _ in range(MAX_REFITS):
        if count - start < frequency.min_occurrences:
            return None
        is_member = members_by_amount(amounts[start:])
        if True not in is_member:
            return None
        first = start + is_member.index(True)
        schedule = schedule_for(days[first])
        # The latest charge that breaks the schedule: the stream starts after it.
        cut = start
        slots: list[int] = []
        deviations: list[int] = []
        previous: int | None = None
        for index in range(start, count):
            slot, deviation = schedule.locate(days[index])
            if -tolerance <= deviation <= tolerance:
                if previous is not None and not 0 < slot - previous <= 2:
                    cut = index
                previous = slot
            else:
                cut, previous = index + 1, None
            slots.append(slot)
            deviations.append(deviation)
        if cut > start:
            start = cut
            continue
        member_slots = [slot for slot, member in zip(slots, is_member, strict=True) if member]
        crowded = _crowded_missing(member_slots)
        if crowded is not None:
            start += next(k for k, slot in enumerate(slots) if slot > crowded)
            continue
        members = [start + k for k, member in enumerate(is_member) if member]
        missing = member_slots[-1] - member_slots[0] + 1 - len(members)
        if not _enough(members, missing, amounts, frequency):
            return None
        member_deviations = [deviations[index - start] for index in members]
        cost = 0
        for index, deviation in zip(members, member_deviations, strict=True):
            if deviation:
                cost += off_schedule_cost(days[index], days[index] - deviation)
        return Fit(
            frequency, schedule, start, members, member_slots, member_deviations, missing, cost
        )
    return None


def _enough(members: list[int], missing: int, amounts: list[int], frequency: Frequency) -> bool:
    """Whether the occurrences are evidence enough for a stream: the
    contract's least number of them, one more when one is missing (three
    visits to a shop in four months are not yet a monthly stream); and one
    price (within 5 %) where the schedule has only one date left to check
    once it is fitted: two quarterly or longer charges (one fixes the day),
    three semi-monthly ones (two fix the days). Two visits to a pharmacy
    three months apart are not a stream."""
    count = len(members)
    needed = frequency.min_occurrences + (1 if missing else 0)
    if count < needed:
        return False
    if count > (3 if frequency is SEMI_MONTHLY else 2):
        return True
    prices = [amounts[index] for index in members]
    return steady(min(prices), max(prices))


def _crowded_missing(member_slots: list[int]) -> int | None:
    """The earlier of the newest two missing slots that lie closer than six
    steps (None when the missing ones are far enough apart)."""
    crowded = last_missing = None
    for earlier, later in pairwise(member_slots):
        for slot in range(earlier + 1, later):
            if last_missing is not None and slot - last_missing < MISSING_SPACING:
                crowded = last_missing
            last_missing = slot
    return crowded
