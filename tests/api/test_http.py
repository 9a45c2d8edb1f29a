"""Cross-cutting HTTP behaviour: auth, body limits, bad bodies, JSON errors, docs, OpenAPI."""

import asyncio
import email.message
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from app.api.deps import is_json_media_type
from app.api.docs import STATIC_PREFIX
from app.api.middleware import APIKeyMiddleware
from app.config import get_settings
from app.main import app, create_app
from app.models import User
from app.services.insights.streams import group_key, stream_id_of
from tests.utils.database import count_rows, snapshot
from tests.utils.errors import dbapi_error, refusal

API = "/api/v1"
KEY = "s3cret-test-key"
USER = {"name": "Ada", "email": "ada@example.com"}


@pytest.fixture
def api_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The service configured with an API key for the duration of one test."""
    monkeypatch.setenv("SPENDSENSE_API_KEY", KEY)
    get_settings.cache_clear()
    yield KEY
    monkeypatch.delenv("SPENDSENSE_API_KEY")
    get_settings.cache_clear()


def app_with_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> FastAPI:
    """A fresh app built under extra settings (middleware reads them at build time)."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        return create_app()
    finally:
        for name in env:
            monkeypatch.delenv(name)
        get_settings.cache_clear()


def api_routes() -> list[tuple[str, str]]:
    """(method, concrete path) for every /api/v1 route in the OpenAPI document
    (which lists every included route), path parameters filled in."""
    found = []
    for template, operations in app.openapi()["paths"].items():
        if template.startswith(API):
            path = re.sub(r"\{[^}]+\}", "x1", template)
            found += [(method.upper(), path) for method in sorted(operations)]
    return found


# --- auth -----------------------------------------------------------------------


def test_every_api_route_is_found() -> None:
    routes = api_routes()
    for expected in [
        ("POST", f"{API}/users"),
        ("GET", f"{API}/users"),
        ("GET", f"{API}/users/x1"),
        ("PATCH", f"{API}/users/x1"),
        ("DELETE", f"{API}/users/x1"),
        ("PUT", f"{API}/users/x1/consent"),
        ("POST", f"{API}/users/x1/accounts"),
        ("GET", f"{API}/users/x1/accounts"),
        ("GET", f"{API}/accounts/x1"),
        ("PATCH", f"{API}/accounts/x1"),
        ("DELETE", f"{API}/accounts/x1"),
    ]:
        assert expected in routes


def test_with_a_key_every_api_route_needs_it(client: TestClient, api_key: str) -> None:
    for method, path in api_routes():
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {KEY}"}):
            response = client.request(method, path, headers=headers)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.json() == {"detail": "missing or invalid API key"}
            assert response.headers["www-authenticate"] == "Bearer"


def test_with_a_key_the_right_bearer_works(client: TestClient, api_key: str) -> None:
    auth = {"Authorization": f"Bearer {KEY}"}
    assert client.post(f"{API}/users", json=USER).status_code == 401
    assert count_rows(User) == 0
    response = client.post(f"{API}/users", json=USER, headers=auth)
    assert response.status_code == 201
    assert client.get(f"{API}/users", headers=auth).json()["items"][0]["name"] == "Ada"
    # A body that fails validation is still refused for the missing key first.
    assert client.post(f"{API}/users", json={"name": ""}).status_code == 401


def test_with_a_key_nothing_else_is_answered_without_it(client: TestClient, api_key: str) -> None:
    """The key is checked before routing, body size and validation: an
    unknown /api/v1 path, an oversize body and a bad id all get the same 401."""
    too_big = {"content-type": "application/json", "content-length": str(10**9)}
    for response in (
        client.get(f"{API}/no-such-route"),
        client.get(f"{API}"),
        client.post(f"{API}/users", content=b"{}", headers=too_big),
        client.get(f"{API}/users/{'x' * 300}"),
    ):
        assert response.status_code == 401, response.text
        assert response.json() == {"detail": "missing or invalid API key"}
    assert client.get("/no-such-route").status_code == 404  # outside /api/v1: open


