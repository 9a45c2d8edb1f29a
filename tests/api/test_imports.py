"""POST /users/{id}/imports with statement files in the shapes banks write
(tests/fixtures/statements): every file twice (the second writes nothing),
overlapping exports, corrections, balances, refusals with their exact
status and `loc`, dry runs, the audit trail."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.models import ImportRecord, Transaction
from tests.utils.database import count_rows
from tests.utils.factories import API, create_account, create_user
from tests.utils.imports import (
    accounts,
    statement,
    transactions,
    upload,
    upload_raw,
    user_with_account,
)

# (file, lines it holds, accounts it creates)
OFX_FILES = [
    ("ofx/checking_102_sgml_cp1252.ofx", 10, 1),  # a REPLACE of an unknown FITID: new
    ("ofx/card_chase.qfx", 5, 1),
    ("ofx/card_ccstmtrs_103.ofx", 3, 1),
    ("ofx/savings_220_xml.ofx", 3, 1),
    ("ofx/two_statements.ofx", 3, 2),
    ("ofx/same_account_and_investment.ofx", 3, 1),
    ("ofx/maple_checking_march.ofx", 4, 1),
]
EUROPEAN = {
    "date_column": "datum",
    "description_column": "Naam / Omschrijving",
    "amount_column": "Bedrag (EUR)",
    "decimal": ",",
}
# (file, options, lines)
CSV_FILES: list[tuple[str, dict[str, Any], int]] = [
    ("csv/chase_checking.csv", {}, 8),
    ("csv/amex_card.csv", {"sign": "debit_positive"}, 6),
    ("csv/capital_one_debit_credit.csv", {}, 6),
    ("csv/bofa_preamble_pending_totals.csv", {}, 6),
    ("csv/tab_preamble_reference.csv", {}, 3),
    ("csv/european_semicolon.csv", EUROPEAN, 4),
    ("csv/mint_multi_account.csv", {"account_name": "Checking"}, 3),
    ("csv/ambiguous_dates.csv", {}, 3),
    ("csv/day_first_slash.csv", {}, 2),
    ("csv/firstbank_march.csv", {}, 5),
]


def result_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json())


@pytest.mark.parametrize(("name", "lines", "new_accounts"), OFX_FILES)
def test_every_ofx_file_twice_writes_once(
    client: TestClient, name: str, lines: int, new_accounts: int
) -> None:
    create_user(client, id="u1", email="u1@example.com")
    first = result_of(upload(client, "u1", name), 201)
    assert (first["format"], first["dry_run"], first["created"]) == ("ofx", False, lines)
    assert [a["created"] for a in first["accounts"]] == [True] * new_accounts
    assert first["import_id"].startswith("imp_")
    stored = transactions(client, "u1")
    again = result_of(upload(client, "u1", name), 200)
    assert (again["created"], again["updated"], again["deleted"]) == (0, 0, 0)
    assert again["skipped"] == lines
    assert [a["created"] for a in again["accounts"]] == [False] * new_accounts
    assert transactions(client, "u1") == stored
    assert len(accounts(client, "u1")) == new_accounts
    assert count_rows(ImportRecord) == 2  # the no-op is recorded too


@pytest.mark.parametrize(("name", "options", "lines"), CSV_FILES)
def test_every_csv_file_twice_writes_once(
    client: TestClient, name: str, options: dict[str, Any], lines: int
) -> None:
    account = user_with_account(client)
    first = result_of(upload(client, "u1", name, account_id=account, **options), 201)
    assert (first["format"], first["created"], first["skipped"]) == ("csv", lines, 0)
    assert first["accounts"] == [
        {
            "account_id": account,
            "created": False,
            "created_txns": lines,
            "updated_txns": 0,
            "deleted_txns": 0,
            "skipped_txns": 0,
        }
    ]
    again = result_of(upload(client, "u1", name, account_id=account, **options), 200)
    assert (again["created"], again["skipped"]) == (0, lines)
    assert count_rows(Transaction) == lines


def test_ofx_fields_land_as_the_contract_says(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    result_of(upload(client, "u1", "ofx/maple_checking_march.ofx"), 201)
    (account,) = accounts(client, "u1")
    assert {k: account[k] for k in ("type", "subtype", "mask", "name", "currency")} == {
        "type": "depository",
        "subtype": "checking",
        "mask": "2233",
        "name": "Maple Bank Checking ending in 2233",
        "currency": "USD",
    }
    assert (account["balance"], account["balance_as_of"]) == (421033, "2026-03-31T23:59:59Z")
    by_amount = {t["amount"]: t for t in transactions(client, "u1")}
    pay = by_amount[-310000]
    assert pay["date"] == "2026-03-02T17:00:00Z"  # 12:00 EST
    assert pay["description"] == "ACME CORP PAYROLL PPD ID: 1234567"
    assert (pay["category"], pay["category_detailed"]) == ("INCOME", "INCOME_WAGES")
    assert by_amount[575]["merchant_name"] == "Blue Bottle Coffee"
    assert by_amount[1549]["merchant_name"] == "Netflix"
    interest = by_amount[-42]
    assert (interest["category"], interest["category_detailed"]) == (
        "INCOME",
        "INCOME_INTEREST_EARNED",
    )


def test_an_overlapping_export_adds_only_its_new_rows_and_moves_the_balance(
    client: TestClient,
) -> None:
    create_user(client, id="u1", email="u1@example.com")
    result_of(upload(client, "u1", "ofx/maple_checking_march.ofx"), 201)
    april = result_of(upload(client, "u1", "ofx/maple_checking_april.ofx"), 201)
    assert (april["created"], april["skipped"]) == (3, 2)  # MB0003 and MB0004 again
    assert count_rows(Transaction) == 7
    (account,) = accounts(client, "u1")
    assert (account["balance"], account["balance_as_of"]) == (723274, "2026-04-30T23:59:59Z")
    # The March file again: nothing new, and its older balance does not roll back.
    march = result_of(upload(client, "u1", "ofx/maple_checking_march.ofx"), 200)
    assert march["skipped"] == 4
    assert any("older than the stored one" in w for w in march["warnings"])
    assert accounts(client, "u1")[0]["balance"] == 723274


def test_a_stored_fitid_is_never_overwritten(client: TestClient) -> None:
    """A user's edit survives a re-import of the same file."""
    create_user(client, id="u1", email="u1@example.com")
    result_of(upload(client, "u1", "ofx/maple_checking_march.ofx"), 201)
    coffee = next(t for t in transactions(client, "u1") if t["amount"] == 575)
    edit = {"merchant_name": "My Coffee", "category": "ENTERTAINMENT"}
    assert client.patch(f"{API}/transactions/{coffee['id']}", json=edit).status_code == 200
    result_of(upload(client, "u1", "ofx/maple_checking_march.ofx"), 200)
    stored = client.get(f"{API}/transactions/{coffee['id']}").json()
    assert (stored["merchant_name"], stored["category"]) == ("My Coffee", "ENTERTAINMENT")


