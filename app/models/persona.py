"""Personas: behavioural profiles assigned to a user for a time window."""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field as PydanticField
from sqlalchemy import Float, Index, String
from sqlmodel import Field, Relationship, SQLModel

from app.models.types import ClientDatetime, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.user import User


class PersonaType(StrEnum):
    high_utilization = "high_utilization"
    variable_income = "variable_income"
    subscription_heavy = "subscription_heavy"
    savings_builder = "savings_builder"
    balanced = "balanced"


PersonaWindow = Literal["30d", "180d"]
DEFAULT_WINDOW: PersonaWindow = "30d"

# A number in [0, 1]. Strict so `true` or "0.5" are refused rather than coerced;
# NaN and infinities are refused too (JSON parsers here accept them).
Confidence = Annotated[float, PydanticField(strict=True, ge=0, le=1, allow_inf_nan=False)]


class PersonaBase(SQLModel):
    window: PersonaWindow = Field(sa_type=String(10))
    persona_type: PersonaType = Field(sa_type=String(50))
    confidence: Confidence = Field(sa_type=Float)


class Persona(PersonaBase, table=True):
    __tablename__ = "personas"
    # Serves a user's newest-first history and the current persona of a window.
    __table_args__ = (
        Index("ix_personas_user_window_assigned", "user_id", "window", "assigned_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(
        foreign_key="users.id", ondelete="CASCADE", index=True, nullable=False, max_length=50
    )
    assigned_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)

    user: "User" = Relationship(back_populates="personas")


class PersonaCreate(PersonaBase):
    # Omitted or null: the time of the request.
    assigned_at: ClientDatetime | None = None


class PersonaPublic(PersonaBase):
    id: int
    user_id: str
    assigned_at: datetime
