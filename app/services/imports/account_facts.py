"""Rules every format shares for what a new account gets."""

import re

_NOT_DIGIT = re.compile(r"[^0-9]")
_CURRENCY = re.compile(r"[A-Z]{3}")
MAX_NAME = 200  # the accounts.name column


def mask_of(number: str | None) -> str:
    """The last four digits of an account number, left-padded with 0 ("0000"
    when it has none)."""
    return _NOT_DIGIT.sub("", number or "")[-4:].rjust(4, "0")


def currency_or_usd(code: str | None, warnings: list[str], where: str) -> str:
    """An ISO 4217 code; USD with a warning when there is none or it is not
    three letters."""
    if code and _CURRENCY.fullmatch(code.strip().upper()):
        return code.strip().upper()
    said = f"{code!r} is not a currency code" if code else "no currency given"
    warnings.append(f"{where}: {said}; USD assumed")
    return "USD"


def short_name(name: str) -> str:
    return name[:MAX_NAME]
