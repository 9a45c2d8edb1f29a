"""The contract's tolerances at their edges: drift, missing occurrences,
amounts (35 % outliers, price changes), other charges between a stream's
dates, and the evidence a young stream needs."""

from datetime import date, timedelta

import pytest

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

TEN_MONTHS = months_from(2025, 9, 10)  # Sep 2025 - Jun 2026
SIX_MONTHS = months_from(2026, 1, 6)  # Jan - Jun 2026


def with_day(days: list[date], index: int, day_of_month: int) -> list[date]:
    moved = list(days)
    moved[index] = moved[index].replace(day=day_of_month)
    return moved


def ids(count: int, prefix: str = "s", skip: tuple[int, ...] = ()) -> tuple[str, ...]:
    return tuple(f"{prefix}{k}" for k in range(count) if k not in skip)


def test_monthly_drift_of_exactly_3_days_keeps_the_stream() -> None:
    # October on the 12th, February on the 18th: each 3 days off the 15th.
    days = with_day(with_day(monthly(15, TEN_MONTHS), 1, 12), 5, 18)
    stream = only(series("s", days))
    assert (stream.frequency, stream.first_date, stream.transaction_ids) == (
        "monthly", date(2025, 9, 15), ids(10),
    )  # fmt: skip
    assert stream.predicted_next_date == date(2026, 7, 15)


def test_monthly_drift_of_4_days_is_not_an_occurrence() -> None:
    # October on the 12th, February on the 19th: 7 days apart, no anchor day
    # is within 3 days of both. The newest charges decide: the stream runs
    # from November on, due on the 16th (the 19th is 3 days after it), and
    # October's charge is 4 days off: another charge before the stream.
    days = with_day(with_day(monthly(15, TEN_MONTHS), 1, 12), 5, 19)
    stream = only(series("s", days))
    assert (stream.frequency, stream.first_date, stream.transaction_ids) == (
        "monthly", date(2025, 11, 15), ids(10)[2:],
    )  # fmt: skip
    assert stream.predicted_next_date == date(2026, 7, 16)


def test_drift_is_measured_from_one_anchor_day_for_every_occurrence() -> None:
    # The 12th and the 18th are each 3 days off the 15th: one stream. The
    # 11th and the 18th are 7 apart: no anchor day is within 3 of both.
    spread = monthly(15, SIX_MONTHS)
    assert only(series("s", with_day(with_day(spread, 1, 12), 4, 18))).transaction_ids == ids(6)
    assert detect(series("s", with_day(with_day(spread, 1, 11), 4, 18))) == []


WEEKLY = every(date(2026, 4, 7), 7, 13)  # Tuesdays, Apr 7 - Jun 30


def test_weekly_drift_of_1_day_keeps_the_stream() -> None:
    days = list(WEEKLY)
    days[5] += timedelta(days=1)
    days[8] -= timedelta(days=1)
    stream = only(series("s", days))
    assert (stream.frequency, stream.transaction_ids) == ("weekly", ids(13))
    assert stream.predicted_next_date == date(2026, 7, 7)


def test_weekly_drift_of_2_days_is_not_an_occurrence() -> None:
    days = list(WEEKLY)
    days[5] += timedelta(days=2)  # May 14, a Thursday
    stream = only(series("s", days))
    assert (stream.frequency, stream.first_date, stream.transaction_ids) == (
        "weekly", date(2026, 5, 19), ids(13)[6:],
    )  # fmt: skip


@pytest.mark.parametrize(("drift", "found"), [(3, True), (-3, True), (4, False), (-4, False)])
def test_biweekly_drift_edge(drift: int, found: bool) -> None:
    days = every(date(2026, 1, 9), 14, 13)  # Fridays, Jan 9 - Jun 26
    days[4] += timedelta(days=drift)
    stream = only(series("s", days))
    assert stream.frequency == "biweekly"
    assert stream.transaction_ids == (ids(13) if found else ids(13)[5:])


def test_a_skipped_month_keeps_the_stream() -> None:
    days = monthly(15, SIX_MONTHS)
    del days[2]  # no March
    stream = only(series("s", days))
    assert (stream.frequency, stream.first_date, stream.last_date) == (
        "monthly", date(2026, 1, 15), date(2026, 6, 15),
    )  # fmt: skip
    assert stream.transaction_ids == ids(5)


