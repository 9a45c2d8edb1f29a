"""OFX and QFX statement files (1.x SGML, 2.x XML, Intuit's QFX) into
statements.

Every file is read the SGML way (sgml.Reader), even one that claims to be
XML: OFX in the wild is malformed. A DOCTYPE or ENTITY declaration is
refused before reading (no OFX needs one; that is how entity bombs and
external entities arrive), and nothing is ever expanded or fetched.

A file that ends inside a bank or card statement (no end tag of the
statement, nor of anything around it) was cut short in the download: it is
refused rather than read up to where it ends, since its last transaction's
amount may be cut too (-12.3 of -12.34) and its balance, which follows the
transactions, is missing. A file cut after its statements were closed
(only </OFX> missing) is read.
"""

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from app.services.imports.account_facts import currency_or_usd, mask_of, short_name
from app.services.imports.amounts import BadAmount, ofx_cents
from app.services.imports.categories import SourceCategory, categorize
from app.services.imports.detect import declared_encoding, decode
from app.services.imports.errors import Problems, refuse
from app.services.imports.ids import Occurrences
from app.services.imports.merchants import normalize_merchant
from app.services.imports.ofx_dates import BadDate, ofx_datetime
from app.services.imports.ofx_markup import (
    ACCOUNT_TYPES,
    AGGREGATES,
    CARD,
    CARD_KIND,
    LEAVES,
    MERGED,
    SKIPPED,
    STATEMENTS,
)
from app.services.imports.sgml import DECLARATION, Reader
from app.services.imports.statement import (
    AccountFacts,
    AccountKey,
    AccountStatement,
    ParsedFile,
    StatementLine,
)

_READER = Reader(AGGREGATES, LEAVES, MERGED, flat=frozenset({"STMTTRN"}))
_EARLIEST = datetime.min.replace(tzinfo=UTC)
Leaves = dict[str, str]


@dataclass(slots=True)
class _Open:
    """A statement being read."""

    index: int
    name: str  # STMTRS, CCSTMTRS or a skipped statement's tag
    credit: bool = False
    lines: list[StatementLine] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    fitids: set[str] = field(default_factory=set)
    occurrences: Occurrences = field(default_factory=Occurrences)


@dataclass(slots=True)
class _Account:
    """An account's statements merged: lines by identity, the balance of
    the latest DTASOF."""

    statement: AccountStatement
    seen: set[object] | None = None  # line identities, built when a 2nd statement comes


def parse_ofx(data: bytes, *, user_rules: Mapping[str, str] | None = None) -> ParsedFile:
    """Read an OFX/QFX file. Raises ImportRefused (422) naming the place:
    loc (statement_index, FITID or tag), or (tag,) for the whole file."""
    text = decode(data, declared=declared_encoding(data))
    if found := DECLARATION.search(text):
        raise refuse(
            (found.group(1).upper(),),
            f"the file declares <!{found.group(1).upper()}>: no OFX file needs one, and "
            "entity declarations are refused (nothing is expanded or fetched)",
            "ofx_declaration",
        )
    return _OfxFile(user_rules).read(text)