def test_the_key_guards_the_api_prefix_also_under_a_root_path(api_key: str) -> None:
    """Behind a proxy that mounts the app under a root_path, the guarded path is
    the one the router matches (root_path stripped), like Starlette's router."""
    reached: list[str] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(scope["path"])

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    guard = APIKeyMiddleware(inner, prefix=API)
    cases = {
        ("/svc/api/v1/users", "/svc"): False,
        ("/api/v1/users", ""): False,
        ("/api/v1", ""): False,
        ("/svc/health", "/svc"): True,
        ("/api/v10/users", ""): True,
        ("/svcx/api/v1/users", "/svc"): True,  # not under the root_path: routed as is
    }
    for (path, root_path), open_ in cases.items():
        sent: list[Message] = []
        reached.clear()
        scope: Scope = {"type": "http", "path": path, "root_path": root_path, "headers": []}
        asyncio.run(guard(scope, receive, send))
        assert bool(reached) is open_, path
        if not open_:
            assert sent[0]["status"] == 401, path
    # With the right key, the guarded path goes through.
    reached.clear()
    headers = [(b"authorization", f"Bearer {KEY}".encode())]
    scope = {"type": "http", "path": "/svc/api/v1/users", "root_path": "/svc", "headers": headers}
    asyncio.run(guard(scope, receive, send))
    assert reached == ["/svc/api/v1/users"]


def test_with_a_key_health_docs_and_openapi_stay_open(client: TestClient, api_key: str) -> None:
    assert client.get("/health").status_code == 200
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_without_a_key_the_api_is_open_and_a_warning_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert get_settings().spendsense_api_key is None
    with caplog.at_level(logging.WARNING), TestClient(app) as client:
        assert client.get(f"{API}/users").status_code == 200
    assert any("SPENDSENSE_API_KEY" in r.getMessage() for r in caplog.records)


# --- bodies -----------------------------------------------------------------------


