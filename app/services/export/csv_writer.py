"""CSV of a user's transactions, in the columns our own import reads:
Date (UTC, YYYY-MM-DD), Description, Amount (money out negative, the way
banks write it), Category and Detailed Category (our vocabulary, which the
import takes as it is), Merchant (the clean name, taken as it is), Account
(its name), Transaction ID (ours; the import's id column). Posted rows
first, then a "Pending transactions" section title and the pending rows,
which the import reads as pending."""

import csv
import io
from collections.abc import AsyncIterator

from sqlmodel.ext.asyncio.session import AsyncSession

from app.services.export.reader import Row, transaction_batches

COLUMNS = (
    "Date",
    "Description",
    "Amount",
    "Category",
    "Detailed Category",
    "Merchant",
    "Account",
    "Transaction ID",
)
PENDING_TITLE = "Pending transactions"


def _amount(cents: int) -> str:
    sign = "-" if cents > 0 else ""  # ours: positive = money out; the file's: negative
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _lines(rows: list[Row], account: Row) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            (
                row["date"].strftime("%Y-%m-%d"),
                row["description"] or row["merchant_name"] or "",
                _amount(row["amount"]),
                row["category"],
                row["category_detailed"] or "",
                row["merchant_name"] or "",
                account["name"],
                row["id"],
            )
        )
    return out.getvalue()


async def chunks(session: AsyncSession, accounts: list[Row]) -> AsyncIterator[bytes]:
    yield (",".join(COLUMNS) + "\r\n").encode()
    for pending in (False, True):
        title_written = False
        for account in accounts:
            async for batch in transaction_batches(session, account["id"], pending=pending):
                if pending and not title_written:
                    yield f"{PENDING_TITLE}\r\n".encode()
                    title_written = True
                yield _lines(batch, account).encode()
