"""GET /users/{id}/export: OFX and CSV, streamed, and round trips: the OFX
export imported into a new user reproduces every account (type, mask,
balance; hsa as savings) and its transactions (amounts, dates,
descriptions); an account's CSV export imported into an account brings back
categories and merchant names too."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import API, create_account, create_user
from tests.utils.imports import accounts, plaid, statement, transactions, upload, upload_raw


def seeded(client: TestClient) -> None:
    """u1 with bank data from three sources: OFX (checking, card), Plaid
    (checking, savings, cd, money market, hsa, cards...) and a hand-made
    account with API rows that have no description."""
    create_user(client, id="u1", email="u1@example.com")
    for name in ("ofx/maple_checking_march.ofx", "ofx/card_chase.qfx", "ofx/savings_220_xml.ofx"):
        assert upload(client, "u1", name).status_code == 201
    assert plaid(client, "u1", "accounts", statement("plaid/accounts_get.json")).status_code == 201
    assert (
        plaid(client, "u1", "accounts", statement("plaid/liabilities_get.json")).status_code == 201
    )
    page = statement("plaid/sync_page_1.json")
    assert plaid(client, "u1", "transactions-sync", page).status_code == 201
    create_account(client, "u1", id="hand", name="By hand", mask="0007", balance=-2500)
    row = {"date": "2026-02-01T10:30:00Z", "amount": 1234, "category": "SHOPPING"}
    assert client.post(f"{API}/accounts/hand/transactions", json=row).status_code == 201


def export(client: TestClient, user_id: str, kind: str, **params: Any) -> bytes:
    response = client.get(f"{API}/users/{user_id}/export", params={"format": kind, **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return response.content


def by_mask(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f"{a['type']}/{a['mask']}/{a['balance']}": a for a in rows}


def test_the_ofx_export_round_trips_into_a_new_user(client: TestClient) -> None:
    seeded(client)
    data = export(client, "u1", "ofx")
    assert data.startswith(b'<?xml version="1.0"') and b"<CCSTMTRS>" in data
    create_user(client, id="u2", email="u2@example.com")
    result = upload_raw(client, "u2", data, "application/x-ofx")
    assert result.status_code == 201, result.text
    assert result.json()["warnings"] == []
    mine, theirs = accounts(client, "u1"), accounts(client, "u2")
    assert len(theirs) == len(mine)
    expected = {
        (a["type"], "savings" if a["subtype"] == "hsa" else a["subtype"], a["mask"], a["balance"])
        for a in mine
    }
    assert {(a["type"], a["subtype"], a["mask"], a["balance"]) for a in theirs} == expected
    cards = {a["mask"]: a["limit"] for a in mine if a["type"] == "credit"}
    assert {a["mask"]: a["limit"] for a in theirs if a["type"] == "credit"} == cards

    def fingerprint(user_id: str) -> list[tuple[Any, ...]]:
        masks = {a["id"]: a["mask"] for a in accounts(client, user_id)}
        return sorted(
            (masks[t["account_id"]], t["date"], t["amount"], t["description"] or t["merchant_name"])
            for t in transactions(client, user_id)
            if not t["pending"]  # not on a statement yet: left out of the OFX
        )

    original = fingerprint("u1")
    hand = next(t for t in transactions(client, "u1") if t["account_id"] == "hand")
    assert hand["description"] is None
    copied = fingerprint("u2")
    # The API-made row had no description: its export names it by category.
    assert copied == sorted(
        (mask, day, amount, text or "SHOPPING") for mask, day, amount, text in original
    )
    again = upload_raw(client, "u2", data, "application/x-ofx")
    assert (again.status_code, again.json()["created"]) == (200, 0)


def test_the_ofx_export_leaves_pending_rows_out(client: TestClient) -> None:
    """OFX has no pending state and the OFX import sets `pending` false: a
    pending row exported would come back posted (and later beside its
    posted row). Only posted rows are on the statement, in its range too."""
    seeded(client)
    mine = transactions(client, "u1")
    pending = [t for t in mine if t["pending"]]
    assert [(t["account_id"], t["date"][:10]) for t in pending] == [
        ("3gE5gnRzNyfXpBK5wEEKcymJ5albGVUqg77gr", "2024-04-28")  # the card's only row
    ]
    data = export(client, "u1", "ofx")
    assert pending[0]["id"].encode() not in data
    assert b">20240428" not in data  # no DTSTART/DTEND reaches the pending row's day
    create_user(client, id="u2", email="u2@example.com")
    result = upload_raw(client, "u2", data, "application/x-ofx")
    assert result.status_code == 201, result.text
    theirs = transactions(client, "u2")
    assert len(theirs) == len(mine) - 1
    assert [t for t in theirs if t["pending"]] == []
    # The card whose only row is pending still comes back, with an empty statement
    # (u1 has another card of that mask and balance, from the liabilities response).
    card = next(a for a in accounts(client, "u1") if a["id"] == pending[0]["account_id"])

    def cards(user_id: str) -> list[tuple[Any, ...]]:
        rows = accounts(client, user_id)
        return sorted((a["mask"], a["balance"], a["limit"]) for a in rows if a["type"] == "credit")

    assert (card["mask"], card["balance"], card["limit"]) in cards("u2")
    assert cards("u2") == cards("u1")
    copies = {a["id"] for a in accounts(client, "u2") if a["mask"] == card["mask"]}
    assert [t for t in theirs if t["account_id"] in copies] == []


def test_an_accounts_csv_export_brings_back_categories_and_merchants(client: TestClient) -> None:
    seeded(client)
    source = next(a for a in accounts(client, "u1") if a["mask"] == "2233")  # the OFX checking
    patched = next(t for t in transactions(client, "u1") if t["amount"] == 575)
    edit = {"category": "ENTERTAINMENT", "merchant_name": "Blue Bottle"}
    assert client.patch(f"{API}/transactions/{patched['id']}", json=edit).status_code == 200
    data = export(client, "u1", "csv", account_id=source["id"])
    header = data.decode().splitlines()[0]
    assert header == (
        "Date,Description,Amount,Category,Detailed Category,Merchant,Account,Transaction ID"
    )
    create_user(client, id="u2", email="u2@example.com")
    target = create_account(client, "u2", id="u2_chk", name="Copy", mask="2233", balance=0)
    result = upload_raw(client, "u2", data, "text/csv", account_id=target["id"])
    assert result.status_code == 201, result.text

    def view(user_id: str, account_id: str) -> list[tuple[Any, ...]]:
        return sorted(
            (t["date"][:10], t["amount"], t["category"], t["category_detailed"], t["merchant_name"])
            for t in transactions(client, user_id)
            if t["account_id"] == account_id
        )

    assert view("u2", "u2_chk") == view("u1", source["id"])
    assert ("2026-03-04", 575, "ENTERTAINMENT", None, "Blue Bottle") in view("u2", "u2_chk")


def test_the_csv_export_keeps_pending_rows_pending(client: TestClient) -> None:
    seeded(client)
    card = "3gE5gnRzNyfXpBK5wEEKcymJ5albGVUqg77gr"  # its Uber is pending
    data = export(client, "u1", "csv", account_id=card)
    assert b"\r\nPending transactions\r\n" in data
    create_user(client, id="u2", email="u2@example.com")
    target = create_account(client, "u2", id="u2_card", name="Copy", mask="3333", balance=0)
    assert upload_raw(client, "u2", data, "text/csv", account_id=target["id"]).status_code == 201
    pending = {t["amount"]: t["pending"] for t in transactions(client, "u2")}
    original = {
        t["amount"]: t["pending"] for t in transactions(client, "u1") if t["account_id"] == card
    }
    assert pending == original and True in pending.values()


def test_a_whole_users_csv_names_every_account(client: TestClient) -> None:
    seeded(client)
    lines = export(client, "u1", "csv").decode().splitlines()
    assert len(lines) == 1 + len(transactions(client, "u1")) + 1  # header, rows, pending title
    used = {t["account_id"] for t in transactions(client, "u1")}
    names = {a["name"] for a in accounts(client, "u1") if a["id"] in used}
    account_cells = {line.split(",")[-2] for line in lines[1:] if line.count(",") >= 7}
    assert account_cells == names


def test_an_empty_user_exports_valid_empty_files(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    data = export(client, "u1", "ofx")
    assert b"<OFX>" in data and b"STMTRS" not in data
    assert export(client, "u1", "csv").decode().count("\n") == 1


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/users/nobody/export?format=ofx", 404),
        ("/users/u1/export?format=xls", 422),
        ("/users/u1/export", 422),
        ("/users/u1/export?format=csv&account_id=someone_else", 404),
    ],
)
def test_export_refusals(client: TestClient, path: str, status: int) -> None:
    create_user(client, id="u1", email="u1@example.com")
    create_user(client, id="u2", email="u2@example.com")
    create_account(client, "u2", id="someone_else", balance=0)
    assert client.get(f"{API}{path}").status_code == status


def test_export_needs_no_consent(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com", consent=False)
    assert client.get(f"{API}/users/u1/export", params={"format": "csv"}).status_code == 200
