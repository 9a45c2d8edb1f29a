"""The console's charts as SVG geometry, computed on the server: no chart
library, no script, nothing to fetch. Pure functions over numbers; the
templates draw the shapes (and a text table of the same numbers beside
each chart, for screen readers and for anyone who prefers to read).

Coordinates are in the SVG's own units (a viewBox): the chart scales with
the page, down to 360 px wide.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from app.services.insights.text import money

# The card utilization bands the console marks (the personas' own levels).
UTILIZATION_MARKS = (0.30, 0.50, 0.80)


def _r(value: float) -> float:
    """A coordinate to a tenth of a unit: what the SVG needs, and short to write."""
    return round(value, 1)


@dataclass(frozen=True, slots=True)
class Bar:
    """Coordinates rounded to a tenth (_r)."""

    x: float
    y: float
    width: float
    height: float
    label: str  # what the bar stands for
    value: str  # its value, as text (the title a pointer shows)
    kind: str = ""  # a CSS class: in / out


@dataclass(frozen=True, slots=True)
class Axis:
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[Bar]  # x-axis (or row) labels: x, y place the text
    axes: list[Axis]
    values: list[Bar]  # the values written beside the bars: x, y place the text


def _nice_top(largest: int) -> int:
    """A round ceiling for the scale: 1, 2 or 5 times a power of ten (cents)."""
    if largest <= 0:
        return 100
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= largest:
                return step * factor
        step *= 10


def horizontal_bars(items: Sequence[tuple[str, int]], width: int = 600) -> Chart:
    """One bar per (label, cents), largest first as given: labels left, bars right."""
    row, label_width, top = 28, 200, _nice_top(max((v for _, v in items), default=0))
    scale = (width - label_width - 90) / top
    bars, labels, values = [], [], []
    for index, (label, cents) in enumerate(items):
        y = index * row + 4
        length = _r(max(cents * scale, 1))
        bars.append(Bar(label_width, y, length, row - 8, label, money(cents)))
        middle = y + (row - 8) / 2 + 4
        labels.append(Bar(label_width - 8, middle, 0, 0, label, money(cents)))
        values.append(Bar(_r(label_width + length + 6), middle, 0, 0, label, money(cents)))
    return Chart(width, max(len(items) * row, row), bars, labels, [], values)


def paired_columns(months: Sequence[tuple[str, int, int]], width: int = 600) -> Chart:
    """Money in and money out side by side for each (month, in, out), in cents."""
    height, bottom, left = 240, 200, 70
    top = _nice_top(max((max(i, o) for _, i, o in months), default=0))
    scale = (bottom - 10) / top
    slot = (width - left) / max(len(months), 1)
    bar = max(slot / 2 - 3, 1)
    bars, labels = [], []
    for index, (month, money_in, money_out) in enumerate(months):
        x = left + index * slot + 2
        for offset, cents, kind in ((0, money_in, "in"), (bar, money_out, "out")):
            h = cents * scale
            bars.append(
                Bar(
                    _r(x + offset),
                    _r(bottom - h),
                    _r(bar),
                    _r(h),
                    f"{month} money {kind}",
                    money(cents),
                    kind,
                )  # fmt: skip
            )
        labels.append(Bar(_r(x + bar), bottom + 16, 0, 0, month[2:], month))
    axes = [Axis(_r(bottom - top * f * scale), money(int(top * f))) for f in (0, 0.5, 1)]
    return Chart(width, height, bars, labels, axes, [])


@dataclass(frozen=True, slots=True)
class UtilizationBar:
    """A card's balance against its limit, with the 30 / 50 / 80 % marks."""

    ratio: float
    fill: float  # width of the filled part, 0-100 (the bar is 100 wide)
    level: str  # a CSS class: ok / watch / high / severe
    marks: tuple[float, ...]


def utilization_bar(balance: int, limit: int) -> UtilizationBar:
    ratio = max(balance, 0) / limit
    low, mid, high = UTILIZATION_MARKS
    level = (
        "severe" if ratio >= high else "high" if ratio >= mid else "watch" if ratio >= low else "ok"
    )
    marks = tuple(_r(mark * 100) for mark in UTILIZATION_MARKS)
    return UtilizationBar(ratio, _r(min(ratio, 1.0) * 100), level, marks)
