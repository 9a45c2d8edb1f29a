"""Transactions over HTTP: create, get/patch/delete, filtered keyset lists."""

import asyncio
import json
import sqlite3
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import RawPage, postgres_pages, sqlite_pages
from app.backends.postgres_pages import PooledPageReader
from app.backends.sqlite_pages import InlinePageReader
from app.db import app_database
from app.main import app
from tests.utils.database import ON_POSTGRES, run_in_session
from tests.utils.factories import API, at, bulk, ids, item, make_account


def create(client: TestClient, account_id: str = "acc1", **fields: Any) -> dict[str, Any]:
    body = {"date": at(0), "amount": 1000, "category": "FOOD_AND_DRINK", **fields}
    response = client.post(f"{API}/accounts/{account_id}/transactions", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def walk(client: TestClient, url: str, limit: int) -> list[str]:
    """Every id of a list, page by page."""
    seen: list[str] = []
    cursor = None
    sep = "&" if "?" in url else "?"
    while True:
        query = f"{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url + query)
        seen += ids(response)
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return seen


# --- create -------------------------------------------------------------------


def test_create_generates_txn_id_and_returns_201(client: TestClient) -> None:
    make_account(client)
    body = create(client, merchant_name="Cafe", amount=-2500)
    assert body["id"].startswith("txn_") and len(body["id"]) > 4
    assert body == {
        "id": body["id"],
        "account_id": "acc1",
        "date": "2026-03-01T12:00:00Z",
        "amount": -2500,
        "merchant_name": "Cafe",
        "category": "FOOD_AND_DRINK",
        "pending": False,
        "category_detailed": None,
        "description": None,
    }
    assert client.get(f"{API}/transactions/{body['id']}").json() == body


def test_create_with_client_id_then_same_id_is_409(client: TestClient) -> None:
    make_account(client)
    assert create(client, id="ext-1")["id"] == "ext-1"
    response = client.post(
        f"{API}/accounts/acc1/transactions",
        json={"id": "ext-1", "date": at(0), "amount": 1, "category": "X"},
    )
    assert response.status_code == 409
    assert "detail" in response.json()


def test_create_for_unknown_account_is_404(client: TestClient) -> None:
    body = {"date": at(0), "amount": 1, "category": "X"}
    response = client.post(f"{API}/accounts/nope/transactions", json=body)
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", 12.5),
        ("amount", "12"),
        ("amount", True),
        ("amount", 10**12 + 1),
        ("amount", -(10**12) - 1),
        ("category", "food"),
        ("category", "FOOD-AND-DRINK"),
        ("category", ""),
        ("category", "A" * 101),
        ("date", "yesterday"),
        ("date", "2026-02-30"),
        ("date", 1700000000),
        ("date", 1700000000.5),
        ("date", "1700000000"),
        ("date", "1700000000.5"),
        ("date", "-5"),
        ("date", "20260301"),
        ("id", "has space"),
        ("id", "x" * 51),
        ("merchant_name", "m" * 201),
        ("merchant_name", "Caf\x00e"),
        ("pending", "maybe"),
        ("pending", "true"),
        ("pending", 1),
    ],
)
def test_create_rejects_invalid_field_with_422(client: TestClient, field: str, value: Any) -> None:
    make_account(client)
    body = {"date": at(0), "amount": 1, "category": "X", field: value}
    response = client.post(f"{API}/accounts/acc1/transactions", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_create_requires_date_amount_category(client: TestClient) -> None:
    make_account(client)
    response = client.post(f"{API}/accounts/acc1/transactions", json={})
    assert response.status_code == 422
    missing = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert missing == {("body", "date"), ("body", "amount"), ("body", "category")}


def test_amount_limits_are_inclusive(client: TestClient) -> None:
    make_account(client)
    assert create(client, amount=10**12)["amount"] == 10**12
    assert create(client, amount=-(10**12))["amount"] == -(10**12)


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2026-03-01", "2026-03-01T00:00:00Z"),
        ("2026-03-01T09:30:00", "2026-03-01T09:30:00Z"),
        ("2026-03-01T09:30:00+02:00", "2026-03-01T07:30:00Z"),
        ("2026-03-01T09:30:00.250000Z", "2026-03-01T09:30:00.250000Z"),
    ],
)
def test_dates_are_accepted_in_any_form_and_returned_as_utc_z(
    client: TestClient, sent: str, stored: str
) -> None:
    make_account(client)
    body = create(client, date=sent)
    assert body["date"] == stored
    assert client.get(f"{API}/transactions/{body['id']}").json()["date"] == stored
    listed = client.get(f"{API}/accounts/acc1/transactions").json()["items"]
    assert [t["date"] for t in listed] == [stored]


