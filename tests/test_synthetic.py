"""The synthetic-data generator, checked from its output alone.

The pattern detectors below are written from the rows (what an analyst would
compute), not from the generator's internals; test_seed_cli.py runs them on
rows read back from the database too.
"""

import hashlib
import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from app.models import AccountCreate, TransactionCreate, UserCreate
from app.services.synthetic import SeedSpec, generate

Row = dict[str, Any]
AS_OF = date(2026, 6, 30)
WINDOW_START = date(2025, 12, 31)  # the day after AS_OF less six months
MONTHS = ((AS_OF - WINDOW_START).days + 1) / 30.44
PLAID_PRIMARY = {
    "INCOME",
    "TRANSFER_IN",
    "TRANSFER_OUT",
    "LOAN_PAYMENTS",
    "BANK_FEES",
    "ENTERTAINMENT",
    "FOOD_AND_DRINK",
    "GENERAL_MERCHANDISE",
    "HOME_IMPROVEMENT",
    "MEDICAL",
    "PERSONAL_CARE",
    "GENERAL_SERVICES",
    "GOVERNMENT_AND_NON_PROFIT",
    "TRANSPORTATION",
    "TRAVEL",
    "RENT_AND_UTILITIES",
}
# Money that is not a discretionary recurring charge.
NOT_SUBSCRIPTION = {
    "RENT_AND_UTILITIES",
    "LOAN_PAYMENTS",
    "TRANSFER_IN",
    "TRANSFER_OUT",
    "INCOME",
    "BANK_FEES",
}


# -- detectors: one per planted pattern, from the rows alone -----------------------