def test_two_missing_in_a_row_start_a_new_stream() -> None:
    days = monthly(15, months_from(2025, 7, 12))
    del days[4:6]  # no November, no December
    stream = only(series("s", days))
    assert (stream.first_date, stream.transaction_ids) == (date(2026, 1, 15), ids(10)[4:])


@pytest.mark.parametrize(("second_gap", "first_date"), [(5, date(2025, 10, 15)), (6, None)])
def test_at_most_one_missing_in_any_six(second_gap: int, first_date: date | None) -> None:
    months = months_from(2025, 7, 12)
    missing = {2, 2 + second_gap}  # September, then 5 or 6 months later
    days = [day for k, day in enumerate(monthly(15, months)) if k not in missing]
    stream = only(series("s", days))
    # Five steps apart, the two missing are too many: the stream starts
    # after the first; six apart, both are allowed.
    assert stream.first_date == (first_date or date(2025, 7, 15))
    assert stream.last_date == date(2026, 6, 15)


def test_the_fewest_occurrences_with_one_missing_are_not_enough() -> None:
    assert frequencies(series("s", monthly(15, [(2026, 3), (2026, 5), (2026, 6)]))) == []
    four = monthly(15, [(2026, 2), (2026, 4), (2026, 5), (2026, 6)])
    assert frequencies(series("s", four)) == ["monthly"]


@pytest.mark.parametrize(
    ("odd_amount", "kept"),
    [(13_500, True), (13_600, False), (6_500, True), (6_400, False)],
)
def test_a_charge_more_than_35_percent_from_the_median_is_not_an_occurrence(
    odd_amount: int, kept: bool
) -> None:
    amounts = [10_000] * 6
    amounts[3] = odd_amount
    stream = only(series("s", monthly(15, SIX_MONTHS), amounts))
    assert stream.frequency == "monthly"
    if kept:
        assert stream.transaction_ids == ids(6)
        assert stream.amount_range == (min(odd_amount, 10_000), max(odd_amount, 10_000))
    else:  # it counts as a missing occurrence: the stream goes on
        assert stream.transaction_ids == ids(6, skip=(3,))
        assert stream.amount_range == (10_000, 10_000)
        assert stream.last_date == date(2026, 6, 15)


def test_varying_amounts_within_35_percent_of_the_median() -> None:
    amounts = [8_912, 10_480, 9_335, 11_870, 9_990, 7_740]  # median 9_662.5
    stream = only(series("s", monthly(20, SIX_MONTHS), amounts))
    assert stream.transaction_ids == ids(6)
    assert stream.amount_range == (7_740, 11_870)
    assert stream.average_amount == 9_721  # 58_327 / 6 = 9_721.17


def test_a_price_change_continues_the_stream() -> None:
    amounts = [1_549, 1_549, 1_549, 1_549, 2_299, 2_299, 2_299]
    stream = only(series("s", monthly(9, months_from(2025, 12, 7)), amounts))
    assert stream.transaction_ids == ids(7)
    assert (stream.amount_range, stream.last_amount) == ((1_549, 2_299), 2_299)
    assert stream.average_amount == 1_870  # 13_093 / 7 = 1_870.43


def test_a_price_that_just_changed_is_an_occurrence() -> None:
    amounts = [1_549] * 5 + [2_299]
    stream = only(series("s", monthly(9, SIX_MONTHS), amounts))
    assert (stream.transaction_ids, stream.last_amount) == (ids(6), 2_299)


def test_each_side_of_a_price_change_has_its_own_outliers() -> None:
    amounts = [1_000, 1_000, 1_000, 1_600, 2_000, 2_000, 2_000, 2_000]
    # 1_600 is nearer the new price, and 20 % under its median: it stays.
    stream = only(series("s", monthly(9, months_from(2025, 11, 8)), amounts))
    assert stream.transaction_ids == ids(8)
    amounts[3] = 5_000  # 150 % over either price: out, as a missing occurrence
    stream = only(series("s", monthly(9, months_from(2025, 11, 8)), amounts))
    assert stream.transaction_ids == ids(8, skip=(3,))