# --- get / patch / delete -----------------------------------------------------


def test_get_patch_delete_unknown_transaction_is_404(client: TestClient) -> None:
    assert client.get(f"{API}/transactions/nope").status_code == 404
    assert client.patch(f"{API}/transactions/nope", json={"amount": 1}).status_code == 404
    assert client.delete(f"{API}/transactions/nope").status_code == 404


def test_patch_changes_only_sent_fields(client: TestClient) -> None:
    make_account(client)
    created = create(client, id="t1", merchant_name="Cafe", pending=True)
    response = client.patch(
        f"{API}/transactions/t1", json={"amount": -5, "date": "2026-04-01", "pending": False}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        **created,
        "amount": -5,
        "date": "2026-04-01T00:00:00Z",
        "pending": False,
    }
    response = client.patch(f"{API}/transactions/t1", json={"merchant_name": None})
    assert response.json()["merchant_name"] is None
    assert client.get(f"{API}/transactions/t1").json()["merchant_name"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 1.5},
        {"amount": None},
        {"category": "bad"},
        {"category": None},
        {"date": None},
        {"date": 1700000000},
        {"date": "1700000000"},
        {"merchant_name": "Caf\x00e"},
    ],
)
def test_patch_rejects_invalid_or_null_fields(client: TestClient, body: dict[str, Any]) -> None:
    make_account(client)
    create(client, id="t1")
    response = client.patch(f"{API}/transactions/t1", json=body)
    assert response.status_code == 422, response.text
    assert client.get(f"{API}/transactions/t1").json()["amount"] == 1000


def test_delete_returns_204_and_removes(client: TestClient) -> None:
    make_account(client)
    create(client, id="t1")
    response = client.delete(f"{API}/transactions/t1")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"{API}/transactions/t1").status_code == 404


# --- lists: order and filters -------------------------------------------------


def seed_two_accounts(client: TestClient) -> None:
    """acc1 (user u1): a..e; acc2 (user u2): f, g."""
    make_account(client, "acc1", "u1")
    make_account(client, "acc2", "u2")
    bulk(
        client,
        [
            item("a", minutes=0, amount=500, category="FOOD_AND_DRINK"),
            item("b", minutes=60, amount=-20000, category="INCOME"),
            item("c", minutes=60 * 24, amount=1500, pending=True, merchant_name=None),
            item("d", minutes=60 * 48, amount=99, category="TRANSPORTATION"),
            item("e", minutes=60 * 48, amount=100, category="TRANSPORTATION"),
            item("f", "acc2", minutes=30, amount=700),
            item("g", "acc2", minutes=60 * 72, amount=800, category="INCOME"),
        ],
    )


