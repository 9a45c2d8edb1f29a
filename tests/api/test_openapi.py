"""The OpenAPI document tells the truth (issue 13.3, 13.4): operation ids,
the statuses every operation can answer, and the constraints the service
enforces stated in the schema, checked against the service itself.
(schemathesis checks the same from outside: tests/test_fuzz.py.)"""

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import app
from app.models.types import (
    AS_OF_PATTERN,
    DATETIME_PATTERN,
    EARLIEST_AS_OF,
    LATEST_AS_OF,
    offset_leaves_range,
)
from tests.utils.factories import API, bulk, create_account, create_user, item, make_account

OPERATION_IDS = {
    ("get", ""): "index",
    ("post", "/users"): "users-create",
    ("get", "/users"): "users-list",
    ("get", "/users/{user_id}"): "users-get",
    ("patch", "/users/{user_id}"): "users-update",
    ("delete", "/users/{user_id}"): "users-delete",
    ("put", "/users/{user_id}/consent"): "users-set-consent",
    ("post", "/users/{user_id}/accounts"): "accounts-create",
    ("get", "/users/{user_id}/accounts"): "accounts-list",
    ("get", "/accounts/{account_id}"): "accounts-get",
    ("patch", "/accounts/{account_id}"): "accounts-update",
    ("delete", "/accounts/{account_id}"): "accounts-delete",
    ("get", "/accounts/{account_id}/transactions"): "transactions-list-for-account",
    ("post", "/accounts/{account_id}/transactions"): "transactions-create",
    ("post", "/transactions/bulk"): "transactions-bulk-create",
    ("get", "/transactions"): "transactions-list",
    ("get", "/transactions/{transaction_id}"): "transactions-get",
    ("patch", "/transactions/{transaction_id}"): "transactions-update",
    ("delete", "/transactions/{transaction_id}"): "transactions-delete",
    ("post", "/users/{user_id}/personas"): "personas-record",
    ("get", "/users/{user_id}/personas"): "personas-list",
    ("get", "/users/{user_id}/personas/current"): "personas-current",
    ("get", "/users/{user_id}/signals"): "insights-signals",
    ("post", "/users/{user_id}/personas/assess"): "insights-assess",
    ("get", "/users/{user_id}/recommendations"): "insights-recommendations",
    ("get", "/users/{user_id}/recurring"): "recurring-list",
    ("patch", "/users/{user_id}/recurring/{stream_id}"): "recurring-update",
    ("post", "/content"): "content-create",
    ("get", "/content"): "content-list",
    ("get", "/content/{content_id}"): "content-get",
    ("patch", "/content/{content_id}"): "content-update",
    ("delete", "/content/{content_id}"): "content-delete",
    ("post", "/users/{user_id}/imports"): "imports-create",
    ("get", "/users/{user_id}/imports"): "imports-list",
    ("get", "/imports/{import_id}"): "imports-get",
    ("post", "/users/{user_id}/plaid/transactions-sync"): "imports-plaid-transactions-sync",
    ("get", "/users/{user_id}/plaid/cursor"): "imports-plaid-cursor",
    ("post", "/users/{user_id}/plaid/accounts"): "imports-plaid-accounts",
    ("get", "/users/{user_id}/export"): "exports-download",
}


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, by_method in app.openapi()["paths"].items()
        for method, operation in by_method.items()
    ]


def test_operation_ids_are_short_and_unique() -> None:
    ids = {(m, p.removeprefix(API)): op["operationId"] for m, p, op in operations()}
    for key, expected in OPERATION_IDS.items():
        assert ids[key] == expected, key
    assert ids[("get", "/health")] == "health"
    assert set(ids) == set(OPERATION_IDS) | {("get", "/health")}  # none left out
    assert len(set(ids.values())) == len(ids)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", i) for i in ids.values())


