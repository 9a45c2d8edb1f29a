"""The neutral shape every format is read into (after ofxstatement's
Statement / StatementLine): a parsed file is a list of account statements,
each with what a new account gets and its transaction lines, in our
conventions already (integer cents, positive = money out; UTC datetimes;
categories of our vocabulary). The storage phase turns these into rows."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Format = Literal["ofx", "csv", "plaid"]


@dataclass(slots=True, frozen=True)
class AccountKey:
    """How an OFX statement's account is matched within a user: (BANKID or
    "", ACCTID, kind), kind being the bank statement's ACCTTYPE (upper-case,
    "" when absent) or "CARD" for every card statement."""

    bank_id: str
    number: str
    kind: str


@dataclass(slots=True)
class AccountFacts:
    """What the source says about the account. `balance` None: the source
    gave none that could be read (leave the stored one; 0 for a new
    account). `balance_as_of` None: unknown. Credit-only fields stay None on
    depository accounts; None everywhere means "leave as it is"."""

    type: str  # "depository" | "credit"
    subtype: str  # checking, savings, money_market, hsa, credit_card
    name: str
    mask: str  # four digits
    currency: str  # ISO 4217, upper-case
    balance: int | None = None  # cents; for a card, the amount owed
    balance_as_of: datetime | None = None
    limit: int | None = None  # cents, > 0
    apr: float | None = None
    min_payment: int | None = None
    is_overdue: bool | None = None


@dataclass(slots=True)
class StatementLine:
    """One transaction. `source_id` is the source's own id (OFX FITID, the
    CSV id column, Plaid transaction_id); without one the derived id uses
    (date, amount, description, occurrence): `occurrence` counts the earlier
    lines of the same statement with the same three values."""

    date: datetime  # UTC
    amount: int  # cents, positive = money out
    description: str
    merchant_name: str | None
    category: str
    category_detailed: str | None = None
    pending: bool = False
    source_id: str | None = None
    occurrence: int = 0
    # The source id of the transaction this one replaces: an OFX correction
    # (CORRECTACTION REPLACE) or a posted Plaid transaction's pending one.
    replaces: str | None = None
    # The source's account reference, where lines are not grouped by
    # statement (Plaid's account_id).
    account_ref: str | None = None


@dataclass(slots=True)
class AccountStatement:
    """The lines of one account. `key` and `account` are None for a CSV
    file, which names no account (the request's account_id does)."""

    index: int  # position in the file, 0-based (the first statement merged into it)
    key: AccountKey | None
    account: AccountFacts | None
    lines: list[StatementLine] = field(default_factory=list)
    # Source ids (FITIDs) whose stored transactions a correction deletes.
    deletes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedFile:
    format: Format
    statements: list[AccountStatement]
    warnings: list[str] = field(default_factory=list)
