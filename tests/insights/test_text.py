"""Formatting helpers: floor at the shown precision, never up across a threshold."""

from collections.abc import Callable

import pytest

from app.services.insights.text import card_label, days, money, months, number, percent


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (183_000, "$1,830.00"), (0, "$0.00"), (1, "$0.01"), (-1250, "-$12.50"), (-1, "-$0.01"),
        (123_456_789_012, "$1,234,567,890.12"), (4999.6, "$49.99"), (4999.99999, "$49.99"),
        (5000.0, "$50.00"), (3850.0000000000005, "$38.50"), (0.4, "$0.00"), (-0.5, "-$0.01"),
    ],
)  # fmt: skip
def test_money(cents: float, text: str) -> None:
    assert money(cents) == text


@pytest.mark.parametrize(
    ("ratio", "places", "text"),
    [
        (0.61, 0, "61 %"), (0.29996, 0, "29 %"), (0.29, 0, "29 %"), (0.3, 0, "30 %"),
        (0.4999, 0, "49 %"), (0.5, 0, "50 %"), (1.2, 0, "120 %"), (0.0, 0, "0 %"),
        (0.0199, 1, "1.9 %"), (0.02, 1, "2 %"), (0.052, 1, "5.2 %"), (0.0999, 1, "9.9 %"),
        (12.5, 0, "1,250 %"), (-0.051, 0, "-6 %"),
    ],
)  # fmt: skip
def test_percent_floors(ratio: float, places: int, text: str) -> None:
    assert percent(ratio, places) == text


def test_numbers_days_and_months() -> None:
    assert number(45.5) == "45.5"
    assert number(46.0) == "46"
    assert number(12_345.678, 2) == "12,345.67"
    assert days(45.5) == "45.5 days"
    assert days(1) == "1 day"
    assert days(45) == "45 days"
    assert months(0.999) == "0.99 months"
    assert months(0.67) == "0.67 months"
    assert months(1.0) == "1 month"


def test_below_a_threshold_never_reads_as_it() -> None:
    # Every value just under a threshold shows under it.
    cases: list[tuple[float, float, Callable[[float], str]]] = [
        (0.49999999, 0.5, percent), (0.29999999, 0.3, percent), (0.99999, 1.0, months),
        (4999.999, 5000, money), (19_999.9999, 20_000, money),
    ]  # fmt: skip
    for value, threshold, shown in cases:
        assert shown(value) != shown(threshold)


def test_card_label() -> None:
    assert card_label("Visa", "9911") == "Visa ending in 9911"
