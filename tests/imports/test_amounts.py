"""Exact cents from money text, for every format."""

from decimal import Decimal

import pytest

from app.services.imports.amounts import (
    BadAmount,
    csv_cents,
    decimal_cents,
    ofx_cents,
    rounded_cents,
)


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12.34", 1234), ("-12.34", -1234), ("+12", 1200), ("12,34", 1234), (".5", 50),
     ("5.", 500), ("0.10", 10), ("-0.1", -10), ("12.3400", 1234), ("007", 700)],
)  # fmt: skip
def test_ofx(text: str, cents: int) -> None:
    assert ofx_cents(text) == cents


@pytest.mark.parametrize(
    "text", ["$120", "1,234.56", "12.345", "1e3", "-", ".", "", " 1", "1 000", "12.3.4", "9" * 41]
)
def test_ofx_refused(text: str) -> None:
    with pytest.raises(BadAmount):
        ofx_cents(text)


@pytest.mark.parametrize(
    ("text", "decimal", "cents"),
    [
        ("1,234.56", ".", 123456), ("-1234.56", ".", -123456), ("(1,234.56)", ".", -123456),
        ("$12.00", ".", 1200), ("-$12.00", ".", -1200), ("$-12.00", ".", -1200),
        ("12.00-", ".", -1200), ("+3", ".", 300), ("USD 5.25", ".", 525), ("5.25 USD", ".", 525),
        ("1,234,567.8", ".", 123456780), (".99", ".", 99), ("\u22124.50", ".", -450),
        ("1.234,56", ",", 123456), ("-1.234,56", ",", -123456), ("4,50", ",", 450),
        ("1 234,56", ",", 123456), ("1\u00a0234,56", ",", 123456), ("€ 12,00", ",", 1200),
        ("12,00 €", ",", 1200), ("(7,5)", ",", -750), ("  3.10  ", ".", 310),
    ],
)  # fmt: skip
def test_csv(text: str, decimal: str, cents: int) -> None:
    assert csv_cents(text, decimal) == cents


def test_csv_empty_is_none() -> None:
    assert (csv_cents(""), csv_cents("  ")) == (None, None)


@pytest.mark.parametrize(
    ("text", "decimal"),
    [("12,34", "."), ("1.234,56", "."), ("1,23.45", "."), ("12.345", "."), ("abc", "."),
     ("(12", "."), ("-(12)", "."), ("--12", "."), ("1,234.56", ","), ("12,345", ","),
     ("1" * 41, ".")],
)  # fmt: skip
def test_csv_refused(text: str, decimal: str) -> None:
    with pytest.raises(BadAmount):
        csv_cents(text, decimal)


def test_csv_refusal_suggests_the_decimal_option() -> None:
    with pytest.raises(BadAmount, match=r"send decimal=, for amounts like 1\.234,56"):
        csv_cents("1.234,56")


@pytest.mark.parametrize(
    ("value", "cents"),
    [(Decimal("0.1"), 10), (Decimal("72.10"), 7210), (12, 1200), (Decimal("-2500"), -250000),
     (Decimal("1E+2"), 10000), (Decimal("0.30"), 30)],
)  # fmt: skip
def test_decimal_exact(value: Decimal | int, cents: int) -> None:
    assert decimal_cents(value) == cents


@pytest.mark.parametrize(
    "value", [Decimal("12.345"), Decimal("NaN"), Decimal("Infinity"), 0.1, "1.00", True, None,
              Decimal("1E+20")],
)  # fmt: skip
def test_decimal_refused(value: object) -> None:
    with pytest.raises(BadAmount):
        decimal_cents(value)


@pytest.mark.parametrize(
    ("value", "cents"),
    [(Decimal("410.005"), 41000), (Decimal("410.015"), 41002), (Decimal("410.125"), 41012),
     (Decimal("23631.9805"), 2363198), (Decimal("-0.005"), 0), (7, 700)],
)  # fmt: skip
def test_rounded_half_to_even(value: Decimal | int, cents: int) -> None:
    assert rounded_cents(value) == cents


@pytest.mark.parametrize(
    ("text", "cents"),
    [("0.00", 0), ("-0.00", 0), ("10000000000.00", 1_000_000_000_000), ("-7", -700),
     ("0012.05", 1205)],
)  # fmt: skip
def test_plain_amounts_read_the_same_in_every_format(text: str, cents: int) -> None:
    """The fast path of the usual form agrees with the general one."""
    assert ofx_cents(text) == csv_cents(text) == cents


@pytest.mark.parametrize("text", ["10000000000.01", "-10000000000.01", "9999999999999"])
def test_plain_amounts_over_the_limit_are_refused(text: str) -> None:
    with pytest.raises(BadAmount, match="too large"):
        ofx_cents(text)
    with pytest.raises(BadAmount, match="too large"):
        csv_cents(text)