def test_body_over_the_default_limit_is_413(client: TestClient) -> None:
    limit = get_settings().max_body_bytes
    assert limit == 16 * 1024 * 1024
    response = client.post(
        f"{API}/users",
        content=b" " * (limit + 1),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json() == {"detail": f"request body larger than {limit} bytes"}


def test_chunked_body_over_the_limit_is_413(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Content-Length: the limit is enforced on the bytes as they arrive."""
    small = app_with_settings(monkeypatch, MAX_BODY_BYTES="1000")

    def chunks() -> Iterator[bytes]:
        yield b'{"name": "Ada", "email": "ada@example.com", "pad": "'
        for _ in range(20):
            yield b"x" * 100
        yield b'"}'

    with TestClient(small) as client:
        response = client.post(
            f"{API}/users", content=chunks(), headers={"content-type": "application/json"}
        )
        assert "content-length" not in response.request.headers
        assert response.status_code == 413
        assert response.json() == {"detail": "request body larger than 1000 bytes"}
        # Declared too large: refused before reading.
        response = client.post(
            f"{API}/users", content=b"x" * 1001, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        # At the limit: accepted.
        body = b'{"name": "Ada", "email": "ada@example.com"}'
        response = client.post(
            f"{API}/users",
            content=body + b" " * (1000 - len(body)),
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 201
    assert count_rows(User) == 1


@pytest.mark.parametrize(
    "raw",
    [b"{", b'{"name": "Ada",}', b"{'name': 'Ada'}", b'{"name": "Ada" "email": 1}', b"nul"],
)
def test_malformed_json_is_422_with_detail(client: TestClient, raw: bytes) -> None:
    response = client.post(
        f"{API}/users", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["type"] == "json_invalid"
    assert error["loc"][0] == "body"


@pytest.mark.parametrize(
    "raw", [b"[" * 100_000, b'{"name": "\xff"}', b'{"balance": ' + b"9" * 5000 + b"}"]
)
def test_unparsable_body_is_400_with_detail(client: TestClient, raw: bytes) -> None:
    """Bodies the JSON parser cannot even report on (recursion, bad encoding,
    numbers over Python's digit limit) are a 400, never a 500."""
    response = client.post(
        f"{API}/users", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}


@pytest.mark.parametrize("raw", [b"[]", b"42", b'"text"', b"null", b"true"])
def test_json_that_is_not_an_object_is_422(client: TestClient, raw: bytes) -> None:
    response = client.post(
        f"{API}/users", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


CHECKING = {"type": "depository", "subtype": "checking", "name": "C", "mask": "1234", "balance": 0}
TXN = {"date": "2026-03-01T12:00:00Z", "amount": 5, "category": "X"}
# With two earlier charges (seed), t1 ends a monthly stream of acc1.
STREAM = stream_id_of("acc1", "outflow", group_key(None, None, "X"))
# Every route that takes a JSON body, with a body it would accept (see `seed`).
BODY_ROUTES = [
    ("POST", "/users", {"name": "Bob", "email": "bob@example.com"}),
    ("PATCH", "/users/u1", {"name": "Bob"}),
    ("PUT", "/users/u1/consent", {"consent": False}),
    ("POST", "/users/u1/accounts", {**CHECKING, "id": "acc2"}),
    ("PATCH", "/accounts/acc1", {"name": "Renamed"}),
    ("POST", "/accounts/acc1/transactions", TXN),
    ("PATCH", "/transactions/t1", {"amount": 7}),
    ("POST", "/transactions/bulk", {"transactions": [{**TXN, "id": "t2", "account_id": "acc1"}]}),
    (
        "POST",
        "/users/u1/personas",
        {"window": "30d", "persona_type": "balanced", "confidence": 0.5},
    ),
    ("POST", "/content", {"type": "article", "title": "Budgeting"}),
    ("PATCH", "/content/c1", {"title": "Saving"}),
    ("POST", "/users/u1/personas/assess", {"as_of": "2026-03-31"}),
    ("POST", "/users/u1/plaid/transactions-sync", {"added": [], "next_cursor": "c1"}),
    ("POST", "/users/u1/plaid/accounts", {"accounts": []}),
    ("PATCH", f"/users/u1/recurring/{STREAM}?as_of=2026-03-31", {"user_status": "confirmed"}),
]
# Routes that take a file, not JSON: they refuse other media types with
# their own 415 (tests/api/test_imports.py), and document it.
UPLOAD_ROUTES = [("POST", f"{API}/users/x1/imports")]
NOT_JSON = {"detail": "send the body as application/json"}
# Content-Type values that are not JSON; None sends no Content-Type at all.
NOT_JSON_TYPES = [
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/xml",
    "multipart/form-data; boundary=x",
    "text/json",
    "",
    None,
]


def seed(client: TestClient) -> None:
    """User u1, account acc1, transaction t1 (ending a monthly stream), content
    c1: what BODY_ROUTES name."""
    posts = [
        ("/users", {"id": "u1", "name": "Ada", "email": "ada@example.com", "consent": True}),
        ("/users/u1/accounts", {**CHECKING, "id": "acc1"}),
        ("/accounts/acc1/transactions", {**TXN, "id": "t-jan", "date": "2026-01-01T12:00:00Z"}),
        ("/accounts/acc1/transactions", {**TXN, "id": "t-feb", "date": "2026-02-01T12:00:00Z"}),
        ("/accounts/acc1/transactions", {**TXN, "id": "t1"}),
        ("/content", {"id": "c1", "type": "article", "title": "Paying down a card"}),
    ]
    for path, body in posts:
        response = client.post(f"{API}{path}", json=body)
        assert response.status_code == 201, response.text


def content_type_header(content_type: str | None) -> dict[str, str]:
    """The Content-Type header, or none at all for None."""
    return {} if content_type is None else {"content-type": content_type}


@pytest.mark.parametrize(("method", "path", "body"), BODY_ROUTES)
def test_body_not_sent_as_json_is_415_and_writes_nothing(
    client: TestClient, method: str, path: str, body: Any
) -> None:
    """A body whose Content-Type is another media type, or missing, is refused
    before anything is read from the database or written, on every route."""
    seed(client)
    before = snapshot()
    for content_type in NOT_JSON_TYPES:
        headers = content_type_header(content_type)
        response = client.request(method, f"{API}{path}", content=json.dumps(body), headers=headers)
        assert ("content-type" in response.request.headers) == (content_type is not None)
        assert response.status_code == 415, (content_type, response.text)
        assert response.headers["content-type"] == "application/json"
        assert response.json() == NOT_JSON
    assert snapshot() == before
    # The same body sent as JSON is accepted and written.
    response = client.request(method, f"{API}{path}", json=body)
    assert response.status_code in (200, 201), response.text
    assert snapshot() != before


def test_every_body_route_refuses_other_media_types_and_documents_415(
    client: TestClient,
) -> None:
    """The rule holds for every POST/PUT/PATCH under /api/v1, including routes
    added later; and it comes before the route's own checks (404 here)."""
    paths = openapi()["paths"]
    body_routes = [(m, p) for m, p in api_routes() if m in {"POST", "PUT", "PATCH"}]
    assert len(body_routes) == len(BODY_ROUTES) + len(UPLOAD_ROUTES)
    for method, path in body_routes:
        if (method, path) in UPLOAD_ROUTES:
            response = client.request(
                method, path, content=b"{}", headers={"content-type": "text/plain"}
            )
            assert response.status_code == 415
            continue
        headers = {"content-type": "text/plain"}
        response = client.request(method, path, content=b"{}", headers=headers)
        assert (response.status_code, response.json()) == (415, NOT_JSON), (method, path)
    for template, operations in paths.items():
        for method, operation in operations.items():
            if method in {"post", "put", "patch"}:
                assert "415" in operation["responses"], (method, template)
            else:
                assert "415" not in operation["responses"], (method, template)


def test_the_api_key_is_checked_before_the_media_type(client: TestClient, api_key: str) -> None:
    response = client.post(f"{API}/users", content=b"{}", headers={"content-type": "text/plain"})
    assert response.status_code == 401


@pytest.mark.parametrize("content_type", ["text/plain", None])
def test_no_body_is_422_missing_whatever_the_content_type(
    client: TestClient, content_type: str | None
) -> None:
    """415 is about a body that was sent: without one the body is missing."""
    response = client.post(f"{API}/users", headers=content_type_header(content_type))
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "missing"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "APPLICATION/JSON",
        " application/json ; charset=utf-8",
        "application/problem+json",
        "application/vnd.spendsense+json; version=1",
        "application/+json",
        "application/jsonx",
        "application/json-seq",
        "application/json/x",
        "application/a/b+json",
        "application/ json",
        "application",
        "text/json",
        "text/x+json",
        "json",
        "",
    ],
)
def test_json_media_type_rule_is_fastapis(content_type: str) -> None:
    """Whatever require_json_body lets through, FastAPI parses as JSON (the
    same test as fastapi.routing's request handler), and nothing else."""
    message = email.message.Message()
    message["content-type"] = content_type
    fastapi_parses = message.get_content_maintype() == "application" and (
        message.get_content_subtype() == "json" or message.get_content_subtype().endswith("+json")
    )
    assert is_json_media_type(content_type) == fastapi_parses


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "application/vnd.spendsense+json"]
)
def test_json_media_type_variants_are_accepted(client: TestClient, content_type: str) -> None:
    response = client.post(
        f"{API}/users",
        content=b'{"name": "Ada", "email": "ada@example.com"}',
        headers={"content-type": content_type},
    )
    assert response.status_code == 201


