"""Recurring streams (the contract's recurring.md; docs/recurring.md says it
in the project's words): pure functions over plain rows, no database, no HTTP.

    streams = detect_streams(rows, as_of)                   # every stream, as detected
    streams = apply_user_choices(streams, choices, as_of)   # confirmed / dismissed
    inflow, outflow = recurring_lists(streams, include_inactive)

Where the contract is silent (docs/recurring.md, "Choices", has them all):
- Rows without a merchant key group by their description lower-cased, digits
  removed, whitespace runs made one space; rows with neither by category.
  The three kinds of key never meet.
- One stream at most per (account, direction, merchant key): the one that
  ends with the group's newest charge and reaches back as far as its
  schedule holds.
- Evidence beyond the least counts: one more occurrence when one is missing;
  one price (within 5 %) for two quarterly-or-longer or three semi-monthly
  charges. A young stream (under 6 occurrences) after other charges of the
  merchant, or beside off-schedule ones on another account, is a habit's
  tail unless those charges were an earlier episode of it.
- Price changes need two charges at the old price; the newest charge alone
  may start a new one. Semi-monthly anchor days are 12-18 days apart.
- `mature` counts nominal periods in days (Jan 15 - Apr 15 is early).
- predicted_next_date is the slot after the newest occurrence's; weekend
  moves are learnt from occurrences exactly on the weekend day, the Friday
  before or the Monday after; weekly and biweekly keep their weekday.
"""

from app.services.insights.streams.detect import detect_streams, mean_half_even
from app.services.insights.streams.grouping import group_key, stream_id_of
from app.services.insights.streams.records import (
    BY_NAME,
    FREQUENCIES,
    Direction,
    Frequency,
    FrequencyName,
    Status,
    Stream,
    StreamRow,
    StreamTxn,
    UserStatus,
)
from app.services.insights.streams.status import (
    apply_user_choices,
    recurring_lists,
    stream_status,
)

__all__ = [
    "BY_NAME",
    "FREQUENCIES",
    "Direction",
    "Frequency",
    "FrequencyName",
    "Status",
    "Stream",
    "StreamRow",
    "StreamTxn",
    "UserStatus",
    "apply_user_choices",
    "detect_streams",
    "group_key",
    "mean_half_even",
    "recurring_lists",
    "stream_id_of",
    "stream_status",
]
