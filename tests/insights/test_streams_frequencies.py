"""Which streams are found, of which frequency, and what they report."""

from datetime import date

import pytest

from app.services.insights.streams import Stream
from tests.insights.test_streams_helpers import (
    D,
    detect,
    every,
    frequencies,
    monthly,
    months_from,
    only,
    series,
    txn,
)


def summary(stream: Stream) -> tuple[str, date, date, date, str, bool]:
    return (
        stream.frequency,
        stream.first_date,
        stream.last_date,
        stream.predicted_next_date,
        stream.status,
        stream.is_active,
    )


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (every(date(2026, 6, 2), 7, 5),
         ("weekly", date(2026, 6, 2), date(2026, 6, 30), date(2026, 7, 7), "mature", True)),
        (every(date(2026, 4, 3), 14, 7),
         ("biweekly", date(2026, 4, 3), date(2026, 6, 26), date(2026, 7, 10), "mature", True)),
        (sorted(monthly(1, months_from(2026, 4, 3)) + monthly(15, months_from(2026, 4, 3))),
         ("semi_monthly", date(2026, 4, 1), date(2026, 6, 15), date(2026, 7, 1), "mature", True)),
        (monthly(15, months_from(2026, 1, 6)),
         ("monthly", date(2026, 1, 15), date(2026, 6, 15), date(2026, 7, 15), "mature", True)),
        ([date(2025, 9, 10), date(2025, 12, 10), date(2026, 3, 10), date(2026, 6, 10)],
         ("quarterly", date(2025, 9, 10), date(2026, 6, 10), date(2026, 9, 10), "mature", True)),
        ([date(2025, 7, 20), date(2026, 1, 20)],
         ("semi_annually", date(2025, 7, 20), date(2026, 1, 20), date(2026, 7, 20),
          "early_detection", True)),
        ([date(2025, 4, 8), date(2026, 4, 8)],
         ("annually", date(2025, 4, 8), date(2026, 4, 8), date(2027, 4, 8), "early_detection",
          True)),
    ],
)  # fmt: skip
def test_each_frequency(days: list[date], expected: tuple[object, ...]) -> None:
    stream = only(series("s", days, 4_999))
    assert summary(stream) == expected
    assert stream.transaction_ids == tuple(f"s{k}" for k in range(len(days)))
    assert (stream.average_amount, stream.last_amount, stream.amount_range) == (
        4_999, 4_999, (4_999, 4_999),
    )  # fmt: skip


def test_fewest_occurrences_two_for_quarterly_and_longer_three_for_shorter() -> None:
    assert frequencies(series("m", monthly(15, months_from(2026, 5, 2)))) == []
    assert frequencies(series("m", monthly(15, months_from(2026, 4, 3)))) == ["monthly"]
    assert frequencies(series("w", every(date(2026, 6, 16), 7, 2))) == []
    assert frequencies(series("w", every(date(2026, 6, 16), 7, 3))) == ["weekly"]
    assert frequencies(series("q", [date(2026, 3, 10), date(2026, 6, 10)])) == ["quarterly"]
    assert frequencies(series("q", [date(2026, 6, 10)])) == []


def test_the_fields_of_a_stream_come_from_its_newest_charge() -> None:
    # Names that differ only by case and spacing are one merchant.
    rows = series("n", monthly(15, months_from(2026, 3, 3)), merchant="NETFLIX  ")
    rows.append(txn("n3", date(2026, 6, 15), 1549, "Netflix", description="NETFLIX.COM 866"))
    stream = only(rows)
    assert stream.stream_id.startswith("rs_")
    assert (stream.account_id, stream.direction, stream.category) == (
        "card", "outflow", "ENTERTAINMENT",
    )  # fmt: skip
    assert (stream.merchant_name, stream.description) == ("Netflix", "NETFLIX.COM 866")
    assert stream.user_status is None


