"""Statement files as banks write them (`spendsense seed --messy`): OFX 1.02
SGML (unclosed leaf tags, a cp1252 header), QFX (the same with Intuit's
INTU.BID), OFX 2.x XML, and CSV exports of five layouts. Pure: text in,
bytes out.

OFX amounts are the holder's view (TRNAMT negative = money out, on a card
too: a purchase is negative, a payment positive) and a card's LEDGERBAL
is what is owed as a negative number; there is no pending state, so OFX
files hold posted rows only. CSV layouts:

- `chase_checking`: Details, Posting Date, Description, Amount, Type,
  Balance, Check or Slip # (MM/DD/YYYY, money out negative).
- `split_columns`: a preamble (account, number, range), then Transaction
  Date, Description, Withdrawals, Deposits, and the pending rows under a
  "Pending Transactions" title before "Posted Transactions".
- `bofa`: a summary preamble, then Date, Description, Amount, Running Bal.
  (amounts over 999 quoted with a thousands comma).
- `card_negative`: Transaction Date, Post Date, Description, Type, Amount
  (charges negative), pending rows under a "Pending" title first.
- `card_positive`: Trans. Date, Post Date, Description, Amount (charges
  positive: imported with sign=debit_positive).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from xml.sax.saxutils import escape

from app.services.export.ofx_writer import ofx_amount

CHASE_COLUMNS = (
    "Details", "Posting Date", "Description", "Amount", "Type", "Balance", "Check or Slip #"
)  # fmt: skip
CSV_LAYOUTS = ("chase_checking", "split_columns", "bofa", "card_negative", "card_positive")
CARD_LAYOUTS = ("card_negative", "card_positive")
# OFX 1.x caps NAME at 32 characters; banks put the rest in MEMO.
NAME_LENGTH = 32


@dataclass(frozen=True, slots=True)
class Line:
    """One row of a statement: `amount` in our sign (positive = money out)."""

    fitid: str
    day: date
    amount: int
    description: str
    trntype: str
    pending: bool = False


@dataclass(slots=True)
class Statement:
    """One account's rows over [start, end] and its balance at the end (our
    view: a depository balance, or a card's amount owed)."""

    card: bool
    account_type: str  # CHECKING | SAVINGS (bank statements)
    bank_id: str
    number: str
    org: str
    start: date
    end: date
    balance: int
    limit: int | None = None
    lines: list[Line] = field(default_factory=list)


def _ofx_date(day: date, style: int) -> str:
    """Three ways banks write DTPOSTED, all on the same UTC day."""
    if style == 0:
        return day.strftime("%Y%m%d")
    if style == 1:
        return day.strftime("%Y%m%d") + "120000.000"
    return day.strftime("%Y%m%d") + "000000[-5:EST]"


def _name_memo(description: str, memo_style: int) -> tuple[str, str | None]:
    """NAME and MEMO of a descriptor: style 0 writes it whole in NAME (many
    banks ignore OFX's 32 characters), style 1 cuts NAME at 32 and repeats
    the whole descriptor in MEMO."""
    if len(description) <= NAME_LENGTH or memo_style == 0:
        return description, None
    return description[:NAME_LENGTH].rstrip(), description


def _transactions(statement: Statement, sgml: bool, date_style: int, memo_style: int) -> str:
    out = []
    for line in statement.lines:
        name, memo = _name_memo(line.description, memo_style)
        parts = [
            ("TRNTYPE", line.trntype),
            ("DTPOSTED", _ofx_date(line.day, date_style)),
            ("TRNAMT", ofx_amount(-line.amount)),
            ("FITID", line.fitid),
            ("NAME", escape(name)),
        ]
        if memo:
            parts.append(("MEMO", escape(memo)))
        if sgml:
            body = "\n".join(f"<{tag}>{value}" for tag, value in parts)
        else:
            body = "".join(f"<{tag}>{value}</{tag}>" for tag, value in parts)
        out.append(f"<STMTTRN>\n{body}\n</STMTTRN>")
    return "\n".join(out)


def _leaf(tag: str, value: str, sgml: bool) -> str:
    return f"<{tag}>{value}" if sgml else f"<{tag}>{value}</{tag}>"


def _statement(statement: Statement, sgml: bool, date_style: int, memo_style: int) -> str:
    def leaf(tag: str, value: str) -> str:
        return _leaf(tag, value, sgml)

    if statement.card:
        account = f"<CCACCTFROM>{leaf('ACCTID', statement.number)}</CCACCTFROM>"
        open_, close = "<CREDITCARDMSGSRSV1><CCSTMTTRNRS>", "</CCSTMTTRNRS></CREDITCARDMSGSRSV1>"
        rs_open, rs_close = "<CCSTMTRS>", "</CCSTMTRS>"
        ledger = -statement.balance
    else:
        account = (
            f"<BANKACCTFROM>{leaf('BANKID', statement.bank_id)}"
            f"{leaf('ACCTID', statement.number)}{leaf('ACCTTYPE', statement.account_type)}"
            "</BANKACCTFROM>"
        )
        open_, close = "<BANKMSGSRSV1><STMTTRNRS>", "</STMTTRNRS></BANKMSGSRSV1>"
        rs_open, rs_close = "<STMTRS>", "</STMTRS>"
        ledger = statement.balance
    as_of = _ofx_date(statement.end, 1)
    status = f"<STATUS>{leaf('CODE', '0')}{leaf('SEVERITY', 'INFO')}</STATUS>"
    available = ""
    if statement.card and statement.limit:
        available = (
            f"<AVAILBAL>{leaf('BALAMT', ofx_amount(statement.limit - statement.balance))}"
            f"{leaf('DTASOF', as_of)}</AVAILBAL>"
        )
    return (
        f"{open_}{leaf('TRNUID', '1')}{status}\n{rs_open}{leaf('CURDEF', 'USD')}\n{account}\n"
        f"<BANKTRANLIST>{leaf('DTSTART', _ofx_date(statement.start, 1))}"
        f"{leaf('DTEND', _ofx_date(statement.end, 1))}\n"
        f"{_transactions(statement, sgml, date_style, memo_style)}\n</BANKTRANLIST>\n"
        f"<LEDGERBAL>{leaf('BALAMT', ofx_amount(ledger))}{leaf('DTASOF', as_of)}</LEDGERBAL>"
        f"{available}\n{rs_close}{close}\n"
    )


