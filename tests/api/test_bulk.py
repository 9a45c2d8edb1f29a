"""POST /api/v1/transactions/bulk: all or nothing, idempotent, 1-10,000 items."""

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from sqlalchemy.dialects import sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends.sqlite_text import sqlite_utc_text, sqlite_utc_texts
from app.models import Transaction
from app.models.types import ParsedDatetime
from app.services.ingest import insert_ignoring_duplicates
from tests.utils.database import run_in_session
from tests.utils.factories import API, at, bulk, ids, item, make_account

URL = f"{API}/transactions/bulk"
# Dates parsed as the bulk route parses them.
BULK_DATES = TypeAdapter(list[ParsedDatetime])


def count(client: TestClient, account_id: str = "acc1") -> int:
    return len(ids(client.get(f"{API}/accounts/{account_id}/transactions?limit=500")))


def test_bulk_creates_and_items_read_back(client: TestClient) -> None:
    make_account(client)
    make_account(client, "acc2")
    result = bulk(
        client,
        [
            item("a", minutes=1, amount=-100, pending=True),
            item("b", "acc2", date="2026-03-05", merchant_name=None),
            {"id": "c", "account_id": "acc1", "date": "2026-03-01T09:00:00", "amount": 5,
             "category": "X"},
        ],
    )  # fmt: skip
    assert result == {"created": 3, "skipped": 0}
    assert client.get(f"{API}/transactions/a").json() == {
        "id": "a",
        "account_id": "acc1",
        "date": at(1),
        "amount": -100,
        "merchant_name": "Cafe",
        "category": "FOOD_AND_DRINK",
        "pending": True,
        "category_detailed": None,
        "description": None,
    }
    b = client.get(f"{API}/transactions/b").json()
    assert (b["date"], b["merchant_name"], b["account_id"]) == (
        "2026-03-05T00:00:00Z",
        None,
        "acc2",
    )
    c = client.get(f"{API}/transactions/c").json()
    assert (c["date"], c["merchant_name"], c["pending"]) == ("2026-03-01T09:00:00Z", None, False)


def test_bulk_converts_offsets_to_utc(client: TestClient) -> None:
    make_account(client)
    bulk(client, [item("a", date="2026-03-01T09:30:00-05:00")])
    assert client.get(f"{API}/transactions/a").json()["date"] == "2026-03-01T14:30:00Z"


def test_resent_batch_is_all_skipped(client: TestClient) -> None:
    make_account(client)
    batch = [item(f"t{i}", minutes=i) for i in range(20)]
    assert bulk(client, batch) == {"created": 20, "skipped": 0}
    assert bulk(client, batch) == {"created": 0, "skipped": 20}
    extended = batch + [item("t20"), item("t21")]
    assert bulk(client, extended) == {"created": 2, "skipped": 20}
    assert count(client) == 22


def test_existing_row_is_kept_not_overwritten(client: TestClient) -> None:
    make_account(client)
    bulk(client, [item("a", amount=1)])
    assert bulk(client, [item("a", amount=999)]) == {"created": 0, "skipped": 1}
    assert client.get(f"{API}/transactions/a").json()["amount"] == 1


def test_duplicate_ids_inside_one_batch_first_wins(client: TestClient) -> None:
    make_account(client)
    result = bulk(client, [item("a", amount=1), item("b"), item("a", amount=2)])
    assert result == {"created": 2, "skipped": 1}
    assert client.get(f"{API}/transactions/a").json()["amount"] == 1


def test_repeated_ids_out_of_key_order_and_an_overlapping_batch(client: TestClient) -> None:
    """The first of repeated ids is written whatever the key order the
    database writes in, and a batch that overlaps a stored one adds only
    its new rows."""
    make_account(client)
    result = bulk(client, [item("z", amount=1), item("a", amount=2), item("z", amount=3)])
    assert result == {"created": 2, "skipped": 1}
    assert client.get(f"{API}/transactions/z").json()["amount"] == 1
    assert bulk(client, [item("b"), item("a", amount=9)]) == {"created": 1, "skipped": 1}
    assert client.get(f"{API}/transactions/a").json()["amount"] == 2
    assert count(client) == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", 12.5),
        ("amount", 10**12 + 1),
        ("amount", "100"),
        ("category", "Food"),
        ("date", "not a date"),
        ("date", "0001-01-01T00:00:00+01:00"),
        ("date", 1700000000),
        ("date", 1700000000.5),
        ("date", "1700000000"),
        ("date", "1700000000.5"),
        ("date", "-5"),
        ("date", "+5"),
        ("date", "1.7e9"),
        ("date", "20260301"),
        ("id", "bad id!"),
        ("account_id", ""),
        ("merchant_name", "m" * 201),
        ("merchant_name", "Caf\x00e"),
        ("merchant_name", "\x00"),
        ("pending", "perhaps"),
    ],
)
def test_one_bad_item_writes_nothing_and_loc_names_it(
    client: TestClient, field: str, value: Any
) -> None:
    make_account(client)
    batch = [item(f"t{i}", minutes=i) for i in range(5)]
    batch[3][field] = value
    response = client.post(URL, json={"transactions": batch})
    assert response.status_code == 422, response.text
    locs = [e["loc"] for e in response.json()["detail"]]
    assert locs == [["body", "transactions", 3, field]]
    assert count(client) == 0