def test_corrections_replace_and_delete_stored_transactions(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    result_of(upload(client, "u1", "ofx/maple_checking_march.ofx"), 201)
    result_of(upload(client, "u1", "ofx/maple_checking_april.ofx"), 201)
    corrected = result_of(upload(client, "u1", "ofx/maple_checking_april_corrected.ofx"), 201)
    # MB0005 replaced (updated), MB0002 deleted, MB0099's REPLACE inserted as
    # new, MB0098's DELETE does nothing; MB0006 and MB0007 already stored.
    assert (corrected["created"], corrected["updated"], corrected["deleted"]) == (1, 1, 1)
    assert corrected["skipped"] == 2
    warnings = corrected["warnings"]
    assert any("REPLACE" in w and "not stored; imported as new" in w for w in warnings)
    assert any("'MB0098'" in w and "nothing deleted" in w for w in warnings)
    amounts = sorted(t["amount"] for t in transactions(client, "u1"))
    assert 575 not in amounts  # the deleted coffee
    assert 6210 not in amounts and 2610 in amounts  # Safeway corrected to 26.10
    assert 999 in amounts
    assert count_rows(Transaction) == 7
    again = result_of(upload(client, "u1", "ofx/maple_checking_april_corrected.ofx"), 200)
    assert (again["created"], again["updated"], again["deleted"]) == (0, 0, 0)
    assert count_rows(Transaction) == 7


def test_overlapping_csv_exports_without_ids(client: TestClient) -> None:
    account = user_with_account(client)
    march = result_of(upload(client, "u1", "csv/firstbank_march.csv", account_id=account), 201)
    assert march["created"] == 5  # the two equal coffees are two rows
    later = upload(client, "u1", "csv/firstbank_march_april.csv", account_id=account)
    assert (result_of(later, 201)["created"], later.json()["skipped"]) == (3, 2)
    assert count_rows(Transaction) == 8


def test_a_pending_csv_line_posted_in_a_later_file_settles(client: TestClient) -> None:
    """A bank that words a line the same way pending and posted gives both
    one id: the later file's posted line marks the stored row posted."""
    account = user_with_account(client)
    header = "Transaction Date,Description,Amount\r\n"
    march = (
        header + "03/30/2026,COFFEE BAR 12,-4.50\r\n"
        "Pending\r\n03/31/2026,NETFLIX.COM 866-579-7172 CA,-15.49\r\n"
    ).encode()
    april = (
        header + "03/31/2026,NETFLIX.COM 866-579-7172 CA,-15.49\r\n"
        "04/02/2026,COFFEE BAR 12,-4.50\r\n"
    ).encode()
    result_of(upload_raw(client, "u1", march, "text/csv", account_id=account), 201)
    assert [t["pending"] for t in transactions(client, "u1")] == [True, False]
    later = result_of(upload_raw(client, "u1", april, "text/csv", account_id=account), 201)
    assert (later["created"], later["updated"], later["skipped"]) == (1, 1, 0)
    assert [t["pending"] for t in transactions(client, "u1")] == [False, False, False]
    # Once settled, the same file again changes nothing.
    again = result_of(upload_raw(client, "u1", april, "text/csv", account_id=account), 200)
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 2)
    assert count_rows(Transaction) == 3


