"""OFX 2.2 (XML) of a user's accounts: one statement per account, bank
accounts (STMTRS) first, then cards (CCSTMTRS), as every OFX reader expects.

- ACCTID is `<account id>-<mask>`: unique, and its last four digits are the
  mask, which is how importers (ours too) read a mask from an account number.
- ACCTTYPE: checking CHECKING, savings SAVINGS, money_market MONEYMRKT, and
  hsa SAVINGS (OFX has no HSA type: it comes back as savings).
- LEDGERBAL: the balance (a card's as what is owed, negative, OFX's way) as
  of `balance_as_of` (the export's time when unknown); a card with a limit
  also states AVAILBAL = limit - owed, from which importers take the limit.
- STMTTRN: FITID = our id, TRNAMT = -amount (the holder's sign), DTPOSTED
  in UTC to the millisecond, NAME = the raw description (else the merchant
  name), TRNTYPE from the category where OFX has a word for it (INT, DIV,
  DIRECTDEP, FEE), else DEBIT / CREDIT.
- Pending transactions are left out (DTSTART/DTEND span the posted ones).
  A statement lists what has posted, and OFX has no pending state: the
  contract's OFX import sets `pending` false, as other tools do, so a
  pending row written here would come back as a posted one, and again
  beside its posted row (which often has an id of its own) in a later
  export. The CSV export keeps them, under its "Pending transactions" title.
"""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from sqlmodel.ext.asyncio.session import AsyncSession

from app.services.export.reader import Row, date_range, transaction_batches

HEADER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" '
    'NEWFILEUID="NONE"?>\n'
)
ORG = "SpendSense"
ACCOUNT_TYPES = {
    "checking": "CHECKING",
    "savings": "SAVINGS",
    "money_market": "MONEYMRKT",
    "hsa": "SAVINGS",
}
TRNTYPES = {
    "INCOME_INTEREST_EARNED": "INT",
    "INCOME_DIVIDENDS": "DIV",
    "INCOME_WAGES": "DIRECTDEP",
    "BANK_FEES_INTEREST_CHARGE": "INT",
}


def ofx_time(value: datetime | None) -> str:
    value = (value or datetime.now(UTC)).astimezone(UTC)
    return value.strftime("%Y%m%d%H%M%S") + f".{value.microsecond // 1000:03d}[0:UTC]"


def ofx_amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _status() -> str:
    return "<STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>"


def _trntype(row: Row) -> str:
    detailed = row["category_detailed"]
    if detailed in TRNTYPES:
        return TRNTYPES[detailed]
    if row["category"] == "BANK_FEES":
        return "FEE"
    return "DEBIT" if row["amount"] > 0 else "CREDIT"


def _transaction(row: Row) -> str:
    name = row["description"] or row["merchant_name"] or row["category"]
    return (
        f"<STMTTRN><TRNTYPE>{_trntype(row)}</TRNTYPE>"
        f"<DTPOSTED>{ofx_time(row['date'])}</DTPOSTED>"
        f"<TRNAMT>{ofx_amount(-row['amount'])}</TRNAMT>"
        f"<FITID>{escape(row['id'])}</FITID><NAME>{escape(name)}</NAME></STMTTRN>\n"
    )


async def _statement(session: AsyncSession, account: Row, index: int) -> AsyncIterator[str]:
    card = account["type"] == "credit"
    low, high = await date_range(session, account["id"], pending=False)
    number = escape(f"{account['id']}-{account['mask']}")
    if card:
        yield f"<CCSTMTTRNRS><TRNUID>{index}</TRNUID>{_status()}<CCSTMTRS>"
        yield f"<CURDEF>{account['currency']}</CURDEF><CCACCTFROM><ACCTID>{number}</ACCTID>"
        yield "</CCACCTFROM>\n"
    else:
        kind = ACCOUNT_TYPES.get(account["subtype"], "CHECKING")
        yield f"<STMTTRNRS><TRNUID>{index}</TRNUID>{_status()}<STMTRS>"
        yield f"<CURDEF>{account['currency']}</CURDEF><BANKACCTFROM><BANKID>{ORG}</BANKID>"
        yield f"<ACCTID>{number}</ACCTID><ACCTTYPE>{kind}</ACCTTYPE></BANKACCTFROM>\n"
    yield f"<BANKTRANLIST><DTSTART>{ofx_time(low)}</DTSTART><DTEND>{ofx_time(high)}</DTEND>\n"
    async for batch in transaction_batches(session, account["id"], pending=False):
        yield "".join(map(_transaction, batch))
    as_of = ofx_time(account["balance_as_of"])
    balance = -account["balance"] if card else account["balance"]
    yield f"</BANKTRANLIST><LEDGERBAL><BALAMT>{ofx_amount(balance)}</BALAMT>"
    yield f"<DTASOF>{as_of}</DTASOF></LEDGERBAL>"
    if card and account["limit"]:
        available = ofx_amount(account["limit"] - account["balance"])
        yield f"<AVAILBAL><BALAMT>{available}</BALAMT><DTASOF>{as_of}</DTASOF></AVAILBAL>"
    yield "</CCSTMTRS></CCSTMTTRNRS>\n" if card else "</STMTRS></STMTTRNRS>\n"


async def chunks(session: AsyncSession, accounts: list[Row]) -> AsyncIterator[bytes]:
    yield (
        HEADER + "<OFX>\n<SIGNONMSGSRSV1><SONRS>" + _status() + f"<DTSERVER>{ofx_time(None)}"
        f"</DTSERVER><LANGUAGE>ENG</LANGUAGE><FI><ORG>{ORG}</ORG></FI></SONRS></SIGNONMSGSRSV1>\n"
    ).encode()
    groups: list[tuple[str, list[Row]]] = [
        ("BANKMSGSRSV1", [a for a in accounts if a["type"] != "credit"]),
        ("CREDITCARDMSGSRSV1", [a for a in accounts if a["type"] == "credit"]),
    ]
    index = 0
    for tag, members in groups:
        if not members:
            continue
        yield f"<{tag}>\n".encode()
        for account in members:
            index += 1
            async for text in _statement(session, account, index):
                yield text.encode()
        yield f"</{tag}>\n".encode()
    yield b"</OFX>\n"


__all__: list[Any] = ["chunks"]