def test_a_one_off_lookalike_is_not_a_stream() -> None:
    # The same merchant twice, a month apart, then never again.
    rows = series("h", [date(2025, 10, 3), date(2025, 11, 3)], 4_500, "Spirit Halloween")
    assert detect(rows) == []
    assert detect(rows, date(2025, 11, 20)) == []


def test_a_merchant_bought_from_every_few_days_is_not_a_stream() -> None:
    gaps = [3, 4, 2, 5, 3, 3, 4, 2, 6, 3] * 5
    days = [date(2026, 1, 2)]
    for gap in gaps:
        days.append(date.fromordinal(days[-1].toordinal() + gap))
    amounts = [3_000 + 137 * (k % 7) for k in range(len(days))]
    rows = series(
        "g",
        [d for d in days if d <= D],
        amounts[: len([d for d in days if d <= D])],
        "Safeway",
        category="FOOD_AND_DRINK",
    )
    assert detect(rows) == []


def test_a_habit_whose_last_visits_fall_a_week_apart_is_not_a_stream() -> None:
    # Groceries at random, then three visits exactly a week apart: the tail
    # of the habit, not a weekly stream (the visit 5 days before the first).
    days = [date(2026, 5, 20), date(2026, 5, 27), date(2026, 6, 1)] + every(date(2026, 6, 6), 7, 3)
    assert frequencies(series("g", days, 5_000, "Safeway")) == []
    # Without the earlier visits, three weekly charges are a stream.
    assert frequencies(series("g", every(date(2026, 6, 6), 7, 3), 5_000, "Safeway")) == ["weekly"]


def test_a_young_stream_after_off_schedule_charges_on_another_account_is_a_habit() -> None:
    weekly = series("w", every(date(2026, 6, 9), 7, 3), 2_500, "Chipotle")
    other = [txn("o", date(2026, 6, 12), 2_600, "Chipotle", account="chk")]
    assert frequencies(weekly + other) == []
    # The same merchant on another account on the stream's own days: a pay
    # split over two accounts is two streams.
    split = [txn(f"x{k}", day, 2_500, "Chipotle", account="chk") for k, day in
             enumerate(every(date(2026, 6, 9), 7, 3))]  # fmt: skip
    assert frequencies(weekly + split) == ["weekly", "weekly"]


def test_inflow_streams_pay_biweekly_and_semi_monthly() -> None:
    biweekly = series(
        "b",
        every(date(2026, 3, 6), 14, 9),
        -180_000,
        "Globex Payroll",
        account="chk",
        category="INCOME",
    )
    stream = only(biweekly)
    assert (stream.direction, stream.frequency, stream.average_amount) == (
        "inflow", "biweekly", -180_000,
    )  # fmt: skip
    assert (stream.last_date, stream.predicted_next_date) == (date(2026, 6, 26), date(2026, 7, 10))
    assert stream.amount_range == (-180_000, -180_000)


def test_semi_monthly_pay_on_the_1st_and_15th_moved_to_the_friday_before_weekends() -> None:
    paydays = [
        date(2026, 1, 1), date(2026, 1, 15),
        date(2026, 1, 30), date(2026, 2, 13),  # Feb 1 and Feb 15 are Sundays
        date(2026, 2, 27), date(2026, 3, 13),  # Mar 1 and Mar 15 are Sundays
        date(2026, 4, 1), date(2026, 4, 15), date(2026, 5, 1), date(2026, 5, 15),
        date(2026, 6, 1), date(2026, 6, 15), date(2026, 7, 1), date(2026, 7, 15),
    ]  # fmt: skip
    rows = series("p", paydays, -210_000, "Acme Payroll", account="chk", category="INCOME")
    stream = only(rows, date(2026, 7, 20))
    assert (stream.frequency, stream.direction) == ("semi_monthly", "inflow")
    # Aug 1 is a Saturday: paid the Friday before, as the history shows.
    assert stream.predicted_next_date == date(2026, 7, 31)
    assert only(rows[:-1], date(2026, 7, 2)).predicted_next_date == date(2026, 7, 15)
    assert only(rows[:-2], date(2026, 6, 20)).predicted_next_date == date(2026, 7, 1)


