"""Plaid JSON: a sync over several pages (added, modified, removed, a
pending transaction posted), the cursor stored with each page, pages
applied twice, /transactions/get, account and liability upserts, another
user's account (409, nothing written) and refusals naming list and index."""

import json
from typing import Any

from fastapi.testclient import TestClient

from app.models import ImportRecord, PlaidCursor, Transaction
from tests.utils.database import count_rows
from tests.utils.factories import API, create_user
from tests.utils.imports import accounts, plaid, statement, transactions

PENDING = "lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje"
POSTED = "yhnUVvtcGGcCKU0bcz8PDQr5ZUxUXebUvbKC0"
COFFEE = "KdDjmojBERUKx3JkDd9RuxA5EvejA4SENbkdP"
CARD = "3gE5gnRzNyfXpBK5wEEKcymJ5albGVUqg77gr"
CHECKING = "BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp"


def sync(client: TestClient, page: str, status: int, **params: Any) -> dict[str, Any]:
    body = statement(f"plaid/{page}.json")
    response = plaid(client, "u1", "transactions-sync", body, **params)
    assert response.status_code == status, response.text
    return dict(response.json())


def cursor(client: TestClient, item_id: str = "default") -> Any:
    response = client.get(f"{API}/users/u1/plaid/cursor", params={"item_id": item_id})
    assert response.status_code == 200
    assert response.json()["item_id"] == item_id
    return response.json()["cursor"]


def test_a_sync_over_two_pages(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    assert cursor(client, "item1") is None
    first = sync(client, "sync_page_1", 201, item_id="item1")
    # The loan account and its transaction are skipped with a warning.
    assert (first["format"], first["created"]) == ("plaid", 3)
    assert sorted(a["account_id"] for a in first["accounts"]) == [CARD, CHECKING]
    assert any("'loan'" in w for w in first["warnings"])
    page_1_cursor = json.loads(statement("plaid/sync_page_1.json"))["next_cursor"]
    assert cursor(client, "item1") == page_1_cursor
    assert cursor(client) is None  # another item
    pending = client.get(f"{API}/transactions/{PENDING}").json()
    assert (pending["pending"], pending["amount"]) == (True, 7210)

    second = sync(client, "sync_page_2", 201, item_id="item1")
    # The posted Uber replaces its pending one (one created, one deleted), the
    # coffee is modified, the removed id was never stored (skipped).
    assert (second["created"], second["updated"], second["deleted"], second["skipped"]) == (
        1,
        1,
        1,
        1,
    )
    card = next(a for a in second["accounts"] if a["account_id"] == CARD)
    assert (card["created_txns"], card["deleted_txns"]) == (1, 1)
    assert client.get(f"{API}/transactions/{PENDING}").status_code == 404
    posted = client.get(f"{API}/transactions/{POSTED}").json()
    assert (posted["pending"], posted["amount"], posted["merchant_name"]) == (False, 7415, "Uber")
    assert posted["category_detailed"] == "TRANSPORTATION_TAXIS_AND_RIDE_SHARES"
    assert posted["description"] == "Uber 063015 SF**POOL**"
    coffee = client.get(f"{API}/transactions/{COFFEE}").json()
    assert coffee["amount"] == 650
    assert cursor(client, "item1") == json.loads(statement("plaid/sync_page_2.json"))["next_cursor"]

    # A fetcher that starts over replays both pages: page 1 brings back the
    # pending Uber, page 2 deletes it again; the same rows in the end.
    stored = transactions(client, "u1")
    sync(client, "sync_page_1", 201, item_id="item1")
    replay = sync(client, "sync_page_2", 201, item_id="item1")
    assert (replay["created"], replay["deleted"], replay["updated"]) == (0, 1, 0)
    assert transactions(client, "u1") == stored
    assert count_rows(ImportRecord) == 4


def test_the_same_page_twice_leaves_the_same_rows(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    sync(client, "sync_page_1", 201)
    sync(client, "sync_page_2", 201)
    rows = transactions(client, "u1")
    again = sync(client, "sync_page_2", 200)
    assert again["skipped"] == 3
    assert transactions(client, "u1") == rows


def test_a_dry_run_page_writes_nothing_not_even_the_cursor(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    dry = sync(client, "sync_page_1", 200, dry_run="true")
    assert (dry["dry_run"], dry["created"], dry["import_id"]) == (True, 3, None)
    assert count_rows(Transaction) == 0 and count_rows(PlaidCursor) == 0
    assert accounts(client, "u1") == []


def test_transactions_get_is_a_page_of_added(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    result = sync(client, "transactions_get", 201)
    expected = len(json.loads(statement("plaid/transactions_get.json"))["transactions"])
    assert result["created"] == expected
    assert cursor(client) is None  # a /transactions/get response has no cursor
    assert sync(client, "transactions_get", 200)["skipped"] == expected


def test_accounts_and_liabilities_upserted(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    body = statement("plaid/accounts_get.json")
    first = plaid(client, "u1", "accounts", body)
    assert first.status_code == 201, first.text
    subtypes = {a["id"]: a["subtype"] for a in accounts(client, "u1")}
    assert len(subtypes) == 9  # the investment account is skipped
    assert sorted(set(subtypes.values())) == [
        "checking",
        "credit_card",
        "hsa",
        "money_market",
        "savings",
    ]
    assert plaid(client, "u1", "accounts", body).status_code == 200  # nothing changed
    liabilities = plaid(client, "u1", "accounts", statement("plaid/liabilities_get.json"))
    assert liabilities.status_code == 201
    card = client.get(f"{API}/accounts/dVzbVMLjrxTnLjX4G66XUp5GLklm4oiZy88yK").json()
    assert (card["apr"], card["min_payment"], card["is_overdue"]) == (12.5, 2000, False)


def test_an_account_of_another_user_is_409_and_nothing_is_written(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    create_user(client, id="u2", email="u2@example.com")
    assert plaid(client, "u2", "accounts", statement("plaid/balance_get.json")).status_code == 201
    before = accounts(client, "u2")
    response = plaid(client, "u1", "accounts", statement("plaid/accounts_get.json"))
    assert response.status_code == 409, response.text
    assert accounts(client, "u1") == [] and accounts(client, "u2") == before
    assert count_rows(ImportRecord) == 1


def test_refusals_name_the_list_and_index(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    response = plaid(client, "u1", "transactions-sync", statement("fail_nice/plaid_bad_items.json"))
    assert response.status_code == 422
    locs = [error["loc"] for error in response.json()["detail"]]
    assert all(loc[0] == "body" and loc[1] in ("added", "modified", "removed") for loc in locs)
    assert all(isinstance(loc[2], int) for loc in locs)
    page = {
        "added": [
            {
                "transaction_id": "t_1",
                "account_id": "not_in_the_page",
                "amount": 1.5,
                "date": "2026-03-01",
                "name": "X",
                "pending": False,
            }
        ],
        "next_cursor": "c1",
    }
    unknown = plaid(client, "u1", "transactions-sync", json.dumps(page).encode())
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "added", 0]
    assert count_rows(Transaction) == 0 and count_rows(PlaidCursor) == 0
    assert plaid(client, "u1", "transactions-sync", b"[1]").status_code == 422
    not_json = client.post(
        f"{API}/users/u1/plaid/transactions-sync",
        content=b"{}",
        headers={"content-type": "text/plain"},
    )
    assert not_json.status_code == 415
    assert plaid(client, "nobody", "transactions-sync", b"{}").status_code == 404
    assert client.get(f"{API}/users/nobody/plaid/cursor").status_code == 404
