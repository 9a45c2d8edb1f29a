"""GET /users/{id}/recommendations: the hand-made user of test_insights
against the shipped catalogue (persona block, ranking, rationales whose
numbers are those of GET /signals), ranking and ties on a catalogue made
here, limits, the consent gate, 404, 422, and that nothing is ever written."""

import logging
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import ContentPublic
from app.services.insights.ranking import DISCLAIMER
from app.services.insights.reader import read_user, read_users
from app.services.insights.signals import compute_signals
from app.services.seeding import load_content_catalog
from tests.insights.rationale_numbers import expected_numbers, numbers_in
from tests.utils.database import run_in_session, snapshot
from tests.utils.factories import API, create_user
from tests.utils.scenarios import AS_OF, signals

ITEM_KEYS = {*ContentPublic.model_fields, "score", "rationale"}


def load_catalog_into_db() -> None:
    async def work(session: AsyncSession) -> int:
        return await load_content_catalog(session)

    assert run_in_session(work) > 0


def recommendations(client: TestClient, user: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"{API}/users/{user}/recommendations", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def add_content(
    client: TestClient, ident: str, signal_tags: list[str], persona_tags: list[str]
) -> None:
    body = {"id": ident, "type": "article", "title": f"About {ident}",
            "signal_tags": signal_tags, "persona_tags": persona_tags}  # fmt: skip
    assert client.post(f"{API}/content", json=body).status_code == 201


# --- the hand-made user and the shipped catalogue -------------------------------------


def test_ana_gets_the_catalogue_ranked_with_rationales(client: TestClient, ana: str) -> None:
    load_catalog_into_db()
    body = recommendations(client, ana, as_of=AS_OF)
    persona = body["persona"]
    assert (persona["persona_type"], persona["window"], persona["as_of"]) == (
        "high_utilization", "30d", AS_OF
    )  # fmt: skip
    assert [(r["code"], r["account_id"]) for r in persona["reasons"]] == [
        ("credit_utilization_high", "card"),
        ("interest_charges", "card"),
        ("minimum_payment_only", "card"),
    ]
    assert persona["also_matched"] == []
    assert 0 < persona["confidence"] <= 1
    assert body["disclaimer"] == DISCLAIMER
    assert "not financial advice" in body["disclaimer"]
    # Score: 2 per code answered (utilization, interest, minimum payment) + 1 for the persona.
    assert [(item["id"], item["score"]) for item in body["items"]] == [
        ("cnt_debt_payoff_planner", 7),
        ("cnt_balance_transfer_basics", 5),
        ("cnt_card_interest_explained", 5),
        ("cnt_minimum_payment_trap", 5),
        ("cnt_autopay_checklist_v2", 3),
    ]
    assert all(set(item) == ITEM_KEYS for item in body["items"])
    for item in body["items"]:  # the content's public fields, as GET /content/{id} has them
        stored = client.get(f"{API}/content/{item['id']}").json()
        assert {key: item[key] for key in stored} == stored
    assert body["items"][0]["rationale"] == (
        "Your Visa ending in 9911 is at 59 % of its $3,000.00 limit ($1,780.00 owed), and your "
        "Visa ending in 9911 charged $25.00 of interest in this window, and the last payment on "
        "Visa ending in 9911 was $35.00, no more than $38.50 (110 % of its minimum payment): "
        "this tool helps with bringing card utilization down, paying less card interest and "
        "paying more than the minimum."
    )
    # The autopay checklist is also tagged `overdue`, which Ana's card is not: not cited.
    assert "overdue" not in body["items"][4]["rationale"]


def test_rationale_numbers_equal_the_signals(client: TestClient, ana: str) -> None:
    load_catalog_into_db()
    for window in ("30d", "180d"):
        body = recommendations(client, ana, as_of=AS_OF, window=window, limit=20)
        shown = signals(client, ana, as_of=AS_OF, window=window)
        codes = [r["code"] for r in body["persona"]["reasons"]]
        assert len(body["items"]) == 9  # every item tagged with a code or the persona
        for item in body["items"]:
            cited = [c for c in dict.fromkeys(codes) if c in item["signal_tags"]]
            assert cited or "high_utilization" in item["persona_tags"]
            # A persona match alone cites the strongest reason: the payment of
            # exactly the minimum (strength 0.75, against 0.67 for $25 of interest
            # and 0.59 for a card at 59 %).
            want = [
                n for c in cited or ["minimum_payment_only"] for n in expected_numbers(c, shown)
            ]
            assert numbers_in(item["rationale"]) == want, item["rationale"]


def test_the_persona_block_is_the_window_decision(client: TestClient, ana: str) -> None:
    """The same decision POST /personas/assess stores (compared after the
    read: assessing writes)."""
    bodies = {w: recommendations(client, ana, as_of=AS_OF, window=w) for w in ("30d", "180d")}
    assessed = client.post(f"{API}/users/{ana}/personas/assess", json={"as_of": AS_OF}).json()
    for stored in assessed["items"]:
        persona = bodies[stored["window"]]["persona"]
        for key in ("persona_type", "confidence", "reasons", "also_matched", "as_of", "window"):
            assert persona[key] == stored[key], key


def test_window_and_as_of_default_to_30d_and_today(client: TestClient, ana: str) -> None:
    persona = recommendations(client, ana)["persona"]
    assert (persona["window"], persona["as_of"]) == ("30d", datetime.now(UTC).date().isoformat())


# --- ranking, ties and limits on a catalogue made here ---------------------------------


def test_ranking_and_ties(client: TestClient, ana: str) -> None:
    add_content(client, "k_nothing", ["savings_growth", "overdue"], ["balanced"])
    add_content(client, "z_two_codes", ["interest_charges", "credit_utilization_high"], [])
    add_content(client, "b_persona", [], ["high_utilization"])
    add_content(client, "a_persona", ["no_pattern"], ["high_utilization"])
    add_content(client, "m_one_code", ["minimum_payment_only"], [])
    add_content(client, "c_one_code", ["interest_charges"], [])
    add_content(client, "y_code_and_persona", ["interest_charges"], ["high_utilization"])
    body = recommendations(client, ana, as_of=AS_OF, limit=20)
    assert [(item["id"], item["score"]) for item in body["items"]] == [
        ("z_two_codes", 4),
        ("y_code_and_persona", 3),
        ("c_one_code", 2),
        ("m_one_code", 2),
        ("a_persona", 1),
        ("b_persona", 1),
    ]
    assert body["items"][4]["rationale"].startswith(
        "Suggested for your high utilization persona, whose strongest reason is that the last "
        "payment on Visa ending in 9911"
    )
    limited = recommendations(client, ana, as_of=AS_OF, limit=3)
    assert [item["id"] for item in limited["items"]] == ["z_two_codes", "y_code_and_persona",
                                                          "c_one_code"]  # fmt: skip
    assert [i["id"] for i in recommendations(client, ana, as_of=AS_OF, limit=1)["items"]] == [
        "z_two_codes"
    ]
    # Deterministic: the same data and as_of give the same body.
    assert recommendations(client, ana, as_of=AS_OF, limit=20) == body


def test_default_limit_is_5_and_at_most_20(client: TestClient, ana: str) -> None:
    for n in range(25):
        add_content(client, f"c{n:02d}", ["interest_charges"], [])
    assert [i["id"] for i in recommendations(client, ana, as_of=AS_OF)["items"]] == [
        "c00", "c01", "c02", "c03", "c04"
    ]  # fmt: skip
    assert len(recommendations(client, ana, as_of=AS_OF, limit=20)["items"]) == 20


def test_no_matching_content_is_an_empty_list(client: TestClient, ana: str) -> None:
    add_content(client, "other", ["savings_growth"], ["savings_builder"])
    body = recommendations(client, ana, as_of=AS_OF)
    assert body["items"] == []
    assert body["persona"]["persona_type"] == "high_utilization"


def test_a_user_without_data_is_balanced_and_gets_no_pattern_content(client: TestClient) -> None:
    create_user(client, id="new", email="new@example.com", consent=True)
    load_catalog_into_db()
    body = recommendations(client, "new", as_of=AS_OF, window="180d")
    assert body["persona"]["persona_type"] == "balanced"
    assert [r["code"] for r in body["persona"]["reasons"]] == ["no_pattern"]
    top = body["items"][0]
    assert (top["id"], top["score"]) == ("cnt_50_30_20_budget_v2", 3)
    assert top["rationale"] == (
        "No credit, income, subscription or savings pattern stands out in this window: this "
        "article is about everyday money habits."
    )


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "21"},
        {"limit": "-1"},
        {"limit": "5.5"},
        {"limit": "five"},
        {"window": "7d"},
        {"window": "30D"},
        {"as_of": "2026-06-30T00:00:00"},
        {"as_of": "2026-02-30"},
        {"as_of": "20260630"},
        {"as_of": "9999-12-31"},
    ],
)
def test_bad_limit_window_or_as_of_is_422(
    client: TestClient, ana: str, params: dict[str, str]
) -> None:
    response = client.get(f"{API}/users/{ana}/recommendations", params=params)
    assert response.status_code == 422, response.text
    (name,) = params
    assert response.json()["detail"][0]["loc"] == ["query", name]


