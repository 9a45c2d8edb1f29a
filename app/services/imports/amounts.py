"""Money text to integer cents, exactly: never through a float, so 0.1 is
10 cents and 1234.56 is 123456. More than two decimals that are not zero is
refused (a rate or a price per unit is not an amount of money); trailing
zeros are fine (12.3400)."""

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from app.models.types import MAX_CENTS


class BadAmount(ValueError):
    """The text is not an amount; str() says why, for a person."""


# No amount of money needs more characters; longer text is refused before
# any pattern looks at it (so no input can make matching slow).
MAX_AMOUNT_TEXT = 40


def _cents(negative: bool, whole: str, fraction: str, text: str) -> int:
    kept, extra = fraction[:2], fraction[2:]
    if extra.strip("0"):
        raise BadAmount(f"{text!r} has more than two decimals")
    cents = int(whole or "0") * 100 + int(kept.ljust(2, "0"))
    if cents > MAX_CENTS:
        raise BadAmount(f"{text!r} is too large")
    return -cents if negative else cents


# OFX: a signed number with `.` or `,` as the decimal mark; nothing else.
_OFX_AMOUNT = re.compile(r"([+-]?)([0-9]*)(?:[.,]([0-9]*))?")


# The form nearly every amount takes (-12.34, 1500.00, 7): read without the
# general patterns. Anything else, or a value over MAX_CENTS, takes the
# general path, which says why it is refused.
_PLAIN = re.compile(r"(-?)([0-9]{1,13})(?:\.([0-9]{2}))?")


def _plain_cents(text: str) -> int | None:
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    sign, whole, fraction = match.groups()
    cents = int(whole) * 100 + int(fraction or 0)
    if cents > MAX_CENTS:
        return None
    return -cents if sign else cents


def ofx_cents(text: str) -> int:
    """TRNAMT / BALAMT in cents, the sign as written."""
    if (plain := _plain_cents(text)) is not None:
        return plain
    if len(text) > MAX_AMOUNT_TEXT:
        raise BadAmount(f"{text[:MAX_AMOUNT_TEXT]!r}... is not an amount")
    match = _OFX_AMOUNT.fullmatch(text)
    if match is None or not (match.group(2) or match.group(3)):
        raise BadAmount(f"{text!r} is not a signed number")
    return _cents(match.group(1) == "-", match.group(2), match.group(3) or "", text)


# CSV: the forms bank exports use. A sign before or after, or parentheses
# for a negative; a currency symbol or code on either side; thousands
# separators in groups of three.
_CSV_AMOUNT = re.compile(
    r"(\()?\s*([-+\u2212])?\s*(?:[$€£¥]|[A-Z]{3}\s)?\s*([-+\u2212])?\s*"
    r"([0-9.,' \u00a0\u202f]*[0-9][0-9.,' \u00a0\u202f]*|[.,][0-9]+)"
    r"\s*(?:[$€£¥]|\s[A-Z]{3})?\s*([-+])?\s*(\))?"
)
_POINT_NUMBER = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.([0-9]*))?")
_COMMA_NUMBER = re.compile(r"([0-9]{1,3}(?:[. \u00a0\u202f'][0-9]{3})+|[0-9]*)(?:,([0-9]*))?")
_THOUSANDS = re.compile(r"[^0-9]")


def csv_cents(text: str, decimal: str = ".") -> int | None:
    """A CSV amount cell in cents, the sign as written; None when empty."""
    if decimal == "." and (plain := _plain_cents(text)) is not None:
        return plain
    cell = text.strip().strip("\u00a0\u202f")
    if not cell:
        return None
    if len(cell) > MAX_AMOUNT_TEXT:
        raise BadAmount(f"{cell[:MAX_AMOUNT_TEXT]!r}... is not an amount")
    match = _CSV_AMOUNT.fullmatch(cell)
    if match is None:
        raise BadAmount(f"{text!r} is not an amount")
    open_paren, sign1, sign2, number, sign3, close_paren = match.groups()
    signs = [s for s in (sign1, sign2, sign3) if s]
    if bool(open_paren) != bool(close_paren) or len(signs) > 1 or (open_paren and signs):
        raise BadAmount(f"{text!r} is not an amount")
    number = number.strip()
    parts = (_POINT_NUMBER if decimal == "." else _COMMA_NUMBER).fullmatch(number)
    if parts is None or not (parts.group(1) or parts.group(2)):
        hint = " (send decimal=, for amounts like 1.234,56)" if decimal == "." else ""
        raise BadAmount(f"{text!r} is not an amount with {decimal!r} as the decimal mark{hint}")
    negative = bool(open_paren) or (bool(signs) and signs[0] in "-\u2212")
    whole = _THOUSANDS.sub("", parts.group(1))
    return _cents(negative, whole, parts.group(2) or "", text)


def decimal_cents(value: object) -> int:
    """A JSON number read as Decimal (or int) in cents, exactly."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise BadAmount(f"{value!r} is not a number")
    amount = Decimal(value)
    if not amount.is_finite():
        raise BadAmount(f"{value!r} is not a number")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise BadAmount(f"{value} has more than two decimals")
    if abs(cents) > MAX_CENTS:
        raise BadAmount(f"{value} is too large")
    return int(cents)


def rounded_cents(value: object) -> int:
    """A JSON number in cents rounded half to even (balances: Plaid may send
    more decimals than cents)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise BadAmount(f"{value!r} is not a number")
    try:
        cents = (Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    except InvalidOperation as exc:
        raise BadAmount(f"{value!r} is not a number") from exc
    if not cents.is_finite() or abs(cents) > MAX_CENTS:
        raise BadAmount(f"{value} is out of range")
    return int(cents)
