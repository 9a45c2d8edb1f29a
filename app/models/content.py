"""Content: the educational catalogue recommended to users."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints
from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from app.models.common import PatchModel
from app.models.persona import PersonaType
from app.models.types import Id, IdColumn, JSONList, StorableText, UTCDateTime, utcnow

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


SignalTag = Annotated[
    StorableText, StringConstraints(min_length=1, max_length=MAX_SIGNAL_TAG_LENGTH)
]


class ContentBase(SQLModel):
    type: ContentType = Field(sa_type=String(50))
    title: StorableText = Field(min_length=1, max_length=200)
    summary: StorableText = Field(default="", max_length=500)
    body: StorableText = Field(default="", sa_type=Text)
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

    id: str = Field(primary_key=True, max_length=50, sa_type=IdColumn)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class ContentCreate(ContentBase):
    id: Id | None = None


class ContentUpdate(PatchModel):
    not_nullable = ("type", "title", "summary", "body", "persona_tags", "signal_tags", "source")

    type: ContentType | None = None
    title: StorableText | None = Field(default=None, min_length=1, max_length=200)
    summary: StorableText | None = Field(default=None, max_length=500)
    body: StorableText | None = None
    persona_tags: list[PersonaType] | None = Field(default=None, max_length=MAX_TAGS)
    signal_tags: list[SignalTag] | None = Field(default=None, max_length=MAX_TAGS)
    source: ContentSource | None = None


class ContentPublic(ContentBase):
    id: str
    created_at: datetime