def test_unknown_user_is_404(client: TestClient) -> None:
    response = client.get(f"{API}/users/nobody/recommendations")
    assert response.status_code == 404
    assert "nobody" in response.json()["detail"]


def test_without_consent_403_nothing_read_computed_or_written(
    client: TestClient, ana: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_catalog_into_db()
    client.put(f"{API}/users/{ana}/consent", json={"consent": False})

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read or computed without consent")

    for name in ("read_user", "compute_signals", "decide_persona", "read_catalog"):
        monkeypatch.setattr(f"app.services.insights.recommendations.{name}", refuse)
    before = snapshot()
    response = client.get(f"{API}/users/{ana}/recommendations", params={"as_of": AS_OF})
    assert response.status_code == 403
    assert "consent" in response.json()["detail"]
    assert snapshot() == before


def test_recommending_writes_nothing_and_logs_no_amounts(
    client: TestClient, ana: str, caplog: pytest.LogCaptureFixture
) -> None:
    load_catalog_into_db()
    before = snapshot()
    with caplog.at_level(logging.DEBUG, logger="app"):
        for window in ("30d", "180d"):
            recommendations(client, ana, as_of=AS_OF, window=window, limit=20)
    assert snapshot() == before
    assert [r for r in caplog.records if r.name.startswith("app")] == []


def test_the_one_user_reader_reads_what_the_batch_reader_reads(
    client: TestClient, ana: str
) -> None:
    """The route reads one user through the driver (read_user); the batch
    reader of `spendsense assess` (read_users) must see the same rows."""
    card = {"type": "credit", "subtype": "credit_card", "name": "Amex", "mask": "0005",
            "balance": 10_000, "limit": 50_000, "is_overdue": True}  # fmt: skip
    assert client.post(f"{API}/users/{ana}/accounts", json=card).status_code == 201
    old = {"id": "old", "account_id": "chk", "date": "2026-02-01T10:00:00Z", "amount": 900,
           "category": "FOOD_AND_DRINK"}  # fmt: skip
    assert client.post(f"{API}/transactions/bulk", json={"transactions": [old]}).status_code == 200
    create_user(client, id="empty", email="empty@example.com", consent=True)

    async def both(session: AsyncSession) -> list[tuple[Any, Any]]:
        pairs = []
        for user in (ana, "empty", "nobody"):
            for days in (90, 180):
                one = await read_user(session, user, date(2026, 6, 30), days)
                batch = (await read_users(session, [user], date(2026, 6, 30), days))[user]
                pairs.append((one, batch))
        return pairs

    pairs = run_in_session(both)
    for one, batch in pairs:
        assert one == batch
        assert [type(a.is_overdue) for a in one.accounts] == [bool] * len(one.accounts)
    assert len(pairs[0][0].accounts) == 4 and any(a.is_overdue for a in pairs[0][0].accounts)
    # 90 days leave out the row of February.
    assert len(pairs[0][0].transactions) + 1 == len(pairs[1][0].transactions)


def test_payments_at_one_instant_are_ordered_by_id_as_sqlite_orders_them(
    client: TestClient, ana: str
) -> None:
    """Two payments on a card at the same instant: the later by id (binary
    order, as SQLite and Python compare) is the most recent, on PostgreSQL
    too when the database's default collation is not C (en_US puts "t1"
    before "T2", C after): the id columns are COLLATE "C" there (migration
    0005). tests/test_collation.py runs this on a database whose default
    collation is ICU en-US."""
    card = {"id": "visa", "type": "credit", "subtype": "credit_card", "name": "Visa",
            "mask": "0007", "balance": 1_000, "limit": 300_000, "min_payment": 2_500}  # fmt: skip
    assert client.post(f"{API}/users/{ana}/accounts", json=card).status_code == 201
    at = "2026-06-20T12:00:00Z"
    pays = [{"id": "T2", "account_id": "visa", "date": at, "amount": -50_000,
             "category": "LOAN_PAYMENTS"},
            {"id": "t1", "account_id": "visa", "date": at, "amount": -2_500,
             "category": "LOAN_PAYMENTS"}]  # fmt: skip
    assert client.post(f"{API}/transactions/bulk", json={"transactions": pays}).status_code == 200

    async def last_payment(session: AsyncSession) -> Any:
        rows = await read_user(session, ana, date(2026, 6, 30))
        (visa,) = [
            c
            for c in compute_signals(rows.accounts, rows.transactions, date(2026, 6, 30))[
                "30d"
            ].credit.cards
            if c.account_id == "visa"
        ]
        return visa.last_payment, visa.minimum_payment_only

    # "t1" > "T2" in binary order: the 25.00 payment is the most recent.
    assert run_in_session(last_payment) == (2_500, True)
    assert signals(client, ana, as_of=AS_OF)["credit"]["cards"][1]["last_payment"] == 2_500


def test_openapi_describes_the_response(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operation = document["paths"][f"{API}/users/{{user_id}}/recommendations"]["get"]
    assert {"200", "403", "404", "422"} <= set(operation["responses"])
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schemas = document["components"]["schemas"]
    body = schemas[ref.rsplit("/", 1)[1]]
    assert set(body["properties"]) == {"persona", "items", "disclaimer", "note"}
    item_ref = body["properties"]["items"]["items"]["$ref"]
    assert set(schemas[item_ref.rsplit("/", 1)[1]]["properties"]) == ITEM_KEYS
    persona_ref = body["properties"]["persona"]["$ref"]
    assert set(schemas[persona_ref.rsplit("/", 1)[1]]["properties"]) == {
        "persona_type", "confidence", "reasons", "also_matched", "window", "as_of"
    }  # fmt: skip
    limit = next(p for p in operation["parameters"] if p["name"] == "limit")
    integer = limit["schema"]["anyOf"][0]  # or "": not sent
    assert (integer["minimum"], integer["maximum"]) == (1, 20)
    assert limit["schema"]["default"] == 5


def test_the_batch_reader_dates_start_with_the_day_and_sort_in_time_order(
    client: TestClient, ana: str
) -> None:
    """The readers' dates (Backend.ordered_utc_text) may differ in form
    between databases (PostgreSQL trims a fraction's trailing zeros); their
    text order must still be time order, and they must start with the day."""
    moments = ["13:00:04.999999", "13:00:05", "13:00:05.1", "13:00:05.25", "13:00:06"]
    # Ids in the reverse of time order: only the dates can order these rows.
    rows = [
        {
            "id": f"frac{9 - n}",
            "account_id": "chk",
            "date": f"2026-06-29T{moment}Z",
            "amount": 100 + n,
            "category": "FOOD_AND_DRINK",
        }
        for n, moment in enumerate(moments)
    ]
    assert client.post(f"{API}/transactions/bulk", json={"transactions": rows}).status_code == 200

    async def read(session: AsyncSession) -> list[str]:
        batch = (await read_users(session, [ana], date(2026, 6, 30)))[ana]
        return [txn[1] for txn in batch.transactions if txn[1].startswith("2026-06-29 13:00:0")]

    texts = run_in_session(read)
    assert len(texts) == len(moments)
    assert sorted(texts) == texts  # the reader returns them in time order
    assert [text[:10] for text in texts] == ["2026-06-29"] * len(moments)
    assert [text[11:19] for text in texts] == [f"13:00:0{s}" for s in "45556"]