def test_every_operation_lists_what_it_can_answer() -> None:
    """The statuses no route declares, added by construction: a route added
    later (the recommendations) gets them too."""
    for method, path, operation in operations():
        responses = operation["responses"]
        where = (method, path)
        assert "413" in responses, where
        if path.startswith(f"{API}/"):
            assert responses["503"]["headers"]["Retry-After"]["required"] is True, where
            if "{" in path:
                assert "404" in responses, where
        has_body = method in ("post", "put", "patch")
        assert ("415" in responses) is has_body, where
        uploads = operation.get("requestBody", {}).get("content", {})
        if has_body and "application/json" in uploads:
            assert "not UTF-8" in responses["400"]["description"], where
        elif has_body:  # a file upload: its own 415 and 400
            assert "multipart/form-data" in responses["415"]["description"], where
            assert "multipart form" in responses["400"]["description"], where
        names = {p["name"] for p in operation.get("parameters", [])}
        if "cursor" in names:
            assert "Malformed cursor" in responses["400"]["description"], where
        errors = {"Error", "HTTPValidationError"}
        if path == "/health":
            errors.add("Health")  # its 503 is its own body, with a detail
        for status, response in responses.items():
            if status[0] in "45":
                schema = response["content"]["application/json"]["schema"]
                assert schema["$ref"].rsplit("/", 1)[1] in errors, where


def test_routes_document_their_own_refusals() -> None:
    ops = {(m, p.removeprefix(API)): op["responses"] for m, p, op in operations()}
    assert "409" in ops[("post", "/users")] and "409" in ops[("patch", "/users/{user_id}")]
    # What the schema cannot say (the stored account) is a 409, described.
    patch_account = app.openapi()["paths"][f"{API}/accounts/{{account_id}}"]["patch"]
    assert "409" in patch_account["responses"]
    assert "stored type and subtype" in patch_account["responses"]["409"]["description"]
    assert "409" in " ".join(patch_account["description"].split())
    assert "403" in ops[("get", "/users/{user_id}/signals")]
    assert "403" in ops[("post", "/users/{user_id}/personas/assess")]
    bulk_404 = ops[("post", "/transactions/bulk")]["404"]["content"]["application/json"]
    assert bulk_404["schema"]["$ref"].endswith("/HTTPValidationError")


def cursor_pattern(path: str) -> str:
    operation = app.openapi()["paths"][f"{API}{path}"]["get"]
    (cursor,) = [p for p in operation["parameters"] if p["name"] == "cursor"]
    schema = cursor["schema"]
    return str(
        schema.get("pattern") or next(b for b in schema["anyOf"] if "pattern" in b)["pattern"]
    )


LISTS = [
    "/users",
    "/users/u1/accounts",
    "/accounts/acc1/transactions",
    "/transactions",
    "/users/u1/personas",
    "/content",
]


def template(path: str) -> str:
    return re.sub(
        r"/(u1|acc1)(?=/|$)", lambda m: "/{user_id}" if m[1] == "u1" else "/{account_id}", path
    )


def seed_two_of_each(client: TestClient) -> None:
    make_account(client)  # u1, acc1
    create_user(client, id="u2", email="u2@example.com")
    create_account(client, "u1", id="acc2")
    bulk(client, [item("t1"), item("t2", minutes=5)])
    for _ in range(2):
        body = {"window": "30d", "persona_type": "balanced", "confidence": 0.5}
        assert client.post(f"{API}/users/u1/personas", json=body).status_code == 201
        body = {"type": "article", "title": "Budgeting"}
        assert client.post(f"{API}/content", json=body).status_code == 201


@pytest.mark.parametrize("path", LISTS)
def test_every_cursor_matches_its_documented_pattern(client: TestClient, path: str) -> None:
    """A client can check a cursor with the pattern: every cursor the
    service hands out matches it, and a cursor that matches it is never
    refused, whatever numbers it holds (clamped to the column's range)."""
    seed_two_of_each(client)
    pattern = cursor_pattern(template(path))
    page = client.get(f"{API}{path}", params={"limit": 1}).json()
    cursor = page["next_cursor"]
    assert cursor and re.fullmatch(pattern, cursor), (cursor, pattern)
    second = client.get(f"{API}{path}", params={"limit": 1, "cursor": cursor})
    assert second.status_code == 200 and second.json()["items"] != page["items"]
    forged = [
        ".".join(n if re.fullmatch(r"-?[0-9]+", part) else part for part in cursor.split("."))
        for n in ("-999999999999999999", "999999999999999999", "0")
    ]
    for value in [*forged, ""]:
        assert re.fullmatch(pattern, value), value
        response = client.get(f"{API}{path}", params={"cursor": value})
        assert response.status_code == 200, (value, response.text)
    for value in ["garbage!", cursor + ".x", "a b", "1.2.3", "x" * 51]:
        assert not re.fullmatch(pattern, value)
        response = client.get(f"{API}{path}", params={"cursor": value})
        assert response.status_code == 400, value
        assert response.json() == {"detail": "malformed cursor"}


