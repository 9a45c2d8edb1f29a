"""Plaid JSON: sync pages, /transactions/get, accounts and liabilities."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from app.services.imports import (
    ImportRefused,
    PlaidAccounts,
    parse_plaid_accounts,
    parse_plaid_transactions,
)
from tests.imports.conftest import fixture_bytes

CHECKING = "BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp"
CARD = "3gE5gnRzNyfXpBK5wEEKcymJ5albGVUqg77gr"
MONEY_MARKET = "Jd7bdrZP1eu3ZDo1E9GeuRxWMbg1d8cW3gA5Q"
NOT_AN_ID = "is not an id of 1-50 letters, digits, _ or -"


def refusal(body: bytes, accounts: bool = False) -> list[dict[str, object]]:
    with pytest.raises(ImportRefused) as caught:
        (parse_plaid_accounts if accounts else parse_plaid_transactions)(body)
    return [{**error, "loc": list(error["loc"])} for error in caught.value.errors]


def problem(loc: list[object], msg: str, kind: str) -> dict[str, object]:
    return {"loc": loc, "msg": msg, "type": kind}


def page(**lists: Any) -> bytes:
    return json.dumps(
        {"added": [], "modified": [], "removed": [], "next_cursor": "c", **lists}
    ).encode()


def transaction(**fields: Any) -> dict[str, Any]:
    return {
        "account_id": CHECKING, "amount": 1, "date": "2024-04-29", "name": "X",
        "pending": False, "transaction_id": "t1", **fields,
    }  # fmt: skip


def test_sync_page_with_pending_and_a_skipped_loan() -> None:
    parsed = parse_plaid_transactions(fixture_bytes("plaid/sync_page_1.json"))
    assert parsed.kind == "sync"
    assert parsed.next_cursor is not None and parsed.next_cursor.endswith("NtCDkkV")
    assert [account.id for account in parsed.accounts] == [CHECKING, CARD]
    uber, coffee, payroll = parsed.added
    assert (uber.amount, uber.pending, uber.date) == (7210, True, datetime(2024, 4, 28, tzinfo=UTC))
    assert (uber.source_id, uber.account_ref) == ("lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje", CARD)
    assert (uber.merchant_name, uber.description) == ("Uber", "Uber 063015 SF**POOL**")
    assert (uber.category, uber.category_detailed) == (
        "TRANSPORTATION",
        "TRANSPORTATION_TAXIS_AND_RIDE_SHARES",
    )
    assert coffee.amount == 10  # 0.1 is 10 cents, never 9
    assert (coffee.merchant_name, coffee.category) == ("Blue Bottle Coffee", "FOOD_AND_DRINK")
    assert payroll.category_detailed == "INCOME_WAGES"
    assert (parsed.modified, parsed.removed) == ([], [])
    assert parsed.warnings == [
        "account Pp1Vpkl9w8sajvK6oEEKtr7vZxBnGpf7LxxLE is of type 'loan': skipped, with its "
        "transactions",
        "transactions of skipped accounts skipped: 1",
    ]


def test_sync_page_with_posted_modified_and_removed() -> None:
    parsed = parse_plaid_transactions(fixture_bytes("plaid/sync_page_2.json"))
    (posted,) = parsed.added
    assert (posted.amount, posted.pending, posted.replaces) == (
        7415,
        False,
        "lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje",
    )
    (modified,) = parsed.modified
    assert (modified.source_id, modified.amount) == ("KdDjmojBERUKx3JkDd9RuxA5EvejA4SENbkdP", 650)
    assert parsed.removed == ["CmdQTNgems8BT1B7ibkoUXVPyAeehT3Tmzk0l"]


def test_transactions_get_maps_legacy_categories() -> None:
    parsed = parse_plaid_transactions(fixture_bytes("plaid/transactions_get.json"))
    assert (parsed.kind, parsed.next_cursor, parsed.modified, parsed.removed) == (
        "get",
        None,
        [],
        [],
    )
    assert [(line.amount, line.category, line.category_detailed) for line in parsed.added] == [
        (433, "FOOD_AND_DRINK", "FOOD_AND_DRINK_COFFEE"),
        (-585000, "INCOME", "INCOME_WAGES"),
        (50000, "LOAN_PAYMENTS", "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT"),
        (50000, "TRAVEL", "TRAVEL_FLIGHTS"),
        (3500, "BANK_FEES", "BANK_FEES_OVERDRAFT_FEES"),
        (-52, "INCOME", "INCOME_INTEREST_EARNED"),
        (8940, "GENERAL_MERCHANDISE", None),
        (1200, "ENTERTAINMENT", "ENTERTAINMENT_TV_AND_MOVIES"),  # no category: the categorizer
    ]
    assert parsed.added[-1].merchant_name == "Netflix"  # normalized name


def test_accounts_mapping_rounding_and_skips() -> None:
    found = parse_plaid_accounts(fixture_bytes("plaid/accounts_get.json"))
    shapes = [
        (a.id, a.facts.type, a.facts.subtype, a.facts.mask, a.facts.balance, a.facts.limit)
        for a in found.accounts
    ]
    assert shapes == [
        ("blgvvBlXw3cq5GMPwqB6s6q4dLKB9WcVqGDGo", "depository", "checking", "0000", 11000, None),
        ("6PdjjRP6LmugpBy5NgQvUqpRXMWxzktg3rwrk", "depository", "savings", "0012", 2363198, None),
        ("XMBvvyMGQ1UoLbKByoMqH3nXMj84ALSdE5B58", "depository", "savings", "5555", 500000, None),
        (MONEY_MARKET, "depository", "money_market", "6666", 400000, None),
        ("hsa_account_0001", "depository", "hsa", "8888", 30000, None),
        ("paypal_depository_01", "depository", "checking", "0000", 2000, None),
        ("ebt_account_000001", "depository", "checking", "1111", 2000, None),
        (CARD, "credit", "credit_card", "3333", 41012, 200000),  # 410.125 half to even
        ("paypal_credit_00001", "credit", "credit_card", "4444", 0, None),  # limit 0: none
    ]  # fmt: skip
    names = [account.facts.name for account in found.accounts]
    assert names[:3] == [
        "Plaid Gold Standard 0% Interest Checking",
        "Plaid Savings",
        "Plaid 12 Month CD",
    ]
    assert found.accounts[2].facts.currency == "USD"
    assert found.skipped == {"k67E4xKvMlhmleEa4pg9hlwGGNnnEeixPolGm"}
    assert found.warnings == [
        "account XMBvvyMGQ1UoLbKByoMqH3nXMj84ALSdE5B58: no currency given; USD assumed",
        "account ebt_account_000001: subtype 'ebt' read as checking",
        "account k67E4xKvMlhmleEa4pg9hlwGGNnnEeixPolGm is of type 'investment': skipped, with "
        "its transactions",
    ]


def test_balance_get_reads_the_balance_time() -> None:
    (account,) = parse_plaid_accounts(fixture_bytes("plaid/balance_get.json")).accounts
    assert (account.facts.balance, account.facts.balance_as_of) == (
        12345,
        datetime(2024, 5, 1, 12, 30, tzinfo=UTC),
    )


def test_liabilities_set_apr_min_payment_and_overdue() -> None:
    found: PlaidAccounts = parse_plaid_accounts(fixture_bytes("plaid/liabilities_get.json"))
    first, second = found.accounts
    assert (first.facts.apr, first.facts.min_payment, first.facts.is_overdue) == (12.5, 2000, False)
    # no purchase_apr: the first one
    assert (second.facts.apr, second.facts.min_payment, second.facts.is_overdue) == (
        29.99,
        3550,
        True,
    )


def test_bad_items_name_list_and_index() -> None:
    assert refusal(fixture_bytes("fail_nice/plaid_bad_items.json")) == [
        problem(["added", 0], "amount 12.345 has more than two decimals", "plaid_amount_invalid"),
        problem(["added", 1], f"transaction_id 'not an id!' {NOT_AN_ID}", "plaid_invalid"),
        problem(["added", 2], "date '2024-02-30' is not a date YYYY-MM-DD", "plaid_invalid"),
        problem(["added", 3], "amount '1.00' is not a number", "plaid_amount_invalid"),
        problem(["removed", 1], f"transaction_id '{'x' * 51}' {NOT_AN_ID}", "plaid_invalid"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (b"not json", []),
        (b"[1, 2]", []),
        (b'{"foo": 1}', []),
        (b'{"added": {}}', ["added"]),
        (b'{"added": [], "next_cursor": 5}', ["next_cursor"]),
        (b'{"added": [{"amount": NaN}]}', []),
        (b"[" * 100_000 + b"]" * 100_000, []),
    ],
)
def test_malformed_bodies(body: bytes, loc: list[object]) -> None:
    assert refusal(body)[0]["loc"] == loc


def test_modified_and_removed_as_plain_ids() -> None:
    parsed = parse_plaid_transactions(
        page(modified=[transaction(amount=2.5)], removed=["gone_1", {"transaction_id": "gone_2"}])
    )
    assert [line.amount for line in parsed.modified] == [250]
    assert parsed.removed == ["gone_1", "gone_2"]


def test_account_id_outside_the_pattern_is_refused() -> None:
    errors = refusal(page(added=[transaction(account_id="a/b")]))
    assert errors[0]["loc"] == ["added", 0]
    body = json.dumps({"accounts": [{"account_id": "x" * 51, "type": "depository"}]}).encode()
    assert refusal(body, accounts=True)[0]["loc"] == ["accounts", 0]


def test_pfc_beats_legacy_and_unknown_pfc_falls_through() -> None:
    pfc = {"primary": "FOOD_AND_DRINK", "detailed": "FOOD_AND_DRINK_COFFEE"}
    unknown = {"primary": "NEW_THING"}
    mismatched = {"primary": "TRAVEL", "detailed": "FOOD_AND_DRINK_COFFEE"}
    parsed = parse_plaid_transactions(page(added=[
        transaction(transaction_id="a", personal_finance_category=pfc, category=["Shops"]),
        transaction(transaction_id="b", personal_finance_category=unknown, name="NETFLIX"),
        transaction(transaction_id="c", personal_finance_category=mismatched),
    ]))  # fmt: skip
    assert [(line.category, line.category_detailed) for line in parsed.added] == [
        ("FOOD_AND_DRINK", "FOOD_AND_DRINK_COFFEE"),
        ("ENTERTAINMENT", "ENTERTAINMENT_TV_AND_MOVIES"),
        ("TRAVEL", None),  # a detailed name of another primary is not kept
    ]


def test_card_interest_gets_an_interest_merchant() -> None:
    pfc = {"primary": "BANK_FEES", "detailed": "BANK_FEES_INTEREST_CHARGE"}
    parsed = parse_plaid_transactions(
        page(added=[transaction(name="PURCHASE FINANCE CHG", personal_finance_category=pfc)])
    )
    assert parsed.added[0].merchant_name == "Interest Charge"
