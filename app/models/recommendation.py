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


# Why `items` is empty, for the person reading the response.
EMPTY_CATALOG_NOTE = (
    "The content catalog is empty, so there is nothing to recommend: load the built-in "
    "catalog with `spendsense seed --users 0`, or add items with POST /api/v1/content."
)
NO_MATCH_NOTE = (
    "No content item matches this persona or its reasons: add items whose persona_tags "
    "hold the persona or whose signal_tags hold one of its reason codes."
)


def empty_note(catalog_size: int) -> str:
    """The note of a response without items, from the size of the catalog."""
    return NO_MATCH_NOTE if catalog_size else EMPTY_CATALOG_NOTE


class Recommendations(BaseModel):
    persona: RecommendationPersona
    items: list[RecommendedContent] = Field(description="Best first: score, then content id")
    disclaimer: str
    note: str | None = Field(
        default=None,
        description="Why `items` is empty (an empty content catalog, or no item matching "
        "the persona), in a sentence; null when there are items",
    )