def _signon(org: str, fid: str, now: date, sgml: bool, qfx: bool) -> str:
    def leaf(tag: str, value: str) -> str:
        return _leaf(tag, value, sgml)

    intu = leaf("INTU.BID", fid) if qfx else ""
    return (
        f"<SIGNONMSGSRSV1><SONRS><STATUS>{leaf('CODE', '0')}{leaf('SEVERITY', 'INFO')}</STATUS>"
        f"{leaf('DTSERVER', _ofx_date(now, 1))}{leaf('LANGUAGE', 'ENG')}"
        f"<FI>{leaf('ORG', escape(org))}{leaf('FID', fid)}</FI>{intu}</SONRS></SIGNONMSGSRSV1>\n"
    )


def ofx_sgml(statement: Statement, fid: str, style: int, qfx: bool = False) -> bytes:
    """OFX 1.02: KEY:VALUE header lines, leaf tags left open, cp1252."""
    header = (
        "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\n"
        "CHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n"
    )
    body = _signon(statement.org, fid, statement.end, True, qfx) + _statement(
        statement, True, style % 3, style % 2
    )
    return (header + "<OFX>\n" + body + "</OFX>\n").encode("cp1252", errors="replace")


def ofx_xml(statement: Statement, fid: str, style: int) -> bytes:
    """OFX 2.x: an XML declaration, the OFX processing instruction, every
    element closed, UTF-8."""
    header = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" '
        'NEWFILEUID="NONE"?>\n'
    )
    body = _signon(statement.org, fid, statement.end, False, False) + _statement(
        statement, False, style % 3, style % 2
    )
    return (header + "<OFX>\n" + body + "</OFX>\n").encode()


def _money(cents: int, thousands: bool = False) -> str:
    sign = "-" if cents < 0 else ""
    whole = f"{abs(cents) // 100:,}" if thousands else str(abs(cents) // 100)
    return f"{sign}{whole}.{abs(cents) % 100:02d}"


def _us(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def bank_csv(statement: Statement, layout: str, account_name: str) -> bytes:
    """One account's statement as a bank's CSV export of `layout`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    posted = [line for line in statement.lines if not line.pending]
    pending = [line for line in statement.lines if line.pending]
    if layout == "chase_checking":
        writer.writerow(
            (
                "Details",
                "Posting Date",
                "Description",
                "Amount",
                "Type",
                "Balance",
                "Check or Slip #",
            )
        )
        balance = statement.balance
        for line in sorted(posted, key=lambda item: item.day, reverse=True):
            kind = "DEBIT" if line.amount > 0 else "CREDIT"
            writer.writerow(
                (kind, _us(line.day), line.description, _money(-line.amount), line.trntype,
                 _money(balance), "")
            )  # fmt: skip
            balance += line.amount
    elif layout == "split_columns":
        writer.writerow((f"Account Name : {account_name}",))
        writer.writerow((f"Account Number : XXXXXX{statement.number[-4:]}",))
        writer.writerow((f"Date Range : {_us(statement.start)}-{_us(statement.end)}",))
        writer.writerow(())
        writer.writerow(("Transaction Date", "Description", "Withdrawals", "Deposits"))
        for title, rows in (("Pending Transactions", pending), ("Posted Transactions", posted)):
            if rows:
                writer.writerow((title,))
            for line in rows:
                out_, in_ = (
                    (_money(line.amount), "") if line.amount > 0 else ("", _money(-line.amount))
                )
                writer.writerow((_us(line.day), line.description, out_, in_))
    elif layout == "bofa":
        moved = sum(line.amount for line in posted)
        writer.writerow(("Description", "", "Summary Amt."))
        opening = _money(statement.balance + moved, True)
        writer.writerow((f"Beginning balance as of {_us(statement.start)}", "", opening))
        closing = _money(statement.balance, True)
        writer.writerow((f"Ending balance as of {_us(statement.end)}", "", closing))
        writer.writerow(())
        writer.writerow(("Date", "Description", "Amount", "Running Bal."))
        balance = statement.balance + moved
        for line in posted:
            balance -= line.amount
            writer.writerow(
                (_us(line.day), line.description, _money(-line.amount, True), _money(balance, True))
            )
    elif layout == "card_negative":
        writer.writerow(("Transaction Date", "Post Date", "Description", "Type", "Amount"))
        for title, rows in (("Pending", pending), ("Posted", posted)):
            if rows and pending:
                writer.writerow((title,))
            for line in rows:
                kind = "Sale" if line.amount > 0 else "Payment"
                kind = "Fee" if line.trntype in ("FEE", "INT") else kind
                post = line.day + timedelta(days=0 if line.pending else 1)
                writer.writerow(
                    (_us(line.day), _us(post), line.description, kind, _money(-line.amount))
                )
    elif layout == "card_positive":
        writer.writerow(("Trans. Date", "Post Date", "Description", "Amount"))
        for line in posted:
            post = line.day + timedelta(days=1)
            writer.writerow((_us(line.day), _us(post), line.description, _money(line.amount)))
    else:
        raise ValueError(f"unknown CSV layout {layout!r}")
    return out.getvalue().encode()
