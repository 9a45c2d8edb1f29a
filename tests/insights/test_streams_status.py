"""Status, the user's choices, stream ids and the order of the lists."""

import re
from datetime import date, timedelta

import pytest

from app.services.insights.streams import (
    apply_user_choices,
    detect_streams,
    mean_half_even,
    recurring_lists,
    stream_id_of,
    stream_status,
)
from tests.insights.test_streams_helpers import (
    D,
    detect,
    every,
    monthly,
    months_from,
    only,
    series,
)

MONTHLY_15TH = series("s", monthly(15, months_from(2026, 1, 6)))  # last Jun 15, next Jul 15


@pytest.mark.parametrize(
    ("first", "last", "status"),
    [
        (date(2026, 3, 15), date(2026, 6, 15), "mature"),  # 92 days >= 3 x 30.44
        (date(2026, 3, 16), date(2026, 6, 15), "early_detection"),  # 91 days
        # Four charges on the 15th, January to April: 90 days, 3 steps of the
        # schedule but less than 3 nominal periods.
        (date(2026, 1, 15), date(2026, 4, 15), "early_detection"),
    ],
)
def test_mature_spans_three_nominal_periods(first: date, last: date, status: str) -> None:
    assert stream_status("monthly", first, last, last + timedelta(days=30), last) == status


@pytest.mark.parametrize(
    ("frequency", "span", "status"),
    [
        ("weekly", 21, "mature"), ("weekly", 20, "early_detection"),
        ("biweekly", 42, "mature"), ("biweekly", 41, "early_detection"),
        ("semi_monthly", 46, "mature"), ("semi_monthly", 45, "early_detection"),
        ("quarterly", 183, "mature"), ("quarterly", 182, "early_detection"),
        ("semi_annually", 366, "mature"), ("semi_annually", 365, "early_detection"),
        ("annually", 731, "mature"), ("annually", 730, "early_detection"),
    ],
)  # fmt: skip
def test_mature_needs_3_periods_or_2_for_quarterly_and_longer(
    frequency: str, span: int, status: str
) -> None:
    first = date(2024, 1, 10)
    last = first + timedelta(days=span)
    assert stream_status(frequency, first, last, last + timedelta(days=7), last) == status


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (date(2026, 7, 15), "mature"),
        (date(2026, 8, 4), "mature"),  # 20 days late: not more than 30.44 / 2 + 5
        (date(2026, 8, 5), "tombstoned"),  # 21 days late
    ],
)
def test_tombstoned_when_late_more_than_half_a_period_plus_5_days(as_of: date, status: str) -> None:
    stream = only(MONTHLY_15TH, as_of)
    assert (stream.predicted_next_date, stream.status) == (date(2026, 7, 15), status)
    assert stream.is_active == (status != "tombstoned")


def test_include_inactive_lists_tombstoned_streams() -> None:
    old = series("o", monthly(3, months_from(2025, 6, 6)), 999, "Old Gym")  # Jun - Nov 2025
    streams = detect([*MONTHLY_15TH, *old])
    assert sorted((s.merchant_name, s.status) for s in streams) == [
        ("Netflix", "mature"), ("Old Gym", "tombstoned"),
    ]  # fmt: skip
    assert recurring_lists(streams) == ([], [s for s in streams if s.merchant_name == "Netflix"])
    inflow, outflow = recurring_lists(streams, include_inactive=True)
    assert (inflow, [s.merchant_name for s in outflow]) == ([], ["Netflix", "Old Gym"])


def test_a_dismissed_stream_is_still_listed() -> None:
    stream = only(MONTHLY_15TH)
    (dismissed,) = apply_user_choices([stream], {stream.stream_id: "dismissed"}, D)
    assert (dismissed.user_status, dismissed.status, dismissed.is_active) == (
        "dismissed", "mature", True,
    )  # fmt: skip
    assert recurring_lists([dismissed]) == ([], [dismissed])
    # A tombstoned one stays tombstoned.
    late = date(2026, 8, 5)
    (gone,) = apply_user_choices(detect(MONTHLY_15TH, late), {stream.stream_id: "dismissed"}, late)
    assert (gone.user_status, gone.status, gone.is_active) == ("dismissed", "tombstoned", False)


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (date(2026, 8, 5), "mature"),  # tombstoned if not confirmed
        (date(2026, 8, 14), "mature"),  # 60 days after the last: not more than 2 x 30.44
        (date(2026, 8, 15), "tombstoned"),  # 61 days, and 31 days late
    ],
)
def test_a_confirmed_stream_is_tombstoned_only_after_twice_its_period(
    as_of: date, status: str
) -> None:
    detected = detect(MONTHLY_15TH, as_of)
    assert detected[0].status == "tombstoned"
    (confirmed,) = apply_user_choices(detected, {detected[0].stream_id: "confirmed"}, as_of)
    assert (confirmed.user_status, confirmed.status) == ("confirmed", status)
    assert confirmed.is_active == (status != "tombstoned")


def test_a_confirmed_stream_needs_both_limits_exceeded() -> None:
    # Weekly: twice the period (14 days after the last) comes before the
    # ordinary limit (more than 8.5 days late, 16 days after the last).
    rows = series("w", every(date(2026, 6, 2), 7, 5))  # last Jun 30, next Jul 7
    for as_of, status in ((date(2026, 7, 15), "mature"), (date(2026, 7, 16), "tombstoned")):
        detected = detect(rows, as_of)
        (confirmed,) = apply_user_choices(detected, {detected[0].stream_id: "confirmed"}, as_of)
        assert (detected[0].status, confirmed.status) == (status, status)


