"""Derived ids: the same input always gives the same id, so an import run
twice (or a later export that overlaps) finds the rows it wrote before.

An id is a prefix and 26 base32 characters (130 bits) of a SHA-256 over the
parts, which fits the API's `[A-Za-z0-9_-]{1,50}`. The user id goes into the
account id, so two users with the same account number get different
accounts, and an account number never appears in an id in clear."""

import base64
import hashlib
from collections.abc import Iterable
from datetime import datetime

from app.services.imports.statement import AccountKey, StatementLine

_SEPARATOR = "\x1f"  # cannot occur in any part, so ("a", "bc") != ("ab", "c")


# The first 26 characters of the digest's lower-case base32 (RFC 4648) are
# its first 130 bits, 5 to a character: written here 10 bits (two
# characters) at a time from a table, as base64.b32encode would write them
# (which is pure Python on 3.11, and was most of a 100k-row import's id
# cost). tests/imports/test_ids.py checks both agree.
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
_PAIRS = [high + low for high in _BASE32 for low in _BASE32]


def _digest(prefix: str, *parts: str) -> str:
    return prefix + _base32(hashlib.sha256(_SEPARATOR.join(parts).encode()).digest())


def _base32(raw: bytes) -> str:
    """The first 26 characters of `raw`'s base32, the 13 pairs written
    out: one expression, cheaper than a comprehension over the shifts."""
    b = int.from_bytes(raw[:17], "big") >> 6  # the first 130 bits
    p = _PAIRS
    return "".join(
        (
            p[b >> 120],
            p[(b >> 110) & 1023],
            p[(b >> 100) & 1023],
            p[(b >> 90) & 1023],
            p[(b >> 80) & 1023],
            p[(b >> 70) & 1023],
            p[(b >> 60) & 1023],
            p[(b >> 50) & 1023],
            p[(b >> 40) & 1023],
            p[(b >> 30) & 1023],
            p[(b >> 20) & 1023],
            p[(b >> 10) & 1023],
            p[b & 1023],
        )
    )


def _digest_by_base64(prefix: str, *parts: str) -> str:
    """What _digest computes, the slow and obvious way (for the tests)."""
    raw = hashlib.sha256(_SEPARATOR.join(parts).encode()).digest()
    return prefix + base64.b32encode(raw).decode("ascii")[:26].lower()


def account_id(user_id: str, key: AccountKey) -> str:
    """The account of (user, BANKID, ACCTID, kind): `acct_` + 26 characters."""
    return _digest("acct_", "account", user_id, key.bank_id, key.number, key.kind)


def transaction_id(account_id: str, line: StatementLine) -> str:
    """A transaction of an OFX or CSV statement: from (account, source id)
    when the source names one, else from (account, date, amount,
    description, occurrence). `txn_` + 26 characters."""
    if line.source_id is not None:
        return source_transaction_id(account_id, line.source_id)
    return content_transaction_id(
        account_id, line.date, line.amount, line.description, line.occurrence
    )


def transaction_ids(account_id: str, lines: Iterable[StatementLine]) -> list[str]:
    """transaction_id() of each line, in one loop: the usual line (with a
    source id) hashed inline, without the calls transaction_id makes (a
    100k-line statement's ids were a tenth of its import's time)."""
    head = _SEPARATOR.join(("source", account_id, ""))
    sha256, base32 = hashlib.sha256, _base32
    ids = []
    for line in lines:
        source_id = line.source_id
        if source_id is None:
            ids.append(transaction_id(account_id, line))
        else:
            ids.append("txn_" + base32(sha256((head + source_id).encode()).digest()))
    return ids


def source_transaction_id(account_id: str, source_id: str) -> str:
    """From (account, FITID or CSV id): FITIDs are unique per account only."""
    return _digest("txn_", "source", account_id, source_id)


def content_transaction_id(
    account_id: str, date: datetime, amount: int, description: str, occurrence: int
) -> str:
    return _digest(
        "txn_", "content", account_id, date.isoformat(), str(amount), description, str(occurrence)
    )


class Occurrences:
    """Counts lines with the same (date, amount, description) within one
    statement, for the ids of lines without a source id: the n-th such line
    of a re-imported file gets the id it got the first time."""

    def __init__(self) -> None:
        self._seen: dict[tuple[datetime, int, str], int] = {}

    def next(self, date: datetime, amount: int, description: str) -> int:
        key = (date, amount, description)
        count = self._seen.get(key, 0)
        self._seen[key] = count + 1
        return count