def schema(name: str) -> dict[str, Any]:
    return dict(app.openapi()["components"]["schemas"][name])


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        ("UserUpdate", ["name", "email", "consent"]),
        ("AccountUpdate", ["type", "subtype", "name", "mask", "balance", "currency"]),
        ("TransactionUpdate", ["date", "amount", "category", "pending"]),
        ("ContentUpdate", ["type", "title", "persona_tags", "source"]),
    ],
)
def test_patch_schemas_admit_no_null_where_the_service_refuses_it(
    model: str, fields: list[str]
) -> None:
    """ "May be omitted but not null": the schema no longer offers null."""
    properties = schema(model)["properties"]
    for field in fields:
        assert "null" not in str(properties[field]), (model, field)
    if model == "TransactionUpdate":
        assert "null" in str(properties["merchant_name"])  # null clears it


def test_account_shape_rules_are_in_the_schema() -> None:
    for name in ("AccountCreate", "AccountUpdate"):
        rules = schema(name)["allOf"]
        by_type = {r["if"]["properties"]["type"]["const"]: r["then"] for r in rules}
        assert by_type["credit"]["properties"]["subtype"] == {"const": "credit_card"}
        depository = by_type["depository"]["properties"]
        assert "credit_card" not in depository["subtype"]["enum"]
        assert depository["limit"] == depository["apr"] == {"type": "null"}


def test_as_of_pattern_is_the_services_range(client: TestClient) -> None:
    create_user(client, id="u1", consent=True)
    dates = [
        EARLIEST_AS_OF - timedelta(days=1),
        EARLIEST_AS_OF,
        LATEST_AS_OF,
        LATEST_AS_OF + timedelta(days=1),
        date(2026, 3, 1),
        date(1, 1, 1),
    ]
    for day in dates:
        text = day.isoformat().rjust(10, "0")
        response = client.get(f"{API}/users/u1/signals", params={"as_of": text})
        assert (response.status_code == 200) is bool(re.fullmatch(AS_OF_PATTERN, text)), text


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:30:00+01:00",
        "0001-01-01T23:00:00+01:00",
        "0001-01-01T00:30:00-01:00",
        "0001-01-01T00:30:00+00:00",
        "0001-01-01T00:30:00Z",
        "9999-12-31T23:30:00-01:00",
        "9999-12-31T00:30:00-01:00",
        "9999-12-31T23:30:00+05:30",
        "9999-12-31T23:30:00-00:00",
        "2026-03-01T12:00:00+05:00",
    ],
)
def test_datetime_pattern_is_the_services_range(client: TestClient, text: str) -> None:
    make_account(client)
    body = {"date": text, "amount": 1, "category": "X"}
    response = client.post(f"{API}/accounts/acc1/transactions", json=body)
    accepted = bool(re.match(DATETIME_PATTERN, text))
    assert (response.status_code == 201) is accepted, response.text
    assert offset_leaves_range(datetime.fromisoformat(text)) is not accepted
    if accepted:  # stored as the same instant, in UTC (naive = UTC)
        sent = datetime.fromisoformat(text)
        stored = response.json()["date"]
        assert stored.endswith("Z")
        assert datetime.fromisoformat(stored) == (sent if sent.tzinfo else sent.replace(tzinfo=UTC))


@pytest.mark.parametrize("email", ["ada@example.test", "ada@host.LOCAL", "ada@localhost"])
def test_special_use_email_domains_are_refused_as_the_pattern_says(
    client: TestClient, email: str
) -> None:
    pattern = schema("UserCreate")["properties"]["email"]["pattern"]
    assert not re.match(pattern, email)
    response = client.post(f"{API}/users", json={"name": "Ada", "email": email})
    assert response.status_code == 422
    assert re.match(pattern, "ada@example.com")
