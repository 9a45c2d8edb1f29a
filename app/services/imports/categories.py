"""The categorizer: the first rule that applies gives the category.

1. The source's own Plaid category (personal_finance_category, else the
   legacy `category` list).
2. The bank's own CSV category, when source_categories.BANK_CATEGORIES maps it.
3. OFX TRNTYPE: INT / DIV as money in are interest / dividends earned;
   INT as money out is an interest charge; FEE and SRVCHG are bank fees;
   DIRECTDEP as money in is wages; ATM is cash out (or in, a deposit).
4. The user's own rules: merchant key -> category, learned from the
   categories the user set by PATCH.
5. The built-in keywords (category_tables.KEYWORDS), then the well-known
   merchants by name (MERCHANTS) and by trade words (MERCHANT_WORDS).
6. Else OTHER.

Whatever rule gives an interest charge also makes sure the merchant name
says "Interest": the engine finds a card's interest charges by that word.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from app.services.imports.category_tables import (
    INTEREST_CHARGE,
    INTEREST_MERCHANT,
    KEYWORDS,
    MERCHANT_WORDS,
    MERCHANTS,
    OTHER,
    PRIMARIES,
    TRNTYPE_ANY,
    TRNTYPE_IN,
    TRNTYPE_OUT,
    BySign,
    Cat,
    Rule,
)
from app.services.imports.source_categories import bank_category, plaid_legacy_category
from app.services.insights.recurrence import merchant_key

_DETAILED = re.compile(r"[A-Z0-9_]{1,100}")
_DIGITS = re.compile(r"[0-9]")
# The keyword rules that apply to (money out?, card?), in table order.
_KEYWORDS = {
    (out, card): tuple(
        (re.compile(pattern), rule)
        for pattern, direction, card_only, rule in KEYWORDS
        if (not direction or (direction == "out") == out) and (card or not card_only)
    )
    for out in (False, True)
    for card in (False, True)
}
_MERCHANT_WORDS = tuple((re.compile(pattern), cat) for pattern, cat in MERCHANT_WORDS)
_INTEREST_CHARGE = INTEREST_CHARGE.detailed
_OTHER = Cat(OTHER)


class Categorized(NamedTuple):
    """A line's category (a tuple: made once per line, cheaply)."""

    category: str
    category_detailed: str | None
    merchant_name: str | None


@dataclass(frozen=True, slots=True)
class SourceCategory:
    """What a source says about a transaction's category, if anything."""

    plaid_primary: str | None = None
    plaid_detailed: str | None = None
    plaid_legacy: tuple[str, ...] = ()
    bank: str | None = None
    trntype: str | None = None


NO_SOURCE = SourceCategory()


def _pick(rule: Rule, amount: int) -> Cat:
    return rule.pick(amount) if isinstance(rule, BySign) else rule


def _from_source(source: SourceCategory, amount: int) -> Cat | None:
    if source.plaid_primary in PRIMARIES:
        detailed = source.plaid_detailed
        prefix = f"{source.plaid_primary}_"
        if detailed and _DETAILED.fullmatch(detailed) and detailed.startswith(prefix):
            return Cat(source.plaid_primary, detailed.removeprefix(prefix))
        return Cat(source.plaid_primary)
    if source.plaid_legacy and (rule := plaid_legacy_category(list(source.plaid_legacy))):
        return _pick(rule, amount)
    if source.bank and (rule := bank_category(source.bank)):
        return _pick(rule, amount)
    if source.trntype:
        trntype = source.trntype.upper()
        table = TRNTYPE_OUT if amount > 0 else TRNTYPE_IN
        return table.get(trntype) or TRNTYPE_ANY.get(trntype)
    return None


def _built_in(description: str, merchant: str, out: bool, is_card: bool) -> Cat | None:
    """The built-in keyword and merchant tables. No rule depends on which
    digits a descriptor holds, so the text is looked at with every digit
    made 0: the same merchant's lines of every month (new dates, store
    numbers, references) then share one cached answer. The digits are made
    0 first (one for one, so the rest reads the same text), which makes
    the cache below hit for a descriptor never seen with these digits."""
    return _built_in_zeroed(_DIGITS.sub("0", description[:512]), merchant, out, is_card)


@lru_cache(maxsize=16_384)  # a statement repeats its descriptors
def _built_in_zeroed(description: str, merchant: str, out: bool, is_card: bool) -> Cat | None:
    text = _DIGITS.sub("0", f"{' '.join(description.upper().split())} | {merchant.upper()}")
    return _built_in_text(text, merchant_key(merchant), out, is_card)


@lru_cache(maxsize=65_536)
def _built_in_text(text: str, key: str, out: bool, is_card: bool) -> Cat | None:
    for pattern, rule in _KEYWORDS[out, is_card]:
        if pattern.search(text):
            return _pick(rule, 1 if out else -1)
    if known := MERCHANTS.get(key):
        return known
    for pattern, cat in _MERCHANT_WORDS:
        if pattern.search(text):
            return cat
    return None


def categorize(
    description: str,
    merchant_name: str | None,
    amount: int,
    *,
    source: SourceCategory = NO_SOURCE,
    is_card: bool = False,
    user_rules: Mapping[str, str] | None = None,
) -> Categorized:
    """The category of one transaction (amount in our sign: positive = money
    out), its detailed name when known, and the merchant name to store."""
    cat = _from_source(source, amount)
    if cat is None and user_rules and merchant_name:
        chosen = user_rules.get(merchant_key(merchant_name))
        cat = Cat(chosen) if chosen else None
    if cat is None:
        cat = _built_in(description, merchant_name or "", amount > 0, is_card) or _OTHER
    detailed = cat.detailed
    if detailed == _INTEREST_CHARGE and "interest" not in (merchant_name or "").lower():
        merchant_name = INTEREST_MERCHANT
    return Categorized(cat.primary, detailed, merchant_name)