# --- JSON error bodies everywhere -------------------------------------------------------


@pytest.mark.parametrize("path", ["/nope", f"{API}/nope", "/api/v2/users"])
def test_unknown_path_is_404_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "Not Found"}


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/health", "GET"),
        ("PUT", f"{API}/users", "GET, POST"),
        ("POST", f"{API}/users/x1", "DELETE, GET, PATCH"),
        ("GET", f"{API}/users/x1/consent", "PUT"),
        ("PUT", f"{API}/accounts/x1", "DELETE, GET, PATCH"),
        ("OPTIONS", f"{API}/users", "GET, POST"),
        ("HEAD", f"{API}/users/x1/accounts", "GET, POST"),
        ("OPTIONS", f"{API}/accounts/x1/transactions", "GET, POST"),
    ],
)
def test_wrong_method_is_405_json(client: TestClient, method: str, path: str, allow: str) -> None:
    """`Allow` lists every method of the path (issue 13.3: only the first
    route's, e.g. `POST` for /users, which serves GET too)."""
    response = client.request(method, path)
    assert response.status_code == 405
    if method != "HEAD":
        assert response.json() == {"detail": "Method Not Allowed"}
    assert response.headers["allow"] == allow


def test_allow_lists_the_methods_of_the_openapi_document(client: TestClient) -> None:
    for template, operations in openapi()["paths"].items():
        path = re.sub(r"\{[^}]+\}", "x1", template)
        response = client.request("TRACE", path)
        assert response.status_code == 405, path
        assert response.headers["allow"] == ", ".join(sorted(m.upper() for m in operations))


