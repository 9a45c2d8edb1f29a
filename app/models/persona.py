"""Personas: behavioural profiles assigned to a user for a time window.

A row is either computed by the insights engine (app.services.insights:
`as_of`, `reasons`, `also_matched` and the `signals` snapshot it decided on)
or recorded by hand through POST /users/{id}/personas (those four empty).

PersonaType, the enum of persona names, is derived from the persona registry
(app.services.insights.persona_kinds), the one home of each persona.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy import Date, Float, Index, String
from sqlmodel import Field, Relationship, SQLModel

from app.models.common import owner_id
from app.models.types import (
    AsOfDate,
    ClientDatetime,
    JSONList,
    JSONObject,
    UTCDateTime,
    utcnow,
)
from app.services.insights.persona_kinds import PersonaType as PersonaType  # re-exported

if TYPE_CHECKING:
    from app.models.user import User


PersonaWindow = Literal["30d", "180d"]
DEFAULT_WINDOW: PersonaWindow = "30d"
WINDOW_DAYS: dict[PersonaWindow, int] = {"30d": 30, "180d": 180}

# A number in [0, 1]. Strict so `true` or "0.5" are refused rather than coerced;
# NaN and infinities are refused too (JSON parsers here accept them).
Confidence = Annotated[float, PydanticField(strict=True, ge=0, le=1, allow_inf_nan=False)]


class PersonaReason(BaseModel):
    """One condition that made the persona's rule hold, with the numbers it
    compared and a sentence built from them."""

    code: str
    value: float | None
    threshold: float | None
    account_id: str | None = None
    text: str


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
    user_id: str = owner_id("users.id")
    assigned_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    # Set on computed rows only (null on rows recorded by hand).
    as_of: date | None = Field(default=None, sa_type=Date)
    reasons: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSONList, sa_column_kwargs={"server_default": "[]"}
    )
    also_matched: list[str] = Field(
        default_factory=list, sa_type=JSONList, sa_column_kwargs={"server_default": "[]"}
    )
    signals: dict[str, Any] | None = Field(default=None, sa_type=JSONObject)

    user: "User" = Relationship(back_populates="personas")


class PersonaCreate(PersonaBase):
    # Omitted or null: the time of the request.
    assigned_at: ClientDatetime | None = None


class PersonaPublic(PersonaBase):
    id: int
    user_id: str
    assigned_at: datetime
    as_of: date | None = None
    reasons: list[PersonaReason] = []
    also_matched: list[PersonaType] = []
    signals: dict[str, Any] | None = None


class PersonaAssessRequest(BaseModel):
    """Body of POST /users/{id}/personas/assess; empty or absent: today (UTC)."""

    as_of: AsOfDate | None = None


class PersonaAssessment(BaseModel):
    """Both windows' computed personas, 30d first."""

    items: list[PersonaPublic]