@pytest.mark.parametrize("value", [1700000000, "1700000000", "-5"])
def test_unix_time_date_is_refused_like_on_create(client: TestClient, value: Any) -> None:
    """The same error as the create route's (one shared check)."""
    make_account(client)
    response = client.post(URL, json={"transactions": [item("t0"), item("t1", date=value)]})
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert (error["loc"], error["type"], error["input"]) == (
        ["body", "transactions", 1, "date"],
        "value_error",
        value,
    )
    created = client.post(f"{API}/accounts/acc1/transactions", json={**item("x"), "date": value})
    assert created.json()["detail"][0]["msg"] == error["msg"]
    assert count(client) == 0


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2026-03-01", "2026-03-01T00:00:00Z"),
        ("2026-03-01T09:30:00", "2026-03-01T09:30:00Z"),
        ("2026-03-01 09:30:00.5", "2026-03-01T09:30:00.500000Z"),
        ("2026-03-01T09:30:00Z", "2026-03-01T09:30:00Z"),
        ("2026-03-01T09:30:00+02:00", "2026-03-01T07:30:00Z"),
        ("2026-03-01T09:30:00.123456-05:30", "2026-03-01T15:00:00.123456Z"),
    ],
)
def test_date_only_naive_and_offset_forms_are_accepted(
    client: TestClient, sent: str, stored: str
) -> None:
    make_account(client)
    assert bulk(client, [item("a", date=sent)]) == {"created": 1, "skipped": 0}
    assert client.get(f"{API}/transactions/a").json()["date"] == stored


def test_lone_surrogate_in_merchant_name_is_4xx_not_500(client: TestClient) -> None:
    """JSON can carry a lone surrogate ("\\ud800"), which no database can store
    as UTF-8: the bulk parser refuses the body, nothing is written."""
    make_account(client)
    body = json.dumps({"transactions": [item("t0"), item("t1", merchant_name="a\ud800")]})
    assert "\\ud800" in body
    response = client.post(URL, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][0] == "body"
    assert count(client) == 0


@pytest.mark.parametrize("field", ["id", "account_id", "date", "amount", "category"])
def test_missing_required_field_is_422(client: TestClient, field: str) -> None:
    make_account(client)
    batch = [item("t0"), item("t1")]
    del batch[1][field]
    response = client.post(URL, json={"transactions": batch})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "transactions", 1, field]
    assert count(client) == 0


def test_offset_past_year_1_or_9999_is_422_and_writes_nothing(client: TestClient) -> None:
    """On the first and last day, an offset that could leave the range is
    refused, by calendar day as the schema's date pattern states it."""
    make_account(client)
    batch = [
        item("t0", date="0001-01-01T02:00:00-01:00"),  # fine: negative offset
        item("t1", date="0001-01-01T00:30:00+01:00"),  # before year 1 in UTC
        item("t2", date="9999-12-31T23:30:00-01:00"),  # after year 9999 in UTC
        item("t3", date="9999-12-31T23:30:00+01:00"),  # fine: positive offset
        item("t4", date="0001-01-01T02:00:00+01:00"),  # refused: positive on 0001-01-01
        item("t5", date="0001-01-01T00:00:00+00:00"),  # fine: UTC
    ]
    response = client.post(URL, json={"transactions": batch})
    assert response.status_code == 422, response.text
    locs = [e["loc"] for e in response.json()["detail"]]
    assert locs == [["body", "transactions", i, "date"] for i in (1, 2, 4)]
    assert count(client) == 0
    assert bulk(client, [batch[0], batch[3], batch[5]]) == {"created": 3, "skipped": 0}
    assert client.get(f"{API}/transactions/t0").json()["date"] == "0001-01-01T03:00:00Z"
    assert client.get(f"{API}/transactions/t3").json()["date"] == "9999-12-31T22:30:00Z"


def test_unknown_account_writes_nothing_and_is_named(client: TestClient) -> None:
    make_account(client)
    batch = [item("t0"), item("t1", "ghost"), item("t2"), item("t3", "ghost2")]
    response = client.post(URL, json={"transactions": batch})
    # 404 (the contract's other choice; a schema-valid body, issue 13.3),
    # in the validation-error shape that names each item.
    assert response.status_code == 404, response.text
    assert {e["type"] for e in response.json()["detail"]} == {"unknown_account"}
    detail = response.json()["detail"]
    assert [e["loc"] for e in detail] == [
        ["body", "transactions", 1, "account_id"],
        ["body", "transactions", 3, "account_id"],
    ]
    assert [e["input"] for e in detail] == ["ghost", "ghost2"]
    assert "ghost" in detail[0]["msg"]
    assert count(client) == 0