def test_unexpected_error_is_500_json(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = app_with_settings(monkeypatch)

    @broken.get("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(broken, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error"}


def test_missing_static_asset_is_404_json(client: TestClient) -> None:
    response = client.get(f"{STATIC_PREFIX}/nope.js")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


# --- docs and OpenAPI ---------------------------------------------------------------


def test_docs_page_uses_only_local_assets(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.text
    assert "swagger-ui" in html.lower()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assets = re.findall(r'(?:src|href)=["\'](/[^"\']+)["\']', html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        fetched = client.get(asset)
        assert fetched.status_code == 200, asset
        assert len(fetched.content) > 1000, asset
    assert "url: '/openapi.json'" in html or 'url: "/openapi.json"' in html


def test_served_swagger_ui_renders_openapi_3_1(client: TestClient) -> None:
    """FastAPI emits OpenAPI 3.1; Swagger UI 4 shows "Unable to render this
    definition" for it. The bundle served must be Swagger UI 5 (knows OAS 3.1)."""
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")
    bundle = client.get(f"{STATIC_PREFIX}/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert "javascript" in bundle.headers["content-type"]
    assert b"isOAS31" in bundle.content


def openapi() -> dict[str, Any]:
    return dict(app.openapi())


def schema(name: str) -> dict[str, Any]:
    return dict(openapi()["components"]["schemas"][name]["properties"])


def non_null(prop: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of an optional property (`anyOf: [X, null]`)."""
    for branch in prop.get("anyOf", [prop]):
        if branch.get("type") != "null":
            return dict(branch)
    raise AssertionError(prop)


def test_openapi_lists_the_routes_and_statuses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    assert set(paths[f"{API}/users"]) == {"get", "post"}
    assert set(paths[f"{API}/users/{{user_id}}"]) == {"get", "patch", "delete"}
    assert set(paths[f"{API}/users/{{user_id}}/consent"]) == {"put"}
    assert set(paths[f"{API}/users/{{user_id}}/accounts"]) == {"get", "post"}
    assert set(paths[f"{API}/accounts/{{account_id}}"]) == {"get", "patch", "delete"}
    assert "201" in paths[f"{API}/users"]["post"]["responses"]
    assert "204" in paths[f"{API}/users/{{user_id}}"]["delete"]["responses"]
    assert "201" in paths[f"{API}/users/{{user_id}}/accounts"]["post"]["responses"]
    # No API key configured: the API is open, and the document says so.
    assert "securitySchemes" not in spec["components"]
    for operations in paths.values():
        for operation in operations.values():
            assert "security" not in operation and "401" not in operation["responses"]
    limit = next(p for p in paths[f"{API}/users"]["get"]["parameters"] if p["name"] == "limit")
    # An integer 1-500, or empty (= not sent: the default).
    integer, empty = limit["schema"]["anyOf"]
    assert integer["minimum"] == 1 and integer["maximum"] == 500
    assert empty == {"type": "string", "maxLength": 0}
    assert limit["schema"]["default"] == 50


def test_with_a_key_openapi_shows_the_scheme_and_401(client: TestClient, api_key: str) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for template, operations in spec["paths"].items():
        for method, operation in operations.items():
            guarded = template == API or template.startswith(f"{API}/")  # the index too
            assert (operation.get("security") == [{"HTTPBearer": []}]) is guarded, template
            assert ("401" in operation["responses"]) is guarded, (method, template)
            if guarded:
                headers = operation["responses"]["401"]["headers"]
                assert headers["WWW-Authenticate"]["required"] is True


def test_openapi_shows_user_constraints() -> None:
    props = schema("UserCreate")
    assert props["name"]["minLength"] == 1 and props["name"]["maxLength"] == 200
    assert props["email"]["format"] == "email" and props["email"]["maxLength"] == 200
    assert non_null(props["id"])["pattern"] == "^[A-Za-z0-9_-]{1,50}$"
    assert props["consent"]["default"] is False
    patch = schema("UserUpdate")
    assert non_null(patch["name"])["maxLength"] == 200


def test_openapi_shows_account_constraints() -> None:
    spec = openapi()
    props = schema("AccountCreate")
    assert props["mask"]["pattern"] == "^[0-9]{4}$"
    assert props["currency"]["pattern"] == "^[A-Z]{3}$" and props["currency"]["default"] == "USD"
    assert props["balance"]["minimum"] == -(10**12) and props["balance"]["maximum"] == 10**12
    assert props["balance"]["type"] == "integer"
    limit = non_null(props["limit"])
    assert limit["exclusiveMinimum"] == 0 and limit["maximum"] == 10**12
    apr = non_null(props["apr"])
    assert apr["minimum"] == 0 and apr["maximum"] == 100
    assert non_null(props["min_payment"])["minimum"] == 0
    account_type = spec["components"]["schemas"]["AccountType"]
    assert set(account_type["enum"]) == {"depository", "credit"}
    assert set(props["subtype"]["enum"]) == {
        "checking",
        "savings",
        "money_market",
        "hsa",
        "credit_card",
    }
    patch = schema("AccountUpdate")
    assert non_null(patch["mask"])["pattern"] == "^[0-9]{4}$"
    assert non_null(patch["currency"])["pattern"] == "^[A-Z]{3}$"


# --- values the database could not store, and an unreachable database -----------------


def test_nul_in_names_is_422_on_every_backend(client: TestClient) -> None:
    """PostgreSQL text cannot hold U+0000; SQLite could, but both refuse it alike."""
    response = client.post(f"{API}/users", json={"name": "A\u0000", "email": "a@example.com"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    user = client.post(f"{API}/users", json=USER).json()
    response = client.patch(f"{API}/users/{user['id']}", json={"name": "\u0000"})
    assert response.status_code == 422
    account = {"type": "depository", "subtype": "checking", "mask": "1234", "balance": 0}
    response = client.post(f"{API}/users/{user['id']}/accounts", json={**account, "name": "\0"})
    assert response.status_code == 422


def test_lone_surrogate_is_422_not_500(client: TestClient) -> None:
    response = client.post(
        f"{API}/users",
        content=b'{"name": "\\ud800", "email": "a@example.com"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "name"]
    assert error["input"] == "\\ud800"


def test_data_exception_from_the_database_is_422() -> None:
    """The safety net for any text field a route forgot to check: SQLSTATE class
    22 (data exception) is the client's fault."""

    exc = dbapi_error("22021", 'invalid byte sequence for encoding "UTF8": 0x00')
    status, detail, _ = refusal(exc)
    assert status == 422
    assert detail[0]["loc"] == ["body"] and "0x00" in detail[0]["msg"]


@pytest.mark.parametrize(
    ("sqlstate", "status"),
    [
        ("3D000", 503),  # the database does not exist
        ("28P01", 503),  # wrong password
        ("08006", 503),  # connection failure
        ("53300", 503),  # too many connections
        ("57P03", 503),  # the server is starting up
        ("40P01", 503),  # deadlock detected, outside a service's retries
        ("40001", 503),  # serialization failure, likewise
        ("42P01", 500),  # undefined table: a bug (e.g. not migrated), not the client's
    ],
)
def test_database_that_cannot_serve_is_503(sqlstate: str, status: int) -> None:
    """Errors that say the database cannot be used right now, whatever the
    request (asyncpg raises them from connect), are a 503, not a 500."""

    answer, detail, headers = refusal(dbapi_error(sqlstate))
    assert answer == status
    assert detail
    # Every 503 tells the client when to try again.
    assert headers.get("Retry-After") == ("1" if status == 503 else None)


def test_unreachable_database_is_503(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://postgres:postgres@127.0.0.1:1/none")
    get_settings.cache_clear()
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get(f"{API}/users")
            assert response.status_code == 503
            assert response.json() == {"detail": "database unavailable, try again later"}
            assert response.headers["retry-after"] == "1"
            assert client.post(f"{API}/users", json=USER).status_code == 503
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
