"""Users with planted recurring streams, as `spendsense seed --streams N`
writes them beside the persona users: the planted-stream generator's users
(app.services.synthetic.streams: every frequency, drift, skipped and
spiked occurrences, price changes, 6-26 months of history, 13 or more for
annual charges, and look-alikes that must not be found) given the seeding
run's ids, a profile and accounts, and their truth for the manifest.

The persona users are not touched: stream users are users of their own
(`usr_<seed>_<tag>_s00001`, ...), each with a checking account, a savings
account and a card. They have all consented, so that every one of them is
measured. A data set cut at an instant of its as-of date (the command line
cuts one ending today at 00:00 UTC) gives stream users a history ending the
day before, whole: the planted dates and the held-out next occurrences stay
exact.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from app.services.synthetic.generator import SeedSpec
from app.services.synthetic.merchants import build_local_names
from app.services.synthetic.streams import PlantedStream, generate_stream_user

Row = dict[str, Any]
# The generator's account keys, and the seeded accounts: their key in the
# id (the persona users' keys: chk, sav, cc1), type, subtype and name.
_ACCOUNTS = {
    "chk": ("chk", "depository", "checking", "Everyday Checking"),
    "sav": ("sav", "depository", "savings", "High Yield Savings"),
    "crd": ("cc1", "credit", "credit_card", "Rewards Visa"),
}
OPENING_BALANCE = 100_000
CARD_LIMIT = 1_000_000


@dataclass(frozen=True)
class StreamSeedUser:
    """Rows of one stream user, and its manifest entry."""

    user: Row
    accounts: list[Row]
    transactions: list[Row]
    manifest: dict[str, Any]


def stream_user_id(spec: SeedSpec, index: int) -> str:
    return f"usr_{spec.seed}_{spec.tag}_s{index + 1:05d}"


def streams_as_of(spec: SeedSpec) -> date:
    """The last whole day of the stream users' history."""
    return spec.as_of if spec.cutoff is None else spec.as_of - timedelta(days=1)


def stream_seed_user(spec: SeedSpec, index: int) -> StreamSeedUser:
    """Stream user `index` of the data set `spec` (the same whatever else
    the run generates)."""
    as_of = streams_as_of(spec)
    planted = generate_stream_user(index, spec.seed, as_of)
    user_id = stream_user_id(spec, index)
    stem = user_id.removeprefix("usr_")
    accounts = {
        f"{planted.user_id}-{key}": f"acc_{stem}_{seeded[0]}" for key, seeded in _ACCOUNTS.items()
    }
    rng = random.Random(f"{spec.tag}:streams:{index}")
    first_names, last_names = _person_names(spec.seed)
    first, last = rng.choice(first_names), rng.choice(last_names)
    created = datetime.combine(planted.first_day, datetime.min.time(), tzinfo=UTC)
    user = {
        "id": user_id,
        "name": f"{first} {last}",
        "email": f"streams.{spec.tag}{index + 1}@example.com",
        "consent": True,
        "created_at": created,
    }
    transactions = [
        {
            "id": f"txn_{stem}_{number:05d}",
            "account_id": accounts[row.account_id],
            "date": datetime.fromisoformat(row.date).replace(tzinfo=UTC),
            "amount": row.amount,
            "merchant_name": row.merchant_name,
            "category": row.category,
            "pending": row.pending,
            "description": row.description,
        }
        for number, row in enumerate(planted.rows, start=1)
    ]
    entry = {
        "as_of": as_of.isoformat(),
        "first_day": planted.first_day.isoformat(),
        "streams": [_planted(stream, accounts) for stream in planted.truth],
    }
    return StreamSeedUser(user, _account_rows(user_id, accounts, transactions), transactions, entry)


@lru_cache(maxsize=8)
def _person_names(seed: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(first names, last names), drawn from Faker once per seed."""
    names = build_local_names(seed)
    return names.first_names, names.last_names


def _account_rows(user_id: str, accounts: dict[str, str], transactions: list[Row]) -> list[Row]:
    """Plausible balances: depository ones an opening balance plus what came
    in and went out; the card what its charges and payments leave owed."""
    moved = dict.fromkeys(accounts.values(), 0)
    for row in transactions:
        moved[row["account_id"]] += row["amount"]
    rows = []
    for mask, (key, kind, subtype, name) in enumerate(_ACCOUNTS.values(), start=1):
        account_id = f"acc_{user_id.removeprefix('usr_')}_{key}"
        credit = kind == "credit"
        balance = (
            max(0, moved[account_id]) if credit else max(0, OPENING_BALANCE - moved[account_id])
        )
        rows.append(
            {
                "id": account_id,
                "user_id": user_id,
                "type": kind,
                "subtype": subtype,
                "name": name,
                "mask": f"{mask:04d}",
                "balance": balance,
                "limit": max(CARD_LIMIT, 2 * balance) if credit else None,
                "currency": "USD",
                "apr": 19.99 if credit else None,
                "min_payment": 2_500 if credit else None,
                "is_overdue": False,
            }
        )
    return rows


def _planted(stream: PlantedStream, accounts: dict[str, str]) -> dict[str, Any]:
    return {
        "account_id": accounts[stream.account_id],
        "direction": stream.direction,
        "merchant_name": stream.merchant_name,
        "description": stream.description,
        "category": stream.category,
        "frequency": stream.frequency,
        "dates": [day.isoformat() for day in stream.dates],
        "next_date": None if stream.next_date is None else stream.next_date.isoformat(),
    }


def planted_from_manifest(entry: dict[str, Any]) -> list[PlantedStream]:
    """The planted streams of a manifest entry, as the evaluation reads them."""
    planted = []
    for fields in entry["streams"]:
        next_date = fields["next_date"]
        dates = tuple(map(date.fromisoformat, fields["dates"]))
        planted.append(
            PlantedStream(
                **fields
                | {"dates": dates, "next_date": next_date and date.fromisoformat(next_date)}
            )
        )
    return planted