def test_list_is_newest_first_then_id_descending(client: TestClient) -> None:
    seed_two_accounts(client)
    assert ids(client.get(f"{API}/transactions")) == ["g", "e", "d", "c", "b", "f", "a"]
    assert ids(client.get(f"{API}/accounts/acc1/transactions")) == ["e", "d", "c", "b", "a"]
    page = client.get(f"{API}/transactions").json()
    assert page["next_cursor"] is None
    assert page["items"][0] == {
        "id": "g",
        "account_id": "acc2",
        "date": at(60 * 72),
        "amount": 800,
        "merchant_name": "Cafe",
        "category": "INCOME",
        "pending": False,
        "category_detailed": None,
        "description": None,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("account_id=acc2", ["g", "f"]),
        ("account_id=unknown", []),
        ("user_id=u1", ["e", "d", "c", "b", "a"]),
        ("user_id=u2", ["g", "f"]),
        ("user_id=nobody", []),
        (f"start={at(60)}", ["g", "e", "d", "c", "b"]),
        (f"end={at(60)}", ["f", "a"]),
        (f"start={at(30)}&end={at(60 * 48)}", ["c", "b", "f"]),
        ("start=2026-03-02&end=2026-03-03", ["c"]),
        ("start=2026-03-02T12:00:00", ["g", "e", "d", "c"]),
        ("start=2026-03-02T13:00:00%2B01:00&end=2026-03-02T12:00:01Z", ["c"]),
        ("category=INCOME", ["g", "b"]),
        ("category=TRANSPORTATION&account_id=acc1", ["e", "d"]),
        ("pending=true", ["c"]),
        ("pending=false&account_id=acc1", ["e", "d", "b", "a"]),
        ("min_amount=800", ["g", "c"]),
        ("max_amount=99", ["d", "b"]),
        ("min_amount=100&max_amount=700", ["e", "f", "a"]),
        ("min_amount=100&max_amount=100", ["e"]),
        (f"start={at(0)}&end={at(0)}", []),
    ],
)
def test_list_filters(client: TestClient, query: str, expected: list[str]) -> None:
    seed_two_accounts(client)
    assert ids(client.get(f"{API}/transactions?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=INCOME", ["b"]),
        ("pending=true", ["c"]),
        ("min_amount=100&max_amount=1500", ["e", "c", "a"]),
        ("start=2026-03-03", ["e", "d"]),
        ("end=2026-03-01T13:00:00Z", ["a"]),
    ],
)
def test_account_list_filters(client: TestClient, query: str, expected: list[str]) -> None:
    seed_two_accounts(client)
    assert ids(client.get(f"{API}/accounts/acc1/transactions?{query}")) == expected


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-03-02&end=2026-03-01",
        "min_amount=10&max_amount=9",
        "start=2026-03-01&end=2026-03-01",
    ],
)
def test_empty_ranges_match_nothing(client: TestClient, query: str) -> None:
    """Each filter is a condition of its own, so `end` before `start` (or
    `max_amount` below `min_amount`) is an empty range, like `start == end`:
    an empty page, not a 422 (issue 13.3: the schema cannot compare two
    parameters)."""
    seed_two_accounts(client)
    assert ids(client.get(f"{API}/accounts/acc1/transactions?{query}")) == []
    assert ids(client.get(f"{API}/transactions?{query}")) == []


