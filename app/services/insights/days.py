"""Day numbers and medians: the little arithmetic the signals share."""

from datetime import date

_DAY_NUMBERS: dict[str, int] = {}
# A day number per distinct date text; bounded so that a long-running
# process with years of dates cannot grow it without end.
_MAX_CACHED_DAYS = 20_000


def day_number(day_text: str) -> int:
    """Proleptic ordinal of a `YYYY-MM-DD` text, cached: the same few hundred
    dates recur for every user, and parsing each one again would dominate."""
    number = _DAY_NUMBERS.get(day_text)
    if number is None:
        if len(_DAY_NUMBERS) >= _MAX_CACHED_DAYS:
            _DAY_NUMBERS.clear()
        number = _DAY_NUMBERS[day_text] = date.fromisoformat(day_text).toordinal()
    return number


def median_of_sorted(values: list[int]) -> float:
    """The middle value, or the mean of the two middle values (even count).
    `values` is sorted and not empty."""
    half, odd = divmod(len(values), 2)
    if odd:
        return float(values[half])
    return (values[half - 1] + values[half]) / 2
