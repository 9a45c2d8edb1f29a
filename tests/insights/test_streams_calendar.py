"""Anchor days at the month's end, February, and weekends."""

from datetime import date

from tests.insights.test_streams_helpers import monthly, months_from, only, series


def test_the_31st_is_the_last_day_of_short_months() -> None:
    days = monthly(31, months_from(2026, 1, 5))
    assert days[1:4] == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    stream = only(series("s", days), date(2026, 6, 10))
    assert (stream.frequency, stream.predicted_next_date) == ("monthly", date(2026, 6, 30))
    assert only(series("s", days[:4]), date(2026, 5, 1)).predicted_next_date == date(2026, 5, 31)


def test_february_29_in_a_leap_year() -> None:
    days = monthly(31, months_from(2023, 10, 4))  # Oct 31 2023 - Jan 31 2024
    stream = only(series("s", days), date(2024, 2, 10))
    assert stream.predicted_next_date == date(2024, 2, 29)
    leap = [*days, date(2024, 2, 29)]
    assert only(series("s", leap), date(2024, 3, 10)).predicted_next_date == date(2024, 3, 31)


def test_the_30th_is_february_28th() -> None:
    days = monthly(30, months_from(2026, 1, 4))  # Jan 30, Feb 28, Mar 30, Apr 30
    stream = only(series("s", days), date(2026, 5, 10))
    # May 30 is a Saturday; the one weekend slot of the history (Saturday,
    # Feb 28) was paid on the day: it stays.
    assert stream.predicted_next_date == date(2026, 5, 30)
    assert only(series("s", days[:3]), date(2026, 4, 1)).predicted_next_date == date(2026, 4, 30)


def test_an_annual_charge_on_february_29() -> None:
    rows = series("s", [date(2024, 2, 29), date(2025, 2, 28)], 9_900)
    stream = only(rows, date(2026, 1, 1))
    assert (stream.frequency, stream.predicted_next_date, stream.status) == (
        "annually", date(2026, 2, 28), "early_detection",
    )  # fmt: skip


def test_semi_monthly_on_the_15th_and_the_last_day() -> None:
    days = sorted(monthly(15, months_from(2026, 1, 3)) + monthly(31, months_from(2026, 1, 3)))
    rows = series("p", days, -150_000, "Acme Payroll", account="chk", category="INCOME")
    stream = only(rows, date(2026, 4, 5))
    assert (stream.frequency, stream.predicted_next_date) == ("semi_monthly", date(2026, 4, 15))
    assert only(rows[:-1], date(2026, 3, 20)).predicted_next_date == date(2026, 3, 31)
    # February's second day is the 28th.
    assert only(rows[:3], date(2026, 2, 20)).predicted_next_date == date(2026, 2, 28)


# Rent due on the 1st. Feb 1 and Mar 1 2026 are Sundays, Aug 1 a Saturday.
RENT_ON_TIME = [date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)]
AS_OF = date(2026, 7, 20)


def rent(days: list[date]) -> list[date]:
    return [date(2026, 1, 1), *days, *RENT_ON_TIME]


def test_a_weekend_due_date_moves_to_the_friday_before_as_the_history_did() -> None:
    stream = only(series("r", rent([date(2026, 1, 30), date(2026, 2, 27)]), 200_000), AS_OF)
    assert stream.predicted_next_date == date(2026, 7, 31)


def test_a_weekend_due_date_moves_to_the_monday_after_as_the_history_did() -> None:
    stream = only(series("r", rent([date(2026, 2, 2), date(2026, 3, 2)]), 200_000), AS_OF)
    assert stream.predicted_next_date == date(2026, 8, 3)


def test_a_weekend_due_date_stays_when_the_history_paid_on_weekends() -> None:
    stream = only(series("r", rent([date(2026, 2, 1), date(2026, 3, 1)]), 200_000), AS_OF)
    assert stream.predicted_next_date == date(2026, 8, 1)


def test_a_weekend_due_date_stays_without_a_weekend_in_the_history() -> None:
    stream = only(series("r", RENT_ON_TIME, 200_000), AS_OF)
    assert stream.predicted_next_date == date(2026, 8, 1)


def test_a_tie_in_the_history_stays() -> None:
    stream = only(series("r", rent([date(2026, 1, 30), date(2026, 3, 2)]), 200_000), AS_OF)
    assert stream.predicted_next_date == date(2026, 8, 1)


def test_drift_around_a_weekend_is_no_evidence_of_a_move() -> None:
    # Paid 2 days early for the Sunday (a Friday) once, and 3 days late once
    # (a Wednesday): one vote, one non-vote; the Friday wins.
    stream = only(series("r", rent([date(2026, 1, 30), date(2026, 3, 4)]), 200_000), AS_OF)
    assert stream.predicted_next_date == date(2026, 7, 31)


def test_the_calendar_ends_on_9999_12_31() -> None:
    """A stream due after the last date there is is due on it (no error)."""
    last = date(9999, 12, 30)
    for days in (
        monthly(30, months_from(9999, 9, 4)),
        [date(9999, 12, 9), date(9999, 12, 16), date(9999, 12, 23), last],
        [date(9997, 12, 30), date(9998, 12, 30), last],
    ):
        assert only(series("s", days), last).predicted_next_date == date(9999, 12, 31)


def test_the_calendar_starts_on_0001_01_01() -> None:
    days = monthly(1, months_from(1, 1, 4))
    stream = only(series("s", days), date(1, 4, 30))
    assert (stream.first_date, stream.predicted_next_date) == (date(1, 1, 1), date(1, 5, 1))