@pytest.mark.parametrize(
    "query",
    [
        "start=tomorrow",
        "end=2026-13-01",
        "start=1700000000",
        "end=1700000000.5",
        "start=-5",
        "end=%2B5",
        "start=20260301",
        "min_amount=1.5",
        f"max_amount={10**12 + 1}",
        "category=food",
        "pending=perhaps",
        "limit=0",
        "limit=501",
        "limit=abc",
    ],
)
def test_list_rejects_bad_query_with_422(client: TestClient, query: str) -> None:
    make_account(client)
    for url in (f"{API}/transactions", f"{API}/accounts/acc1/transactions"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 422, (url, query, response.text)
        assert response.json()["detail"][0]["loc"][0] == "query"


@pytest.mark.parametrize("cursor", ["garbage!", "bm90IGpzb24", "WzFd", "WyJ4IiwgMV0"])
def test_malformed_cursor_is_400(client: TestClient, cursor: str) -> None:
    make_account(client)
    for url in (f"{API}/transactions", f"{API}/accounts/acc1/transactions"):
        response = client.get(f"{url}?cursor={cursor}")
        assert response.status_code == 400, (url, response.text)
        assert response.json()["detail"]


def test_account_list_unknown_account_is_404_known_empty_is_200(client: TestClient) -> None:
    make_account(client)
    response = client.get(f"{API}/accounts/nope/transactions")
    assert response.status_code == 404
    assert "detail" in response.json()
    # A filter that empties the page of an unknown account still says 404.
    assert client.get(f"{API}/accounts/nope/transactions?category=X").status_code == 404
    assert client.get(f"{API}/accounts/acc1/transactions").json() == {
        "items": [],
        "next_cursor": None,
    }


@pytest.mark.parametrize("account_id", ["a%00b", "a%20b", "x" * 51, "%C3%A9t%C3%A9"])
@pytest.mark.parametrize("query", ["", "?category=FOOD", "?pending=true&limit=5"])
def test_account_list_with_an_impossible_id_is_404(
    client: TestClient, account_id: str, query: str
) -> None:
    """An id that could never exist is not looked up (PostgreSQL would refuse
    NUL in the query): 404 like any unknown account, filtered or not."""
    response = client.get(f"{API}/accounts/{account_id}/transactions{query}")
    assert response.status_code == 404, response.text
    assert "not found" in response.json()["detail"]


# --- lists: keyset pagination ---------------------------------------------------


def test_pages_cover_every_row_once_with_ties_on_date(client: TestClient) -> None:
    make_account(client)
    # 23 rows over 5 distinct dates: many ties broken by id.
    bulk(client, [item(f"t{i:02d}", minutes=i % 5) for i in range(23)])
    everything = client.get(f"{API}/accounts/acc1/transactions?limit=500").json()["items"]
    expected = [t["id"] for t in everything]
    # Newest first, ties on date broken by id, also descending.
    keyset_order = sorted(
        everything, key=lambda t: (datetime.fromisoformat(t["date"]), t["id"]), reverse=True
    )
    assert expected == [t["id"] for t in keyset_order]
    assert len(set(expected)) == 23
    for limit in (1, 2, 5, 22, 23):
        assert walk(client, f"{API}/accounts/acc1/transactions", limit) == expected
        assert walk(client, f"{API}/transactions?account_id=acc1", limit) == expected
    first = client.get(f"{API}/transactions?limit=23").json()
    assert first["next_cursor"] is None


def test_default_limit_is_50(client: TestClient) -> None:
    make_account(client)
    bulk(client, [item(f"t{i:03d}", minutes=i) for i in range(51)])
    page = client.get(f"{API}/accounts/acc1/transactions").json()
    assert len(page["items"]) == 50
    assert page["next_cursor"] is not None


def test_pagination_is_stable_under_concurrent_inserts(client: TestClient) -> None:
    make_account(client)
    bulk(client, [item(f"t{i:02d}", minutes=i) for i in range(10)])  # t09 newest
    url = f"{API}/accounts/acc1/transactions?limit=3"
    first = client.get(url).json()
    assert ids_of(first) == ["t09", "t08", "t07"]
    # Between pages: rows newer than the cursor (never shown on later pages),
    # older than it (must show), and one tying the cursor's date.
    bulk(
        client,
        [
            item("new-newest", minutes=100),
            item("new-older", minutes=4.5),
            item("t07a", minutes=7),  # same date as the cursor row, id after it
            item("t06z", minutes=7),  # same date, id before it: comes next
        ],
    )
    seen = ids_of(first)
    cursor = first["next_cursor"]
    while cursor:
        page = client.get(f"{url}&cursor={cursor}").json()
        seen += ids_of(page)
        cursor = page["next_cursor"]
    assert seen == [
        "t09",
        "t08",
        "t07",
        "t06z",
        "t06",
        "t05",
        "new-older",
        "t04",
        "t03",
        "t02",
        "t01",
        "t00",
    ]
    assert len(seen) == len(set(seen))


def ids_of(page: dict[str, Any]) -> list[str]:
    return [t["id"] for t in page["items"]]


# --- the per-account list is served by ix_txn_account_date ----------------------


def test_account_list_uses_composite_index(client: TestClient) -> None:
    make_account(client)
    make_account(client, "acc2")
    bulk(client, [item(f"t{i}", "acc1" if i % 2 else "acc2", minutes=i) for i in range(40)])
    # A filtered page takes the async SQLAlchemy path: capture its statement.
    url = f"{API}/accounts/acc1/transactions?limit=5&pending=false"
    first = client.get(url).json()
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "FROM transactions" in statement:
            statements.append((statement, params))

    engine = app_database(app).engine.sync_engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        response = client.get(f"{url}&cursor={first['next_cursor']}")
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert response.status_code == 200
    assert len(ids(response)) == 5
    assert len(statements) == 1, "one query per non-empty page"
    statement, params = statements[0]
    assert "ORDER BY" in statement and "LIMIT" in statement
    assert "count(" not in statement.lower()

    if ON_POSTGRES:
        # The planner's choice depends on statistics; what the route relies on
        # is the index holding the whole keyset order being there.
        async def index_definition(session: AsyncSession) -> str:
            sql = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_txn_account_date'"
            return str((await session.execute(text(sql))).scalar_one())

        assert "(account_id, date, id)" in run_in_session(index_definition)

        # The fast path's statement can take the keyset range from the index
        # (seq scans off: with 40 rows the planner would rather read the table).
        async def fast_path_plan(session: AsyncSession) -> str:
            conn = await session.connection()
            # Nor a bitmap scan: the emptied tables' dead rows (autovacuum may
            # be off) sway the planner's size estimate towards one.
            await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            await conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
            sql = postgres_pages._page_sql(50, True)
            plan = await conn.exec_driver_sql(
                f"EXPLAIN {sql}", ("acc1", datetime.fromisoformat(at(30)), "x")
            )
            return " | ".join(str(row[0]) for row in plan.all())

        plan = run_in_session(fast_path_plan)
        assert "Index Scan Backward using ix_txn_account_date" in plan, plan
        assert "ROW(date, (id)::text) < ROW(" in plan, plan
        return

    # The unfiltered pages are read inline with fixed SQL: check those too.
    inline = [
        (sqlite_pages._FIRST_PAGE, {"account": "acc1", "limit": 50}),
        (
            sqlite_pages._NEXT_PAGE,
            {"account": "acc1", "limit": 50, "date": "2026-03-01 12:30:00.000000", "id": "x"},
        ),
    ]
    queries: list[tuple[str, tuple[Any, ...] | dict[str, Any]]] = [
        (statement, tuple(params)),
        *inline,
    ]
    for sql, sql_params in queries:
        detail = run_in_session(explain(sql, sql_params))
        assert "USING INDEX ix_txn_account_date (account_id=?" in detail, detail
        assert "SCAN transactions" not in detail.replace("USING INDEX", ""), detail
        # The index holds the keyset order: no sort of rows sharing a date.
        assert "TEMP B-TREE" not in detail, detail


def explain(sql: str, params: tuple[Any, ...] | dict[str, Any]) -> Any:
    async def plan(session: AsyncSession) -> str:
        conn = await session.connection()
        result = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(str(row[-1]) for row in result.all())

    return plan


def test_inline_and_async_pages_agree(client: TestClient) -> None:
    """Unfiltered account pages (SQLite: read inline) and filtered or global
    ones (SQLAlchemy) give the same bytes, and their cursors are interchangeable."""
    make_account(client)
    dates = ["2026-03-01T12:00:00.250000Z", "2026-03-01", "2026-02-28T23:59:59.000001+00:00"]
    batch = [item(f"t{i}", date=dates[i % 3], amount=i - 3, pending=i % 2 == 0) for i in range(9)]
    batch[3]["merchant_name"] = None
    bulk(client, batch)
    inline_url = f"{API}/accounts/acc1/transactions?limit=4"
    async_url = f"{API}/transactions?account_id=acc1&limit=4"
    inline_body, async_body = client.get(inline_url).content, client.get(async_url).content
    assert inline_body == async_body
    first_inline = json.loads(inline_body)
    assert first_inline["items"][0]["date"] == "2026-03-01T12:00:00.250000Z"
    assert first_inline["items"][-1]["date"] == "2026-03-01T00:00:00Z"
    cursor = first_inline["next_cursor"]
    second_body = client.get(f"{inline_url}&cursor={cursor}").content
    assert second_body == client.get(f"{async_url}&cursor={cursor}").content
    second_inline = json.loads(second_body)
    assert second_inline["items"][-1]["date"] == "2026-02-28T23:59:59.000001Z"
    assert first_inline["items"][0] == client.get(f"{API}/transactions/t6").json()
    assert [i["pending"] for i in first_inline["items"]] == [True, False, True, False]
    assert first_inline["items"][1]["merchant_name"] is None  # t3
    # Pages of 2 split every group of equal dates: both paths walk alike.
    walks = []
    for url in (f"{API}/accounts/acc1/transactions?limit=2", f"{API}/transactions?limit=2"):
        pages = [client.get(url).json()]
        while pages[-1]["next_cursor"]:
            pages.append(client.get(f"{url}&cursor={pages[-1]['next_cursor']}").json())
        walks.append(pages)
    assert walks[0] == walks[1]
    assert [i["id"] for p in walks[0] for i in p["items"]] == [
        "t6", "t3", "t0", "t7", "t4", "t1", "t8", "t5", "t2"
    ]  # fmt: skip


# Text JSON must escape, and text it must leave alone.
AWKWARD_TEXT = [
    'quote " backslash \\ slash /',
    "tab\tnewline\nreturn\rbackspace\bformfeed\f",
    "controls \x01\x1f and DEL \x7f",
    "é ñ ß 中文 😀 \U0010ffff",
    "</script><!-- -->",
    "line separators \u2028\u2029, BOM \ufeff, U+FFFF \uffff",
    "",
    " ",
]
AWKWARD_DATES = [
    "2026-03-01T12:00:00Z",
    "2026-03-01T12:00:00.000001Z",
    "2026-03-01T12:00:00.100000Z",
    "2026-03-01T12:00:00.999999+00:00",
    "2026-03-01T07:00:00.5-05:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999Z",
]


def test_fast_path_writes_the_bytes_of_the_general_path(client: TestClient) -> None:
    """The configured database's fast path for unfiltered account pages
    (SQLite: the inline reader; PostgreSQL: its one statement) writes exactly
    page_json's bytes: escapes, every shape of date, extreme amounts, both
    booleans, a null merchant, the cursor; and it is what served the page
    (no statement through SQLAlchemy)."""
    make_account(client)
    names: list[str | None] = [*AWKWARD_TEXT, None]
    amounts = [10**12, -(10**12), 0, 1, -1]
    batch = [
        item(
            f"t{i:02d}",
            date=AWKWARD_DATES[i % len(AWKWARD_DATES)],
            amount=amounts[i % len(amounts)],
            merchant_name=names[i % len(names)],
            pending=i % 2 == 0,
        )
        for i in range(2 * len(names) + 3)
    ]
    bulk(client, batch)
    statements: list[str] = []

    def capture(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    for limit in (1, 4, 50):
        fast_url = f"{API}/accounts/acc1/transactions?limit={limit}"
        general_url = f"{API}/transactions?account_id=acc1&limit={limit}"
        cursor = ""
        pages = 0
        while True:
            engine = app_database(app).engine.sync_engine
            event.listen(engine, "before_cursor_execute", capture)
            try:
                fast = client.get(fast_url + cursor)
            finally:
                event.remove(engine, "before_cursor_execute", capture)
            assert statements == [], statements  # the fast path served it
            assert fast.content == client.get(general_url + cursor).content
            pages += 1
            assert pages <= len(batch), "the cursor does not advance"  # fail, never hang
            next_cursor = fast.json()["next_cursor"]
            if next_cursor is None:
                break
            cursor = f"&cursor={next_cursor}"
        assert pages == -(-len(batch) // limit)
    by_id = {
        t["id"]: t
        for t in client.get(f"{API}/accounts/acc1/transactions?limit=500").json()["items"]
    }
    assert by_id["t04"]["date"] == "2026-03-01T12:00:00.500000Z"
    assert by_id["t05"]["date"] == "0001-01-01T00:00:00Z"
    assert by_id["t08"]["merchant_name"] is None
    assert [by_id[f"t{i:02d}"]["merchant_name"] for i in range(len(AWKWARD_TEXT))] == AWKWARD_TEXT


def test_sqlite_reader_has_the_pragmas_and_closes_at_shutdown(client: TestClient) -> None:
    """The inline pages' plain sqlite3 connection: the project's pragmas
    (with a short busy timeout), one per app, closed at shutdown."""
    make_account(client)
    database = app_database(app)
    reader = database.page_reader
    if ON_POSTGRES:
        assert isinstance(reader, PooledPageReader)
        return
    assert isinstance(reader, InlinePageReader)
    assert asyncio.run(reader.read("acc1", None, 50)) == RawPage(b"[]", None)
    connection = reader.connection
    assert connection is not None and database.page_reader is reader
    names = ("journal_mode", "foreign_keys", "synchronous", "busy_timeout", "mmap_size")
    assert {name: connection.execute(f"PRAGMA {name}").fetchone()[0] for name in names} == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 1,  # NORMAL
        "busy_timeout": sqlite_pages.READER_BUSY_TIMEOUT_MS,
        "mmap_size": sqlite_pages.READER_MMAP_BYTES,
    }
    client.__exit__(None, None, None)  # shutdown
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        connection.execute("SELECT 1")
    assert reader.connection is None
    client.__enter__()


def test_openapi_documents_list_parameters(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    expected = {
        "start",
        "end",
        "category",
        "pending",
        "min_amount",
        "max_amount",
        "limit",
        "cursor",
    }
    for path, extra in [
        ("/api/v1/accounts/{account_id}/transactions", {"account_id"}),
        ("/api/v1/transactions", {"account_id", "user_id"}),
    ]:
        parameters = paths[path]["get"]["parameters"]
        assert {p["name"] for p in parameters} == expected | extra, path
        limit = next(p for p in parameters if p["name"] == "limit")
        integer = limit["schema"]["anyOf"][0]  # or "": not sent
        assert (integer["minimum"], integer["maximum"]) == (1, 500)
        assert "200" in paths[path]["get"]["responses"]


# --- Unix times and NUL are refused on every path -------------------------------

UNIX_TIMES = [1700000000, 1700000000.5, "1700000000", "1700000000.5", "-5", "+5", "1.7e9"]


@pytest.mark.parametrize("value", UNIX_TIMES)
def test_unix_time_date_is_422_on_create_and_patch(client: TestClient, value: Any) -> None:
    """Numbers, and strings holding only one, would be read as Unix times."""
    make_account(client)
    body = {"date": value, "amount": 1, "category": "X"}
    response = client.post(f"{API}/accounts/acc1/transactions", json=body)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert (error["loc"], error["input"]) == (["body", "date"], value)
    assert "ISO 8601" in error["msg"]
    assert ids(client.get(f"{API}/accounts/acc1/transactions")) == []

    create(client, id="t1")
    response = client.patch(f"{API}/transactions/t1", json={"date": value})
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "date"]]
    assert client.get(f"{API}/transactions/t1").json()["date"] == at(0)


@pytest.mark.parametrize("value", ["1700000000", "1700000000.5", "-5", "20260301"])
def test_unix_time_query_filter_is_422_naming_it(client: TestClient, value: str) -> None:
    make_account(client)
    for name in ("start", "end"):
        for url in (f"{API}/transactions", f"{API}/accounts/acc1/transactions"):
            response = client.get(url, params={name: value})
            assert response.status_code == 422, (url, name, response.text)
            [error] = response.json()["detail"]
            assert (error["loc"], error["input"]) == (["query", name], value)


def test_nul_in_merchant_name_is_422_naming_it_on_create_and_patch(client: TestClient) -> None:
    make_account(client)
    body = {"date": at(0), "amount": 1, "category": "X", "merchant_name": "Caf\x00e"}
    response = client.post(f"{API}/accounts/acc1/transactions", json=body)
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "merchant_name"]]
    assert ids(client.get(f"{API}/accounts/acc1/transactions")) == []

    create(client, id="t1", merchant_name="Cafe")
    response = client.patch(f"{API}/transactions/t1", json={"merchant_name": "\x00"})
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "merchant_name"]]
    assert client.get(f"{API}/transactions/t1").json()["merchant_name"] == "Cafe"


