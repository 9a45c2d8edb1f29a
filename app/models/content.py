"""Content: the educational catalogue recommended to users."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from app.models.common import PatchModel
from app.models.persona import PersonaType
from app.models.types import Id, JSONList, UTCDateTime, utcnow


class ContentType(StrEnum):
    article = "article"
    video = "video"
    tool = "tool"


class ContentSource(StrEnum):
    template = "template"
    llm = "llm"
    human = "human"


class ContentBase(SQLModel):
    type: ContentType = Field(sa_type=String(50))
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(default="", max_length=500)
    body: str = Field(default="", sa_type=Text)
    # Lists stored as JSON text, exposed as JSON arrays.
    persona_tags: list[PersonaType] = Field(default_factory=list, sa_type=JSONList)
    signal_tags: list[str] = Field(default_factory=list, sa_type=JSONList)
    source: ContentSource = Field(default=ContentSource.human, sa_type=String(50))


class Content(ContentBase, table=True):
    __tablename__ = "content"

    id: str = Field(primary_key=True, max_length=50)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class ContentCreate(ContentBase):
    id: Id | None = None


class ContentUpdate(PatchModel):
    not_nullable = ("type", "title", "summary", "body", "persona_tags", "signal_tags", "source")

    type: ContentType | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    summary: str | None = Field(default=None, max_length=500)
    body: str | None = None
    persona_tags: list[PersonaType] | None = None
    signal_tags: list[str] | None = None
    source: ContentSource | None = None


class ContentPublic(ContentBase):
    id: str
    created_at: datetime