def test_ten_thousand_items_accepted(client: TestClient) -> None:
    make_account(client)
    make_account(client, "acc2")
    batch = [item(f"t{i:05d}", "acc1" if i % 2 else "acc2", minutes=i) for i in range(10_000)]
    assert bulk(client, batch) == {"created": 10_000, "skipped": 0}
    assert bulk(client, batch) == {"created": 0, "skipped": 10_000}
    page = client.get(f"{API}/transactions?limit=500&account_id=acc1").json()
    assert page["items"][0]["id"] == "t09999"


def test_ten_thousand_and_one_items_rejected(client: TestClient) -> None:
    make_account(client)
    batch = [item(f"t{i:05d}", minutes=i) for i in range(10_001)]
    response = client.post(URL, json={"transactions": batch})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "transactions"]
    assert detail[0]["type"] == "too_long"
    assert count(client) == 0


@pytest.mark.parametrize(
    "body",
    [{"transactions": []}, {}, {"transactions": "nope"}, [], {"transactions": [None]}],
)
def test_bad_body_shape_is_422(client: TestClient, body: Any) -> None:
    response = client.post(URL, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][0] == "body"


def test_malformed_json_is_422(client: TestClient) -> None:
    make_account(client)
    response = client.post(
        URL, content=b'{"transactions": [', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"
    assert count(client) == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "text/json", None])
def test_body_not_sent_as_json_is_415(client: TestClient, content_type: str | None) -> None:
    """Like every body route: another media type, or none, is refused unread."""
    make_account(client)
    body = json.dumps({"transactions": [item("a")]})
    headers = {} if content_type is None else {"content-type": content_type}
    response = client.post(URL, content=body, headers=headers)
    assert response.status_code == 415
    assert response.json() == {"detail": "send the body as application/json"}
    assert count(client) == 0


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "application/vnd.spendsense+json"]
)
def test_json_media_type_variants_are_accepted(client: TestClient, content_type: str) -> None:
    make_account(client)
    body = json.dumps({"transactions": [item("a")]})
    response = client.post(URL, content=body, headers={"content-type": content_type})
    assert response.status_code == 200, response.text
    assert count(client) == 1


def test_empty_body_is_422_whatever_the_content_type(client: TestClient) -> None:
    for headers in ({}, {"content-type": "text/plain"}, {"content-type": "application/json"}):
        response = client.post(URL, content=b"", headers=headers)
        assert response.status_code == 422, headers
        assert response.json()["detail"][0]["type"] == "json_invalid"


