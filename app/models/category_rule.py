"""A user's own category rules: the category the user gave a merchant (by
PATCH on one of its transactions), which later imports of the same merchant
get. Keyed by the insights engine's merchant key (lower case, whitespace
collapsed), so every spelling the normalizer maps to one name shares it."""

from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.models.types import IdColumn, UTCDateTime, utcnow


class CategoryRule(SQLModel, table=True):
    __tablename__ = "category_rules"

    user_id: str = Field(
        primary_key=True, foreign_key="users.id", ondelete="CASCADE", sa_type=IdColumn
    )
    merchant_key: str = Field(primary_key=True, max_length=200, sa_type=String(200))
    category: str = Field(max_length=100, sa_type=String(100))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