class _OfxFile:
    def __init__(self, user_rules: Mapping[str, str] | None) -> None:
        self.user_rules = user_rules
        self.problems = Problems()
        self.warnings: list[str] = []
        self.org: str | None = None
        self.accounts: dict[AccountKey, _Account] = {}
        self.open: list[_Open] = []
        self.count = 0

    def read(self, text: str) -> ParsedFile:
        seen_ofx = False
        for event, name, leaves in _READER.events(text):
            if event == "open":
                seen_ofx = seen_ofx or name == "OFX"
                if name in STATEMENTS or name in SKIPPED:
                    self.open.append(_Open(self.count, name, credit=name == "CCSTMTRS"))
                    self.count += 1
            elif name == "STMTTRN":
                if event == "close":
                    self._transaction(leaves)
            elif name == "STATUS":
                self._status(leaves)
            elif name == "FI":
                self.org = leaves.get("ORG") or self.org
            elif name == "BANKACCTFROM" and self.open:
                # Known before the transactions: a CREDITLINE's are card lines.
                kind = leaves.get("ACCTTYPE", "").upper()
                known = ACCOUNT_TYPES.get(kind) or ACCOUNT_TYPES["CHECKING"]
                self.open[-1].credit = known[0] == "credit"
            elif name in STATEMENTS or name in SKIPPED:
                statement = self.open.pop()
                if event == "eof":
                    self.problems.add(
                        (statement.index, name),
                        f"the file ends inside statement {statement.index} (no </{name}>): "
                        "it was cut short; download it again",
                        "ofx_truncated",
                    )
                else:
                    self._statement(statement, leaves)
        if not seen_ofx:
            raise refuse(("OFX",), "not an OFX file: it has no <OFX> element", "ofx_not_ofx")
        self.problems.raise_if_any()
        if not self.accounts:
            self.warnings.append("the file holds no bank or card statement")
        statements = [account.statement for account in self.accounts.values()]
        return ParsedFile("ofx", statements, self.warnings)

    def _status(self, leaves: Leaves) -> None:
        severity = leaves.get("SEVERITY", "").upper()
        code, message = leaves.get("CODE", "?"), leaves.get("MESSAGE")
        if severity == "ERROR":
            said = f": {message}" if message else ""
            raise refuse(
                ("STATUS",),
                f"the bank answered with an error (code {code}) instead of a statement{said}",
                "ofx_bank_error",
            )
        if severity == "WARN":
            self.warnings.append(f"the bank warns (code {code}): {message or 'no message'}")

    def _transaction(self, leaves: Leaves) -> None:
        statement = self.open[-1] if self.open else None
        if statement is None:
            self.warnings.append("a transaction outside any statement was skipped")
            return
        if statement.name in SKIPPED:
            return
        fitid = leaves.get("FITID")
        replaces = self._correction(leaves, fitid, statement) if "CORRECTFITID" in leaves else None
        if replaces == "":
            return  # a deletion, recorded
        amount = self._amount(leaves.get("TRNAMT"), statement, fitid)
        date = self._date(leaves.get("DTPOSTED"), statement, fitid)
        if amount is None or date is None:
            return
        if fitid is not None:
            if fitid in statement.fitids:
                self.warnings.append(
                    f"statement {statement.index}: FITID {fitid!r} appears more than once; "
                    "the first is kept"
                )
                return
            statement.fitids.add(fitid)
        statement.lines.append(self._line(leaves, statement, fitid, amount, date, replaces))

    def _correction(self, leaves: Leaves, fitid: str | None, statement: _Open) -> str | None:
        """The FITID this transaction replaces; "" when it is a deletion
        (recorded); None for a plain transaction."""
        target = leaves.get("CORRECTFITID")
        if target is None or target == fitid:
            return None
        action = leaves.get("CORRECTACTION", "").upper()
        if action == "DELETE":
            statement.deletes.append(target)
            return ""
        if action == "REPLACE":
            return target
        self.warnings.append(
            f"statement {statement.index}: CORRECTFITID {target!r} without CORRECTACTION "
            "REPLACE or DELETE; read as a plain transaction"
        )
        return None

    def _amount(self, text: str | None, statement: _Open, fitid: str | None) -> int | None:
        if text is not None:
            try:
                return -ofx_cents(text)  # OFX: negative = money out; ours: positive
            except BadAmount as exc:
                problem = f"TRNAMT {exc}", "ofx_amount_invalid"
        else:
            problem = "TRNAMT is missing", "ofx_amount_missing"
        self.problems.add((statement.index, fitid or "STMTTRN"), *problem)
        return None

    def _date(self, text: str | None, statement: _Open, fitid: str | None) -> datetime | None:
        if text is not None:
            try:
                return ofx_datetime(text)
            except BadDate as exc:
                problem = f"DTPOSTED {exc}", "ofx_date_invalid"
        else:
            problem = "DTPOSTED is missing", "ofx_date_missing"
        named = f" (FITID {fitid!r})" if fitid else ""
        self.problems.add((statement.index, fitid or "STMTTRN"), problem[0] + named, problem[1])
        return None

    def _line(
        self,
        leaves: Leaves,
        statement: _Open,
        fitid: str | None,
        amount: int,
        date: datetime,
        replaces: str | None,
    ) -> StatementLine:
        description = _description(leaves)
        # The merchant comes from NAME, the payee field, when there is one:
        # MEMO often carries references that change every month.
        categorized = categorize(
            description,
            normalize_merchant(_payee_text(leaves) or description),
            amount,
            source=_source(leaves.get("TRNTYPE")),
            is_card=statement.credit,
            user_rules=self.user_rules,
        )
        return StatementLine(
            date=date,
            amount=amount,
            description=description,
            merchant_name=categorized.merchant_name,
            category=categorized.category,
            category_detailed=categorized.category_detailed,
            source_id=fitid,
            occurrence=0 if fitid else statement.occurrences.next(date, amount, description),
            replaces=replaces,
        )

    def _statement(self, statement: _Open, leaves: Leaves) -> None:
        if statement.name in SKIPPED:
            self.warnings.append(
                f"statement {statement.index} ({SKIPPED[statement.name]}) was skipped: only "
                "bank and card statements are imported"
            )
            return
        key, facts = self._account(statement, leaves)
        account = self.accounts.get(key)
        if account is None:
            self.accounts[key] = _Account(
                AccountStatement(statement.index, key, facts, statement.lines, statement.deletes)
            )
            return
        _merge(account, statement, facts)

    def _account(self, statement: _Open, leaves: Leaves) -> tuple[AccountKey, AccountFacts]:
        where = f"statement {statement.index}"
        if statement.name == "CCSTMTRS":
            number, bank_id, kind = leaves.get("CCACCTFROM.ACCTID", ""), "", CARD_KIND
            type_, subtype, word = CARD
        else:
            number = leaves.get("BANKACCTFROM.ACCTID", "")
            bank_id = leaves.get("BANKACCTFROM.BANKID", "")
            kind = leaves.get("BANKACCTFROM.ACCTTYPE", "").upper()
            known = ACCOUNT_TYPES.get(kind)
            if known is None:
                self.warnings.append(
                    f"{where}: ACCTTYPE {kind or 'missing'}; read as a checking account"
                )
            type_, subtype, word = known or ACCOUNT_TYPES["CHECKING"]
        if not number:
            self.warnings.append(f"{where}: no ACCTID; the account is matched without a number")
        mask = mask_of(number)
        currency = currency_or_usd(
            leaves.get("CURDEF") or leaves.get("CURRENCY.CURSYM"), self.warnings, where
        )
        facts = AccountFacts(
            type=type_,
            subtype=subtype,
            name=short_name(f"{self.org or 'Bank'} {word} ending in {mask}"),
            mask=mask,
            currency=currency,
        )
        self._balances(facts, leaves, where)
        return AccountKey(bank_id, number, kind), facts

    def _balances(self, facts: AccountFacts, leaves: Leaves, where: str) -> None:
        text = leaves.get("LEDGERBAL.BALAMT")
        try:
            balance = ofx_cents(text) if text is not None else None
        except BadAmount as exc:
            self.warnings.append(f"{where}: LEDGERBAL BALAMT {exc}; the balance is left as it is")
            return
        if balance is None:
            self.warnings.append(f"{where}: no LEDGERBAL BALAMT; the balance is left as it is")
            return
        credit = facts.type == "credit"
        facts.balance = -balance if credit else balance  # a card states what is owed as < 0
        as_of = leaves.get("LEDGERBAL.DTASOF")
        with suppress(BadDate):
            facts.balance_as_of = ofx_datetime(as_of) if as_of is not None else None
        if facts.balance_as_of is None:
            self.warnings.append(f"{where}: no readable LEDGERBAL DTASOF; balance date unknown")
        available = leaves.get("AVAILBAL.BALAMT")
        if credit and available is not None:
            try:
                limit = facts.balance + ofx_cents(available)
            except BadAmount as exc:
                self.warnings.append(f"{where}: AVAILBAL BALAMT {exc}; the limit is left as it is")
                return
            facts.limit = limit if limit > 0 else None


