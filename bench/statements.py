"""Deterministic statement files for bench/import.py: the same rows as an
OFX 1.02 file (SGML, the shape most banks download), a bank CSV and bulk
JSON bodies, with descriptors as banks write them (store numbers, phone
numbers, dates and references that change from line to line)."""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

START = datetime(2024, 1, 1, 12, tzinfo=UTC)
DESCRIPTORS = (
    ("NETFLIX.COM 866-579-7172 CA", 1549),
    ("SQ *BLUE BOTTLE COFFEE #{n} OAKLAND CA", 575),
    ("SAFEWAY #{n} SAN JOSE CA", 6210),
    ("AMZN Mktp US*{ref}", 2399),
    ("SHELL OIL {n:08d} HOUSTON TX", 4512),
    ("TST* LOCAL DINER {n:04d} BERKELEY CA", 2340),
    ("UBER   *TRIP HELP.UBER.COM CA", 1890),
    ("PURCHASE AUTHORIZED ON 03/{d:02d} TRADER JOE S #{n} SAN FRANCISCO CA", 6420),
    ("SPOTIFY USA 877-778-1161", 1199),
    ("CHECKCARD 03{d:02d} WALGREENS #{n} PALO ALTO CA", 1288),
    ("ACME CORP PAYROLL PPD ID: {n}", -310000),
    ("ZELLE PAYMENT TO JOHN SMITH {ref}", 15000),
)


@dataclass(frozen=True)
class Row:
    fitid: str
    date: datetime
    amount: int  # ours: positive = money out
    descriptor: str


def rows(count: int, seed: int = 7) -> Iterator[Row]:
    rng = random.Random(seed)
    for i in range(count):
        template, cents = DESCRIPTORS[rng.randrange(len(DESCRIPTORS))]
        text = template.format(
            n=rng.randrange(1, 9999), d=rng.randrange(1, 28), ref=f"{rng.randrange(16**8):08X}"
        )
        amount = cents + rng.randrange(-300, 300) if abs(cents) < 100_000 else cents
        yield Row(f"FIT{i:09d}", START + timedelta(minutes=7 * i), amount, text)


def ofx(count: int) -> bytes:
    head = (
        "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\n"
        "CHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n"
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<DTSERVER>20260101120000<LANGUAGE>ENG<FI><ORG>Bench Bank<FID>1</FI></SONRS>"
        "</SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO"
        "</STATUS><STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>121000248<ACCTID>000123456789"
        "<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20240101<DTEND>20260101\r\n"
    )
    parts = [head]
    for row in rows(count):
        kind = "DEBIT" if row.amount > 0 else "CREDIT"
        parts.append(
            f"<STMTTRN>\r\n<TRNTYPE>{kind}\r\n<DTPOSTED>{row.date:%Y%m%d%H%M%S}.000[0:GMT]\r\n"
            f"<TRNAMT>{_money(-row.amount)}\r\n<FITID>{row.fitid}\r\n<NAME>{row.descriptor}\r\n"
            "</STMTTRN>\r\n"
        )
    parts.append(
        "</BANKTRANLIST><LEDGERBAL><BALAMT>1234.56<DTASOF>20260101120000</LEDGERBAL>"
        "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\r\n"
    )
    return "".join(parts).encode("cp1252")


def csv(count: int) -> bytes:
    lines = ["Date,Description,Amount,Reference"]
    for row in rows(count):
        lines.append(f"{row.date:%m/%d/%Y},{row.descriptor},{_money(-row.amount)},{row.fitid}")
    return ("\r\n".join(lines) + "\r\n").encode()


def bulk_items(count: int, account_id: str) -> list[dict[str, Any]]:
    """The same rows as bulk items, with what an import stores: description,
    merchant and category as a client would have worked them out."""
    from app.services.imports import categorize, normalize_merchant

    items = []
    for row in rows(count):
        merchant = normalize_merchant(row.descriptor)
        cat = categorize(row.descriptor, merchant, row.amount)
        items.append(
            {
                "id": f"bulk_{row.fitid}",
                "account_id": account_id,
                "date": row.date.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "amount": row.amount,
                "merchant_name": cat.merchant_name,
                "category": cat.category,
                "category_detailed": cat.category_detailed,
                "description": row.descriptor,
                "pending": False,
            }
        )
    return items


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"
