"""Where things are in a bank CSV: the delimiter, the header line and the
columns, found by the names banks give them (trimmed, case-insensitive) or
by the names the request gives (`*_column` options, which win).

The names of the contract come first in each list; a few more that common
exports use follow them (e.g. Withdrawals / Deposits for Debit / Credit).
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from app.services.imports.errors import ImportRefused, refuse

DATE = ("date", "transaction date", "trans. date", "posted date", "posting date", "post date")
DESCRIPTION = ("description", "payee", "name", "merchant", "transaction description")
AMOUNT = ("amount", "transaction amount")
DEBIT = ("debit", "debit amount", "withdrawal", "withdrawals")
CREDIT = ("credit", "credit amount", "deposit", "deposits")
CATEGORY = ("category",)
IDENTIFIER = ("transaction id", "reference", "fitid", "id")
DIRECTION = ("transaction type", "debit/credit", "creditdebit", "creditdebet", "af bij")
ACCOUNT = ("account name", "account")
MEMO = ("memo",)
# A clean merchant name beside the description (our own export writes one).
MERCHANT = ("merchant name", "merchant")
DETAILED = ("detailed category", "category detailed")

DELIMITERS = (",", ";", "\t")
# The header must be among the first lines: preambles are short.
HEADER_SEARCH_LINES = 100


@dataclass(frozen=True, slots=True)
class CsvOptions:
    """The request's CSV options (all optional)."""

    date_column: str | None = None
    description_column: str | None = None
    amount_column: str | None = None
    debit_column: str | None = None
    credit_column: str | None = None
    direction_column: str | None = None
    id_column: str | None = None
    date_format: str | None = None  # strftime, e.g. %d/%m/%Y
    decimal: Literal[".", ","] = "."
    sign: Literal["debit_negative", "debit_positive"] = "debit_negative"
    account_name: str | None = None


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    name: str  # as the header writes it, trimmed


@dataclass(frozen=True, slots=True)
class Layout:
    delimiter: str
    header_line: int  # physical line number, 1-based
    header_record: int  # records before the header (the preamble)
    pending_before: bool  # the preamble's last section title says "pending"
    date: Column
    amount: Column | None
    debit: Column | None
    credit: Column | None
    description: Column | None
    memo: Column | None
    category: Column | None
    identifier: Column | None
    direction: Column | None
    account: Column | None
    merchant: Column | None = None
    detailed: Column | None = None


def records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(physical line number where the record starts, cells) of each record;
    a quoted cell may span lines. A record the csv module cannot read (a
    cell over its 128 KiB limit) is refused, naming its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as exc:
        raise refuse((line,), f"line {line} cannot be read as CSV: {exc}", "csv_invalid") from exc


def _key(name: str) -> str:
    return " ".join(name.split()).lower()


def _find(
    index: dict[str, int], cells: list[str], given: str | None, names: tuple[str, ...]
) -> Column | None:
    for name in (given,) if given is not None else names:
        if (found := index.get(_key(name))) is not None:
            return Column(found, cells[found].strip())
    return None


def layout_of(cells: list[str], options: CsvOptions) -> dict[str, Column | None] | None:
    """The columns of a header line, or None when the line is not a header
    (no date column, or neither an amount nor a debit and a credit one)."""
    index: dict[str, int] = {}
    for position, cell in enumerate(cells):
        index.setdefault(_key(cell), position)
    date = _find(index, cells, options.date_column, DATE)
    if date is None:
        return None
    split_given = options.debit_column is not None or options.credit_column is not None
    amount = None if split_given else _find(index, cells, options.amount_column, AMOUNT)
    debit = credit = None
    if amount is None:
        if options.amount_column is not None:
            return None
        debit = _find(index, cells, options.debit_column, DEBIT)
        credit = _find(index, cells, options.credit_column, CREDIT)
        if debit is None or credit is None:
            return None
    description = _find(index, cells, options.description_column, DESCRIPTION)
    merchant = _find(index, cells, None, MERCHANT)
    if merchant is not None and description is not None and merchant.index == description.index:
        merchant = None  # "Merchant" is the description of this file
    return {
        "date": date,
        "amount": amount,
        "debit": debit,
        "credit": credit,
        "description": description,
        "merchant": merchant,
        "detailed": _find(index, cells, None, DETAILED),
        "memo": _find(index, cells, None, MEMO),
        "category": _find(index, cells, None, CATEGORY),
        "identifier": _find(index, cells, options.id_column, IDENTIFIER),
        "direction": _find(index, cells, options.direction_column, DIRECTION),
        "account": _find(index, cells, None, ACCOUNT),
    }


def is_title(cells: list[str]) -> str | None:
    """The text of a section title: a line with exactly one non-empty cell.
    (A transaction's row is told at its second non-empty cell.)"""
    found = None
    for cell in cells:
        if text := cell.strip():
            if found is not None:
                return None
            found = text
    return found


def find_layout(text: str, options: CsvOptions) -> Layout | None:
    """The delimiter whose header line comes first (ties: the header with
    more cells), and that header's columns."""
    best: tuple[tuple[int, int], Layout] | None = None
    for delimiter in DELIMITERS:
        try:
            found = _header(text, delimiter, options)
        except ImportRefused:
            continue  # unreadable with this delimiter: not this one
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return best[1] if best else None


def _header(
    text: str, delimiter: str, options: CsvOptions
) -> tuple[tuple[int, int], Layout] | None:
    """The first header line with this delimiter, ranked (its record
    number, fewer cells last)."""
    pending = False
    for count, (line, cells) in enumerate(records(text, delimiter)):
        if count >= HEADER_SEARCH_LINES:
            return None
        columns = layout_of(cells, options)
        if columns is not None:
            layout = Layout(delimiter, line, count, pending, **columns)  # type: ignore[arg-type]
            return (count, -len(cells)), layout
        if (title := is_title(cells)) is not None:
            pending = "pending" in title.lower()
    return None