# OFX 1.x caps NAME at 32 characters; banks whose descriptors are longer
# cut it there and repeat the whole descriptor in MEMO.
NAME_LIMIT = 32


def _payee_text(leaves: Leaves) -> str | None:
    """NAME, or MEMO when NAME is cut at OFX's limit and MEMO repeats it
    whole (the payee's name may be what the cut left out)."""
    name, memo = leaves.get("NAME"), leaves.get("MEMO")
    if (
        name
        and memo
        and len(name) >= NAME_LIMIT - 1
        and " ".join(memo.upper().split()).startswith(" ".join(name.upper().split()))
    ):
        return memo
    return name


@lru_cache(maxsize=64)  # a handful of TRNTYPEs, one SourceCategory each
def _source(trntype: str | None) -> SourceCategory:
    return SourceCategory(trntype=trntype)


def _description(leaves: Leaves) -> str:
    """NAME, plus MEMO after a space when MEMO adds something (is not
    already in NAME); with neither, PAYEE.NAME, else "Check <CHECKNUM>",
    else the TRNTYPE word."""
    name, memo = leaves.get("NAME"), leaves.get("MEMO")
    if name and memo:
        folded_name, folded_memo = " ".join(name.lower().split()), " ".join(memo.lower().split())
        return name if folded_memo in folded_name else f"{name} {memo}"
    if name or memo:
        return name or memo or ""
    if payee := leaves.get("PAYEE.NAME"):
        return payee
    if number := leaves.get("CHECKNUM"):
        return f"Check {number}"
    return leaves.get("TRNTYPE") or "Transaction"


def _merge(account: _Account, statement: _Open, facts: AccountFacts) -> None:
    """A second statement of the same account: its new lines are added, and
    its balance is taken when it is at least as recent."""
    merged = account.statement
    if account.seen is None:
        account.seen = {_identity(line) for line in merged.lines}
    for line in statement.lines:
        identity = _identity(line)
        if identity not in account.seen:
            account.seen.add(identity)
            merged.lines.append(line)
    merged.deletes.extend(statement.deletes)
    old = merged.account
    assert old is not None
    if _balance_rank(facts) >= _balance_rank(old):
        old.balance, old.balance_as_of, old.limit = facts.balance, facts.balance_as_of, facts.limit


def _identity(line: StatementLine) -> object:
    if line.source_id is not None:
        return line.source_id
    return (line.date, line.amount, line.description, line.occurrence)


def _balance_rank(facts: AccountFacts) -> tuple[bool, bool, datetime]:
    as_of = facts.balance_as_of
    return (facts.balance is not None, as_of is not None, as_of or _EARLIEST)
