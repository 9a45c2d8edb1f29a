"""/api/v1 route of the export: a user's data as an OFX or CSV file,
streamed (app.services.export)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from app.api.deps import SessionDep
from app.db import database_of
from app.models.types import Id
from app.services import export

router = APIRouter(tags=["exports"])

_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/users/{user_id}/export",
    name="download",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The file (a download: Content-Disposition attachment)",
            "content": {"application/x-ofx": _FILE, "text/csv": _FILE},
        },
        404: {"description": "Unknown user, or an account_id that is not the user's"},
    },
)
async def export_user(
    user_id: str,
    request: Request,
    session: SessionDep,
    format: Annotated[Literal["ofx", "csv"], Query(description="ofx (OFX 2.2 XML) or csv")],
    account_id: Annotated[Id | None, Query(description="Only this account")] = None,
) -> StreamingResponse:
    """Every account of the user (or one) and its transactions, streamed:
    OFX 2 with one statement per account (FITID = our transaction id) and
    posted transactions only (OFX has no pending state), or CSV with the
    columns our import reads plus category and merchant, pending rows under
    a "Pending transactions" title. The user's right of access: no consent
    is needed."""
    await export.check(session, user_id, account_id)
    await session.close()  # the stream reads on a session of its own
    chunks = export.export_chunks(database_of(request).engine, user_id, format, account_id)
    filename = f"spendsense-{user_id}{'-' + account_id if account_id else ''}.{format}"
    return StreamingResponse(
        chunks,
        media_type=export.MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
