"""The stream evaluation's arithmetic, on hand-made lists."""

from dataclasses import replace
from datetime import date

import pytest

from app.services.insights.stream_evaluation import evaluate_streams, planted_stream_id
from app.services.insights.streams import Stream, group_key, stream_id_of
from app.services.insights.streams.records import FrequencyName, Status
from app.services.synthetic.streams import PlantedStream


def planted(
    merchant: str, frequency: str, next_date: date | None, account: str = "card"
) -> PlantedStream:
    return PlantedStream(
        account_id=account,
        direction="outflow",
        merchant_name=merchant,
        description=None,
        category="GENERAL_SERVICES",
        frequency=frequency,
        dates=(date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 5)),
        next_date=next_date,
    )


def detected(
    merchant: str,
    frequency: FrequencyName,
    predicted: date,
    status: Status = "mature",
    account: str = "card",
) -> Stream:
    key = group_key(merchant, None, "GENERAL_SERVICES")
    return Stream(
        stream_id=stream_id_of(account, "outflow", key),
        account_id=account,
        direction="outflow",
        merchant_name=merchant,
        description=None,
        category="GENERAL_SERVICES",
        frequency=frequency,
        first_date=date(2026, 1, 5),
        last_date=date(2026, 6, 5),
        predicted_next_date=predicted,
        average_amount=1_000,
        last_amount=1_000,
        amount_range=(1_000, 1_000),
        transaction_ids=("t1",),
        status=status,
        is_active=status != "tombstoned",
    )


def test_planted_and_detected_meet_by_stream_id() -> None:
    truth = planted("Netflix ", "monthly", None)
    assert planted_stream_id(truth) == detected("NETFLIX", "monthly", date(2026, 7, 5)).stream_id
    by_description = replace(truth, merchant_name=None, description="ACME PPD ID 1001")
    assert planted_stream_id(by_description) == stream_id_of(
        "card", "outflow", "description:acme ppd id"
    )


@pytest.mark.parametrize(("days_off", "within"), [(3, 1), (-3, 1), (4, 0), (-4, 0)])
def test_scores(days_off: int, within: int) -> None:
    next_date = date(2026, 7, 5)
    truth = [
        planted("Netflix", "monthly", next_date),
        planted("HelloFresh", "weekly", date(2026, 7, 2)),
        planted("Terminix", "quarterly", None),
    ]
    found = [
        detected("Netflix", "monthly", date.fromordinal(next_date.toordinal() + days_off)),
        detected("HelloFresh", "biweekly", date(2026, 7, 2)),  # wrong frequency
        detected("Shell", "monthly", date(2026, 7, 9)),  # planted nowhere
    ]
    evaluation = evaluate_streams([(found, truth)])
    monthly = evaluation.by_frequency["monthly"]
    assert (monthly.planted, monthly.recalled, monthly.detected, monthly.correct) == (1, 1, 2, 1)
    assert (monthly.recall, monthly.precision) == (1.0, 0.5)
    assert (monthly.next_checked, monthly.next_within) == (1, within)
    weekly, biweekly = evaluation.by_frequency["weekly"], evaluation.by_frequency["biweekly"]
    assert (weekly.planted, weekly.recalled, weekly.recall, weekly.precision) == (1, 0, 0.0, None)
    assert (biweekly.detected, biweekly.correct, biweekly.precision) == (1, 0, 0.0)
    quarterly = evaluation.by_frequency["quarterly"]
    assert (quarterly.planted, quarterly.recall, quarterly.precision) == (1, 0.0, None)
    assert (evaluation.merchant_found, evaluation.frequency_right) == (2, 1)
    assert evaluation.frequency_accuracy == 0.5
    assert evaluation.confusions == {("weekly", "biweekly"): 1}
    short = evaluation.group("up_to_monthly")
    assert (short.planted, short.recalled, short.detected, short.correct) == (2, 1, 3, 1)
    long = evaluation.group("quarterly_and_longer")
    assert (long.planted, long.recalled, long.detected) == (1, 0, 0)
    assert evaluation.to_dict()["groups"]["all"]["planted"] == 3
    assert len(evaluation.failures()) == 6 - within  # every target but next-date when within


def test_next_date_counts_only_active_mature_streams_with_a_real_next_date() -> None:
    next_date = date(2026, 7, 5)
    truth = [planted("A", "monthly", next_date), planted("B", "monthly", None)]
    statuses: tuple[Status, ...] = ("early_detection", "tombstoned")
    for status in statuses:
        found = [detected("A", "monthly", next_date, status), detected("B", "monthly", next_date)]
        tally = evaluate_streams([(found, truth)]).by_frequency["monthly"]
        assert (tally.correct, tally.next_checked, tally.next_date_accuracy) == (2, 0, None)


def test_counts_add_up_over_users() -> None:
    truth = [planted("A", "monthly", date(2026, 7, 5))]
    found = [detected("A", "monthly", date(2026, 7, 5))]
    evaluation = evaluate_streams([(found, truth), ([], truth), (found, [])])
    monthly = evaluation.by_frequency["monthly"]
    assert (monthly.planted, monthly.recalled, monthly.detected, monthly.correct) == (2, 1, 2, 1)
