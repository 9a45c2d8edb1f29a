"""The planted-stream generator: deterministic, dated up to as_of, and its
truth is what the rows hold."""

import random
from collections import Counter
from datetime import date, timedelta

from app.services.insights.streams import BY_NAME, detect_streams, group_key
from app.services.synthetic.streams import (
    DEFAULT_AS_OF,
    ONE_OFFS,
    generate_stream_user,
    generate_stream_users,
)

USERS = generate_stream_users(60, seed=3)


def test_the_same_user_every_time() -> None:
    again = generate_stream_user(7, seed=3)
    assert (again.rows, again.truth) == (USERS[7].rows, USERS[7].truth)
    assert generate_stream_user(8, seed=3).rows != again.rows
    assert generate_stream_user(7, seed=4).rows != again.rows


def test_rows_are_dated_within_the_history_with_unique_ids() -> None:
    for user in USERS:
        texts = [row.date for row in user.rows]
        assert min(texts)[:10] >= user.first_day.isoformat()
        assert max(texts)[:10] <= DEFAULT_AS_OF.isoformat() == user.as_of.isoformat()
        assert all(len(text) == 26 and text[10] == " " for text in texts)
        assert len({row.id for row in user.rows}) == len(user.rows)
        assert all(row.amount for row in user.rows)


def test_the_truth_is_in_the_rows() -> None:
    for user in USERS:
        settled = Counter(
            (
                row.account_id,
                group_key(row.merchant_name, row.description, row.category),
                row.date[:10],
            )
            for row in user.rows
            if not row.pending
        )
        for stream in user.truth:
            frequency = BY_NAME[stream.frequency]
            assert len(stream.dates) >= frequency.min_occurrences
            assert list(stream.dates) == sorted(stream.dates)
            key = group_key(stream.merchant_name, stream.description, stream.category)
            for day in stream.dates:
                assert settled[stream.account_id, key, day.isoformat()] == 1
            gaps = [(b - a).days for a, b in zip(stream.dates, stream.dates[1:], strict=False)]
            assert all(frequency.fits_gap(gap) for gap in gaps), (stream, gaps)
            assert stream.next_date is None or stream.next_date > user.as_of
            assert stream.next_date is None or frequency.fits_gap(
                (stream.next_date - stream.dates[-1]).days
            )


def test_every_frequency_and_the_messy_options_appear() -> None:
    frequencies = Counter(stream.frequency for user in USERS for stream in user.truth)
    assert set(frequencies) == set(BY_NAME), frequencies
    assert any(stream.merchant_name is None for user in USERS for stream in user.truth)
    assert any(stream.next_date is None for user in USERS for stream in user.truth)
    # Annual charges twice in the history: users with 13 months or more.
    annual = [user for user in USERS for s in user.truth if s.frequency == "annually"]
    assert annual and all(user.as_of - user.first_day >= timedelta(days=365) for user in annual)
    assert any(row.pending for user in USERS for row in user.rows)


def test_lookalikes_that_must_not_be_found() -> None:
    for user in USERS:
        one_offs = [row for row in user.rows if row.merchant_name in ONE_OFFS]
        assert len(one_offs) == 2
        first, second = (date.fromisoformat(row.date[:10]) for row in one_offs)
        assert 28 <= (second - first).days <= 33
        coffee = [
            date.fromisoformat(r.date[:10]) for r in user.rows if r.merchant_name == "Corner Coffee"
        ]
        assert all(1 <= (b - a).days <= 4 for a, b in zip(coffee, coffee[1:], strict=False))
        planted = {(s.account_id, s.merchant_name) for s in user.truth}
        assert all((row.account_id, row.merchant_name) not in planted for row in one_offs)


def test_without_mess_nothing_is_pending_and_nothing_drifts() -> None:
    user = generate_stream_user(5, seed=3, messy=False)
    assert not any(row.pending for row in user.rows)
    assert not any(row.merchant_name in ONE_OFFS for row in user.rows)
    for stream in user.truth:
        if stream.frequency in ("weekly", "biweekly"):
            steps = {(b - a).days for a, b in zip(stream.dates, stream.dates[1:], strict=False)}
            assert steps == {BY_NAME[stream.frequency].period_days}


def test_detection_does_not_depend_on_the_order_of_the_rows() -> None:
    """The reader of one user sends its rows unsorted."""
    for user in USERS[:20]:
        shuffled = list(user.rows)
        random.Random(user.user_id).shuffle(shuffled)
        assert detect_streams(shuffled, user.as_of) == detect_streams(user.rows, user.as_of)
