"""OFX datetimes: YYYYMMDD[HHMM[SS[.XXX]]][[±H[.MM]][:TZ]].

No time is 00:00; no offset is UTC; an offset converts to UTC (`[-5:EST]`
is five hours behind UTC). The offset's `.MM` is minutes (`[+5.30:IST]`);
`[-05:00]` and `[-0500]`, seen in the wild, read the same way. The zone name
after `:` is only a label. Anything else, or a date that does not exist
(20120231), is refused.
"""

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

_OFX_DATETIME = re.compile(
    r"([0-9]{4})([0-9]{2})([0-9]{2})"
    r"(?:([0-9]{2})([0-9]{2})(?:([0-9]{2})(?:\.([0-9]{1,6}))?)?)?"
    r"\s*(?:\[\s*(?:([+-]?)([0-9]{1,2})(?:[.:]?([0-9]{2}))?)?\s*(?::[^\]]*)?\])?"
)


class BadDate(ValueError):
    """Not an OFX datetime; str() says why."""


def ofx_datetime(text: str) -> datetime:
    """The UTC datetime an OFX date/datetime names."""
    stripped = text.strip()
    head = stripped[:14]
    # The usual full form YYYYMMDDHHMMSS + a suffix that repeats line after
    # line (".000[-5:EST]"): the day with that suffix (its start in UTC)
    # and the time of day are each worked out once, then added. A file's
    # lines share a few hundred days and times of day, rarely a datetime.
    if len(head) == 14 and head.isascii() and head.isdigit():
        day, clock = _day(head[:8], stripped[14:]), _clock(head[8:])
        if day is not None and clock is not None:
            try:  # (not contextlib.suppress: a try costs nothing, once a line)
                return day + clock
            except OverflowError:
                pass
    return _general(stripped, text)


@lru_cache(maxsize=4096)
def _day(date: str, tail: str) -> datetime | None:
    """The start of day `date` (YYYYMMDD) in the zone that `tail` (what
    follows HHMMSS) names, in UTC, its fraction of a second added; None when
    the general reading should judge it (and say why it is refused)."""
    suffix = _suffix(tail)
    if suffix is None:
        return None
    microsecond, zone = suffix
    try:
        local = datetime.fromisoformat(date).replace(microsecond=microsecond, tzinfo=zone)
        return local if zone is UTC else local.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


@lru_cache(maxsize=4096)
def _clock(hhmmss: str) -> timedelta | None:
    """The time of day HHMMSS since midnight; None when it is none (24:00,
    a 60th minute or second: the general reading refuses it)."""
    hours, minutes, seconds = int(hhmmss[:2]), int(hhmmss[2:4]), int(hhmmss[4:])
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


@lru_cache(maxsize=256)
def _suffix(tail: str) -> tuple[int, timezone] | None:
    """(microseconds, zone) of what follows YYYYMMDDHHMMSS, or None when
    the general reading should judge it (and say why it is refused)."""
    match = _OFX_DATETIME.fullmatch("20000101000000" + tail)
    if match is None:
        return None
    fraction, sign, hours, minutes = match.group(7, 8, 9, 10)
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
    if offset >= timedelta(hours=24) or int(minutes or 0) >= 60:
        return None
    return int((fraction or "0").ljust(6, "0")), timezone(-offset if sign == "-" else offset)


@lru_cache(maxsize=8192)  # a statement repeats its dates (and datetimes are immutable)
def _general(stripped: str, text: str) -> datetime:
    return _parse(stripped, text)


def _parse(stripped: str, text: str) -> datetime:
    match = _OFX_DATETIME.fullmatch(stripped)
    if match is None:
        raise BadDate(f"{text!r} is not an OFX date (YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]])")
    year, month, day, hour, minute, second, fraction, sign, hours, minutes = match.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
    if offset >= timedelta(hours=24) or int(minutes or 0) >= 60:
        raise BadDate(f"{text!r} has an impossible UTC offset")
    try:
        local = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=timezone(-offset if sign == "-" else offset),
        )
        return local.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise BadDate(f"{text!r} is not a date that exists") from exc
