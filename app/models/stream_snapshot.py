"""Stored recurring streams: a user's streams as `spendsense assess` (or the
assess route) detected them for one as-of date, so that GET /recurring can
serve them without reading the whole history again.

A row is only a copy: the streams follow from the transactions, and the
service computes them from the transactions whenever the copy cannot be
used (app.services.insights.stream_store says when). `data_version` counts
the writes to the user's transactions: every write path bumps it and clears
the copy, and a copy is stored only under the version it was computed from,
so a write that lands while streams are being computed leaves no stale copy.

`assessed_version` is the data_version the user's newest persona assessment
was computed from (null: never assessed, or assessed before it was kept):
`spendsense assess --changed-only` re-assesses the users whose data_version
has moved past it. One counter of changes serves both copies.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Date, Text
from sqlmodel import Field, Relationship, SQLModel

from app.models.common import owner_key
from app.models.types import UTCDateTime

if TYPE_CHECKING:
    from app.models.user import User


class StreamSnapshot(SQLModel, table=True):
    __tablename__ = "stream_snapshots"

    user_id: str = owner_key("users.id")
    data_version: int = Field(
        default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": "0"}
    )
    # The date the streams were detected for; null while there is no copy.
    as_of: date | None = Field(default=None, sa_type=Date)
    # The detected streams as JSON text (stream_store.encode), user choices
    # left out; null while there is no copy.
    streams: str | None = Field(default=None, sa_type=Text)
    computed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    assessed_version: int | None = Field(default=None, sa_type=BigInteger)

    user: "User" = Relationship(back_populates="stream_snapshot")