def test_ofx_attached_to_an_existing_account(client: TestClient) -> None:
    account = user_with_account(client, balance=0)
    result = result_of(
        upload(client, "u1", "ofx/maple_checking_march.ofx", account_id=account), 201
    )
    assert [a["account_id"] for a in result["accounts"]] == [account]
    assert len(accounts(client, "u1")) == 1
    assert accounts(client, "u1")[0]["balance"] == 421033


def test_raw_bodies_of_every_listed_media_type(client: TestClient) -> None:
    account = user_with_account(client)
    data = statement("ofx/maple_checking_march.ofx")
    media = ["application/x-ofx", "application/ofx", "application/vnd.intu.qfx", "application/xml"]
    assert upload_raw(client, "u1", data, media[0]).status_code == 201
    for kind in media[1:]:
        assert upload_raw(client, "u1", data, f"{kind}; charset=utf-8").status_code == 200
    csv = statement("csv/firstbank_march.csv")
    response = upload_raw(client, "u1", csv, "text/csv", account_id=account)
    assert response.status_code == 201
    record = client.get(f"{API}/imports/{response.json()['import_id']}").json()
    assert (record["format"], record["filename"], record["created"]) == ("csv", None, 5)


@pytest.mark.parametrize("media", ["text/plain", "application/json", "application/octet-stream"])
def test_an_unlisted_media_type_is_415(client: TestClient, media: str) -> None:
    user_with_account(client)
    response = upload_raw(client, "u1", statement("ofx/maple_checking_march.ofx"), media)
    assert response.status_code == 415
    assert count_rows(Transaction) == 0


def test_unknown_user_and_foreign_account_are_404(client: TestClient) -> None:
    assert upload(client, "nobody", "ofx/maple_checking_march.ofx").status_code == 404
    user_with_account(client, "u1")
    other = user_with_account(client, "u2")
    response = upload(client, "u1", "csv/firstbank_march.csv", account_id=other)
    assert response.status_code == 404
    response = upload(client, "u1", "csv/firstbank_march.csv", account_id="acc_none")
    assert response.status_code == 404
    assert count_rows(Transaction) == 0


