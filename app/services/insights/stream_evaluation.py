"""How well detected streams recover planted ones (recurring.md, Quality):
recall and precision of (merchant, frequency) pairs per frequency, the share
of found streams whose frequency is right, and how often predicted_next_date
lands within 3 days of the real next occurrence for active mature streams.

Pure: it compares lists. A planted stream and a detected one are the same
merchant when they share the stream id (account, direction, merchant key);
the planted stream's next occurrence was held out of the rows detection
read, so its prediction is checked against the real one.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from app.services.insights.streams import (
    FREQUENCIES,
    Direction,
    Stream,
    group_key,
    stream_id_of,
)

NEXT_DATE_DAYS = 3
LONG = frozenset({"quarterly", "semi_annually", "annually"})
# The contract's targets: (recall, precision) by period group; frequency
# right; next date within 3 days.
TARGETS = {"up_to_monthly": 0.97, "quarterly_and_longer": 0.90}
FREQUENCY_TARGET = 0.98
NEXT_DATE_TARGET = 0.90


class Planted(Protocol):
    """What the evaluation reads of a planted stream."""

    @property
    def account_id(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def merchant_name(self) -> str | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def category(self) -> str: ...
    @property
    def frequency(self) -> str: ...
    @property
    def next_date(self) -> date | None: ...


def planted_stream_id(planted: Planted) -> str:
    key = group_key(planted.merchant_name, planted.description, planted.category)
    direction: Direction = "inflow" if planted.direction == "inflow" else "outflow"
    return stream_id_of(planted.account_id, direction, key)


@dataclass
class Tally:
    """Counts for one frequency (or a group of them)."""

    planted: int = 0
    recalled: int = 0  # planted streams detected with their frequency
    detected: int = 0
    correct: int = 0  # detected streams planted with that frequency
    next_checked: int = 0  # active mature detected streams with a real next date
    next_within: int = 0

    def add(self, other: "Tally") -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def recall(self) -> float | None:
        return self.recalled / self.planted if self.planted else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.detected if self.detected else None

    @property
    def next_date_accuracy(self) -> float | None:
        return self.next_within / self.next_checked if self.next_checked else None

    def to_dict(self) -> dict[str, Any]:
        return {
            **vars(self),
            "recall": self.recall,
            "precision": self.precision,
            "next_date_accuracy": self.next_date_accuracy,
        }


@dataclass
class StreamEvaluation:
    by_frequency: dict[str, Tally] = field(
        default_factory=lambda: {frequency.name: Tally() for frequency in FREQUENCIES}
    )
    # Detected streams of a planted merchant, and those with its frequency.
    merchant_found: int = 0
    frequency_right: int = 0
    # (planted frequency, detected frequency) -> count, where they differ.
    confusions: dict[tuple[str, str], int] = field(default_factory=dict)

    def group(self, name: str) -> Tally:
        """`up_to_monthly`, `quarterly_and_longer` or `all`."""
        total = Tally()
        for frequency, tally in self.by_frequency.items():
            long = frequency in LONG
            if name == "all" or (name == "quarterly_and_longer") == long:
                total.add(tally)
        return total

    @property
    def frequency_accuracy(self) -> float | None:
        return self.frequency_right / self.merchant_found if self.merchant_found else None

    def failures(self) -> list[str]:
        """The contract's targets this evaluation misses, in words."""
        missed = []
        for name, target in TARGETS.items():
            tally = self.group(name)
            for measure in ("recall", "precision"):
                value = getattr(tally, measure)
                if value is None or value < target:
                    missed.append(f"{name} {measure} {value} < {target}")
        accuracy = self.frequency_accuracy
        if accuracy is None or accuracy < FREQUENCY_TARGET:
            missed.append(f"frequency accuracy {accuracy} < {FREQUENCY_TARGET}")
        next_accuracy = self.group("all").next_date_accuracy
        if next_accuracy is None or next_accuracy < NEXT_DATE_TARGET:
            missed.append(f"next date accuracy {next_accuracy} < {NEXT_DATE_TARGET}")
        return missed

    def to_dict(self) -> dict[str, Any]:
        groups = ("up_to_monthly", "quarterly_and_longer", "all")
        return {
            "by_frequency": {name: tally.to_dict() for name, tally in self.by_frequency.items()},
            "groups": {name: self.group(name).to_dict() for name in groups},
            "frequency_accuracy": self.frequency_accuracy,
            "confusions": {f"{a}->{b}": n for (a, b), n in sorted(self.confusions.items())},
        }


def evaluate_streams(
    users: Iterable[tuple[Sequence[Stream], Sequence[Planted]]],
) -> StreamEvaluation:
    """Scores over users given as (detected streams, planted streams): the
    detected streams are all of them, tombstoned ones included."""
    evaluation = StreamEvaluation()
    for detected, planted in users:
        _score_user(evaluation, detected, planted)
    return evaluation


def _score_user(
    evaluation: StreamEvaluation, detected: Sequence[Stream], planted: Sequence[Planted]
) -> None:
    by_id = {planted_stream_id(stream): stream for stream in planted}
    found = {stream.stream_id: stream for stream in detected}
    tallies = evaluation.by_frequency
    for stream_id, truth in by_id.items():
        tally = tallies[truth.frequency]
        tally.planted += 1
        match = found.get(stream_id)
        if match is not None and match.frequency == truth.frequency:
            tally.recalled += 1
    for stream in detected:
        tally = tallies[stream.frequency]
        tally.detected += 1
        planted_as = by_id.get(stream.stream_id)
        if planted_as is None:
            continue
        truth = planted_as
        evaluation.merchant_found += 1
        if truth.frequency != stream.frequency:
            pair = (truth.frequency, stream.frequency)
            evaluation.confusions[pair] = evaluation.confusions.get(pair, 0) + 1
            continue
        evaluation.frequency_right += 1
        tally.correct += 1
        if stream.is_active and stream.status == "mature" and truth.next_date is not None:
            tally.next_checked += 1
            off = abs((stream.predicted_next_date - truth.next_date).days)
            tally.next_within += off <= NEXT_DATE_DAYS
