"""Synthetic data as plain rows, and the insights engine run on them: shared
by the synthetic-data and seed tests."""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from app.backends.sqlite_text import sqlite_utc_text
from app.services.insights import AccountRow, TxnRow, WindowSignals, compute_signals, decide_persona
from app.services.synthetic import SeedSpec, generate

Row = dict[str, Any]


def engine_accounts(accounts: Iterable[Row]) -> list[AccountRow]:
    return [
        AccountRow(
            id=a["id"],
            type=a["type"],
            subtype=a["subtype"],
            name=a["name"],
            mask=a["mask"],
            balance=a["balance"],
            limit=a["limit"],
            min_payment=a["min_payment"],
            is_overdue=a["is_overdue"],
        )
        for a in accounts
    ]


def engine_rows(transactions: Iterable[Row]) -> list[TxnRow]:
    rows: list[TxnRow] = []
    for t in transactions:
        day = sqlite_utc_text(t["date"])
        assert day is not None
        rows.append(
            (
                t["account_id"],
                day,
                t["amount"],
                t["merchant_name"],
                t["category"],
                t["pending"],
                t.get("category_detailed"),
            )
        )
    return rows


def signals_by_user(
    users: list[Row], accounts: list[Row], transactions: list[Row], as_of: date
) -> dict[str, dict[str, WindowSignals]]:
    """Each user's signals of both windows at `as_of`, from their own rows."""
    accounts_of: dict[str, list[Row]] = defaultdict(list)
    for a in accounts:
        accounts_of[a["user_id"]].append(a)
    owner = {a["id"]: a["user_id"] for a in accounts}
    transactions_of: dict[str, list[Row]] = defaultdict(list)
    for t in transactions:
        transactions_of[owner[t["account_id"]]].append(t)
    return {
        u["id"]: compute_signals(
            engine_accounts(accounts_of[u["id"]]), engine_rows(transactions_of[u["id"]]), as_of
        )
        for u in users
    }


def personas_by_user(
    users: list[Row], accounts: list[Row], transactions: list[Row], as_of: date, window: str
) -> dict[str, str]:
    """The persona the engine assigns each user for `window` at `as_of`."""
    return {
        user_id: decide_persona(signals[window]).persona_type.value
        for user_id, signals in signals_by_user(users, accounts, transactions, as_of).items()
    }


def rows_digest(users: list[Row], accounts: list[Row], transactions: list[Row]) -> str:
    """A content hash of the three tables' rows, ids included, order-free.
    Null fields are left out: a stored row has the columns the generator does
    not write (an imported row's description, balance_as_of...) as null."""

    def canon(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if hasattr(value, "value"):
            return value.value
        return value

    tables = [
        sorted(
            json.dumps({k: canon(v) for k, v in r.items() if v is not None}, sort_keys=True)
            for r in rows
        )
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
