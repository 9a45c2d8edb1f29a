"""The console's pages under /console: thin routes that check the operator
(app.console.guard), call the services (app.console.service and the
domain services) and render a template. Nothing here goes through the HTTP
API. No user data travels in a URL beyond ids: searches and every change
are POSTed forms, each carrying the session's CSRF token.
"""

import base64
import binascii
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from app.api.deps import SessionDep
from app.api.insights import today
from app.console import service
from app.console import session as sessions
from app.console.guard import (
    ConsoleRoute,
    base_path,
    checked_form,
    operator,
    page,
    replace_session,
)
from app.services import users
from app.services.errors import InvalidInput, NotFound, TooLarge

router = APIRouter(prefix="/console", include_in_schema=False, route_class=ConsoleRoute)
AsOf = Annotated[date | None, Query(description="The last day shown, YYYY-MM-DD; default today")]


def _text(value: object, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _user_url(request: Request, user_id: str, as_of: str = "") -> str:
    """The user page, at the form's as_of when it is a date (nothing else
    goes into the address)."""
    try:
        query = f"?as_of={date.fromisoformat(as_of).isoformat()}" if as_of else ""
    except ValueError:
        query = ""
    return f"{base_path(request)}/users/{user_id}{query}"


# --- signing in -----------------------------------------------------------------


@router.get("/login")
async def login_form(request: Request) -> Response:
    if sessions.api_key() is None:
        return RedirectResponse(base_path(request), status_code=303)
    return page(request, "login.html")


@router.post("/login")
async def login(request: Request) -> Response:
    """The API key, once per browser session: a new session (and CSRF token)
    on success, 401 and the form again otherwise."""
    form = await checked_form(request, allow_anonymous=True)
    if not sessions.key_matches(_text(form.get("api_key"))):
        return page(request, "login.html", 401, error="That is not the service's API key.")
    replace_session(request, sessions.Session.new(authenticated=True))
    return RedirectResponse(base_path(request), status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    replace_session(request, sessions.Session.new())
    return RedirectResponse(f"{base_path(request)}/login", status_code=303)


# --- search ---------------------------------------------------------------------


@router.get("")
async def search_page(request: Request, session: SessionDep) -> Response:
    """Every user, by id, the first page (searching POSTs the query)."""
    operator(request)
    found = await service.search_users(session, "", None)
    return page(request, "search.html", query="", found=found)


@router.post("/search")
async def search(request: Request, session: SessionDep) -> Response:
    """Users whose id, name or email holds the query; `cursor` continues."""
    form = await checked_form(request)
    query = _text(form.get("q"))[:200]
    found = await service.search_users(session, query, _text(form.get("cursor")) or None)
    return page(request, "search.html", query=query, found=found)


# --- a user ---------------------------------------------------------------------


@router.get("/users/{user_id}")
async def user_page(
    request: Request, user_id: str, session: SessionDep, as_of: AsOf = None
) -> Response:
    operator(request)
    shown = await service.user_page(session, user_id, as_of or today())
    return page(request, "user.html", page=shown, as_of_query=as_of.isoformat() if as_of else "")


@router.post("/users/{user_id}/consent")
async def set_consent(request: Request, user_id: str, session: SessionDep) -> Response:
    form = await checked_form(request)
    await users.set_consent(session, user_id, form.get("consent") == "true")
    return RedirectResponse(_user_url(request, user_id, _text(form.get("as_of"))), 303)


@router.get("/users/{user_id}/erase")
async def erase_form(request: Request, user_id: str, session: SessionDep) -> Response:
    operator(request)
    return page(request, "erase.html", user=await users.get(session, user_id))


@router.post("/users/{user_id}/erase")
async def erase(request: Request, user_id: str, session: SessionDep) -> Response:
    """Erasure once the operator has typed the user's id: 400 and the
    confirmation again when what they typed is not it."""
    form = await checked_form(request)
    user = await users.get(session, user_id)
    if _text(form.get("confirm")).strip() != user.id:
        error = "The id typed does not match: nothing was erased."
        return page(request, "erase.html", 400, user=user, error=error)
    await users.delete(session, user_id)
    return page(request, "erased.html", user_id=user_id)


# --- imports --------------------------------------------------------------------


@router.get("/users/{user_id}/import")
async def import_form(request: Request, user_id: str, session: SessionDep) -> Response:
    operator(request)
    shown = await service.import_page(session, user_id)
    return page(request, "import.html", page=shown)


async def _file_of(form_file: object, carried: str) -> bytes:
    """The statement: the uploaded file (the dry run), or the file the dry
    run's page carried on to the import, base64."""
    if isinstance(form_file, UploadFile):
        return await form_file.read()
    try:
        return base64.b64decode(carried, validate=True)
    except (binascii.Error, ValueError):
        missing = {"loc": ["file"], "msg": "the file was not sent", "type": "missing"}
        raise InvalidInput([missing]) from None


@router.post("/users/{user_id}/import")
async def import_statement(request: Request, user_id: str, session: SessionDep) -> Response:
    """`step` check: a dry run of the uploaded file, whose page offers the
    import; `step` import: the import of the file the dry run checked."""
    form = await checked_form(request)
    dry_run = form.get("step") != "import"
    upload = form.get("file")
    filename = upload.filename if isinstance(upload, UploadFile) else _text(form.get("filename"))
    account_id = _text(form.get("account_id")) or None
    sign = _text(form.get("sign"), "debit_negative")
    choices = {"account_id": account_id or "", "sign": sign, "filename": filename or ""}
    try:
        data = await _file_of(upload, _text(form.get("file_data")))
        result = await service.import_statement(
            session, user_id, data, filename or None, account_id, sign, dry_run
        )
    except (InvalidInput, TooLarge, NotFound) as refusal:
        problems = (
            refusal.errors if isinstance(refusal, InvalidInput) else [{"msg": refusal.detail}]
        )
        # Read after the import, which ends its transactions (and a dry run
        # rolls back): rows read before would be expired.
        shown = await service.import_page(session, user_id)
        return page(
            request, "import.html", refusal.status_code, page=shown, problems=problems,
            choices=choices,
        )  # fmt: skip
    carried = base64.b64encode(data).decode() if dry_run else ""
    shown = await service.import_page(session, user_id)
    return page(
        request, "import.html", page=shown, result=result, file_data=carried, choices=choices
    )
