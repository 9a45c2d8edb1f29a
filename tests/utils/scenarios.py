"""A hand-made user whose insights numbers are worked out by hand from the
rows (tests/api/test_insights.py states them), shared by the insights,
recommendations and explain tests through the `ana` fixture (conftest)."""

from typing import Any

from fastapi.testclient import TestClient

from tests.utils.factories import API, bulk, create_account, create_user

AS_OF = "2026-06-30"


def txn(
    ident: str, account: str, date: str, amount: int, category: str, **fields: Any
) -> dict[str, Any]:
    return {"id": ident, "account_id": account, "date": date, "amount": amount,
            "category": category, **fields}  # fmt: skip


def make_ana(client: TestClient) -> str:
    """A consenting user with checking, savings and a card; every number below
    is worked out by hand from the rows."""
    create_user(client, id="ana", email="ana@example.com", consent=True)
    create_account(client, "ana", id="chk", balance=100_000)
    create_account(
        client, "ana", id="sav", type="depository", subtype="savings", name="Savings",
        mask="0001", balance=500_000,
    )  # fmt: skip
    create_account(
        client, "ana", id="card", type="credit", subtype="credit_card", name="Visa",
        mask="9911", balance=183_000, limit=300_000, min_payment=3_500,
    )  # fmt: skip
    bulk(
        client,
        [
            # Pay on the 5th: gaps of 30 and 31 days, all in the 90-day lookback.
            txn("p1", "chk", "2026-04-05T09:00:00Z", -250_000, "INCOME", merchant_name="Acme"),
            txn("p2", "chk", "2026-05-05T09:00:00Z", -250_000, "INCOME", merchant_name="Acme"),
            txn("p3", "chk", "2026-06-05T09:00:00Z", -250_000, "INCOME", merchant_name="Acme"),
            txn("rent", "chk", "2026-06-03T08:00:00Z", 150_000, "RENT_AND_UTILITIES"),
            txn("save", "chk", "2026-06-02T08:00:00Z", 50_000, "TRANSFER_OUT"),
            txn("saved", "sav", "2026-06-02T08:00:00Z", -50_000, "TRANSFER_IN"),
            # Netflix every 10th: recurring, monthly.
            txn(
                "n1",
                "card",
                "2026-04-10T03:00:00Z",
                1_549,
                "ENTERTAINMENT",
                merchant_name="Netflix",
            ),
            txn(
                "n2",
                "card",
                "2026-05-10T03:00:00Z",
                1_549,
                "ENTERTAINMENT",
                merchant_name="NETFLIX ",
            ),
            txn(
                "n3",
                "card",
                "2026-06-10T03:00:00Z",
                1_549,
                "ENTERTAINMENT",
                merchant_name="Netflix",
            ),
            txn(
                "int",
                "card",
                "2026-06-15T05:00:00Z",
                2_500,
                "BANK_FEES",
                merchant_name="Interest Charge",
            ),
            txn("pay", "card", "2026-06-20T10:00:00Z", -3_500, "LOAN_PAYMENTS"),
            # Pending: ignored by every signal.
            txn("pend", "chk", "2026-06-29T12:00:00Z", 9_999, "FOOD_AND_DRINK", pending=True),
            # After D (one only once converted to UTC): they rebuild balances.
            txn("late1", "chk", "2026-07-01T12:00:00Z", 20_000, "FOOD_AND_DRINK"),
            txn("late2", "chk", "2026-06-30T23:30:00-02:00", 1_000, "FOOD_AND_DRINK"),
            txn("late3", "card", "2026-07-02T12:00:00Z", 5_000, "FOOD_AND_DRINK"),
        ],
    )
    return "ana"


def signals(client: TestClient, user: str, **params: str) -> dict[str, Any]:
    response = client.get(f"{API}/users/{user}/signals", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
