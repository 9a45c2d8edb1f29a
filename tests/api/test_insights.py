"""Signals and persona assessments over HTTP: consent gate, validation, the
numbers of a hand-made user (worked out by hand from the spec), storage."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.models import Persona
from tests.utils.database import count_rows
from tests.utils.factories import API, create_user
from tests.utils.scenarios import AS_OF, signals


def test_signals_of_a_hand_made_user(client: TestClient, ana: str) -> None:
    body = signals(client, ana, as_of=AS_OF)
    assert (body["window"], body["as_of"], body["start"], body["end"]) == (
        "30d",
        AS_OF,
        "2026-06-01",
        AS_OF,
    )
    # Settled rows in June: p3, rent, save, saved, n3, int, pay.
    assert body["transaction_count"] == 7
    # Spending: rent + n3 + int (TRANSFER_OUT and the card payment are not).
    assert body["spending"] == {"total": 154_049, "monthly": 154_049.0}
    (card,) = body["credit"]["cards"]
    assert card["account_id"] == "card"
    # Owed at D: 183,000 now, less the 5,000 charged after D.
    assert card["balance"] == 178_000
    assert card["utilization"] == pytest.approx(178_000 / 300_000)
    assert card["interest_charged"] == 2_500
    assert card["last_payment"] == 3_500
    assert card["minimum_payment_only"] is True  # 3,500 <= 1.1 x 3,500
    assert body["credit"]["max_utilization"] == pytest.approx(178_000 / 300_000)
    income = body["income"]
    assert income["pay_days"] == ["2026-04-05", "2026-05-05", "2026-06-05"]  # 90-day lookback
    assert income["median_pay_gap_days"] == 30.5
    assert income["monthly_income"] == 250_000.0
    # Checking at D: 100,000 now + the 21,000 spent after D (late1, late2).
    assert income["checking_balance"] == 121_000
    # Checking outflow in June: rent 150,000 + transfer 50,000.
    assert income["monthly_checking_outflow"] == 200_000.0
    assert income["cash_buffer_months"] == pytest.approx(121_000 / 200_000)
    subs = body["subscriptions"]
    assert subs["recurring_count"] == 1
    (netflix,) = subs["recurring_merchants"]
    assert (netflix["merchant_key"], netflix["cadence"], netflix["charge_count"]) == (
        "netflix",
        "monthly",
        3,
    )
    assert netflix["last_date"] == "2026-06-10"
    assert subs["monthly_recurring_spend"] == pytest.approx(1_549 * 30 / 30.5)  # gaps 30, 31
    assert subs["recurring_share"] == pytest.approx(1_549 * 30 / 30.5 / 154_049)
    assert body["savings"] == {
        "balance": 500_000,
        "net_inflow": 50_000,
        "monthly_net_inflow": 50_000.0,
        "growth_rate": pytest.approx(50_000 / 450_000),
        "emergency_fund_months": pytest.approx(500_000 / 154_049),
    }


def test_signals_default_to_30d_and_the_180d_window_reads_180_days(
    client: TestClient, ana: str
) -> None:
    assert signals(client, ana, as_of=AS_OF)["window"] == "30d"
    long = signals(client, ana, as_of=AS_OF, window="180d")
    assert (long["start"], long["end"]) == ("2026-01-02", AS_OF)
    assert long["income"]["monthly_income"] == pytest.approx(750_000 * 30 / 180)
    assert long["subscriptions"]["lookback_days"] == 180


def test_signals_default_as_of_is_today(client: TestClient, ana: str) -> None:
    assert signals(client, ana)["as_of"] == datetime.now(UTC).date().isoformat()


def test_assess_stores_both_windows_with_reasons(client: TestClient, ana: str) -> None:
    before = datetime.now(UTC)
    response = client.post(f"{API}/users/{ana}/personas/assess", json={"as_of": AS_OF})
    assert response.status_code == 201, response.text
    short, long = response.json()["items"]
    assert (short["window"], long["window"]) == ("30d", "180d")
    assert short["persona_type"] == "high_utilization"
    assert short["as_of"] == AS_OF
    assigned = datetime.fromisoformat(short["assigned_at"])
    assert before - timedelta(seconds=1) <= assigned <= datetime.now(UTC)
    codes = [(r["code"], r["value"], r["threshold"], r["account_id"]) for r in short["reasons"]]
    assert codes == [
        ("credit_utilization_high", pytest.approx(178_000 / 300_000), 0.5, "card"),
        ("interest_charges", 2_500, 0, "card"),
        ("minimum_payment_only", 3_500, pytest.approx(3_850), "card"),
    ]
    assert short["reasons"][0]["text"] == (
        "Visa ending in 9911 is at 59 % of its $3,000.00 limit ($1,780.00 owed)"
    )
    # Savings grew 11 %, but the card is over 30 %: not a savings builder too.
    assert short["also_matched"] == []
    assert 0 < short["confidence"] <= 1
    assert short["signals"] == signals(client, ana, as_of=AS_OF)
    assert count_rows(Persona, user_id=ana) == 2
    current = client.get(f"{API}/users/{ana}/personas/current", params={"window": "180d"})
    assert current.json() == long


@pytest.mark.parametrize("body", [None, {}, {"as_of": None}])
def test_assess_without_as_of_is_today(client: TestClient, ana: str, body: Any) -> None:
    kwargs = {} if body is None else {"json": body}
    response = client.post(f"{API}/users/{ana}/personas/assess", **kwargs)
    assert response.status_code == 201, response.text
    today = datetime.now(UTC).date().isoformat()
    assert [item["as_of"] for item in response.json()["items"]] == [today, today]


def test_without_consent_nothing_is_computed_or_written(client: TestClient, ana: str) -> None:
    client.put(f"{API}/users/{ana}/consent", json={"consent": False})
    for response in (
        client.get(f"{API}/users/{ana}/signals"),
        client.post(f"{API}/users/{ana}/personas/assess", json={"as_of": AS_OF}),
    ):
        assert response.status_code == 403
        assert "consent" in response.json()["detail"]
    assert count_rows(Persona) == 0


def test_reading_signals_writes_nothing(client: TestClient, ana: str) -> None:
    for window in ("30d", "180d"):
        signals(client, ana, window=window, as_of=AS_OF)
    assert count_rows(Persona) == 0


def test_unknown_user_is_404(client: TestClient) -> None:
    assert client.get(f"{API}/users/nobody/signals").status_code == 404
    assert client.post(f"{API}/users/nobody/personas/assess", json={}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"window": "7d"},
        {"window": "30D"},
        {"as_of": "2026-06-30T00:00:00"},
        {"as_of": "2026-06-30T00:00:00Z"},
        {"as_of": "30/06/2026"},
        {"as_of": "2026-02-30"},
        {"as_of": "20260630"},
        {"as_of": "9999-12-31"},
        {"as_of": "0001-01-01"},
    ],
)
def test_bad_window_or_as_of_is_422(client: TestClient, ana: str, params: dict[str, str]) -> None:
    response = client.get(f"{API}/users/{ana}/signals", params=params)
    assert response.status_code == 422, response.text
    (name,) = params
    assert response.json()["detail"][0]["loc"] == ["query", name]


@pytest.mark.parametrize("as_of", ["2026-06-30T00:00:00", "tomorrow", 20260630, "9999-12-31"])
def test_assess_refuses_a_bad_as_of(client: TestClient, ana: str, as_of: Any) -> None:
    response = client.post(f"{API}/users/{ana}/personas/assess", json={"as_of": as_of})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "as_of"]
    assert count_rows(Persona) == 0


def test_assess_body_must_be_json(client: TestClient, ana: str) -> None:
    response = client.post(
        f"{API}/users/{ana}/personas/assess",
        content=b"as_of=2026-06-30",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415


def test_a_user_without_accounts_is_balanced_with_little_confidence(client: TestClient) -> None:
    create_user(client, id="new", email="new@example.com", consent=True)
    body = signals(client, "new", as_of=AS_OF)
    assert body["credit"] == {"cards": [], "max_utilization": None}
    assert body["income"]["cash_buffer_months"] is None
    assert body["savings"]["growth_rate"] is None
    items = client.post(f"{API}/users/new/personas/assess", json={"as_of": AS_OF}).json()["items"]
    assert [i["persona_type"] for i in items] == ["balanced", "balanced"]
    assert [r["code"] for r in items[0]["reasons"]] == ["no_pattern"]
    assert items[0]["reasons"][0]["value"] is None