def test_openapi_documents_bulk_body_and_result(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operation = document["paths"]["/api/v1/transactions/bulk"]["post"]
    schemas = document["components"]["schemas"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/TransactionBulk"  # a named model for clients
    transactions = schemas["TransactionBulk"]["properties"]["transactions"]
    assert (transactions["minItems"], transactions["maxItems"]) == (1, 10_000)
    assert transactions["items"] == {"$ref": "#/components/schemas/TransactionBulkItem"}
    assert set(schemas["TransactionBulkItem"]["required"]) == {
        "id",
        "account_id",
        "date",
        "amount",
        "category",
    }
    assert "200" in operation["responses"]


# --- the insert helper shared with the seeder -----------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        datetime(2026, 3, 1, 12, 0),
        datetime(2026, 3, 1, 12, 0, 0, 7, tzinfo=UTC),
        datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(2026, 3, 1, 1, 0, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(1, 1, 1),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ],
)
def test_fast_sqlite_datetime_text_matches_sqlalchemy(value: datetime | None) -> None:
    dialect = sqlite.dialect()
    column_type = Transaction.__table__.c.date.type  # type: ignore[attr-defined]
    sqlalchemy_text = column_type.dialect_impl(dialect).bind_processor(dialect)
    assert sqlite_utc_text(value) == sqlalchemy_text(value)
    assert sqlite_utc_texts([value]) == [sqlalchemy_text(value)]


def test_fast_sqlite_datetime_texts_match_sqlalchemy_on_parsed_dates() -> None:
    """The column-wide conversion on dates as the bulk route gets them from
    the parser: its text fast path (UTC with microseconds) and every other
    form (no fraction, naive, date only, offsets)."""
    sent = [
        "2026-03-01T12:00:00.123456Z",
        "2026-03-01T12:00:00.000001+00:00",
        "2026-03-01T12:00:00Z",
        "2026-03-01T12:00:00.5Z",
        "2026-03-01T12:00:00.123456",
        "2026-03-01",
        "2026-03-01T01:00:00.250000+05:30",
        "2026-02-28T23:00:00-02:00",
    ]
    # As the bulk route hands them over: a column that may hold None.
    values: list[datetime | None] = [*BULK_DATES.validate_python(sent)]
    dialect = sqlite.dialect()
    column_type = Transaction.__table__.c.date.type  # type: ignore[attr-defined]
    sqlalchemy_text = column_type.dialect_impl(dialect).bind_processor(dialect)
    assert sqlite_utc_texts(values) == [sqlalchemy_text(v) for v in values]
    assert sqlite_utc_texts(values)[:3] == [
        "2026-03-01 12:00:00.123456",
        "2026-03-01 12:00:00.000001",
        "2026-03-01 12:00:00.000000",
    ]


@pytest.mark.parametrize(
    "sent",
    [
        ["2026-03-01T12:00:00.123456Z", "2026-03-01T12:00:01.000001Z"],  # UTC, microseconds
        ["2026-03-01T12:00:00Z", "0001-01-01T00:00:00Z"],  # UTC, on the second
        ["2026-03-01T12:00:00.5", "9999-12-31T23:59:59"],  # naive, both forms
        ["2026-03-01T12:00:00Z", "2026-03-01T12:00:00.000001Z", "2026-03-01"],  # mixed
        ["2026-03-01T12:00:00Z", "2026-03-01T12:00:00+01:00"],  # an offset: per value
    ],
)
def test_fast_sqlite_datetime_texts_of_whole_columns(sent: list[str]) -> None:
    """The column-wide rewrite of naive and UTC dates as one text gives
    SQLAlchemy's text for every value, in every mix of forms."""
    values: list[datetime | None] = [*BULK_DATES.validate_python(sent)]
    dialect = sqlite.dialect()
    column_type = Transaction.__table__.c.date.type  # type: ignore[attr-defined]
    sqlalchemy_text = column_type.dialect_impl(dialect).bind_processor(dialect)
    assert sqlite_utc_texts(values) == [sqlalchemy_text(v) for v in values]
    assert sqlite_utc_texts(values + [None]) == [sqlalchemy_text(v) for v in values] + [None]
    assert sqlite_utc_texts([]) == []


def test_insert_ignoring_duplicates_counts_exactly(client: TestClient) -> None:
    make_account(client)
    bulk(client, [item("old", amount=1)])

    def row(ident: str, amount: int, when: datetime) -> dict[str, Any]:
        return {
            "id": ident,
            "account_id": "acc1",
            "date": when,
            "amount": amount,
            "merchant_name": None,
            "category": "X",
            "pending": False,
        }

    east = timezone(timedelta(hours=2))
    rows = [
        row("old", 2, datetime(2026, 3, 1)),
        row("n1", 3, datetime(2026, 3, 1, 14, 0, tzinfo=east)),
        row("n2", 4, datetime(2026, 3, 1, 12, 30)),
        row("n1", 5, datetime(2026, 3, 1)),
    ]

    async def work(session: AsyncSession) -> int:
        created = await insert_ignoring_duplicates(session, Transaction.__table__, rows)  # type: ignore[attr-defined]
        await session.commit()
        return created

    assert run_in_session(work) == 2
    assert run_in_session(work) == 0
    listed = client.get(f"{API}/accounts/acc1/transactions").json()["items"]
    assert [(t["id"], t["amount"], t["date"]) for t in listed] == [
        ("n2", 4, "2026-03-01T12:30:00Z"),
        ("old", 1, at(0)),
        ("n1", 3, "2026-03-01T12:00:00Z"),
    ]


@pytest.mark.parametrize(
    "raw",
    [
        b"\xa5",
        b'{"transactions": "\xff"}',
        b'{"transactions": [{"id": "\xff"}]}',
        b'{"transactions": [{"id": "t\xc3", "account_id": "acc1", "date": "2026-03-01", '
        b'"amount": 1, "category": "X"}]}',
        b"[" * 100_000,
        b'{"transactions": [{"amount": ' + b"9" * 5000 + b"}]}",
    ],
)
def test_unreadable_body_is_400_like_every_route(client: TestClient, raw: bytes) -> None:
    """Not UTF-8 (issue 13: a 500, the error echoed the raw bytes), nested too
    deep, a number too long: the same 400 as the routes with a typed body."""
    make_account(client)
    response = client.post(URL, content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json() == {"detail": "There was an error parsing the body"}
    assert count(client) == 0


def test_malformed_json_is_fastapis_422(client: TestClient) -> None:
    response = client.post(
        URL, content=b'{"transactions": [}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "json_invalid",
            "loc": ["body", 18],
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": "Expecting value"},
        }
    ]
