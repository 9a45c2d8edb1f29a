"""Bank CSV exports into one statement (the request's account_id names the
account).

Read in two passes over the text, each streaming its records: the first
decides what needs the whole file (whether the direction column holds only
direction words, the order of slash dates, the accounts of an account
column), the second builds the lines. After the header, a line with one
non-empty cell is a section title (rows under a title containing "pending"
are pending, until the next title), and a line whose date cell holds no
digit is not a transaction (totals, footers, a repeated header); both are
skipped. A row with a date and an empty amount (Bank of America's
"Beginning balance" line) is skipped with a warning.

Errors name the physical line (the first line is 1) and the column, as the
header writes it.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

from app.services.imports.amounts import BadAmount, csv_cents
from app.services.imports.categories import NO_SOURCE, SourceCategory, categorize
from app.services.imports.category_tables import VOCABULARY
from app.services.imports.csv_dates import BadDate, DateOrder, csv_date
from app.services.imports.csv_layout import (
    AMOUNT,
    DATE,
    Column,
    CsvOptions,
    Layout,
    find_layout,
    is_title,
    records,
)
from app.services.imports.detect import decode
from app.services.imports.errors import Problems, refuse
from app.services.imports.ids import Occurrences
from app.services.imports.merchants import normalize_merchant
from app.services.imports.statement import AccountStatement, ParsedFile, StatementLine

DEBIT_WORDS = frozenset({"debit", "d", "dr", "af", "debet"})
CREDIT_WORDS = frozenset({"credit", "c", "cr", "bij"})
_SHOWN_ACCOUNTS = 10
_ASCII_DIGIT = re.compile("[0-9]")


def _cell(cells: list[str], column: Column | None) -> str:
    if column is None or column.index >= len(cells):
        return ""
    return cells[column.index].strip()


def _rows(text: str, layout: Layout) -> Iterator[tuple[int, list[str], bool]]:
    """(line, cells, pending) of each row after the header that may be a
    transaction."""
    pending = layout.pending_before
    rows = records(text, layout.delimiter)
    for _ in range(layout.header_record + 1):
        next(rows)
    for line, cells in rows:
        if (title := is_title(cells)) is not None:
            pending = "pending" in title.lower()
            continue
        if not _has_digit(_cell(cells, layout.date)):
            continue
        yield line, cells, pending


def _has_digit(text: str) -> bool:
    """Any character str.isdigit() takes (superscripts and other scripts'
    digits too); an ASCII cell is searched in C."""
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(character.isdigit() for character in text)


@dataclass(slots=True)
class _Survey:
    """What the first pass learned about the whole file."""

    order: DateOrder
    directions: bool  # the direction column holds only direction words
    accounts: dict[str, str]  # folded name -> name as written


def _survey(text: str, layout: Layout, options: CsvOptions) -> _Survey:
    order, directions = DateOrder(), layout.direction is not None
    accounts: dict[str, str] = {}
    seen: set[str] = set()  # a file repeats its dates: each is looked at once
    for _line, cells, _pending in _rows(text, layout):
        if options.date_format is None and (date := _cell(cells, layout.date)) not in seen:
            seen.add(date)
            order.see(date)
        if directions and _cell(cells, layout.direction).lower() not in DEBIT_WORDS | CREDIT_WORDS:
            directions = False
        if account := _cell(cells, layout.account):
            accounts.setdefault(account.casefold(), account)
    return _Survey(order, directions, accounts)


def parse_csv(
    data: bytes,
    options: CsvOptions | None = None,
    *,
    user_rules: Mapping[str, str] | None = None,
    is_card: bool = False,
) -> ParsedFile:
    """Read a bank CSV export. `is_card`: the account it goes to is a card
    (a payment received then reads as a card payment). Raises ImportRefused
    (422): loc (line_number, column_name), or (option,) / ("header",)."""
    options = options or CsvOptions()
    if options.decimal not in (".", ","):
        raise refuse(("decimal",), "decimal must be '.' or ','", "csv_option_invalid")
    if options.sign not in ("debit_negative", "debit_positive"):
        raise refuse(
            ("sign",), "sign must be debit_negative or debit_positive", "csv_option_invalid"
        )
    text = decode(data)
    layout = find_layout(text, options)
    if layout is None:
        raise refuse(
            ("header",),
            "no header line: none of the first lines names a date column "
            f"({options.date_column or ', '.join(DATE)}) and an amount column "
            f"({options.amount_column or ', '.join(AMOUNT)}, or Debit and Credit); "
            "name yours with date_column and amount_column",
            "csv_header_missing",
        )
    survey = _survey(text, layout, options)
    warnings: list[str] = []
    account = _account_filter(layout, survey, options, warnings)
    return _CsvReader(layout, survey, options, warnings, user_rules, is_card).read(text, account)


def _account_filter(
    layout: Layout, survey: _Survey, options: CsvOptions, warnings: list[str]
) -> str | None:
    """The folded account name whose rows are imported (None: all rows)."""
    if layout.account is None:
        if options.account_name is not None:
            warnings.append("account_name was ignored: the file has no account column")
        return None
    names = sorted(survey.accounts.values())
    shown = ", ".join(repr(name) for name in names[:_SHOWN_ACCOUNTS])
    where = (layout.header_line, layout.account.name)
    if options.account_name is not None:
        wanted = options.account_name.strip().casefold()
        if wanted not in survey.accounts:
            raise refuse(
                where,
                f"no rows of account {options.account_name!r}; the file holds {shown}",
                "csv_account_unknown",
            )
        return wanted
    if len(names) > 1:
        raise refuse(
            where,
            f"the file holds {len(names)} accounts ({shown}): send account_name to import "
            "one of them",
            "csv_several_accounts",
        )
    return None


_READ = ("date", "description", "memo", "category", "merchant", "detailed", "identifier")


def _named_columns(layout: Layout) -> Iterator[tuple[str, Column | None]]:
    """The columns a line reads, by name."""
    return ((name, getattr(layout, name)) for name in _READ)


def _columns(layout: Layout) -> Iterator[Column]:
    return (
        column
        for column in (getattr(layout, f.name) for f in fields(layout))
        if isinstance(column, Column)
    )


def _source(bank: str, detailed: str) -> SourceCategory:
    """What the file says of the category: a name of our own vocabulary (an
    export of this service: FOOD_AND_DRINK, with its detailed name) is
    taken as it is, like Plaid's; another is the bank's own name."""
    if not bank:
        return NO_SOURCE
    if bank in VOCABULARY:
        return SourceCategory(plaid_primary=bank, plaid_detailed=detailed or None)
    return SourceCategory(bank=bank)


class _CsvReader:
    def __init__(
        self,
        layout: Layout,
        survey: _Survey,
        options: CsvOptions,
        warnings: list[str],
        user_rules: Mapping[str, str] | None,
        is_card: bool,
    ) -> None:
        self.layout, self.survey, self.options = layout, survey, options
        self.warnings, self.user_rules, self.is_card = warnings, user_rules, is_card
        self.problems = Problems()
        self.day_first = survey.order.reads_day_first
        # Each column's place in a row padded with one "" past the widest
        # column; a column the file lacks reads that "" (index -1).
        self.pad = [""] * (max(c.index for c in _columns(layout)) + 2)
        self.at = {name: -1 if c is None else c.index for name, c in _named_columns(layout)}

    def read(self, text: str, account: str | None) -> ParsedFile:
        lines: list[StatementLine] = []
        ids: set[str] = set()
        occurrences = Occurrences()
        for line_number, cells, pending in _rows(text, self.layout):
            if account is not None and _cell(cells, self.layout.account).casefold() != account:
                continue
            line = self._line(line_number, cells, pending)
            if line is None:
                continue
            if line.source_id is not None:
                if line.source_id in ids:
                    self.warnings.append(
                        f"line {line_number}: id {line.source_id!r} appears more than once; "
                        "the first is kept"
                    )
                    continue
                ids.add(line.source_id)
            else:
                line.occurrence = occurrences.next(line.date, line.amount, line.description)
            lines.append(line)
        self.problems.raise_if_any()
        if warning := self.survey.order.warning:
            self.warnings.append(warning)
        return ParsedFile("csv", [AccountStatement(0, None, None, lines)], self.warnings)

    def _line(self, number: int, cells: list[str], pending: bool) -> StatementLine | None:
        layout, at = self.layout, self.at
        row = cells + self.pad
        try:
            date = csv_date(row[at["date"]].strip(), self.day_first, self.options.date_format)
        except BadDate as exc:
            self.problems.add((number, layout.date.name), str(exc), "csv_date_invalid")
            date = None
        amount = self._amount(number, cells)
        if date is None or amount is None:
            return None
        description = row[at["description"]].strip()
        memo = row[at["memo"]].strip()
        full = description
        if memo and " ".join(memo.lower().split()) not in " ".join(description.lower().split()):
            full = f"{description} {memo}" if description else memo
        bank = row[at["category"]].strip()
        merchant = row[at["merchant"]].strip() or normalize_merchant(description or memo)
        categorized = categorize(
            full,
            merchant,
            amount,
            source=_source(bank, row[at["detailed"]].strip()),
            is_card=self.is_card,
            user_rules=self.user_rules,
        )
        return StatementLine(
            date=date,
            amount=amount,
            description=full,
            merchant_name=categorized.merchant_name,
            category=categorized.category,
            category_detailed=categorized.category_detailed,
            pending=pending,
            source_id=row[at["identifier"]].strip() or None,
        )

    def _cents(self, number: int, cells: list[str], column: Column | None) -> int | None:
        try:
            return csv_cents(_cell(cells, column), self.options.decimal)
        except BadAmount as exc:
            assert column is not None  # an empty column's cell is ""
            self.problems.add((number, column.name), str(exc), "csv_amount_invalid")
            raise

    def _amount(self, number: int, cells: list[str]) -> int | None:
        """Our amount (positive = money out), or None (a problem recorded, or
        no amount: skipped with a warning)."""
        layout = self.layout
        try:
            if layout.amount is not None:
                value = self._cents(number, cells, layout.amount)
                if value is None:
                    return self._no_amount(number)
                if self.survey.directions:
                    word = _cell(cells, layout.direction).lower()
                    return abs(value) if word in DEBIT_WORDS else -abs(value)
                return value if self.options.sign == "debit_positive" else -value
            debit = self._cents(number, cells, layout.debit)
            credit = self._cents(number, cells, layout.credit)
        except BadAmount:
            return None
        if debit and credit:
            assert layout.debit is not None and layout.credit is not None
            self.problems.add(
                (number, layout.debit.name),
                f"both {layout.debit.name} and {layout.credit.name} hold an amount",
                "csv_amount_invalid",
            )
            return None
        if debit:
            return abs(debit)
        if credit:
            return -abs(credit)
        return 0 if (debit, credit) != (None, None) else self._no_amount(number)

    def _no_amount(self, number: int) -> int | None:
        self.warnings.append(f"line {number}: a date but no amount; skipped")
        return None
