"""app.models.bulk_body: the fast pass (orjson, one pydantic call per column)
reads a body into exactly the values BULK_BODY gives, and leaves every body
it does not take to BULK_BODY, whose errors the route answers with."""

import json
from itertools import repeat
from operator import itemgetter
from typing import Any

import pytest
from pydantic import ValidationError

from app.models import bulk_body
from app.models.bulk_body import BULK_BODY, parse_bulk_body


def item(ident: str = "t1", **fields: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "account_id": "acc1",
        "date": "2026-03-01T12:00:00.123456Z",
        "amount": 1250,
        "category": "FOOD_AND_DRINK",
        **fields,
    }


def general_columns(body: bytes) -> dict[str, list[Any]]:
    rows = BULK_BODY.validate_json(body)["transactions"]
    return {name: list(map(itemgetter(name), rows)) for name in rows[0]}


def forbid_general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    class Refused:
        def validate_json(self, body: bytes) -> Any:
            raise AssertionError("the body went to the general path")

    monkeypatch.setattr(bulk_body, "BULK_BODY", Refused())


VALID_BODIES = [
    [item()],
    [item("a", merchant_name="Café \u2603", pending=True), item("b", merchant_name=None)],
    [item(date="2026-03-01"), item("b", date="2026-03-01T09:30:00"), item("c", amount=12.0)],
    [item(date="2026-03-01 09:30:00.5"), item("b", date="2026-03-01T09:30:00.123456-05:30")],
    [item(category_detailed="FOOD_AND_DRINK_COFFEE", description="CAFE 123\nLINE 2")],
    [item(amount=-(10**12)), item("b", amount=10**12), item("c", amount=-0.0)],
    [item(extra="ignored", pending=False), item("b", date="0001-01-01T00:00:00Z")],
    [item("a", pending=True), item("b", merchant_name="Cafe")],  # as many fields, not the same
    [item(f"t{i}") for i in range(200)],
]


@pytest.mark.parametrize("items", VALID_BODIES)
def test_fast_pass_reads_the_values_of_the_general_path(
    items: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = json.dumps({"transactions": items, "other": 1}).encode()
    expected = general_columns(body)
    forbid_general_path(monkeypatch)
    columns = parse_bulk_body(body)
    assert columns == expected
    assert list(columns) == list(expected)
    # The same types too (12.0 is the integer 12, dates keep their offset).
    for name, values in expected.items():
        assert list(map(type, columns[name])) == list(map(type, values)), name
        assert list(map(repr, columns[name])) == list(map(repr, values)), name


def test_repeated_keys_take_the_last_value_as_the_general_path_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = (
        b'{"transactions": [{"id": "a", "id": "b", "account_id": "x", "date": "2026-03-01",'
        b' "amount": 1, "amount": 2, "category": "X"}]}'
    )
    expected = general_columns(body)
    assert (expected["id"], expected["amount"]) == (["b"], [2])
    forbid_general_path(monkeypatch)
    assert parse_bulk_body(body) == expected


REFUSED_BODIES: list[bytes] = [
    json.dumps({"transactions": [item(), item("t2", amount=12.5)]}).encode(),
    json.dumps({"transactions": [item(), item("t2", amount=True)]}).encode(),
    json.dumps({"transactions": [item(), item("t2", amount="12")]}).encode(),
    json.dumps({"transactions": [item(), item("t2", date=1700000000)]}).encode(),
    json.dumps({"transactions": [item(), item("t2", date="1700000000")]}).encode(),
    json.dumps({"transactions": [item(), item("t2", date="2026-02-30")]}).encode(),
    json.dumps({"transactions": [item(), item("t2", pending=None)]}).encode(),
    json.dumps({"transactions": [item(), item("t2", pending=1)]}).encode(),
    json.dumps({"transactions": [item(), item("t2", merchant_name="a\x00b")]}).encode(),
    json.dumps({"transactions": [item(), item("t2", merchant_name="m" * 201)]}).encode(),
    json.dumps({"transactions": [item(), item("bad id!")]}).encode(),
    json.dumps(
        {"transactions": [item(), {k: v for k, v in item().items() if k != "date"}]}
    ).encode(),
    json.dumps({"transactions": [item(), None]}).encode(),
    json.dumps({"transactions": [item(), [1, 2]]}).encode(),
    json.dumps({"transactions": []}).encode(),
    json.dumps({"transactions": [item(f"t{i}") for i in range(10_001)]}).encode(),
    json.dumps({"transactions": {"0": item()}}).encode(),
    json.dumps([item()]).encode(),
    b'{"transactions": [{"id": "a", "account_id": "x", "date": "2026-03-01", "amount": NaN,'
    b' "category": "X"}]}',
    b'{"transactions": [{"id": "a", "account_id": "x", "date": "2026-03-01",'
    b' "amount": 100000000000000000000000, "category": "X"}]}',
    b'{"transactions": [{"id": "a", "account_id": "x", "date": "2026-03-01", "amount": 1,'
    b' "category": "X", "merchant_name": "\\ud800"}]}',
    b'{"transactions": [',
    b"",
]


@pytest.mark.parametrize("body", REFUSED_BODIES, ids=lambda body: body[:60].decode())
def test_a_refused_body_gets_the_errors_of_the_general_path(body: bytes) -> None:
    with pytest.raises(ValidationError) as general:
        BULK_BODY.validate_json(body)
    with pytest.raises(ValidationError) as fast:
        parse_bulk_body(body)
    assert fast.value.json() == general.value.json()  # the same errors, compared as JSON


def test_a_column_of_nulls_is_not_validated_but_a_null_where_none_is_taken_is() -> None:
    """Optional fields sent as null (or left out) everywhere skip validation;
    `pending` takes no null, so a column of them is still refused."""
    nulls = [item(f"t{i}", merchant_name=None) for i in range(3)]
    assert parse_bulk_body(json.dumps({"transactions": nulls}).encode())["merchant_name"] == list(
        repeat(None, 3)
    )
    with pytest.raises(ValidationError) as refused:
        parse_bulk_body(json.dumps({"transactions": [item(pending=None)]}).encode())
    assert [e["loc"] for e in refused.value.errors()] == [("transactions", 0, "pending")]
