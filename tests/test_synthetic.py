"""The synthetic-data generator, checked from its output alone.

Planted patterns are checked with the insights engine itself (the spec's
persona rules, from the rows and nothing else); test_seed_cli.py runs it on
rows read back from the database too.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

import pytest

from app.models import AccountCreate, TransactionCreate, UserCreate
from app.services.insights import WindowSignals, decide_persona
from app.services.synthetic import SeedSpec
from tests.utils.synthetic import flatten, personas_by_user, rows_digest, signals_by_user

Row = dict[str, Any]
AS_OF = date(2026, 6, 30)
WINDOW_START = date(2025, 12, 31)  # the day after AS_OF less six months
PERSONAS = (
    "high_utilization",
    "variable_income",
    "subscription_heavy",
    "savings_builder",
    "balanced",
)
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


def _by_account(transactions: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for t in transactions:
        grouped[t["account_id"]].append(t)
    return grouped


# -- tests ---------------------------------------------------------------------------

SPEC = SeedSpec(users=40, seed=11, as_of=AS_OF)


@pytest.fixture(scope="module")
def data() -> tuple[list[Row], list[Row], list[Row], dict[str, str]]:
    return flatten(SPEC)


@pytest.mark.slow
def test_same_spec_gives_identical_rows_ids_included(data: Any) -> None:
    users, accounts, transactions, _ = data
    again = flatten(SeedSpec(users=40, seed=11, as_of=AS_OF))
    assert rows_digest(*again[:3]) == rows_digest(users, accounts, transactions)
    other_seed = flatten(SeedSpec(users=40, seed=12, as_of=AS_OF))
    assert rows_digest(*other_seed[:3]) != rows_digest(users, accounts, transactions)


@pytest.mark.slow
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


def test_each_planted_pattern_is_its_persona_on_the_180d_window(data: Any) -> None:
    users, accounts, transactions, planted = data
    found = personas_by_user(users, accounts, transactions, AS_OF, "180d")
    assert {u: found[u] for u in planted} == planted


def test_high_utilization_comes_in_every_form(data: Any) -> None:
    users, accounts, transactions, planted = data
    cards = [
        card
        for user_id, signals in signals_by_user(users, accounts, transactions, AS_OF).items()
        if planted[user_id] == "high_utilization"
        for card in signals["180d"].credit.cards
    ]
    assert any(c.is_overdue for c in cards)
    assert any(c.minimum_payment_only and not c.is_overdue for c in cards)
    assert any(c.utilization >= 0.5 and not c.minimum_payment_only for c in cards)
    assert all(c.interest_charged > 0 for c in cards if c.utilization >= 0.5)


# -- several data sets: any seed, as-of date (with or without a cut) and length ------

# (seed, as_of, months, cut: the time of day on the as-of date, or None, users)
DATA_SETS = [
    (3, date(2024, 2, 29), 3, time(0, 0), 600),
    (8, date(2026, 3, 1), 3, time(0, 0), 400),
    (11, AS_OF, 6, None, 600),
    (21, date(2025, 12, 31), 12, time(13, 37), 250),
    (9, date(2025, 10, 31), 36, None, 100),
]
DATA_SET_IDS = [f"seed{s}-{d}-{m}m-cut{c}" for s, d, m, c, _ in DATA_SETS]


def spec_of(data_set: tuple[int, date, int, time | None, int]) -> SeedSpec:
    seed, as_of, months, cut, users = data_set
    cutoff = None if cut is None else datetime.combine(as_of, cut, tzinfo=UTC)
    return SeedSpec(users=users, seed=seed, as_of=as_of, months=months, cutoff=cutoff)


@cache
def generated(index: int) -> tuple[list[Row], list[Row], list[Row], dict[str, str]]:
    return flatten(spec_of(DATA_SETS[index]))


@cache
def signals_of(index: int) -> dict[str, dict[str, WindowSignals]]:
    users, accounts, transactions, _ = generated(index)
    return signals_by_user(users, accounts, transactions, DATA_SETS[index][1])


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(DATA_SETS)), ids=DATA_SET_IDS)
def test_the_engine_recovers_the_planted_patterns_on_the_180d_window(index: int) -> None:
    users, _, _, planted = generated(index)
    consenting = [u["id"] for u in users if u["consent"]]
    found = {
        user_id: decide_persona(signals_of(index)[user_id]["180d"]).persona_type.value
        for user_id in consenting
    }
    hits = Counter(planted[u] for u in consenting if found[u] == planted[u])
    sizes = Counter(planted[u] for u in consenting)
    misses = Counter((planted[u], found[u]) for u in consenting if found[u] != planted[u])
    assert sum(hits.values()) >= 0.98 * len(consenting), misses
    assert set(sizes) == set(PERSONAS)
    for pattern, size in sizes.items():
        assert hits[pattern] >= 0.95 * size, (pattern, misses)


@pytest.mark.parametrize("index", range(len(DATA_SETS)), ids=DATA_SET_IDS)
def test_other_patterns_carry_no_interest_minimum_only_payment_or_overdue_card(
    index: int,
) -> None:
    _, accounts, transactions, planted = generated(index)
    owner = {a["id"]: a["user_id"] for a in accounts}
    fees = [
        t
        for t in transactions
        if t["category"] == "BANK_FEES" and planted[owner[t["account_id"]]] != "high_utilization"
    ]
    assert fees == []  # no interest or late fee, in the windows or before
    checked = 0
    for user_id, signals in signals_of(index).items():
        if planted[user_id] == "high_utilization":
            continue
        for window in ("30d", "180d"):
            for card in signals[window].credit.cards:
                checked += 1
                assert card.interest_charged == 0, (user_id, card)
                assert not card.minimum_payment_only, (user_id, card)
                assert not card.is_overdue, (user_id, card)
                assert card.utilization < 0.5, (user_id, card)
    assert checked > 100


@pytest.mark.parametrize("index", range(len(DATA_SETS)), ids=DATA_SET_IDS)
def test_cash_and_peer_to_peer_amounts_are_plausible(index: int) -> None:
    _, _, transactions, _ = generated(index)
    as_of = DATA_SETS[index][1]
    atm = [t["amount"] for t in transactions if t["merchant_name"] == "ATM Cash Withdrawal"]
    p2p = [t["amount"] for t in transactions if t["merchant_name"] in {"Venmo", "Zelle Payment"}]
    assert atm and p2p
    assert all(0 < cents <= 100_000 and cents % 2_000 == 0 for cents in atm)
    assert all(0 < cents <= 250_000 for cents in p2p)
    # No surplus dumped on the last day: what leaves checking as transfers
    # that day stays within one plausible payment.
    last_day: Counter[str] = Counter()
    for t in transactions:
        if t["category"] == "TRANSFER_OUT" and t["date"].date() == as_of:
            last_day[t["account_id"]] += t["amount"]
    assert max(last_day.values(), default=0) <= 250_000


@pytest.mark.parametrize("index", range(len(DATA_SETS)), ids=DATA_SET_IDS)
def test_nothing_is_dated_after_the_end_of_the_data(index: int) -> None:
    spec = spec_of(DATA_SETS[index])
    end = spec.cutoff or datetime.combine(spec.as_of + timedelta(days=1), time.min, tzinfo=UTC)
    users, _, transactions, _ = generated(index)
    assert max(t["date"] for t in transactions) <= end
    assert all(u["created_at"] <= end for u in users)
    if spec.cutoff is None:
        assert max(t["date"] for t in transactions) < end


@pytest.mark.slow
def test_a_cut_leaves_out_the_later_rows_and_the_balances_follow() -> None:
    spec = SeedSpec(users=60, seed=4, as_of=date(2026, 5, 1))
    cut = SeedSpec(
        users=60, seed=4, as_of=date(2026, 5, 1), cutoff=datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    )
    users, accounts, transactions, planted = flatten(spec)
    cut_users, cut_accounts, cut_transactions, cut_planted = flatten(cut)
    assert cut_users == users and cut_planted == planted
    # The same rows, ids included, up to the cut; something was cut.
    assert cut_transactions == [t for t in transactions if t["date"] <= cut.cutoff]
    assert len(cut_transactions) < len(transactions)
    # Every account: the opening balance implied by its rows is unchanged.
    rows, cut_rows = _by_account(transactions), _by_account(cut_transactions)
    for account, cut_account in zip(accounts, cut_accounts, strict=True):
        assert cut_account["id"] == account["id"]
        sign = 1 if account["type"] == "depository" else -1
        opening = account["balance"] + sign * sum(t["amount"] for t in rows[account["id"]])
        cut_opening = cut_account["balance"] + sign * sum(
            t["amount"] for t in cut_rows[account["id"]]
        )
        assert cut_opening == opening, account["id"]


def test_a_cut_must_fall_on_the_as_of_date() -> None:
    with pytest.raises(ValueError, match="as-of date"):
        SeedSpec(users=1, seed=1, as_of=AS_OF, cutoff=datetime(2026, 7, 1, tzinfo=UTC))


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
