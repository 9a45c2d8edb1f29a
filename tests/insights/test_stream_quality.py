"""Detection quality on users with planted streams (recurring.md, Quality):
the contract's targets, measured on 300 users of the planted-stream
generator with its messy options on. A quality test, not a timing test."""

from functools import cache

from app.services.insights.stream_evaluation import (
    FREQUENCY_TARGET,
    NEXT_DATE_TARGET,
    TARGETS,
    StreamEvaluation,
    evaluate_streams,
)
from app.services.insights.streams import FREQUENCIES, detect_streams
from app.services.synthetic.streams import generate_stream_users

USERS = 300


@cache
def evaluation() -> StreamEvaluation:
    users = generate_stream_users(USERS, seed=11)
    return evaluate_streams((detect_streams(user.rows, user.as_of), user.truth) for user in users)


def test_every_frequency_is_planted_often_enough_to_measure() -> None:
    planted = {name: tally.planted for name, tally in evaluation().by_frequency.items()}
    assert set(planted) == {frequency.name for frequency in FREQUENCIES}
    assert min(planted.values()) >= 50, planted


def test_recall_and_precision_of_merchant_frequency_pairs() -> None:
    for group, target in TARGETS.items():
        tally = evaluation().group(group)
        assert tally.recall is not None and tally.recall >= target, (group, tally.to_dict())
        assert tally.precision is not None and tally.precision >= target, (group, tally.to_dict())


def test_frequency_is_right_for_found_streams() -> None:
    accuracy = evaluation().frequency_accuracy
    assert accuracy is not None and accuracy >= FREQUENCY_TARGET, evaluation().confusions


def test_predicted_next_date_of_active_mature_streams() -> None:
    tally = evaluation().group("all")
    assert tally.next_checked >= 1_000
    assert tally.next_date_accuracy is not None and tally.next_date_accuracy >= NEXT_DATE_TARGET


def test_no_target_missed() -> None:
    assert evaluation().failures() == []