def test_over_the_import_limit_is_413(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.config import get_settings

    account = user_with_account(client)
    monkeypatch.setattr(get_settings(), "spendsense_import_max_bytes", 200)
    for response in (
        upload(client, "u1", "csv/firstbank_march.csv", account_id=account),
        upload_raw(client, "u1", statement("csv/firstbank_march.csv"), "text/csv"),
    ):
        assert response.status_code == 413, response.text
    assert count_rows(Transaction) == 0


def refusal(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    return list(response.json()["detail"])


def test_refused_ofx_rows_name_statement_and_fitid(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    errors = refusal(upload(client, "u1", "fail_nice/bad_rows.ofx"))
    assert [e["loc"] for e in errors] == [
        ["body", "file", 0, "FEB31"],
        ["body", "file", 0, "DOLLAR"],
        ["body", "file", 0, "MILLS"],
        ["body", "file", 0, "NODATE"],
    ]
    raw = upload_raw(client, "u1", statement("fail_nice/bad_rows.ofx"), "application/x-ofx")
    assert refusal(raw)[0]["loc"] == ["body", 0, "FEB31"]
    assert count_rows(Transaction) == 0 and accounts(client, "u1") == []
    assert count_rows(ImportRecord) == 0


@pytest.mark.parametrize(
    ("name", "loc", "kind"),
    [
        ("fail_nice/bank_error.ofx", ["body", "file", "STATUS"], "ofx_bank_error"),
        ("fail_nice/billion_laughs.ofx", ["body", "file", "DOCTYPE"], "ofx_declaration"),
        ("fail_nice/external_entity.ofx", ["body", "file", "DOCTYPE"], "ofx_declaration"),
        ("fail_nice/truncated.ofx", ["body", "file", 0, "STMTRS"], "ofx_truncated"),
    ],
)
def test_refused_ofx_files(client: TestClient, name: str, loc: list[Any], kind: str) -> None:
    create_user(client, id="u1", email="u1@example.com")
    (error, *_) = refusal(upload(client, "u1", name))
    assert (error["loc"], error["type"]) == (loc, kind)
    assert count_rows(Transaction) == 0


def test_a_bank_error_carries_the_banks_message(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    (error,) = refusal(upload(client, "u1", "fail_nice/bank_error.ofx"))
    message = next(
        line.split(">", 1)[1].strip()
        for line in statement("fail_nice/bank_error.ofx").decode("latin-1").splitlines()
        if "<MESSAGE>" in line.upper()
    )
    assert message in error["msg"]


def test_refused_csv_rows_name_line_and_column(client: TestClient) -> None:
    account = user_with_account(client)
    errors = refusal(upload(client, "u1", "fail_nice/csv_bad_rows.csv", account_id=account))
    assert [e["loc"] for e in errors] == [
        ["body", "file", 3, "Date"],
        ["body", "file", 4, "Amount"],
        ["body", "file", 5, "Amount"],
    ]
    (error,) = refusal(upload(client, "u1", "fail_nice/csv_no_header.csv", account_id=account))
    assert error["loc"] == ["body", "file", "header"]
    (error,) = refusal(upload(client, "u1", "csv/mint_multi_account.csv", account_id=account))
    assert error["loc"] == ["body", "file", 1, "Account Name"]
    assert count_rows(Transaction) == 0


def test_refused_parameters(client: TestClient) -> None:
    account = user_with_account(client)
    (error,) = refusal(upload(client, "u1", "csv/firstbank_march.csv"))
    assert (error["loc"], error["type"]) == (["query", "account_id"], "missing")
    (error,) = refusal(
        upload(client, "u1", "csv/firstbank_march.csv", account_id=account, sign="up")
    )
    assert error["loc"] == ["query", "sign"]
    form = client.post(
        f"{API}/users/u1/imports",
        data={"account_id": account, "decimal": ";"},
        files={"file": ("x.csv", statement("csv/firstbank_march.csv"))},
    )
    assert refusal(form)[0]["loc"] == ["body", "decimal"]
    no_file = client.post(
        f"{API}/users/u1/imports", data={"account_id": account}, files={"other": ("x", b"1")}
    )
    assert refusal(no_file)[0]["loc"] == ["body", "file"]
    two = user_with_account(client, "u2")
    (error,) = refusal(upload(client, "u2", "ofx/two_statements.ofx", account_id=two))
    assert error["loc"] == ["query", "account_id"]
    assert count_rows(Transaction) == 0


def test_form_fields_carry_the_parameters(client: TestClient) -> None:
    account = user_with_account(client)
    response = client.post(
        f"{API}/users/u1/imports",
        data={"account_id": account, "sign": "debit_positive", "dry_run": "true"},
        files={"file": ("amex.csv", statement("csv/amex_card.csv"))},
    )
    body = result_of(response, 200)
    assert (body["dry_run"], body["created"], body["import_id"]) == (True, 6, None)


def test_a_dry_run_writes_nothing_and_counts_exactly(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    dry = result_of(upload(client, "u1", "ofx/maple_checking_march.ofx", dry_run=True), 200)
    assert (dry["created"], dry["import_id"], dry["accounts"][0]["created"]) == (4, None, True)
    assert count_rows(Transaction) == 0 and accounts(client, "u1") == []
    assert count_rows(ImportRecord) == 0
    result_of(upload(client, "u1", "ofx/maple_checking_march.ofx"), 201)
    dry = result_of(upload(client, "u1", "ofx/maple_checking_april.ofx", dry_run=True), 200)
    assert (dry["created"], dry["skipped"]) == (3, 2)
    assert count_rows(Transaction) == 4 and count_rows(ImportRecord) == 1


def test_the_audit_trail_pages_newest_first_and_goes_with_the_user(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    ids = [
        result_of(upload(client, "u1", name), status)["import_id"]
        for name, status in [
            ("ofx/maple_checking_march.ofx", 201),
            ("ofx/maple_checking_april.ofx", 201),
            ("ofx/maple_checking_march.ofx", 200),
        ]
    ]
    first = client.get(f"{API}/users/u1/imports", params={"limit": 2}).json()
    assert [i["id"] for i in first["items"]] == ids[:0:-1]
    rest = client.get(f"{API}/users/u1/imports", params={"cursor": first["next_cursor"]}).json()
    assert ([i["id"] for i in rest["items"]], rest["next_cursor"]) == ([ids[0]], None)
    record = client.get(f"{API}/imports/{ids[0]}").json()
    assert record["filename"] == "maple_checking_march.ofx"
    assert (
        record["sha256"]
        == __import__("hashlib").sha256(statement("ofx/maple_checking_march.ofx")).hexdigest()
    )
    assert (record["created"], record["user_id"], record["format"]) == (4, "u1", "ofx")
    assert client.get(f"{API}/users/nobody/imports").status_code == 404
    assert client.get(f"{API}/imports/imp_none").status_code == 404
    assert client.delete(f"{API}/users/u1").status_code == 204
    assert count_rows(ImportRecord) == 0
    assert client.get(f"{API}/imports/{ids[0]}").status_code == 404


def test_card_statements_give_owed_balance_and_limit(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    result_of(upload(client, "u1", "ofx/card_chase.qfx"), 201)
    (card,) = accounts(client, "u1")
    assert (card["type"], card["subtype"], card["mask"]) == ("credit", "credit_card", "1234")
    # LEDGERBAL -1830.00 (owed), AVAILBAL 1170.00 (credit left): limit 3000.00.
    assert (card["balance"], card["limit"]) == (183000, 300000)
    assert card["balance_as_of"] == "2024-05-19T21:00:00Z"
    interest = next(t for t in transactions(client, "u1") if t["amount"] == 2317)
    assert interest["category_detailed"] == "BANK_FEES_INTEREST_CHARGE"
    assert "Interest" in interest["merchant_name"]


def test_user_rules_from_a_category_patch_apply_to_later_imports(client: TestClient) -> None:
    account = user_with_account(client)
    result_of(upload(client, "u1", "csv/firstbank_march.csv", account_id=account), 201)
    diner = next(t for t in transactions(client, "u1") if t["amount"] == 2340)
    assert diner["merchant_name"] == "Local Diner"
    assert diner["category"] == "FOOD_AND_DRINK"
    patched = client.patch(f"{API}/transactions/{diner['id']}", json={"category": "ENTERTAINMENT"})
    assert patched.status_code == 200
    other = create_account(client, "u1", id="u1_acc2", name="Second", mask="7777", balance=0)
    upload(client, "u1", "csv/firstbank_march_april.csv", account_id=other["id"])
    again = [t for t in transactions(client, "u1") if t["account_id"] == "u1_acc2"]
    assert {t["category"] for t in again if t["merchant_name"] == "Local Diner"} == {
        "ENTERTAINMENT"
    }
    # Another user's rules are theirs alone.
    account2 = user_with_account(client, "u2")
    upload(client, "u2", "csv/firstbank_march.csv", account_id=account2)
    theirs = [t for t in transactions(client, "u2") if t["merchant_name"] == "Local Diner"]
    assert [t["category"] for t in theirs] == ["FOOD_AND_DRINK"]


def test_insights_leave_imported_interest_out_of_pay(client: TestClient) -> None:
    """The OFX INT line (interest earned) is INCOME but not a pay day."""
    create_user(client, id="u1", email="u1@example.com", consent=True)
    result_of(upload(client, "u1", "ofx/maple_checking_march.ofx"), 201)
    result_of(upload(client, "u1", "ofx/maple_checking_april.ofx"), 201)
    signals = client.get(
        f"{API}/users/u1/signals", params={"as_of": "2026-04-30", "window": "180d"}
    )
    assert signals.status_code == 200, signals.text
    assert signals.json()["income"]["pay_days"] == ["2026-03-02", "2026-04-02"]
