"""Plaid transactions: a /transactions/sync page (added, modified,
removed, next_cursor) or a /transactions/get response (its transactions
are all `added`; its legacy `category` lists map to our vocabulary).

Amounts are cents exactly from the number's decimal text (Plaid's sign is
ours: positive = money out); more than two decimals is refused. The date
is that day 00:00Z. The category is personal_finance_category when present,
else the legacy list, else the categorizer; the merchant is merchant_name,
else the normalized name.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from app.services.imports.amounts import BadAmount, decimal_cents
from app.services.imports.categories import SourceCategory, categorize
from app.services.imports.errors import Problems, refuse
from app.services.imports.merchants import normalize_merchant
from app.services.imports.plaid_accounts import PlaidAccount, read_accounts
from app.services.imports.plaid_json import Checks, items, load, obj
from app.services.imports.statement import StatementLine


@dataclass(slots=True)
class PlaidTransactions:
    """One page. Lines carry Plaid's transaction_id as `source_id` (it
    becomes our id as it is), account_id as `account_ref`, and a posted
    transaction's pending_transaction_id as `replaces`."""

    kind: Literal["sync", "get"]
    accounts: list[PlaidAccount] = field(default_factory=list)
    added: list[StatementLine] = field(default_factory=list)
    modified: list[StatementLine] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    next_cursor: str | None = None
    warnings: list[str] = field(default_factory=list)


_SYNC_KEYS = ("added", "modified", "removed", "next_cursor")


def parse_plaid_transactions(
    body: bytes, *, user_rules: Mapping[str, str] | None = None
) -> PlaidTransactions:
    """Read a sync page or a /transactions/get response. Raises
    ImportRefused (422): loc (list_name, index)."""
    data = load(body)
    if any(key in data for key in _SYNC_KEYS):
        page = PlaidTransactions("sync")
    elif "transactions" in data:
        page = PlaidTransactions("get")
    else:
        raise refuse(
            (),
            "not a /transactions/sync page (added, modified, removed, next_cursor) nor a "
            "/transactions/get response (transactions, accounts)",
            "plaid_invalid",
        )
    problems = Problems()
    found = read_accounts(data, problems)
    page.accounts, page.warnings = found.accounts, found.warnings
    cards = {account.id for account in found.accounts if account.facts.type == "credit"}
    reader = _Lines(problems, found.skipped, cards, user_rules)
    if page.kind == "sync":
        page.added = reader.read(items(data, "added"), "added")
        page.modified = reader.read(items(data, "modified"), "modified")
        page.removed = _removed(items(data, "removed"), problems)
        cursor = data.get("next_cursor")
        if cursor is not None and not isinstance(cursor, str):
            problems.add(("next_cursor",), "next_cursor must be a string", "plaid_invalid")
        page.next_cursor = cursor if isinstance(cursor, str) else None
    else:
        page.added = reader.read(items(data, "transactions"), "transactions")
    problems.raise_if_any()
    if reader.dropped:
        page.warnings.append(f"transactions of skipped accounts skipped: {reader.dropped}")
    return page


def _removed(removed: list[Any], problems: Problems) -> list[str]:
    ids = []
    for index, raw in enumerate(removed):
        checks = Checks(problems, ("removed", index))
        item = {"transaction_id": raw} if isinstance(raw, str) else obj(raw, checks)
        ident = checks.ident(item, "transaction_id")
        if checks.ok:
            ids.append(ident)
    return ids


class _Lines:
    def __init__(
        self,
        problems: Problems,
        skipped: set[str],
        cards: set[str],
        user_rules: Mapping[str, str] | None,
    ) -> None:
        self.problems, self.skipped, self.cards = problems, skipped, cards
        self.user_rules = user_rules
        self.dropped = 0

    def read(self, raw_items: list[Any], name: str) -> list[StatementLine]:
        lines = []
        for index, raw in enumerate(raw_items):
            line = self._line(raw, Checks(self.problems, (name, index)))
            if line is not None:
                lines.append(line)
        return lines

    def _line(self, raw: Any, checks: Checks) -> StatementLine | None:
        item = obj(raw, checks)
        ident = checks.ident(item, "transaction_id")
        account = checks.ident(item, "account_id")
        try:
            amount = decimal_cents(item.get("amount"))
        except BadAmount as exc:
            checks.fail(f"amount {exc}", "plaid_amount_invalid")
            amount = 0
        day = checks.day(item, "date")
        pending = item.get("pending", False)
        if not isinstance(pending, bool):
            checks.fail("pending must be true or false")
        name = checks.text(item, "name")
        merchant = checks.text(item, "merchant_name")
        replaces = item.get("pending_transaction_id")
        if replaces is not None:
            replaces = checks.ident(item, "pending_transaction_id")
        source = self._source(item, checks)
        if not checks.ok or day is None:
            return None
        if account in self.skipped:
            self.dropped += 1
            return None
        description = name or merchant or "Transaction"
        categorized = categorize(
            description,
            merchant or normalize_merchant(name),
            amount,
            source=source,
            is_card=account in self.cards,
            user_rules=self.user_rules,
        )
        return StatementLine(
            date=day,
            amount=amount,
            description=description,
            merchant_name=categorized.merchant_name,
            category=categorized.category,
            category_detailed=categorized.category_detailed,
            pending=pending,
            source_id=ident,
            replaces=replaces or None,
            account_ref=account,
        )

    def _source(self, item: dict[str, Any], checks: Checks) -> SourceCategory:
        pfc = item.get("personal_finance_category")
        legacy = item.get("category")
        primary = detailed = None
        if isinstance(pfc, dict):
            primary, detailed = pfc.get("primary"), pfc.get("detailed")
        elif pfc is not None:
            checks.fail("personal_finance_category must be an object or null")
        names: tuple[str, ...] = ()
        if isinstance(legacy, list) and all(isinstance(part, str) for part in legacy):
            names = tuple(legacy)
        elif legacy is not None:
            checks.fail("category must be a list of strings or null")
        return SourceCategory(
            plaid_primary=primary if isinstance(primary, str) else None,
            plaid_detailed=detailed if isinstance(detailed, str) else None,
            plaid_legacy=names,
        )
