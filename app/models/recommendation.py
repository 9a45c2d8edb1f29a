"""Recommendations: catalogue content picked for a user's persona of one
window, each item with its score and rationale (the body of
GET /users/{id}/recommendations). Computed on the fly, never stored."""

from datetime import date

from pydantic import BaseModel, Field

from app.models.content import ContentPublic
from app.models.persona import PersonaReason, PersonaType, PersonaWindow


class RecommendationPersona(BaseModel):
    """The persona the items were picked for: the window's decision at
    `as_of`, with the reasons the rationales cite."""

    persona_type: PersonaType
    confidence: float = Field(ge=0, le=1)
    reasons: list[PersonaReason]
    also_matched: list[PersonaType]
    window: PersonaWindow
    as_of: date


class RecommendedContent(ContentPublic):
    """A catalogue item (its public fields) with why it was picked."""

    score: int = Field(
        ge=1,
        description="2 per reason code of the persona in signal_tags, +1 if persona_tags "
        "hold the persona",
    )
    rationale: str = Field(
        description="One sentence: which of the user's reasons the item answers, with the "
        "user's numbers"
    )


class Recommendations(BaseModel):
    persona: RecommendationPersona
    items: list[RecommendedContent] = Field(description="Best first: score, then content id")
    disclaimer: str
