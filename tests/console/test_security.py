"""The console's guard: the API key asked once and kept in a signed,
HttpOnly, SameSite=Strict session cookie (Secure over HTTPS); a CSRF token
on every form that changes something (403 and nothing changed without it)."""

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.console import session as sessions
from app.main import app
from tests.console.helpers import CONSOLE, page, post, token_of
from tests.utils.factories import API, create_user

KEY = "console-test-key"


@pytest.fixture
def api_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("SPENDSENSE_API_KEY", KEY)
    get_settings.cache_clear()
    yield KEY
    monkeypatch.delenv("SPENDSENSE_API_KEY")
    get_settings.cache_clear()


def sign_in(client: TestClient, key: str) -> None:
    login = client.get(f"{CONSOLE}/login")
    assert login.status_code == 200
    response = post(client, "/login", token_of(login.text), api_key=key)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == CONSOLE


def test_without_a_key_the_console_is_open(client: TestClient) -> None:
    assert client.get(CONSOLE).status_code == 200
    login = client.get(f"{CONSOLE}/login", follow_redirects=False)
    assert (login.status_code, login.headers["location"]) == (303, CONSOLE)
    assert "Sign out" not in client.get(CONSOLE).text


def test_with_a_key_every_page_asks_for_it_first(client: TestClient, api_key: str) -> None:
    client.headers["Authorization"] = f"Bearer {api_key}"
    create_user(client, id="u1", email="u1@example.com")
    del client.headers["Authorization"]
    for path in ("", "/users/u1", "/users/u1/erase", "/users/u1/import", "/users/nobody"):
        response = client.get(f"{CONSOLE}{path}", follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == f"{CONSOLE}/login"
    # A form sent before signing in changes nothing, whatever token it has.
    token = token_of(client.get(f"{CONSOLE}/login").text)
    response = post(client, "/users/u1/erase", token, confirm="u1")
    assert (response.status_code, response.headers["location"]) == (303, f"{CONSOLE}/login")
    assert (
        client.get(f"{API}/users/u1", headers={"Authorization": f"Bearer {api_key}"}).status_code
        == 200
    )


def test_a_wrong_key_is_refused_and_the_right_one_opens_a_session(
    client: TestClient, api_key: str
) -> None:
    login = client.get(f"{CONSOLE}/login")
    wrong = post(client, "/login", token_of(login.text), api_key="guess")
    assert wrong.status_code == 401
    assert "That is not the service" in wrong.text
    assert client.get(CONSOLE, follow_redirects=False).status_code == 303
    sign_in(client, api_key)
    home = client.get(CONSOLE)
    assert home.status_code == 200 and "Sign out" in home.text
    # Signing out ends it.
    assert post(client, "/logout", token_of(home.text)).status_code == 303
    assert client.get(CONSOLE, follow_redirects=False).status_code == 303


def test_the_session_cookie_is_httponly_strict_and_secure_over_https(api_key: str) -> None:
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        with TestClient(app, base_url=base) as client:
            login = client.get(f"{CONSOLE}/login")
            response = post(client, "/login", token_of(login.text), api_key=api_key)
            cookie = response.headers["set-cookie"]
            assert cookie.startswith(f"{sessions.COOKIE}=")
            assert "HttpOnly" in cookie and "SameSite=strict" in cookie
            assert "Path=/console" in cookie
            assert ("Secure" in cookie) is secure
            assert "Max-Age" not in cookie and "expires" not in cookie.lower()


def test_a_forged_or_foreign_cookie_opens_nothing(
    client: TestClient, api_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, api_key)
    genuine = client.cookies[sessions.COOKIE]
    body, _, signature = genuine.partition(".")
    forged_body = sessions.encode(sessions.Session("x", True, 2_000_000_000)).partition(".")[0]
    for cookie in (f"{forged_body}.{signature}", f"{body}.{signature[:-2]}xx", "garbage"):
        client.cookies.clear()
        client.cookies.set(sessions.COOKIE, cookie)
        assert client.get(CONSOLE, follow_redirects=False).status_code == 303
    # A session signed under another key ends when the key changes.
    client.cookies.clear()
    client.cookies.set(sessions.COOKIE, genuine)
    assert client.get(CONSOLE).status_code == 200
    monkeypatch.setenv("SPENDSENSE_API_KEY", "the-next-key")
    get_settings.cache_clear()
    assert client.get(CONSOLE, follow_redirects=False).status_code == 303


def test_an_old_session_has_ended(
    client: TestClient, api_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, api_key)
    assert client.get(CONSOLE).status_code == 200
    later = time.time() + sessions.SESSION_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(CONSOLE, follow_redirects=False).status_code == 303


def test_a_form_without_the_sessions_token_is_refused(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com", consent=True)
    token = token_of(page(client, "/users/u1"))
    with TestClient(app) as other:  # another browser: its own session
        foreign = token_of(page(other, ""))
    for sent in (None, "", "not-the-token", foreign):
        fields = {"consent": "false"} if sent is None else {"csrf_token": sent, "consent": "false"}
        for path, extra in (("/users/u1/consent", {}), ("/users/u1/erase", {"confirm": "u1"})):
            response = client.post(
                f"{CONSOLE}{path}", data={**fields, **extra}, follow_redirects=False
            )
            assert response.status_code == 403, (path, sent)
            assert "nothing was changed" in response.text
    assert client.get(f"{API}/users/u1").json()["consent"] is True
    # A browser without any session cookie is refused as well.
    with TestClient(app) as fresh:
        response = post(fresh, "/users/u1/consent", token, consent="false")
        assert response.status_code == 403
    # The page's own token works.
    response = post(client, "/users/u1/consent", token, consent="false")
    assert (response.status_code, response.headers["location"]) == (303, f"{CONSOLE}/users/u1")
    assert client.get(f"{API}/users/u1").json()["consent"] is False


def test_the_search_and_login_forms_carry_the_token_too(client: TestClient) -> None:
    response = client.post(f"{CONSOLE}/search", data={"q": "a"})
    assert response.status_code == 403