def _by_account(transactions: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for t in transactions:
        grouped[t["account_id"]].append(t)
    return grouped


def has_high_utilization(accounts: list[Row], transactions: list[Row]) -> bool:
    cards = [a for a in accounts if a["type"] == "credit"]
    by_account = _by_account(transactions)
    interest = any(
        t["category"] == "BANK_FEES" and "interest" in t["merchant_name"].lower()
        for card in cards
        for t in by_account[card["id"]]
    )
    stretched = any(c["balance"] >= 0.5 * c["limit"] or c["is_overdue"] for c in cards)
    return interest or stretched


def has_variable_income(accounts: list[Row], transactions: list[Row]) -> bool:
    checking = next(a for a in accounts if a["subtype"] == "checking")
    rows = _by_account(transactions)[checking["id"]]
    paydays = sorted({t["date"].date() for t in rows if t["category"] == "INCOME"})
    gaps = [(b - a).days for a, b in zip(paydays, paydays[1:], strict=False)]
    if len(gaps) < 2:
        return False
    irregular = (
        statistics.median(gaps) > 45 or statistics.pstdev(gaps) / statistics.mean(gaps) > 0.3
    )
    monthly_outflow = sum(t["amount"] for t in rows if t["amount"] > 0) / MONTHS
    return irregular and checking["balance"] < monthly_outflow


def recurring_merchants(transactions: list[Row]) -> dict[str, int]:
    """Merchants charging about the same amount about monthly -> median charge."""
    charges: dict[str, list[Row]] = defaultdict(list)
    for t in transactions:
        if t["amount"] > 0 and t["category"] not in NOT_SUBSCRIPTION:
            charges[t["merchant_name"]].append(t)
    found: dict[str, int] = {}
    for merchant, rows in charges.items():
        rows.sort(key=lambda t: t["date"])
        gaps = [(b["date"] - a["date"]).days for a, b in zip(rows, rows[1:], strict=False)]
        amounts = [t["amount"] for t in rows]
        monthly = len(rows) >= 3 and all(26 <= g <= 35 for g in gaps)
        if monthly and max(amounts) <= min(amounts) * 1.05:
            found[merchant] = int(statistics.median(amounts))
    return found


def has_subscription_habit(transactions: list[Row]) -> bool:
    recurring = recurring_merchants(transactions)
    return len(recurring) >= 3 and sum(recurring.values()) >= 5_000


def savings_growth(account: Row, transactions: list[Row]) -> float:
    inflow = -sum(t["amount"] for t in _by_account(transactions)[account["id"]])
    start = account["balance"] - inflow
    return account["balance"] / start - 1 if start > 0 else 0.0


def is_saving(accounts: list[Row], transactions: list[Row]) -> bool:
    cards_low = all(a["balance"] < 0.3 * a["limit"] for a in accounts if a["type"] == "credit")
    grows = any(
        savings_growth(a, transactions) >= 0.02 for a in accounts if a["subtype"] == "savings"
    )
    return cards_low and grows


def detected_patterns(accounts: list[Row], transactions: list[Row]) -> set[str]:
    checks = {
        "high_utilization": has_high_utilization(accounts, transactions),
        "variable_income": has_variable_income(accounts, transactions),
        "subscription_heavy": has_subscription_habit(transactions),
        "savings_builder": is_saving(accounts, transactions),
    }
    return {name for name, hit in checks.items() if hit}


def patterns_by_user(
    users: list[Row], accounts: list[Row], transactions: list[Row]
) -> dict[str, set[str]]:
    """The patterns detected in each user's own accounts and transactions."""
    accounts_of: dict[str, list[Row]] = defaultdict(list)
    for a in accounts:
        accounts_of[a["user_id"]].append(a)
    owner = {a["id"]: a["user_id"] for a in accounts}
    transactions_of: dict[str, list[Row]] = defaultdict(list)
    for t in transactions:
        transactions_of[owner[t["account_id"]]].append(t)
    return {
        u["id"]: detected_patterns(accounts_of[u["id"]], transactions_of[u["id"]]) for u in users
    }


def rows_digest(users: list[Row], accounts: list[Row], transactions: list[Row]) -> str:
    """A content hash of the three tables' rows, ids included, order-free."""

    def canon(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if hasattr(value, "value"):
            return value.value
        return value

    tables = [
        sorted(json.dumps({k: canon(v) for k, v in r.items()}, sort_keys=True) for r in rows)
        for rows in (users, accounts, transactions)
    ]
    return hashlib.sha256(json.dumps(tables).encode()).hexdigest()


def flatten(spec: SeedSpec) -> tuple[list[Row], list[Row], list[Row], dict[str, str]]:
    users: list[Row] = []
    accounts: list[Row] = []
    transactions: list[Row] = []
    planted: dict[str, str] = {}
    for generated in generate(spec):
        users.append(generated.user)
        accounts += generated.accounts
        transactions += generated.transactions
        planted[generated.user["id"]] = generated.pattern.value
    return users, accounts, transactions, planted


# -- tests ---------------------------------------------------------------------------

SPEC = SeedSpec(users=40, seed=11, as_of=AS_OF)


@pytest.fixture(scope="module")
def data() -> tuple[list[Row], list[Row], list[Row], dict[str, str]]:
    return flatten(SPEC)


def test_same_spec_gives_identical_rows_ids_included(data: Any) -> None:
    users, accounts, transactions, _ = data
    again = flatten(SeedSpec(users=40, seed=11, as_of=AS_OF))
    assert rows_digest(*again[:3]) == rows_digest(users, accounts, transactions)
    other_seed = flatten(SeedSpec(users=40, seed=12, as_of=AS_OF))
    assert rows_digest(*other_seed[:3]) != rows_digest(users, accounts, transactions)


def test_ids_derive_from_the_seed_and_a_smaller_run_is_a_prefix(data: Any) -> None:
    users, accounts, transactions, _ = data
    assert all(u["id"].startswith("usr_11_") for u in users)
    assert all(a["id"].startswith("acc_11_") for a in accounts)
    assert all(t["id"].startswith("txn_11_") for t in transactions)
    assert len({t["id"] for t in transactions}) == len(transactions)
    small = flatten(SeedSpec(users=10, seed=11, as_of=AS_OF))
    assert small[0] == users[:10]
    # Another window is another data set: no id in common.
    shifted = flatten(SeedSpec(users=10, seed=11, as_of=date(2026, 7, 1)))
    assert not {u["id"] for u in shifted[0]} & {u["id"] for u in users}


def test_patterns_are_planted_in_equal_shares(data: Any) -> None:
    _, _, _, planted = data
    assert Counter(planted.values()) == {
        "high_utilization": 8,
        "variable_income": 8,
        "subscription_heavy": 8,
        "savings_builder": 8,
        "balanced": 8,
    }


def test_each_planted_pattern_is_detected_from_the_data_alone(data: Any) -> None:
    users, accounts, transactions, planted = data
    found = patterns_by_user(users, accounts, transactions)
    order = ["high_utilization", "variable_income", "subscription_heavy", "savings_builder"]
    for user in users:
        first = next((p for p in order if p in found[user["id"]]), "balanced")
        assert first == planted[user["id"]], (user["id"], planted[user["id"]])


def _pays_only_the_minimum(card: Row, rows: list[Row]) -> bool:
    """Every payment after an interest charge is that interest plus about 1%
    of the balance (at most 1% of the limit), or the $25 floor."""
    rows = sorted(rows, key=lambda t: t["date"])
    interest, checked = None, 0
    for t in rows:
        if t["merchant_name"] == "Interest Charge":
            interest = t["amount"]
        elif t["category"] == "LOAN_PAYMENTS" and interest is not None:
            if -t["amount"] - interest > max(2_500, card["limit"] // 100 + 1):
                return False
            checked += 1
    return checked >= 2


def test_pattern_details_hold(data: Any) -> None:
    users, accounts, transactions, planted = data
    by_account = _by_account(transactions)
    stretched = [
        a for a in accounts if a["type"] == "credit" and planted[a["user_id"]] == "high_utilization"
    ]
    assert any(a["is_overdue"] for a in stretched)
    assert any(not a["is_overdue"] and a["balance"] >= 0.5 * a["limit"] for a in stretched)
    assert any(_pays_only_the_minimum(a, by_account[a["id"]]) for a in stretched)
    assert not any(
        _pays_only_the_minimum(a, by_account[a["id"]])
        for a in accounts
        if a["type"] == "credit" and planted[a["user_id"]] != "high_utilization"
    )
    median_gaps = []
    for checking in accounts:
        if checking["subtype"] == "checking" and planted[checking["user_id"]] == "variable_income":
            rows = by_account[checking["id"]]
            days = sorted({t["date"].date() for t in rows if t["category"] == "INCOME"})
            gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
            median_gaps.append(statistics.median(gaps))
    assert any(gap > 45 for gap in median_gaps)


def test_rows_fit_the_api_schemas_and_conventions(data: Any) -> None:
    users, accounts, transactions, _ = data
    for user in users:
        UserCreate.model_validate(user)
        assert user["created_at"].tzinfo is not None
        assert user["created_at"] <= datetime.combine(AS_OF, time.max, tzinfo=UTC)
    for account in accounts:
        AccountCreate.model_validate(account)
        if account["type"] == "credit":
            assert account["limit"] > 0 and account["apr"] > 0
            assert account["min_payment"] is not None
    first = datetime.combine(WINDOW_START, time.min, tzinfo=UTC)
    last = datetime.combine(AS_OF, time.max, tzinfo=UTC)
    for t in transactions:
        TransactionCreate.model_validate(t)
        assert type(t["amount"]) is int and t["amount"] != 0
        assert first <= t["date"] <= last
        assert t["category"] in PLAID_PRIMARY
    emails = [u["email"].lower() for u in users]
    assert len(set(emails)) == len(emails)


def test_every_user_has_checking_and_most_have_more(data: Any) -> None:
    users, accounts, _, _ = data
    subtypes: dict[str, set[str]] = defaultdict(set)
    for a in accounts:
        subtypes[a["user_id"]].add(a["subtype"])
    assert all("checking" in subtypes[u["id"]] for u in users)
    with_more = sum(1 for u in users if subtypes[u["id"]] & {"savings", "credit_card"})
    assert with_more >= 0.8 * len(users)


def test_merchants_keep_one_name_and_category(data: Any) -> None:
    _, _, transactions, _ = data
    categories: dict[str, set[str]] = defaultdict(set)
    for t in transactions:
        categories[t["merchant_name"]].add(t["category"])
    assert {m for m, c in categories.items() if len(c) > 1} == set()
    assert len(set().union(*categories.values())) >= 14  # a realistic spread


def test_money_flows_are_coherent(data: Any) -> None:
    users, accounts, transactions, _ = data
    by_account = _by_account(transactions)
    kinds = Counter(t["category"] for t in transactions)
    assert kinds["INCOME"] and kinds["RENT_AND_UTILITIES"] and kinds["FOOD_AND_DRINK"]
    assert all(t["amount"] < 0 for t in transactions if t["category"] in {"INCOME", "TRANSFER_IN"})
    for account in accounts:
        rows = sorted(by_account[account["id"]], key=lambda t: (t["date"], t["id"]))
        if account["type"] == "credit":
            # Purchases are debits on the card; payments credits mirrored on checking.
            owed = account["balance"] - sum(t["amount"] for t in rows)
            assert owed >= 0
            paid = [t for t in rows if t["amount"] < 0]
            assert all(t["category"] == "LOAN_PAYMENTS" for t in paid)
            checking = by_account[account["id"].rsplit("_", 1)[0] + "_chk"]
            mirrored = Counter(t["amount"] for t in checking if t["category"] == "LOAN_PAYMENTS")
            assert all(mirrored[-t["amount"]] for t in paid)
        else:
            # The balance at the as-of date agrees with the rows: the implied
            # opening balance and every running balance stay non-negative.
            balance = account["balance"] + sum(t["amount"] for t in rows)
            assert balance >= 0
            for t in rows:
                balance -= t["amount"]
                assert balance >= 0, account["id"]
    transfers = [t for t in transactions if t["category"] in {"TRANSFER_IN", "TRANSFER_OUT"}]
    assert any("Savings" in t["merchant_name"] for t in transfers)
