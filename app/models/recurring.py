"""Recurring streams: what a user's money does regularly (computed, never
stored) and the user's own choices about it (stored, one row per stream).

The streams themselves are detected on every read from the user's settled
transactions (app.services.insights.recurring); the only thing stored is what
the user said about a stream: `confirmed` or `dismissed`, keyed by the
stream's stable id, so it survives new data and re-detection. A user's
choices go with the user (ON DELETE CASCADE).
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy import String
from sqlmodel import Field, Relationship, SQLModel

from app.models.common import owner_key
from app.models.types import AsOfDate, IdColumn, UTCDateTime, utcnow
from app.services.insights.streams.records import Stream, UserStatus

if TYPE_CHECKING:
    from app.models.user import User


class RecurringChoiceBase(SQLModel):
    user_status: UserStatus = Field(sa_type=String(10))


class RecurringChoice(RecurringChoiceBase, table=True):
    """The user's choice about one of their streams. A choice for a stream
    not detected at some as-of date is kept for the dates it is."""

    __tablename__ = "recurring_choices"

    user_id: str = owner_key("users.id")
    stream_id: str = Field(primary_key=True, max_length=50, sa_type=IdColumn)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)

    user: "User" = Relationship(back_populates="recurring_choices")


class RecurringChoiceUpdate(BaseModel):
    """Body of PATCH /users/{id}/recurring/{stream_id}: `user_status` is
    required; null clears the choice."""

    user_status: UserStatus | None


# The stream object of the contract is detection's own record, a dataclass
# (app.services.insights.streams.Stream): the responses' schema is made from
# it, so the two cannot drift apart. Amounts in cents with the API's sign.
RecurringStreamPublic = Stream


class RecurringStreams(BaseModel):
    """A user's streams at `as_of`, money in and money out, each by
    `average_amount` magnitude, largest first, then `stream_id`."""

    as_of: date
    inflow_streams: list[Stream]
    outflow_streams: list[Stream]


class RecurringQuery(BaseModel):
    """Query parameters of GET /users/{id}/recurring."""

    as_of: AsOfDate | None = PydanticField(
        None, description="The last day of the history read, YYYY-MM-DD (UTC); default today"
    )
    include_inactive: bool = PydanticField(
        False, description="Also list tombstoned streams (is_active false)"
    )
