"""/api/v1 routes of a user's recurring streams (app.services.insights.recurring):
the streams detected at a date, and the user's confirm / dismiss choice
about one. Consent gates both: 403 before anything is read or written."""

from fastapi import APIRouter, Request, Response

from app.api.deps import (
    JSON_BODY,
    PARENT_GONE,
    Responses,
    SessionDep,
    conflict,
    json_response,
)
from app.api.direct_route import DirectRoutes
from app.api.insights import CONSENT, AsOfQuery, today
from app.api.params import parse_query, query_parameters
from app.db import database_of, open_session
from app.models.recurring import (
    RecurringChoiceUpdate,
    RecurringQuery,
    RecurringStreamPublic,
    RecurringStreams,
)
from app.services.insights.recurring import set_user_status, stream_body, user_recurring

# The PATCH's refusals beside the shared ones (app.api.openapi).
STREAM: Responses = {
    404: {"description": "Unknown user, or no such stream detected at `as_of`"},
    403: CONSENT[403],
    **conflict(f"The user: {PARENT_GONE}"),
}
router = APIRouter(tags=["recurring"])
direct = DirectRoutes(tags=["recurring"])


@direct.get(
    "/users/{user_id}/recurring",
    name="list",
    response_model=RecurringStreams,
    responses=CONSENT,
    openapi_extra={"parameters": query_parameters(RecurringQuery)},
)
async def list_recurring(user_id: str, request: Request) -> Response:
    """The user's recurring streams at `as_of` (default today, UTC), from all
    their settled transactions dated on or before it: money in
    (`inflow_streams`) and money out (`outflow_streams`), each ordered by
    `average_amount` magnitude, largest first, then `stream_id`. Tombstoned
    streams (overdue by more than half a period plus 5 days) are listed only
    with `include_inactive=true`; dismissed ones are listed with
    `user_status` `dismissed`. Computed from the transactions, or served from
    the copy the last assessment stored while it still holds; writes
    nothing. (A DirectRoute: its query string validated in one pydantic
    call, its JSON written by orjson.)"""
    query = parse_query(request, RecurringQuery)
    async with open_session(database_of(request).engine) as session:
        body = await user_recurring(
            session, user_id, query.as_of or today(), query.include_inactive
        )
    return json_response(body)


@router.patch(
    "/users/{user_id}/recurring/{stream_id}",
    name="update",
    response_model=RecurringStreamPublic,
    dependencies=[JSON_BODY],
    responses=STREAM,
)
async def update_recurring(
    user_id: str,
    stream_id: str,
    body: RecurringChoiceUpdate,
    session: SessionDep,
    as_of: AsOfQuery = None,
) -> Response:
    """Record the user's choice about one of their streams: `confirmed`,
    `dismissed`, or null to clear it. The stream must be among those
    detected at `as_of` (tombstoned ones count), else 404. The choice is kept
    by stream id and applied on every later detection, whatever new data
    arrives. A dismissed stream stays listed; a confirmed one is tombstoned
    only when `as_of` is also more than twice its period after `last_date`.
    Answers the stream with the choice applied."""
    stream = await set_user_status(session, user_id, stream_id, body.user_status, as_of or today())
    return json_response(stream_body(stream))
