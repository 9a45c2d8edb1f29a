"""/api/v1 routes of the insights engine: a user's signals and persona
assessments (app.services.insights). Consent gates them all: 403 for a user
who has not consented, before anything is read or computed."""

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.api.deps import JSON_BODY, PARENT_GONE, Responses, SessionDep, conflict, unknown
from app.models.persona import (
    DEFAULT_WINDOW,
    PersonaAssessment,
    PersonaAssessRequest,
    PersonaPublic,
    PersonaWindow,
)
from app.models.recommendation import Recommendations
from app.models.types import AsOfDate
from app.services.insights.assess import assess_user, user_signals
from app.services.insights.ranking import DEFAULT_RECOMMENDATIONS, MAX_RECOMMENDATIONS
from app.services.insights.recommendations import user_recommendations
from app.services.insights.signal_types import WindowSignals

router = APIRouter(tags=["insights"])

CONSENT: Responses = {
    **unknown("user"),
    403: {"description": "The user has not consented: nothing is computed or written"},
}
WindowQuery = Annotated[PersonaWindow, Query(description="The window: 30d or 180d")]
RecommendationCountQuery = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_RECOMMENDATIONS,
        description=f"How many items at most (1-{MAX_RECOMMENDATIONS})",
    ),
]
AsOfQuery = Annotated[
    AsOfDate | None,
    Query(description="The last day of the window, YYYY-MM-DD (UTC); default today"),
]


def today() -> date:
    return datetime.now(UTC).date()


@router.get(
    "/users/{user_id}/signals", name="signals", response_model=WindowSignals, responses=CONSENT
)
async def get_signals(
    user_id: str,
    session: SessionDep,
    window: WindowQuery = DEFAULT_WINDOW,
    as_of: AsOfQuery = None,
) -> WindowSignals:
    """The user's behavioural signals for the window ending with `as_of`
    (credit, income, subscriptions, savings). Computed on the fly; writes
    nothing."""
    return (await user_signals(session, user_id, as_of or today()))[window]


@router.post(
    "/users/{user_id}/personas/assess",
    name="assess",
    status_code=status.HTTP_201_CREATED,
    response_model=PersonaAssessment,
    dependencies=[JSON_BODY],
    responses={**CONSENT, **conflict(f"The user: {PARENT_GONE}")},
)
async def assess_personas(
    user_id: str, session: SessionDep, body: PersonaAssessRequest | None = None
) -> PersonaAssessment:
    """Compute the persona of both windows (30d, 180d) at `as_of` and store
    one persona row each, in one transaction."""
    as_of = (body.as_of if body is not None else None) or today()
    personas = await assess_user(session, user_id, as_of)
    return PersonaAssessment(items=[PersonaPublic.model_validate(p) for p in personas])


@router.get(
    "/users/{user_id}/recommendations",
    name="recommendations",
    response_model=Recommendations,
    responses=CONSENT,
)
async def get_recommendations(
    user_id: str,
    session: SessionDep,
    window: WindowQuery = DEFAULT_WINDOW,
    as_of: AsOfQuery = None,
    limit: RecommendationCountQuery = DEFAULT_RECOMMENDATIONS,
) -> Recommendations:
    """Content for the user's persona of the window ending with `as_of`:
    items whose persona_tags hold the persona or whose signal_tags hold one
    of its reason codes, best first (score: 2 per reason code answered, +1
    for the persona; then content id), each with a rationale citing the
    user's own reasons. Computed on the fly; writes nothing. Education, not
    financial advice (the `disclaimer`)."""
    return await user_recommendations(session, user_id, window, as_of or today(), limit)
