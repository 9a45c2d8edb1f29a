"""CSV dates: YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY, M/D/YY, DD.MM.YYYY and
DD-MM-YYYY (a time after the date is ignored), or the request's strftime
`date_format`.

Slash and dash dates can be month-first or day-first. The file decides: a
date whose first number is over 12 makes the file day-first, one whose
second is makes it month-first; when every date reads both ways, month-first
is taken and a warning says so. Dot dates are always day-first (no one
writes MM.DD.YYYY). Two-digit years are 1969-2068, as strptime's %y.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EITHER = re.compile(r"(\d{1,2})([/-])(\d{1,2})[/-](\d{4}|\d{2})" + _TIME)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})" + _TIME)


class BadDate(ValueError):
    """Not a date; str() says why."""


MAX_DATE_TEXT = 40  # longer cells are refused before any pattern runs


@dataclass(slots=True)
class DateOrder:
    """What the slash and dash dates of a file say about their order."""

    month_first: bool = False  # some date only reads month-first
    day_first: bool = False  # some date only reads day-first
    ambiguous: bool = False  # some date reads both ways, differently

    def see(self, cell: str) -> None:
        match = _EITHER.fullmatch(cell.strip()) if len(cell) <= MAX_DATE_TEXT else None
        if match is None:
            return
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 >= second:
            self.day_first = True
        elif second > 12 >= first:
            self.month_first = True
        elif first != second:
            self.ambiguous = True

    @property
    def reads_day_first(self) -> bool:
        return self.day_first and not self.month_first

    @property
    def warning(self) -> str | None:
        if self.ambiguous and not (self.day_first or self.month_first):
            return (
                "every date reads both as month-first and day-first: month-first (MM/DD/YYYY) "
                "was taken; send date_format to choose"
            )
        return None


def _year(text: str) -> int:
    if len(text) == 4:
        return int(text)
    short = int(text)
    return 2000 + short if short < 69 else 1900 + short


def _made(year: int, month: int, day: int, cell: str) -> datetime:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError as exc:
        raise BadDate(f"{cell!r} is not a date that exists") from exc


@lru_cache(maxsize=8192)  # a file repeats its dates
def csv_date(cell: str, day_first: bool, date_format: str | None = None) -> datetime:
    """The date a cell names, 00:00 UTC (with date_format: as parsed, UTC)."""
    text = cell.strip()
    if len(text) > MAX_DATE_TEXT:
        raise BadDate(f"{text[:MAX_DATE_TEXT]!r}... is not a date")
    if date_format is not None:
        try:
            parsed = datetime.strptime(text, date_format)
        except ValueError as exc:
            raise BadDate(f"{cell!r} does not match date_format {date_format!r}") from exc
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    if match := _ISO.fullmatch(text) or _COMPACT.fullmatch(text):
        return _made(int(match.group(1)), int(match.group(2)), int(match.group(3)), cell)
    if match := _EITHER.fullmatch(text):
        first, second = int(match.group(1)), int(match.group(3))
        month, day = (second, first) if day_first else (first, second)
        return _made(_year(match.group(4)), month, day, cell)
    if match := _DOTTED.fullmatch(text):
        return _made(_year(match.group(3)), int(match.group(2)), int(match.group(1)), cell)
    raise BadDate(
        f"{cell!r} is not a date (YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY, M/D/YY, DD.MM.YYYY, "
        "DD-MM-YYYY; or send date_format)"
    )
