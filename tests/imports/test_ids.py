"""Derived ids: deterministic, distinct, and within the API's id pattern."""

import re
from datetime import UTC, datetime

from app.models.types import ID_PATTERN
from app.services.imports.ids import (
    Occurrences,
    account_id,
    content_transaction_id,
    source_transaction_id,
    transaction_id,
    transaction_ids,
)
from app.services.imports.statement import AccountKey, StatementLine

KEY = AccountKey("121000248", "000123456789", "CHECKING")
DAY = datetime(2024, 4, 1, tzinfo=UTC)


def line(source_id: str | None = None, occurrence: int = 0) -> StatementLine:
    return StatementLine(
        DAY, 100, "SHOP", "Shop", "OTHER", source_id=source_id, occurrence=occurrence
    )


def test_account_id_is_stable_and_fits_the_pattern() -> None:
    first = account_id("user_1", KEY)
    assert first == account_id("user_1", AccountKey("121000248", "000123456789", "CHECKING"))
    assert re.fullmatch(ID_PATTERN, first)
    assert first.startswith("acct_") and len(first) == 31
    assert "123456789" not in first


def test_account_id_differs_by_user_bank_number_and_kind() -> None:
    ids = {
        account_id("user_1", KEY),
        account_id("user_2", KEY),
        account_id("user_1", AccountKey("", "000123456789", "CHECKING")),
        account_id("user_1", AccountKey("121000248", "000123456788", "CHECKING")),
        account_id("user_1", AccountKey("121000248", "000123456789", "SAVINGS")),
        account_id("user_1", AccountKey("12100024", "8000123456789", "CHECKING")),
    }
    assert len(ids) == 6


def test_transaction_id_from_fitid_or_content() -> None:
    acct = account_id("u", KEY)
    assert transaction_id(acct, line("F1")) == source_transaction_id(acct, "F1")
    assert transaction_id(acct, line()) == content_transaction_id(acct, DAY, 100, "SHOP", 0)
    ids = {
        transaction_id(acct, line("F1")),
        transaction_id("other", line("F1")),
        transaction_id(acct, line("F2")),
        transaction_id(acct, line()),
        transaction_id(acct, line(occurrence=1)),
    }
    assert len(ids) == 5
    assert all(re.fullmatch(ID_PATTERN, ident) and ident.startswith("txn_") for ident in ids)


def test_occurrences_count_per_content() -> None:
    counter = Occurrences()
    seen = [counter.next(DAY, 100, "A"), counter.next(DAY, 100, "A"), counter.next(DAY, 100, "B")]
    assert seen + [counter.next(DAY, 100, "A")] == [0, 1, 0, 2]


def test_the_fast_base32_writes_what_base64_writes() -> None:
    from app.services.imports import ids

    for n in range(2000):
        parts = (f"acct_{n}", str(n * 7919), "é" * (n % 5))
        assert ids._digest("txn_", *parts) == ids._digest_by_base64("txn_", *parts)


def test_ids_are_pinned() -> None:
    """Stored rows carry these ids: a change to how they are derived would
    make every re-import write its rows a second time."""
    acct = account_id("usr_1", KEY)
    assert acct == "acct_t7vyggobaq3lyk6eykcxg4dvdu"
    assert source_transaction_id(acct, "FIT000000001") == "txn_xetqwihnrzpjar7mlimrvfbgm7"
    noon = datetime(2024, 4, 1, 12, 30, tzinfo=UTC)
    content = content_transaction_id(acct, noon, 1549, "NETFLIX.COM 866-579-7172 CA", 1)
    assert content == "txn_p6vauereqo5hxj7cuqjrc3aczi"


def test_transaction_ids_of_lines_are_transaction_id_of_each() -> None:
    acct = account_id("u", KEY)
    lines = [line("F1"), line(), line("é ü"), line(occurrence=3), line("")]
    assert transaction_ids(acct, lines) == [transaction_id(acct, each) for each in lines]
