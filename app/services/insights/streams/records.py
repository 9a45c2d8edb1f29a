"""What stream detection reads and what it hands back: the plain transaction
row, the stream record of the contract, and the frequencies with their
nominal periods and tolerances."""

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, NamedTuple

Direction = Literal["inflow", "outflow"]
Status = Literal["mature", "early_detection", "tombstoned"]
UserStatus = Literal["confirmed", "dismissed"]
FrequencyName = Literal[
    "weekly", "biweekly", "semi_monthly", "monthly", "quarterly", "semi_annually", "annually"
]


class StreamTxn(NamedTuple):
    """One transaction as detection needs it; a cursor row in this column
    order becomes one with `StreamTxn._make(row)`. `date` is UTC text that
    starts with `YYYY-MM-DD` (the reader's `YYYY-MM-DD HH:MM:SS.ffffff`);
    all rows of one call share one format, so text order is time order.
    `amount` is cents, positive = money out."""

    id: str
    account_id: str
    date: str
    amount: int
    merchant_name: str | None
    description: str | None
    category: str
    pending: bool


# What detection reads: a StreamTxn, or a plain tuple in its column order
# (a reader's rows as the driver gives them).
StreamRow = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Frequency:
    """A stream frequency: its nominal period (days), how far an occurrence
    may drift from its scheduled date, and the occurrences it needs."""

    name: FrequencyName
    period_days: float
    tolerance_days: int
    min_occurrences: int
    # The periods `last_date - first_date` must span for `mature`.
    mature_periods: int
    # The day gaps possible between consecutive charges of a stream, one or
    # two steps apart (one occurrence missing), each end drifting: a quick
    # filter. Semi-monthly steps are 10-19 days (anchor days 12-18 apart).
    gaps: tuple[range, range]

    def fits_gap(self, gap: int) -> bool:
        one, two = self.gaps
        return gap in one or gap in two


def _gaps(
    one_step: tuple[int, int], two_steps: tuple[int, int], tolerance: int
) -> tuple[range, range]:
    drift = 2 * tolerance
    return (
        range(one_step[0] - drift, one_step[1] + drift + 1),
        range(two_steps[0] - drift, two_steps[1] + drift + 1),
    )


WEEKLY = Frequency("weekly", 7, 1, 3, 3, _gaps((7, 7), (14, 14), 1))
BIWEEKLY = Frequency("biweekly", 14, 3, 3, 3, _gaps((14, 14), (28, 28), 3))
SEMI_MONTHLY = Frequency("semi_monthly", 15.22, 3, 3, 3, _gaps((10, 19), (28, 31), 3))
MONTHLY = Frequency("monthly", 30.44, 3, 3, 3, _gaps((28, 31), (59, 62), 3))
QUARTERLY = Frequency("quarterly", 91.31, 3, 2, 2, _gaps((89, 92), (181, 184), 3))
SEMI_ANNUALLY = Frequency("semi_annually", 182.63, 3, 2, 2, _gaps((181, 184), (365, 366), 3))
ANNUALLY = Frequency("annually", 365.25, 3, 2, 2, _gaps((365, 366), (730, 731), 3))

FREQUENCIES = (WEEKLY, BIWEEKLY, SEMI_MONTHLY, MONTHLY, QUARTERLY, SEMI_ANNUALLY, ANNUALLY)
BY_NAME: dict[str, Frequency] = {frequency.name: frequency for frequency in FREQUENCIES}


@dataclass(frozen=True, slots=True)
class Stream:
    """A recurring stream, field for field the stream object of the contract.
    Amounts are cents with the API's sign (inflows negative); the lists are
    tuples so that a stream can be shared and compared."""

    stream_id: str
    account_id: str
    direction: Direction
    merchant_name: str | None
    description: str | None
    category: str
    frequency: FrequencyName
    first_date: date
    last_date: date
    predicted_next_date: date
    average_amount: int
    last_amount: int
    amount_range: tuple[int, int]
    transaction_ids: tuple[str, ...]
    status: Status
    is_active: bool
    user_status: UserStatus | None = None
