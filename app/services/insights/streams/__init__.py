"""Recurring streams (the contract's recurring.md; docs/recurring.md in the
project's words): pure functions over plain rows, no database, no HTTP.

    streams = detect_streams(rows, as_of)              # every stream, as detected
    streams = apply_user_choices(streams, choices, as_of)   # confirmed / dismissed
    inflow, outflow = recurring_lists(streams, include_inactive)

Where the contract is silent (each also in docs/recurring.md):
- Rows without a merchant key group by their description lower-cased, digits
  removed and whitespace runs made one space; rows with neither by category.
  Keys of the three kinds never meet ("Netflix" the merchant and "NETFLIX"
  the description are two groups).
- One stream at most per (account, direction, merchant key): the one that
  ends with the group's newest charge. A charge off the schedule after the
  stream's last occurrence therefore ends it, as one between its dates does.
- A stream with fewer than 6 occurrences whose first one follows another
  charge of the merchant within two periods (120 days at most) is the tail
  of a denser habit, not a stream.
- Price changes: between steady runs (within 5 %) of at least two charges;
  the newest charge alone may start a new price. Loose charges join the
  nearer part; more than one in six loose means the amounts just vary (one
  part).
- Semi-monthly anchor days are 12-18 days apart.
- `mature` counts nominal periods in days: `last_date - first_date >= 3 x
  30.44` for monthly (so Jan 15 - Apr 15, 90 days, is still early).
- predicted_next_date is the slot after the last occurrence's slot (a
  payment made early for a weekend slot is not followed by that same slot).
- Weekend moves are learned only from occurrences exactly on the weekend
  day, the Friday before or the Monday after; weekly and biweekly streams
  keep their weekday.
"""

from app.services.insights.streams.detect import detect_streams, mean_half_even
from app.services.insights.streams.grouping import group_key, stream_id_of
from app.services.insights.streams.records import (
    BY_NAME,
    FREQUENCIES,
    Direction,
    Frequency,
    Status,
    Stream,
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
    "Status",
    "Stream",
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
