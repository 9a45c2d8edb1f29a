"""Where a user's Plaid item stands: the `next_cursor` of the last
/transactions/sync page applied, so a fetcher knows where to resume."""

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from app.models.types import IdColumn, UTCDateTime, utcnow


class PlaidCursor(SQLModel, table=True):
    __tablename__ = "plaid_cursors"

    user_id: str = Field(
        primary_key=True, foreign_key="users.id", ondelete="CASCADE", sa_type=IdColumn
    )
    item_id: str = Field(primary_key=True, max_length=50, sa_type=IdColumn)
    cursor: str | None = Field(default=None, sa_type=Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class PlaidCursorPublic(BaseModel):
    item_id: str
    cursor: str | None  # null before the first page
