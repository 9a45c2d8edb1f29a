"""Who may use the console, and the forms they may send: the operator's
session (app.console.session) checked on every page, the CSRF token on
every form that changes something. ConsoleRoute turns what a route refuses
into an HTML page, and sets the session cookie when a request made one.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from app.config import ROOT_DIR
from app.console import session as sessions
from app.services.errors import DomainError
from app.services.insights.text import money, percent

TEMPLATES = Jinja2Templates(directory=ROOT_DIR / "app" / "console" / "templates")
TEMPLATES.env.filters["money"] = money
TEMPLATES.env.filters["percent"] = percent
# The largest form field the console reads: a statement file carried from the
# dry run to the import, base64 (4/3 of the file), with room to spare.
FORM_FIELD_BYTES = 16 * 1024 * 1024


class LoginNeeded(Exception):
    """An API key is configured and this browser has not given it."""


class FormRefused(Exception):
    """A form without this session's CSRF token (forged, or from a session
    that has ended): 403, nothing done."""


def base_path(request: Request) -> str:
    """The console's own path, under the root_path a proxy mounts the app at."""
    return f"{request.scope.get('root_path', '').rstrip('/')}/console"


def current_session(request: Request) -> sessions.Session:
    """The browser's session: its cookie's, or a new one (set on the response)."""
    held: sessions.Session | None = getattr(request.state, "console_session", None)
    if held is None:
        held = sessions.decode(request.cookies.get(sessions.COOKIE)) or sessions.Session.new()
        request.state.console_session = held
    return held


def replace_session(request: Request, new: sessions.Session) -> None:
    request.state.console_session = new


def operator(request: Request) -> sessions.Session:
    """The session of an operator allowed in: LoginNeeded when a key is
    configured and this session has not given it."""
    held = current_session(request)
    if sessions.api_key() is not None and not held.authenticated:
        raise LoginNeeded()
    return held


async def checked_form(request: Request, allow_anonymous: bool = False) -> FormData:
    """The form of a request that changes something, once its CSRF token
    matches the session's (FormRefused otherwise)."""
    held = current_session(request) if allow_anonymous else operator(request)
    form = await request.form(max_files=1, max_fields=50, max_part_size=FORM_FIELD_BYTES)
    sent = form.get(sessions.CSRF_FIELD)
    if held.fresh or not held.csrf_matches(sent if isinstance(sent, str) else None):
        raise FormRefused()
    return form


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    """A template rendered with what every page needs."""
    held = current_session(request)
    return TEMPLATES.TemplateResponse(
        request,
        name,
        {
            "base": base_path(request),
            "csrf_field": sessions.CSRF_FIELD,
            "csrf_token": held.csrf,
            "signed_in": held.authenticated and sessions.api_key() is not None,
            **context,
        },
        status_code=status_code,
    )


def error_page(request: Request, status_code: int, message: str) -> Response:
    return page(request, "error.html", status_code, status=status_code, message=message)


def _refusal(request: Request, error: Exception) -> Response:
    if isinstance(error, LoginNeeded):
        return RedirectResponse(f"{base_path(request)}/login", status_code=303)
    if isinstance(error, FormRefused):
        return error_page(
            request,
            403,
            "This form did not come from this console session (or the session has ended): "
            "nothing was changed. Reload the page and try again.",
        )
    if isinstance(error, RequestValidationError):
        return error_page(request, 400, "The address or the form holds a value the console "
                          "cannot use.")  # fmt: skip
    assert isinstance(error, DomainError)
    detail = error.detail if isinstance(error.detail, str) else "the request was refused"
    return error_page(request, error.status_code, detail[:1].upper() + detail[1:] + ".")


# Pages hold a user's data: not cached. Only the console's own files run or
# style a page (no inline script or style), and no other site frames it.
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class ConsoleRoute(APIRoute):
    """A console route: refusals as HTML pages, the session cookie set when
    this request made or replaced the session, and no caching of pages that
    hold a user's data."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                response = await handler(request)
            except (LoginNeeded, FormRefused, RequestValidationError, DomainError) as error:
                response = _refusal(request, error)
            held: sessions.Session | None = getattr(request.state, "console_session", None)
            if held is not None and held.fresh:
                secure = request.url.scheme == "https"
                response.set_cookie(value=sessions.encode(held), **sessions.cookie_options(secure))
            response.headers.update(HEADERS)
            return response

        return route
