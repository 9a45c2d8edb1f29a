"""The console's session: one signed cookie holding the operator's CSRF token
and, when an API key is configured, whether they gave it.

The cookie is `payload.signature`: the payload is base64url JSON
(`{"csrf": ..., "auth": ..., "iat": ...}`), the signature its HMAC-SHA256
under a secret derived from SPENDSENSE_API_KEY. Deriving it from the key
needs no setting of its own, holds in every worker and replica, and a new
key ends every session signed with the old one. Without a key the console
is as open as the API and the secret is public: the signature then guards
nothing, and the CSRF token works as a double-submit cookie (another site
can neither read nor set it, and SameSite=Strict keeps the browser from
sending it on another site's requests).

Sessions last SESSION_SECONDS from the moment the key was given (`iat`);
the cookie itself dies with the browser session.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from app.config import get_settings

COOKIE = "spendsense_console"
COOKIE_PATH = "/console"
CSRF_FIELD = "csrf_token"
SESSION_SECONDS = 12 * 3600
_CONTEXT = b"spendsense-console-session/v1"


@dataclass(frozen=True)
class Session:
    """What the cookie holds. `fresh`: made for this request, not read from
    a cookie (the response must set it)."""

    csrf: str
    authenticated: bool
    issued_at: int
    fresh: bool = False

    @classmethod
    def new(cls, authenticated: bool = False) -> "Session":
        return cls(secrets.token_urlsafe(32), authenticated, int(time.time()), fresh=True)

    def csrf_matches(self, sent: str | None) -> bool:
        """Constant-time: the comparison must not tell how much matched."""
        return sent is not None and secrets.compare_digest(sent.encode(), self.csrf.encode())


def api_key() -> str | None:
    """The configured key, or None when the API (and the console) is open."""
    key = get_settings().spendsense_api_key
    if key is None or not key.get_secret_value():
        return None
    return key.get_secret_value()


def key_matches(sent: str) -> bool:
    key = api_key()
    return key is not None and secrets.compare_digest(sent.encode(), key.encode())


def _secret() -> bytes:
    return hmac.new((api_key() or "").encode(), _CONTEXT, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(session: Session) -> str:
    payload = {"csrf": session.csrf, "auth": session.authenticated, "iat": session.issued_at}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    signature = _b64(hmac.new(_secret(), body.encode(), hashlib.sha256).digest())
    return f"{body}.{signature}"


def decode(cookie: str | None) -> Session | None:
    """The session a cookie holds; None when it is missing, forged, signed
    under another key, malformed or expired."""
    if not cookie or len(cookie) > 1000:
        return None
    body, _, signature = cookie.partition(".")
    expected = _b64(hmac.new(_secret(), body.encode(), hashlib.sha256).digest())
    if not secrets.compare_digest(signature.encode(), expected.encode()):
        return None
    try:
        payload: Any = json.loads(_unb64(body))
        csrf, authenticated, issued_at = payload["csrf"], payload["auth"], payload["iat"]
    except (ValueError, KeyError, TypeError):
        return None
    if not (isinstance(csrf, str) and isinstance(authenticated, bool)):
        return None
    if not isinstance(issued_at, int) or time.time() - issued_at > SESSION_SECONDS:
        return None
    return Session(csrf, authenticated, issued_at)


def cookie_options(secure: bool) -> dict[str, Any]:
    """Starlette's set_cookie arguments: no Max-Age (a browser-session
    cookie), HttpOnly, SameSite=Strict, Secure over HTTPS."""
    return {
        "key": COOKIE,
        "path": COOKIE_PATH,
        "httponly": True,
        "samesite": "strict",
        "secure": secure,
    }
