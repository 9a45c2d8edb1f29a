"""Builders for the stream tests (this module holds no tests): rows on given
dates, series of them, and detection at the as-of date D."""

from calendar import monthrange
from datetime import date, timedelta
from typing import TypedDict, Unpack

from app.services.insights.streams import Stream, StreamTxn, detect_streams

D = date(2026, 6, 30)


class TxnOptions(TypedDict, total=False):
    """txn()'s keyword-only arguments, for series() to pass on."""

    account: str
    category: str
    description: str | None
    pending: bool
    clock: str


def txn(
    ident: str,
    day: date,
    amount: int,
    merchant: str | None = "Netflix",
    *,
    account: str = "card",
    category: str = "ENTERTAINMENT",
    description: str | None = None,
    pending: bool = False,
    clock: str = "12:00:00.000000",
) -> StreamTxn:
    """A row as the reader gives it: date text `YYYY-MM-DD HH:MM:SS.ffffff`."""
    return StreamTxn(
        ident,
        account,
        f"{day.isoformat()} {clock}",
        amount,
        merchant,
        description,
        category,
        pending,
    )


def series(
    prefix: str,
    days: list[date],
    amounts: int | list[int] = 1549,
    merchant: str | None = "Netflix",
    **fields: Unpack[TxnOptions],
) -> list[StreamTxn]:
    """One row per day, ids `prefix0`, `prefix1`, ... in date order."""
    if isinstance(amounts, int):
        amounts = [amounts] * len(days)
    return [
        txn(f"{prefix}{number}", day, amount, merchant, **fields)
        for number, (day, amount) in enumerate(zip(days, amounts, strict=True))
    ]


def monthly(day_of_month: int, months: list[tuple[int, int]]) -> list[date]:
    """Day `day_of_month` of each (year, month), clamped to the month's end."""
    return [date(y, m, min(day_of_month, monthrange(y, m)[1])) for y, m in months]


def months_from(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """`count` consecutive (year, month) pairs starting with the given one."""
    pairs = []
    for offset in range(count):
        index = year * 12 + month - 1 + offset
        pairs.append((index // 12, index % 12 + 1))
    return pairs


def every(first: date, step_days: int, count: int) -> list[date]:
    return [first + timedelta(days=step_days * k) for k in range(count)]


def detect(rows: list[StreamTxn], as_of: date = D) -> list[Stream]:
    return detect_streams(rows, as_of)


def only(rows: list[StreamTxn], as_of: date = D) -> Stream:
    """The single stream detected among `rows`."""
    streams = detect_streams(rows, as_of)
    assert len(streams) == 1, streams
    return streams[0]


def frequencies(rows: list[StreamTxn], as_of: date = D) -> list[str]:
    return [stream.frequency for stream in detect_streams(rows, as_of)]