def test_choices_for_streams_not_detected_are_ignored_and_none_clears() -> None:
    stream = only(MONTHLY_15TH)
    assert apply_user_choices([stream], {"rs_other": "dismissed"}, D) == [stream]
    (chosen,) = apply_user_choices([stream], {stream.stream_id: "confirmed"}, D)
    (cleared,) = apply_user_choices([chosen], {stream.stream_id: None}, D)
    assert cleared == stream


def test_lists_by_average_amount_magnitude_then_stream_id() -> None:
    rows = [
        *series("a", monthly(3, months_from(2026, 1, 6)), 5_000, "Alpha"),
        *series("b", monthly(4, months_from(2026, 1, 6)), 5_000, "Beta"),
        *series("c", monthly(5, months_from(2026, 1, 6)), 12_000, "Gamma"),
        *series("d", monthly(6, months_from(2026, 1, 6)), 1_000, "Delta"),
        *series("p", every(date(2026, 1, 2), 14, 13), -90_000, "Payroll", account="chk"),
        *series("i", monthly(28, months_from(2026, 1, 6)), -200, "Interest", account="chk"),
    ]
    streams = detect(rows)
    inflow, outflow = recurring_lists(streams)
    assert [s.merchant_name for s in inflow] == ["Payroll", "Interest"]
    tied = sorted(["Alpha", "Beta"], key=lambda name: next(
        s.stream_id for s in outflow if s.merchant_name == name))  # fmt: skip
    assert [s.merchant_name for s in outflow] == ["Gamma", *tied, "Delta"]
    assert [s.stream_id for s in streams] == [
        s.stream_id for s in sorted(streams, key=lambda s: (-abs(s.average_amount), s.stream_id))
    ]


ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,50}")


def test_stream_id_is_derived_from_account_direction_and_merchant_key() -> None:
    # Pinned: a stream keeps its id (and the user's choice) across restarts
    # and versions.
    assert stream_id_of("card", "outflow", "merchant:netflix") == (
        "rs_133da8b3f3778da75fe0bfcfc53ba2ea"
    )
    stream = only(MONTHLY_15TH)
    assert stream.stream_id == stream_id_of("card", "outflow", "merchant:netflix")
    assert ID_PATTERN.fullmatch(stream.stream_id)
    others = {
        stream_id_of("chk", "outflow", "merchant:netflix"),
        stream_id_of("card", "inflow", "merchant:netflix"),
        stream_id_of("card", "outflow", "merchant:hulu"),
        stream_id_of("card", "outflow", "description:netflix"),
    }
    assert len(others) == 4 and stream.stream_id not in others
    long_account = "a" * 50
    assert ID_PATTERN.fullmatch(stream_id_of(long_account, "inflow", "merchant:" + "x" * 200))


def test_stream_id_is_stable_as_rows_arrive_and_the_name_changes_case() -> None:
    early = only(MONTHLY_15TH[:3], date(2026, 3, 20))
    renamed = [row._replace(merchant_name="NETFLIX ") for row in MONTHLY_15TH[3:]]
    later = only([*MONTHLY_15TH[:3], *renamed])
    assert (early.transaction_ids, later.transaction_ids) == (
        ("s0", "s1", "s2"), ("s0", "s1", "s2", "s3", "s4", "s5"),
    )  # fmt: skip
    assert early.stream_id == later.stream_id
    assert later.merchant_name == "NETFLIX "


def test_stream_id_survives_a_new_frequency() -> None:
    weekly = every(date(2026, 1, 6), 7, 8)  # Tuesdays, Jan 6 - Feb 24
    biweekly = every(date(2026, 3, 10), 14, 8)  # Mar 10 - Jun 16, every other week
    rows = series("c", weekly + biweekly, 4_000, "Molly Maid", account="chk")
    before = only(rows, date(2026, 2, 27))
    after = only(rows, date(2026, 6, 20))
    assert (before.frequency, after.frequency) == ("weekly", "biweekly")
    assert before.stream_id == after.stream_id
    # The last weekly charge is also two weeks before the first biweekly one.
    assert after.first_date == date(2026, 2, 24)
    assert after.transaction_ids == tuple(f"c{k}" for k in range(7, 16))


@pytest.mark.parametrize(
    ("total", "count", "mean"),
    [(10, 4, 2), (14, 4, 4), (15, 2, 8), (13, 2, 6), (-10, 4, -2), (-14, 4, -4),
     (-15, 2, -8), (7, 3, 2), (-7, 3, -2), (8, 3, 3), (0, 5, 0)],
)  # fmt: skip
def test_mean_half_even(total: int, count: int, mean: int) -> None:
    assert mean_half_even(total, count) == mean


def test_average_amount_rounds_half_to_even() -> None:
    stream = only(series("s", monthly(9, months_from(2026, 3, 4)), [1_000, 1_001, 1_000, 1_001]))
    assert stream.average_amount == 1_000  # 1_000.5
    stream = only(series("s", monthly(9, months_from(2026, 3, 4)), [1_001, 1_002, 1_001, 1_002]))
    assert stream.average_amount == 1_002  # 1_001.5
    inflow = only(series("s", monthly(9, months_from(2026, 3, 4)), [-1_001, -1_002] * 2))
    assert (inflow.average_amount, inflow.amount_range) == (-1_002, (-1_002, -1_001))


def test_as_of_must_be_a_date() -> None:
    from datetime import datetime

    with pytest.raises(TypeError):
        detect_streams(MONTHLY_15TH, datetime(2026, 6, 30, 12))
