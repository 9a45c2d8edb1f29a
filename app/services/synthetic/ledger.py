"""Ledger entries and the running-balance arithmetic the generator relies on."""

from datetime import datetime
from typing import NamedTuple


class Entry(NamedTuple):
    """One transaction before it gets its id: `amount` in cents, debit > 0."""

    when: datetime
    account: str  # the account's key within its user: chk, sav, cc1, cc2
    amount: int
    merchant: str
    category: str


def entry(when: datetime, account: str, amount: int, named: tuple[str, str]) -> Entry:
    return Entry(when, account, amount, named[0], named[1])


def balance_deltas(entries: list[Entry], credit: bool) -> list[tuple[datetime, int]]:
    """Chronological balance changes. A debit lowers a depository balance and
    raises the amount owed on a credit account."""
    sign = 1 if credit else -1
    return sorted((e.when, sign * e.amount) for e in entries)


def running_balances(opening: int, deltas: list[tuple[datetime, int]]) -> list[int]:
    """Balance after each delta, starting from `opening`."""
    out: list[int] = []
    balance = opening
    for _, delta in deltas:
        balance += delta
        out.append(balance)
    return out
