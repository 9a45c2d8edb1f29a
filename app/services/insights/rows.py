"""The plain input rows of the insights engine (what the database readers
hand over): accounts as small frozen records, transactions as bare tuples,
which cost nothing to build from a cursor's rows."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One account of the user. Money in cents; for a credit account
    `balance` is the amount owed now (not at the as-of date)."""

    id: str
    type: str  # depository | credit
    subtype: str  # checking | savings | money_market | hsa | credit_card
    name: str
    mask: str
    balance: int
    limit: int | None = None
    min_payment: int | None = None
    is_overdue: bool = False


# (account_id, date_text, amount, merchant_name, category, pending,
# category_detailed). date_text is UTC text starting with YYYY-MM-DD whose
# order is time order (Backend.ordered_utc_text: SQLite's stored form
# `YYYY-MM-DD HH:MM:SS.ffffff`, PostgreSQL's ISO text of the timestamp), so
# the first 10 characters are the UTC date.
TxnRow = tuple[str, str, int, str | None, str, bool, str | None]

SAVINGS_SUBTYPES = frozenset({"savings", "money_market", "hsa"})

# Money in of category INCOME that is not pay: interest and dividends earned
# (a checking account's monthly interest must not look like wages).
NOT_PAY = frozenset({"INCOME_INTEREST_EARNED", "INCOME_DIVIDENDS"})
# Card payments and moves between the user's own accounts: not spending.
NOT_SPENDING = frozenset({"TRANSFER_OUT", "LOAN_PAYMENTS"})
# Rent, bills, debt service, fees and moves of money: never subscriptions.
NOT_SUBSCRIPTION = frozenset(
    {"TRANSFER_OUT", "TRANSFER_IN", "LOAN_PAYMENTS", "INCOME", "BANK_FEES", "RENT_AND_UTILITIES"}
)
