"""Importing real bank data: OFX/QFX files, bank CSV exports and Plaid JSON
read into one neutral shape (statement.py), with clean merchant names
(merchants.py) and categories (categories.py). Pure Python: no database, no
HTTP; the storage phase writes what these return. Decisions are in
docs/import-formats.md."""

from app.services.imports.categories import Categorized, SourceCategory, categorize
from app.services.imports.csv_format import parse_csv
from app.services.imports.csv_layout import CsvOptions
from app.services.imports.detect import decode, detect_format
from app.services.imports.errors import ImportRefused
from app.services.imports.ids import account_id, transaction_id
from app.services.imports.merchants import normalize_merchant
from app.services.imports.ofx import parse_ofx
from app.services.imports.plaid import PlaidTransactions, parse_plaid_transactions
from app.services.imports.plaid_accounts import PlaidAccount, PlaidAccounts, parse_plaid_accounts
from app.services.imports.statement import (
    AccountFacts,
    AccountKey,
    AccountStatement,
    ParsedFile,
    StatementLine,
)

__all__ = [
    "AccountFacts",
    "AccountKey",
    "AccountStatement",
    "Categorized",
    "CsvOptions",
    "ImportRefused",
    "ParsedFile",
    "PlaidAccount",
    "PlaidAccounts",
    "PlaidTransactions",
    "SourceCategory",
    "StatementLine",
    "account_id",
    "categorize",
    "decode",
    "detect_format",
    "normalize_merchant",
    "parse_csv",
    "parse_ofx",
    "parse_plaid_accounts",
    "parse_plaid_transactions",
    "transaction_id",
]