def test_a_first_charge_at_a_trial_price_is_not_an_occurrence() -> None:
    amounts = [99] + [999] * 5
    stream = only(series("s", monthly(3, SIX_MONTHS), amounts))
    assert (stream.first_date, stream.transaction_ids) == (date(2026, 2, 3), ids(6)[1:])


def test_another_charge_between_the_stream_dates_leaves_only_what_follows() -> None:
    days = monthly(15, TEN_MONTHS)
    extra = txn("x", date(2025, 11, 28), 1_549)
    stream = only([*series("s", days), extra])
    assert (stream.first_date, stream.transaction_ids) == (date(2025, 12, 15), ids(10)[3:])
    assert stream.status == "mature"
    # In a young stream there is nothing left: the charges after the extra
    # one follow other charges of the merchant.
    assert detect([*series("s", monthly(15, SIX_MONTHS)), txn("x", date(2026, 3, 28), 1_549)]) == []


def test_a_second_charge_on_an_occurrence_day_is_another_charge() -> None:
    rows = series("s", monthly(15, TEN_MONTHS))
    rows.append(txn("x", date(2026, 6, 15), 1_549, clock="18:00:00.000000"))
    assert detect(rows) == []


def test_a_charge_off_schedule_after_the_last_occurrence_ends_the_stream() -> None:
    rows = [*series("s", monthly(15, SIX_MONTHS)), txn("x", date(2026, 6, 25), 1_549)]
    assert detect(rows) == []


@pytest.mark.parametrize(
    ("second", "found"), [(4_999, True), (5_250, True), (5_251, False), (4_200, False)]
)
def test_two_charges_make_a_stream_only_at_one_price(second: int, found: bool) -> None:
    # The least evidence (two quarterly charges) needs one price, within 5 %.
    rows = series("s", [date(2026, 3, 10), date(2026, 6, 10)], [5_000, second])
    assert frequencies(rows) == (["quarterly"] if found else [])
    # A third charge makes them a stream whatever the amounts do within 35 %.
    rows = series("s", [date(2025, 12, 10), date(2026, 3, 10), date(2026, 6, 10)],
                  [5_000, 5_000, 4_200])  # fmt: skip
    assert frequencies(rows) == ["quarterly"]


def test_three_semi_monthly_charges_make_a_stream_only_at_one_price() -> None:
    # Two of the three fix the stream's two days: one date is left to check.
    days = [date(2026, 5, 15), date(2026, 6, 1), date(2026, 6, 15)]
    assert frequencies(series("s", days, [4_000, 4_200, 4_100])) == ["semi_monthly"]
    # At two prices they are not semi-monthly; they are within 3 days of
    # every other Friday from the first (June 1 and 15 are 3 days late).
    assert frequencies(series("s", days, [4_000, 4_201, 4_100])) == ["biweekly"]
    four = [date(2026, 5, 1), *days]
    assert frequencies(series("s", four, [4_000, 4_201, 4_100, 3_700])) == ["semi_monthly"]


def test_semi_monthly_against_biweekly_on_few_charges() -> None:
    # Fridays two weeks apart are biweekly; the 1st and 15th are semi-monthly.
    assert frequencies(series("s", every(date(2026, 5, 29), 14, 3))) == ["biweekly"]
    days = [date(2026, 5, 15), date(2026, 6, 1), date(2026, 6, 15)]
    assert frequencies(series("s", days)) == ["semi_monthly"]


def test_a_subscription_taken_up_again_is_a_stream_again() -> None:
    before = monthly(20, months_from(2025, 1, 6))  # Jan - Jun 2025, then cancelled
    again = monthly(4, months_from(2026, 4, 3))  # Apr - Jun 2026
    stream = only(series("s", before + again))
    assert (stream.first_date, stream.transaction_ids) == (date(2026, 4, 4), ids(9)[6:])
    assert stream.status == "early_detection"


def test_as_of_in_the_middle_of_the_history() -> None:
    rows = series("s", monthly(15, months_from(2025, 9, 10)))
    stream = only(rows, date(2026, 2, 14))
    assert (stream.last_date, stream.predicted_next_date) == (date(2026, 1, 15), date(2026, 2, 15))
    assert stream.transaction_ids == ids(5)
    assert only(rows, D).transaction_ids == ids(10)
