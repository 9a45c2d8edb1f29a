"""Which charges may form one stream: same account, same direction, same
merchant; and the stable id of the stream such a group can make."""

import re
from collections.abc import Iterable
from datetime import date, timedelta
from hashlib import blake2b

from app.services.insights.recurrence import merchant_key
from app.services.insights.streams.records import Direction, StreamRow

# (account_id, direction, merchant key) of a group.
GroupKey = tuple[str, Direction, str]

_DIGITS_AND_SPACE = re.compile(r"[\d\s]+")
_DESCRIPTION_KEYS: dict[str, str] = {}
# Merchant name -> its tagged group key, filled by group_key.
_MERCHANT_GROUP_KEYS: dict[str, str] = {}
_MAX_CACHED_KEYS = 100_000


def _description_key(description: str) -> str:
    """`description` lower-cased with digits removed (and runs of whitespace
    made one space, ends trimmed, as the merchant key): check numbers and
    dates in a bank's text do not split a stream. Cached like merchant keys."""
    key = _DESCRIPTION_KEYS.get(description)
    if key is None:
        if len(_DESCRIPTION_KEYS) >= _MAX_CACHED_KEYS:
            _DESCRIPTION_KEYS.clear()
        words = _DIGITS_AND_SPACE.sub(" ", description.lower().replace("\N{NBSP}", " "))
        key = _DESCRIPTION_KEYS[description] = " ".join(words.split())
    return key


def group_key(merchant_name: str | None, description: str | None, category: str) -> str:
    """The merchant key of a row, tagged with where it came from: the merchant
    name's key, else the description's, else the category. The tag keeps a
    description that reads like another row's merchant name apart from it."""
    if merchant_name:
        key = merchant_key(merchant_name)
        if key:
            tagged = f"merchant:{key}"
            if len(_MERCHANT_GROUP_KEYS) >= _MAX_CACHED_KEYS:
                _MERCHANT_GROUP_KEYS.clear()
            _MERCHANT_GROUP_KEYS[merchant_name] = tagged
            return tagged
    if description:
        key = _description_key(description)
        if key:
            return f"description:{key}"
    return f"category:{category}"


def stream_id_of(account_id: str, direction: Direction, key: str) -> str:
    """The stream's id: a hash of its account, direction and merchant key,
    so it survives new rows, a new frequency and restarts. `rs_` and 32 hex
    digits: 35 characters of `[A-Za-z0-9_-]`."""
    text = "\x1f".join((account_id, direction, key)).encode()
    return "rs_" + blake2b(text, digest_size=16).hexdigest()


def group_rows(rows: Iterable[StreamRow], as_of: date) -> dict[GroupKey, list[StreamRow]]:
    """The settled rows dated on or before `as_of`, by group, in input order.
    Rows of amount 0 move no money in either direction and are left out."""
    end = (as_of + timedelta(days=1)).isoformat()
    groups: dict[GroupKey, list[StreamRow]] = {}
    merchant_keys = _MERCHANT_GROUP_KEYS
    for row in rows:
        # Text order is time order: a row's text sorts before the next day's.
        if row[7] or not row[3] or row[2] >= end:  # pending, amount 0, after as_of
            continue
        merchant_name = row[4]
        key = merchant_keys.get(merchant_name) if merchant_name else None
        if key is None:
            key = group_key(merchant_name, row[5], row[6])
        direction: Direction = "outflow" if row[3] > 0 else "inflow"
        group_id = (row[1], direction, key)
        group = groups.get(group_id)
        if group is None:
            groups[group_id] = [row]
        else:
            group.append(row)
    return groups


def merchant_accounts(
    groups: dict[GroupKey, list[StreamRow]],
) -> dict[tuple[Direction, str], list[str]]:
    """The accounts each (direction, merchant key) has rows on."""
    accounts: dict[tuple[Direction, str], list[str]] = {}
    for account_id, direction, key in groups:
        accounts.setdefault((direction, key), []).append(account_id)
    return accounts
