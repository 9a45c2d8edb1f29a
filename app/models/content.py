"""Content: the educational catalogue recommended to users."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, field_validator
from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from app.models.common import PatchModel
from app.models.persona import PersonaType
from app.models.types import Id, JSONList, UTCDateTime, utcnow

MAX_TAGS = 50
MAX_SIGNAL_TAG_LENGTH = 100


class ContentType(StrEnum):
    article = "article"
    video = "video"
    tool = "tool"


class ContentSource(StrEnum):
    template = "template"
    llm = "llm"
    human = "human"


def storable_text(value: str) -> str:
    """Refuse text no database can store: NUL (PostgreSQL rejects it) and lone
    surrogates (not encodable as UTF-8), which JSON escapes can smuggle in."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode (no unpaired surrogates)") from None
    return value


SignalTag = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_SIGNAL_TAG_LENGTH),
    AfterValidator(storable_text),
]


class ContentBase(SQLModel):
    type: ContentType = Field(sa_type=String(50))
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(default="", max_length=500)
    body: str = Field(default="", sa_type=Text)
    # Lists stored as JSON text, exposed as JSON arrays.
    persona_tags: list[PersonaType] = Field(
        default_factory=list, max_length=MAX_TAGS, sa_type=JSONList
    )
    signal_tags: list[SignalTag] = Field(
        default_factory=list, max_length=MAX_TAGS, sa_type=JSONList
    )
    source: ContentSource = Field(default=ContentSource.human, sa_type=String(50))


class Content(ContentBase, table=True):
    __tablename__ = "content"
    # Serves the newest-first keyset pages of GET /content.
    __table_args__ = (Index("ix_content_created_at_id", "created_at", "id"),)

    id: str = Field(primary_key=True, max_length=50)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class ContentCreate(ContentBase):
    id: Id | None = None

    @field_validator("title", "summary", "body")
    @classmethod
    def _storable(cls, value: str) -> str:
        return storable_text(value)


class ContentUpdate(PatchModel):
    not_nullable = ("type", "title", "summary", "body", "persona_tags", "signal_tags", "source")

    type: ContentType | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    summary: str | None = Field(default=None, max_length=500)
    body: str | None = None
    persona_tags: list[PersonaType] | None = Field(default=None, max_length=MAX_TAGS)
    signal_tags: list[SignalTag] | None = Field(default=None, max_length=MAX_TAGS)
    source: ContentSource | None = None

    @field_validator("title", "summary", "body")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        return None if value is None else storable_text(value)


class ContentPublic(ContentBase):
    id: str
    created_at: datetime