def test_transfers_and_card_payments_are_streams() -> None:
    to_savings = series(
        "t",
        monthly(2, months_from(2026, 1, 6)),
        25_000,
        "Online Transfer to Savings",
        account="chk",
        category="TRANSFER_OUT",
    )
    from_checking = series(
        "f",
        monthly(2, months_from(2026, 1, 6)),
        -25_000,
        "Online Transfer from Checking",
        account="sav",
        category="TRANSFER_IN",
    )
    payments = [41_200, 38_950, 45_010, 40_000, 43_300, 39_990]
    card_payment = series(
        "c",
        monthly(20, months_from(2026, 1, 6)),
        payments,
        "Chase Card Payment",
        account="chk",
        category="LOAN_PAYMENTS",
    )
    streams = detect(to_savings + from_checking + card_payment)
    assert sorted((s.merchant_name, s.direction, s.frequency) for s in streams) == [
        ("Chase Card Payment", "outflow", "monthly"),
        ("Online Transfer from Checking", "inflow", "monthly"),
        ("Online Transfer to Savings", "outflow", "monthly"),
    ]


def test_only_settled_rows_dated_on_or_before_as_of_count() -> None:
    rows = series("n", monthly(15, months_from(2026, 3, 4)))
    pending = txn("p", date(2026, 5, 2), 1549, pending=True)  # off schedule, but pending
    later = txn("l", date(2026, 7, 1), 1549)  # after as_of
    zero = txn("z", date(2026, 5, 20), 0)  # moves no money
    stream = only([*rows, pending, later, zero])
    assert stream.transaction_ids == ("n0", "n1", "n2", "n3")
    assert stream.last_date == date(2026, 6, 15)
    # The as-of day itself counts, to its last microsecond.
    last = txn("e", date(2026, 7, 15), 1549, clock="23:59:59.999999")
    assert only([*rows, last], date(2026, 7, 15)).last_date == date(2026, 7, 15)


def test_rows_in_any_order_same_day_ties_by_id() -> None:
    rows = series("n", monthly(15, months_from(2026, 3, 4)))
    assert only(list(reversed(rows))).transaction_ids == ("n0", "n1", "n2", "n3")


def test_rows_without_a_merchant_group_by_description_without_digits_then_by_category() -> None:
    checks = [
        txn(f"c{k}", day, 180_000, None, account="chk", category="RENT_AND_UTILITIES",
            description=f"CHECK #10{40 + k}  Maple   Court")
        for k, day in enumerate(monthly(1, months_from(2026, 2, 5)))
    ]  # fmt: skip
    stream = only(checks)
    assert (stream.merchant_name, stream.description, stream.frequency) == (
        None, "CHECK #1044  Maple   Court", "monthly",
    )  # fmt: skip
    blank = [
        txn(f"b{k}", day, 999, None, account="chk", category="BANK_FEES", description=" 42 ")
        for k, day in enumerate(monthly(28, months_from(2026, 2, 5)))
    ]
    fee = only(blank)
    assert (fee.merchant_name, fee.description, fee.category) == (None, " 42 ", "BANK_FEES")
    assert fee.stream_id != stream.stream_id


def test_two_streams_of_one_merchant_in_two_directions_or_accounts() -> None:
    charges = series("c", monthly(5, months_from(2026, 2, 5)), 1_000, "Gym")
    refunds = series("r", monthly(9, months_from(2026, 2, 5)), -200, "Gym")
    other = series("o", monthly(5, months_from(2026, 2, 5)), 1_000, "Gym", account="chk")
    streams = detect(charges + refunds + other)
    assert sorted((s.account_id, s.direction) for s in streams) == [
        ("card", "inflow"), ("card", "outflow"), ("chk", "outflow"),
    ]  # fmt: skip
    assert len({s.stream_id for s in streams}) == 3
