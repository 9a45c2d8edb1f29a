"""Plaid accounts: /accounts/get, /accounts/balance/get and
/liabilities/get responses, and the accounts listed in a transactions page.

depository checking, cash management, prepaid and paypal are checking;
savings and cd savings; money market money_market; hsa hsa. credit card and
paypal credit are credit_card. Other types (loan, investment, other) are
skipped with a warning, and so are their transactions. A depository or
credit account of a subtype not listed gets checking / credit_card with a
warning.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.services.imports.account_facts import currency_or_usd, mask_of, short_name
from app.services.imports.amounts import BadAmount, rounded_cents
from app.services.imports.errors import Problems
from app.services.imports.plaid_json import Checks, items, load, obj
from app.services.imports.statement import AccountFacts

DEPOSITORY = {
    "checking": "checking",
    "cash management": "checking",
    "prepaid": "checking",
    "paypal": "checking",
    "savings": "savings",
    "cd": "savings",
    "money market": "money_market",
    "hsa": "hsa",
}
CREDIT = {"credit card": "credit_card", "paypal": "credit_card"}
TYPES = {
    "depository": ("depository", DEPOSITORY, "checking"),
    "credit": ("credit", CREDIT, "credit_card"),
}


@dataclass(slots=True)
class PlaidAccount:
    id: str  # Plaid's account_id, which becomes ours
    facts: AccountFacts


@dataclass(slots=True)
class PlaidAccounts:
    accounts: list[PlaidAccount] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)  # ids of accounts of other types
    warnings: list[str] = field(default_factory=list)


def read_accounts(body: dict[str, Any], problems: Problems) -> PlaidAccounts:
    found = PlaidAccounts()
    for index, raw in enumerate(items(body, "accounts")):
        checks = Checks(problems, ("accounts", index))
        item = obj(raw, checks)
        ident = checks.ident(item, "account_id")
        facts = _facts(item, checks, found, ident) if checks.ok else None
        if facts is not None and checks.ok:
            found.accounts.append(PlaidAccount(ident, facts))
    return found


def _facts(
    item: dict[str, Any], checks: Checks, found: PlaidAccounts, ident: str
) -> AccountFacts | None:
    where = f"account {ident}"
    kind, subtype = item.get("type"), item.get("subtype")
    known = TYPES.get(kind) if isinstance(kind, str) else None
    if known is None:
        found.skipped.add(ident)
        found.warnings.append(f"{where} is of type {kind!r}: skipped, with its transactions")
        return None
    type_, subtypes, default = known
    ours = subtypes.get(subtype) if isinstance(subtype, str) else None
    if ours is None:
        found.warnings.append(f"{where}: subtype {subtype!r} read as {default}")
    mask = mask_of(checks.text(item, "mask"))
    name = checks.text(item, "official_name") or checks.text(item, "name")
    balances = item.get("balances") or {}
    if not isinstance(balances, dict):
        checks.fail("balances must be an object")
        return None
    facts = AccountFacts(
        type=type_,
        subtype=ours or default,
        name=short_name(name or f"Account ending in {mask}"),
        mask=mask,
        currency=currency_or_usd(balances.get("iso_currency_code"), found.warnings, where),
    )
    facts.balance = _money(balances.get("current"), checks, "balances.current")
    if facts.balance is None and checks.ok:
        found.warnings.append(f"{where}: no balances.current; the balance is left as it is")
    if type_ == "credit":
        limit = _money(balances.get("limit"), checks, "balances.limit")
        facts.limit = limit if limit is not None and limit > 0 else None
    updated = balances.get("last_updated_datetime")
    if isinstance(updated, str):
        try:
            facts.balance_as_of = datetime.fromisoformat(updated.replace("Z", "+00:00"))
        except ValueError:
            found.warnings.append(f"{where}: last_updated_datetime {updated!r} not read")
    return facts


def _money(value: Any, checks: Checks, field: str) -> int | None:
    """Cents rounded half to even (Plaid balances may carry more decimals)."""
    if value is None:
        return None
    try:
        return rounded_cents(value)
    except BadAmount as exc:
        checks.fail(f"{field} {exc}")
        return None


def parse_plaid_accounts(body: bytes) -> PlaidAccounts:
    """The accounts of an /accounts/get, /accounts/balance/get or
    /liabilities/get body; liabilities' credit[] sets a card's apr (the
    purchase_apr, else the first), min_payment and is_overdue. Raises
    ImportRefused (422): loc (list_name, index)."""
    data = load(body)
    problems = Problems()
    found = read_accounts(data, problems)
    liabilities = data.get("liabilities") or {}
    if isinstance(liabilities, dict):
        _liabilities(items(liabilities, "credit"), found, problems)
    problems.raise_if_any()
    return found


def _liabilities(credit: list[Any], found: PlaidAccounts, problems: Problems) -> None:
    cards = {account.id: account.facts for account in found.accounts}
    for index, raw in enumerate(credit):
        checks = Checks(problems, ("credit", index))
        item = obj(raw, checks)
        ident = checks.ident(item, "account_id")
        facts = cards.get(ident)
        if not checks.ok:
            continue
        if facts is None or facts.type != "credit":
            found.warnings.append(f"liabilities credit {index}: no credit account {ident!r}")
            continue
        aprs = [apr for apr in item.get("aprs") or [] if isinstance(apr, dict)]
        chosen = next((apr for apr in aprs if apr.get("apr_type") == "purchase_apr"), None)
        rate = (chosen or (aprs[0] if aprs else {})).get("apr_percentage")
        if isinstance(rate, int | Decimal) and not isinstance(rate, bool) and 0 <= rate <= 100:
            facts.apr = float(rate)
        elif rate is not None:
            found.warnings.append(f"liabilities credit {index}: apr {rate!r} is not 0-100")
        facts.min_payment = _money(
            item.get("minimum_payment_amount"), checks, "minimum_payment_amount"
        )
        if isinstance(item.get("is_overdue"), bool):
            facts.is_overdue = item["is_overdue"]
