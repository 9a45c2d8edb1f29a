"""Users: people whose financial data the service holds."""

import re
from datetime import datetime
from typing import TYPE_CHECKING, Optional

import email_validator
from pydantic import EmailStr
from sqlalchemy import Index, String, false, func
from sqlmodel import Field, Relationship, SQLModel

from app.models.common import PatchModel
from app.models.types import Id, IdColumn, StorableText, StrictBool, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.account import Account
    from app.models.persona import Persona
    from app.models.recurring import RecurringChoice
    from app.models.stream_snapshot import StreamSnapshot


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


# email-validator refuses domains of special use (RFC 6761: .test, .local,
# .invalid, ...), which JSON Schema's "email" format admits: the pattern says so.
EMAIL_PATTERN = (
    r"^(?!.*@(?:.*\.)?(?:"
    + "|".join(_any_case(name) for name in email_validator.SPECIAL_USE_DOMAIN_NAMES)
    + r")\.?$)"
)
EMAIL_SCHEMA = {"json_schema_extra": {"pattern": EMAIL_PATTERN}}


class UserBase(SQLModel):
    name: StorableText = Field(min_length=1, max_length=200)
    email: EmailStr = Field(max_length=200, sa_type=String(200), schema_extra=EMAIL_SCHEMA)
    consent: StrictBool = Field(default=False, sa_column_kwargs={"server_default": false()})


class User(UserBase, table=True):
    __tablename__ = "users"
    # Serves the newest-first keyset pages of GET /users.
    __table_args__ = (Index("ix_users_created_at_id", "created_at", "id"),)
    id: str = Field(primary_key=True, max_length=50, sa_type=IdColumn)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)

    accounts: list["Account"] = Relationship(back_populates="user", cascade_delete=True)
    personas: list["Persona"] = Relationship(back_populates="user", cascade_delete=True)
    recurring_choices: list["RecurringChoice"] = Relationship(
        back_populates="user", cascade_delete=True
    )
    stream_snapshot: Optional["StreamSnapshot"] = Relationship(
        back_populates="user", cascade_delete=True, sa_relationship_kwargs={"uselist": False}
    )


# Email is unique regardless of case; the stored value keeps the client's case.
Index("ux_users_email_lower", func.lower(User.__table__.c.email), unique=True)  # type: ignore[attr-defined]


class UserCreate(UserBase):
    id: Id | None = None


class UserUpdate(PatchModel):
    not_nullable = ("name", "email", "consent")

    name: StorableText | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = Field(default=None, max_length=200, schema_extra=EMAIL_SCHEMA)
    consent: StrictBool | None = None


class ConsentUpdate(SQLModel):
    consent: StrictBool


class UserPublic(UserBase):
    id: str
    created_at: datetime