def test_lone_surrogate_in_merchant_name_is_4xx_not_500(client: TestClient) -> None:
    """JSON can smuggle in a lone surrogate ("\\ud800"), which no database can
    store as UTF-8: refused as a client error, nothing written."""
    make_account(client)
    create(client, id="t1", merchant_name="Cafe")
    headers = {"content-type": "application/json"}
    raw = '{"date": "2026-03-01", "amount": 1, "category": "X", "merchant_name": "a\\ud800"}'
    response = client.post(f"{API}/accounts/acc1/transactions", content=raw, headers=headers)
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "merchant_name"]]
    raw = '{"merchant_name": "\\ud800"}'
    response = client.patch(f"{API}/transactions/t1", content=raw, headers=headers)
    assert response.status_code == 422, response.text
    assert ids(client.get(f"{API}/accounts/acc1/transactions")) == ["t1"]
    assert client.get(f"{API}/transactions/t1").json()["merchant_name"] == "Cafe"


def test_description_and_detailed_category_on_create_bulk_and_patch(client: TestClient) -> None:
    make_account(client)
    body = create(
        client, description="POS NETFLIX.COM 866-579", category_detailed="ENTERTAINMENT_TV"
    )
    assert (body["description"], body["category_detailed"]) == (
        "POS NETFLIX.COM 866-579",
        "ENTERTAINMENT_TV",
    )
    item = {
        "id": "b1",
        "account_id": "acc1",
        "date": "2026-03-01",
        "amount": -9,
        "category": "INCOME",
    }
    item |= {"category_detailed": "INCOME_INTEREST_EARNED", "description": "INTEREST PAID"}
    response = client.post(f"{API}/transactions/bulk", json={"transactions": [item]})
    assert response.status_code == 200, response.text
    stored = client.get(f"{API}/transactions/b1").json()
    assert (stored["category_detailed"], stored["description"]) == (
        "INCOME_INTEREST_EARNED",
        "INTEREST PAID",
    )
    patched = client.patch(
        f"{API}/transactions/b1", json={"category_detailed": None, "description": "Interest"}
    )
    assert patched.status_code == 200
    assert (patched.json()["category_detailed"], patched.json()["description"]) == (
        None,
        "Interest",
    )
    bad = client.patch(f"{API}/transactions/b1", json={"category_detailed": "not upper"})
    assert bad.status_code == 422


def test_a_new_category_clears_a_detailed_name_of_another(client: TestClient) -> None:
    make_account(client)
    body = create(client, category="FOOD_AND_DRINK", category_detailed="FOOD_AND_DRINK_COFFEE")
    url = f"{API}/transactions/{body['id']}"
    same = client.patch(url, json={"category": "FOOD_AND_DRINK"}).json()
    assert same["category_detailed"] == "FOOD_AND_DRINK_COFFEE"
    other = client.patch(url, json={"category": "ENTERTAINMENT"}).json()
    assert (other["category"], other["category_detailed"]) == ("ENTERTAINMENT", None)
    both = client.patch(
        url, json={"category": "INCOME", "category_detailed": "INCOME_INTEREST_EARNED"}
    ).json()
    assert both["category_detailed"] == "INCOME_INTEREST_EARNED"
