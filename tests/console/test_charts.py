"""The console's chart geometry and monthly sums, without a database."""

from datetime import date

import pytest

from app.console.charts import horizontal_bars, paired_columns, utilization_bar
from app.console.service import money_sums


@pytest.mark.parametrize(
    ("balance", "level", "fill"),
    [(0, "ok", 0.0), (89_999, "ok", 30.0), (90_000, "watch", 30.0), (149_999, "watch", 50.0),
     (150_000, "high", 50.0), (240_000, "severe", 80.0), (450_000, "severe", 100.0),
     (-5_000, "ok", 0.0)],
)  # fmt: skip
def test_utilization_levels_and_marks(balance: int, level: str, fill: float) -> None:
    bar = utilization_bar(balance, 300_000)
    assert (bar.level, bar.fill, bar.marks) == (level, fill, (30.0, 50.0, 80.0))


def test_columns_scale_to_a_round_top_and_keep_zero_months_flat() -> None:
    chart = paired_columns([("2026-05", 0, 0), ("2026-06", 320_000, 160_000)])
    heights = [bar.height for bar in chart.bars]
    assert heights[:2] == [0.0, 0.0]
    assert heights[2] == 190.0 * 320_000 / 500_000 and heights[3] == heights[2] / 2
    assert [axis.label for axis in chart.axes] == ["$0.00", "$2,500.00", "$5,000.00"]
    assert [label.value for label in chart.labels] == ["2026-05", "2026-06"]


def test_bars_are_as_long_as_their_share_and_never_invisible() -> None:
    chart = horizontal_bars([("RENT", 150_000), ("FOOD", 75_000), ("FEES", 1)])
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.1) and widths[2] == 1
    assert [v.value for v in chart.values] == ["$1,500.00", "$750.00", "$0.01"]


def test_monthly_sums_leave_transfers_out_and_rank_spending() -> None:
    sums = [
        ("2026-06", "INCOME", True, -250_000),
        ("2026-06", "TRANSFER_IN", True, -50_000),
        ("2026-06", "TRANSFER_OUT", False, 50_000),
        ("2026-06", "LOAN_PAYMENTS", False, 3_500),
        ("2026-06", "FOOD_AND_DRINK", False, 4_000),
        ("2026-05", "FOOD_AND_DRINK", False, 1_000),
        *[("2026-04", f"C{n}", False, 100 + n) for n in range(9)],
    ]
    months, categories = money_sums(sums, date(2026, 6, 30))
    assert len(months) == 12 and months[0][0] == "2025-07"
    assert months[-1] == ("2026-06", 250_000, 7_500)  # the card payment is money out
    assert months[-2] == ("2026-05", 0, 1_000)
    assert categories[0] == ("FOOD_AND_DRINK", 5_000)
    assert [c for c, _ in categories[1:8]] == [f"C{n}" for n in range(8, 1, -1)]
    assert categories[8] == ("OTHER", 100 + 101)
