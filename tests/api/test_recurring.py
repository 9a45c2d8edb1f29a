"""Recurring streams over HTTP (recurring.md): the list and its order, the
stream object, status and include_inactive, the user's choices (stored,
applied on every detection, deleted with the user), consent, validation.
Every number is worked out by hand from the rows below."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.models import Persona, RecurringChoice, Transaction
from app.services.insights.streams import group_key, stream_id_of
from tests.utils.database import count_rows
from tests.utils.factories import API, bulk, create_account, create_user
from tests.utils.scenarios import txn

AS_OF = "2026-06-30"


def sid(account: str, direction: str, merchant: str) -> str:
    return stream_id_of(account, direction, group_key(merchant, None, "X"))  # type: ignore[arg-type]


NETFLIX = sid("card", "outflow", "Netflix")
GYM = sid("card", "outflow", "Gym")
PAY = sid("chk", "inflow", "Acme Payroll")
RENT = sid("chk", "outflow", "Landlord")


def make_user(client: TestClient, user_id: str = "rita", consent: bool = True) -> str:
    """Pay on the 1st and 15th (Jan-Jun), rent on the 1st, Netflix on the
    10th (Jan-Jun, $15.49 then $22.99 from April), a gym that stopped in
    February, coffee every few days, and a pending Netflix row."""
    create_user(client, id=user_id, email=f"{user_id}@example.com", consent=consent)
    create_account(client, user_id, id="chk", balance=100_000)
    create_account(
        client, user_id, id="card", type="credit", subtype="credit_card", name="Visa",
        mask="9911", balance=10_000, limit=300_000,
    )  # fmt: skip
    rows: list[dict[str, Any]] = []
    for month in range(1, 7):
        for day in (1, 15):
            rows.append(
                txn(f"pay{month}-{day}", "chk", f"2026-{month:02d}-{day:02d}T09:00:00Z",
                    -200_000, "INCOME", merchant_name="Acme Payroll")
            )  # fmt: skip
        rows.append(
            txn(f"rent{month}", "chk", f"2026-{month:02d}-01T08:00:00Z", 150_000,
                "RENT_AND_UTILITIES", merchant_name="Landlord")
        )  # fmt: skip
        price = 1_549 if month < 4 else 2_299
        rows.append(
            txn(f"nf{month}", "card", f"2026-{month:02d}-10T03:00:00Z", price,
                "ENTERTAINMENT", merchant_name="Netflix")
        )  # fmt: skip
    for month in (1, 2, 3):  # then never again: tombstoned by June
        rows.append(
            txn(f"gym{month}", "card", f"2026-{month:02d}-20T03:00:00Z", 4_000,
                "PERSONAL_CARE", merchant_name="Gym")
        )  # fmt: skip
    for day in range(2, 29, 3):
        rows.append(
            txn(f"cof{day}", "card", f"2026-05-{day:02d}T08:00:00Z", 450,
                "FOOD_AND_DRINK", merchant_name="Corner Coffee")
        )  # fmt: skip
    rows.append(
        txn("nf-pending", "card", "2026-06-20T03:00:00Z", 999, "ENTERTAINMENT",
            merchant_name="Netflix", pending=True)
    )  # fmt: skip
    bulk(client, rows)
    return user_id


def recurring(client: TestClient, user_id: str, **query: Any) -> dict[str, Any]:
    response = client.get(f"{API}/users/{user_id}/recurring", params=query)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def patch(client: TestClient, user_id: str, stream_id: str, body: Any, **query: Any) -> Any:
    return client.patch(f"{API}/users/{user_id}/recurring/{stream_id}", json=body, params=query)


def test_lists_streams_in_order_with_every_field(client: TestClient) -> None:
    user = make_user(client)
    body = recurring(client, user, as_of=AS_OF)
    assert body["as_of"] == AS_OF
    assert [s["stream_id"] for s in body["inflow_streams"]] == [PAY]
    # Rent ($1,500) before Netflix (about $19): by average_amount magnitude.
    assert [s["stream_id"] for s in body["outflow_streams"]] == [RENT, NETFLIX]
    (pay,) = body["inflow_streams"]
    assert pay == {
        "stream_id": PAY,
        "account_id": "chk",
        "direction": "inflow",
        "merchant_name": "Acme Payroll",
        "description": None,
        "category": "INCOME",
        "frequency": "semi_monthly",
        "first_date": "2026-01-01",
        "last_date": "2026-06-15",
        "predicted_next_date": "2026-07-01",
        "average_amount": -200_000,
        "last_amount": -200_000,
        "amount_range": [-200_000, -200_000],
        "transaction_ids": [f"pay{m}-{d}" for m in range(1, 7) for d in (1, 15)],
        "status": "mature",
        "is_active": True,
        "user_status": None,
    }
    netflix = body["outflow_streams"][1]
    assert netflix["frequency"] == "monthly"
    assert netflix["transaction_ids"] == [f"nf{m}" for m in range(1, 7)]  # the pending row is not
    # (3 x 1,549 + 3 x 2,299) / 6 = 1,924 exactly; the price changed in April.
    assert netflix["average_amount"] == 1_924
    assert (netflix["last_amount"], netflix["amount_range"]) == (2_299, [1_549, 2_299])
    assert netflix["predicted_next_date"] == "2026-07-10"


def test_tombstoned_streams_only_with_include_inactive(client: TestClient) -> None:
    user = make_user(client)
    ids = [s["stream_id"] for s in recurring(client, user, as_of=AS_OF)["outflow_streams"]]
    assert GYM not in ids
    body = recurring(client, user, as_of=AS_OF, include_inactive="true")
    gym = next(s for s in body["outflow_streams"] if s["stream_id"] == GYM)
    # Due April 20th; June 30th is 71 days later, more than 30.44 / 2 + 5.
    assert (gym["status"], gym["is_active"], gym["predicted_next_date"]) == (
        "tombstoned",
        False,
        "2026-04-20",
    )
    # At the end of March the gym is active, early (2 months span < 3 periods).
    march = recurring(client, user, as_of="2026-03-31")["outflow_streams"]
    gym = next(s for s in march if s["stream_id"] == GYM)
    assert (gym["status"], gym["is_active"]) == ("early_detection", True)


def test_as_of_cuts_the_rows(client: TestClient) -> None:
    user = make_user(client)
    body = recurring(client, user, as_of="2026-03-14")
    (pay,) = body["inflow_streams"]
    assert pay["last_date"] == "2026-03-01"
    assert pay["predicted_next_date"] == "2026-03-15"
    assert len(pay["transaction_ids"]) == 5


def test_choices_are_stored_and_applied(client: TestClient) -> None:
    user = make_user(client)
    response = patch(client, user, NETFLIX, {"user_status": "dismissed"}, as_of=AS_OF)
    assert response.status_code == 200, response.text
    assert response.json()["stream_id"] == NETFLIX
    assert response.json()["user_status"] == "dismissed"
    assert response.json()["status"] == "mature"
    # Still listed, with the choice; and for any as_of where it is detected.
    for as_of in (AS_OF, "2026-04-30"):
        outflow = recurring(client, user, as_of=as_of)["outflow_streams"]
        assert {s["stream_id"]: s["user_status"] for s in outflow}[NETFLIX] == "dismissed"
    assert count_rows(RecurringChoice) == 1
    # Changed, then cleared: the row goes.
    assert patch(client, user, NETFLIX, {"user_status": "confirmed"}).json()["user_status"] == (
        "confirmed"
    )
    assert count_rows(RecurringChoice) == 1
    cleared = patch(client, user, NETFLIX, {"user_status": None}, as_of=AS_OF)
    assert cleared.status_code == 200
    assert cleared.json()["user_status"] is None
    assert count_rows(RecurringChoice) == 0
    assert patch(client, user, NETFLIX, {"user_status": None}).status_code == 200


def test_a_confirmed_stream_is_tombstoned_later(client: TestClient) -> None:
    user = make_user(client)
    # The gym is tombstoned at June 30th, and can be patched all the same.
    response = patch(client, user, GYM, {"user_status": "confirmed"}, as_of="2026-05-11")
    assert response.status_code == 200, response.text
    # May 11th: 21 days after the due date, April 20th (over 30.44 / 2 + 5:
    # tombstoned when not confirmed), 52 days after the last charge (not
    # over 2 x 30.44): active.
    assert (response.json()["status"], response.json()["is_active"]) == ("early_detection", True)
    body = recurring(client, user, as_of="2026-05-11")
    assert GYM in [s["stream_id"] for s in body["outflow_streams"]]
    june = recurring(client, user, as_of=AS_OF, include_inactive=True)["outflow_streams"]
    gym = next(s for s in june if s["stream_id"] == GYM)
    assert (gym["status"], gym["user_status"]) == ("tombstoned", "confirmed")
    # Unconfirmed, May 11th is past the ordinary limit, May 10th is not.
    patch(client, user, GYM, {"user_status": None}, as_of=AS_OF)
    body = recurring(client, user, as_of="2026-05-11")
    assert GYM not in [s["stream_id"] for s in body["outflow_streams"]]
    body = recurring(client, user, as_of="2026-05-10")
    assert GYM in [s["stream_id"] for s in body["outflow_streams"]]
    # Confirmed, it lasts until 2 x 30.44 days after March 20th: May 19th.
    patch(client, user, GYM, {"user_status": "confirmed"}, as_of=AS_OF)
    for as_of, active in (("2026-05-19", True), ("2026-05-20", False)):
        body = recurring(client, user, as_of=as_of, include_inactive=True)
        gym = next(s for s in body["outflow_streams"] if s["stream_id"] == GYM)
        assert gym["is_active"] is active, as_of


def test_choices_survive_new_data(client: TestClient) -> None:
    user = make_user(client)
    patch(client, user, NETFLIX, {"user_status": "confirmed"}, as_of=AS_OF)
    bulk(client, [txn("nf7", "card", "2026-07-10T03:00:00Z", 2_299, "ENTERTAINMENT",
                      merchant_name="Netflix")])  # fmt: skip
    netflix = next(
        s for s in recurring(client, user, as_of="2026-07-31")["outflow_streams"]
        if s["stream_id"] == NETFLIX
    )  # fmt: skip
    assert (netflix["user_status"], netflix["last_date"]) == ("confirmed", "2026-07-10")


def test_patch_refuses_streams_not_detected_at_as_of(client: TestClient) -> None:
    user = make_user(client)
    coffee = sid("card", "outflow", "Corner Coffee")
    for stream_id in (coffee, "rs_nothing", "not an id at all"):
        response = patch(client, user, stream_id, {"user_status": "dismissed"}, as_of=AS_OF)
        assert response.status_code == 404, response.text
        assert "has no recurring stream" in response.json()["detail"]
    # Netflix is not a stream yet on February 15th (2 charges).
    response = patch(client, user, NETFLIX, {"user_status": "dismissed"}, as_of="2026-02-15")
    assert response.status_code == 404
    assert count_rows(RecurringChoice) == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"user_status": "maybe"}, {"user_status": "Confirmed"}, {"user_status": 1}, None, []],
)
def test_patch_refuses_a_missing_or_invalid_user_status(client: TestClient, body: Any) -> None:
    user = make_user(client)
    response = patch(client, user, NETFLIX, body, as_of=AS_OF)
    assert response.status_code == 422, response.text
    assert count_rows(RecurringChoice) == 0


@pytest.mark.parametrize(
    "as_of", ["2026-06-30T00:00:00", "2026-06-31", "20260630", "0001-01-01", "9999-12-31"]
)
def test_as_of_is_a_calendar_date(client: TestClient, as_of: str) -> None:
    user = make_user(client)
    response = client.get(f"{API}/users/{user}/recurring", params={"as_of": as_of})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", "as_of"]
    response = patch(client, user, NETFLIX, {"user_status": "confirmed"}, as_of=as_of)
    assert response.status_code == 422, response.text


def test_include_inactive_must_be_a_boolean(client: TestClient) -> None:
    user = make_user(client)
    response = client.get(f"{API}/users/{user}/recurring", params={"include_inactive": "maybe"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "include_inactive"]


def test_consent_and_unknown_users(client: TestClient) -> None:
    user = make_user(client, consent=False)
    for response in (
        client.get(f"{API}/users/{user}/recurring"),
        patch(client, user, NETFLIX, {"user_status": "confirmed"}),
        # Consent is checked before the stream is looked for.
        patch(client, user, "rs_nothing", {"user_status": "confirmed"}),
    ):
        assert response.status_code == 403, response.text
        assert "has not given consent" in response.json()["detail"]
    assert count_rows(RecurringChoice) == 0
    for response in (
        client.get(f"{API}/users/nobody/recurring"),
        patch(client, "nobody", NETFLIX, {"user_status": "confirmed"}),
    ):
        assert response.status_code == 404
        assert response.json()["detail"] == "user 'nobody' not found"


def test_reads_never_write(client: TestClient) -> None:
    user = make_user(client)
    before = {t: count_rows(t) for t in (Transaction, Persona, RecurringChoice)}
    recurring(client, user, as_of=AS_OF, include_inactive=True)
    assert {t: count_rows(t) for t in before} == before


def test_choices_go_with_the_user(client: TestClient) -> None:
    user = make_user(client)
    patch(client, user, NETFLIX, {"user_status": "confirmed"}, as_of=AS_OF)
    assert count_rows(RecurringChoice) == 1
    assert client.delete(f"{API}/users/{user}").status_code == 204
    assert count_rows(RecurringChoice) == 0


def test_choices_belong_to_their_user(client: TestClient) -> None:
    make_user(client, "rita")
    patch(client, "rita", NETFLIX, {"user_status": "dismissed"}, as_of=AS_OF)
    create_user(client, id="otto", email="otto@example.com", consent=True)
    assert recurring(client, "otto", as_of=AS_OF) == {
        "as_of": AS_OF,
        "inflow_streams": [],
        "outflow_streams": [],
    }
    # Another user's stream is not among otto's.
    assert patch(client, "otto", NETFLIX, {"user_status": None}, as_of=AS_OF).status_code == 404


def test_patch_body_must_be_json(client: TestClient) -> None:
    user = make_user(client)
    response = client.patch(
        f"{API}/users/{user}/recurring/{NETFLIX}",
        content=b"user_status=confirmed",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
