"""Numbers in sentences: money, percentages, day counts, shared by the
persona reasons and the recommendations' rationales.

Every helper rounds DOWN (floor) at the precision it shows, so a value under
a threshold never reads as the threshold (a utilization of 0.29996 is
"29 %", not "30 %") and a value at or over it never reads as under it. The
floor works on the float's shortest decimal form (`repr`), which is what the
value means: 0.29 (a 29/100 ratio) shows as 29 %, although 0.29 × 100 in
binary floating point is 28.999999999999996.
"""

from decimal import ROUND_FLOOR, Decimal


def floor_decimal(value: float, places: int = 0, shift: int = 0) -> Decimal:
    """`value` × 10**shift, floored at `places` decimals, exactly."""
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    floored = exact.scaleb(shift).quantize(Decimal(1).scaleb(-places), rounding=ROUND_FLOOR)
    return floored + 0  # no "-0"


def money(cents: float) -> str:
    """Dollars with cents from cents: 183000 → "$1,830.00", -1250 → "-$12.50"."""
    whole = cents if isinstance(cents, int) else int(floor_decimal(cents))
    dollars, rest = divmod(abs(whole), 100)
    return f"{'-' if whole < 0 else ''}${dollars:,}.{rest:02d}"


def number(value: float, places: int = 1) -> str:
    """At most `places` decimals, trailing zeros dropped: 45.5 → "45.5",
    46.0 → "46", 0.678 → "0.67" (places=2), 12345 → "12,345"."""
    return _shown(floor_decimal(value, places), places)


def percent(ratio: float, places: int = 0) -> str:
    """A ratio as a percentage: 0.61 → "61 %", 0.052 → "5.2 %" (places=1)."""
    return f"{_shown(floor_decimal(ratio, places, shift=2), places)} %"


def days(count: float) -> str:
    """A day count: 45.5 → "45.5 days", 1 → "1 day"."""
    shown = number(count, 1)
    return f"{shown} {'day' if shown == '1' else 'days'}"


def months(count: float) -> str:
    """A month count, two decimals at most: 0.678 → "0.67 months"."""
    shown = number(count, 2)
    return f"{shown} {'month' if shown == '1' else 'months'}"


def _shown(value: Decimal, places: int) -> str:
    text = f"{value:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def card_label(name: str, mask: str) -> str:
    """How a sentence names a card: "Visa ending in 9911"."""
    return f"{name} ending in {mask}"
