"""Users' history as banks write it (`spendsense seed --messy DIR`), and the
truth to measure an import of it against.

Each generated user (persona users, and stream users when asked) keeps the
rows of the clean data set; only their form changes, as a bank's would:

- raw descriptors in several real-world forms per merchant (descriptors.py),
  varying from line to line and month to month, with no category;
- one statement file per account and calendar month, each starting a week
  before its month (so consecutive files overlap by a week), in the
  account's format: OFX 1.02 SGML, QFX, OFX 2 XML or one of five CSV
  layouts (statement_files.py), cards with OFX's sign;
- card purchases of a file's last two days listed as pending in CSV files
  (under a short, place-less descriptor), posted in the next file; the
  clean data's own pending rows pending in the last CSV file (OFX has no
  pending state: those rows are not in OFX files);
- monthly interest credits on checking (a few cents, rows the clean data
  has not: the importer must read them as interest, not pay).

The truth lists, per user, every row a file holds (pending versions too)
with the clean merchant and category, the accounts with their final
balance, and what was planted (persona, or streams).
"""

import hashlib
import random
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.services.synthetic.descriptors import (
    BANK_STYLES,
    PLACES,
    Context,
    descriptor,
    pending_form,
)
from app.services.synthetic.generator import GeneratedUser, SeedSpec, generate
from app.services.synthetic.merchants import CARD_PRODUCTS, build_local_names
from app.services.synthetic.statement_files import (
    CARD_LAYOUTS,
    Line,
    Statement,
    bank_csv,
    ofx_sgml,
    ofx_xml,
)
from app.services.synthetic.stream_users import StreamSeedUser, stream_seed_user, streams_as_of

Row = dict[str, Any]
OVERLAP_DAYS = 7
PENDING_DAYS = 2  # a file's card purchases of its last two days are pending
# Categories a bank posts at once (never pending), as the generator has it.
SETTLED = frozenset({"INCOME", "TRANSFER_IN", "TRANSFER_OUT", "LOAN_PAYMENTS", "BANK_FEES"})
# Clean categories paid through ACH or by the bank itself, not a card.
NOT_CARD = SETTLED | {"RENT_AND_UTILITIES"}
CHECKING_INTEREST = "Checking Interest"
ISSUERS = dict((product, issuer) for issuer, product in CARD_PRODUCTS)
# (kind, weight) of each account's file format.
CHECKING_FORMATS = (("ofx_sgml", 35), ("qfx", 15), ("ofx_xml", 10), ("csv", 40))
SAVINGS_FORMATS = (("ofx_xml", 40), ("ofx_sgml", 20), ("csv", 40))
CARD_FORMATS = (("ofx_xml", 35), ("qfx", 30), ("csv", 35))
NO_PENDING_LAYOUTS = ("chase_checking", "bofa", "card_positive")
BANK_CSV = ("chase_checking", "split_columns", "bofa")
ORGS = {
    "chase": ("JPMorgan Chase Bank, N.A.", "10898", "021000021"),
    "bofa": ("Bank of America", "5959", "026009593"),
    "wells": ("Wells Fargo", "3000", "121000248"),
    "usbank": ("U.S. Bank", "1402", "091000022"),
    "pos": ("First Community Credit Union", "6780", "256074974"),
}


@dataclass(frozen=True, slots=True)
class StatementFile:
    """A file to write under the user's folder, and how to import it."""

    name: str
    account: str  # the account's key (chk, sav, cc1, ...)
    format: str  # ofx | csv
    sign: str  # debit_negative | debit_positive (CSV)
    data: bytes


@dataclass(frozen=True, slots=True)
class MessyUser:
    user_id: str
    files: list[StatementFile]
    truth: dict[str, Any]  # the manifest entry


def _key_of(account_id: str) -> str:
    return account_id.rsplit("_", 1)[-1]


def _fitid(user_id: str, row_id: str) -> str:
    return hashlib.sha256(f"{user_id}|{row_id}".encode()).hexdigest()[:20].upper()


def _day(value: datetime | str) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date()


def _trntype(row: Row, card: bool, directdep: bool) -> str:
    """The OFX TRNTYPE a bank gives the row (`directdep`: this bank marks
    payroll DIRECTDEP; others write CREDIT)."""
    merchant, category, amount = row["merchant_name"] or "", row["category"], row["amount"]
    if merchant in ("Interest Paid", CHECKING_INTEREST) or (card and merchant == "Interest Charge"):
        return "INT"
    if category == "BANK_FEES":
        return "FEE"
    if merchant == "ATM Cash Withdrawal":
        return "ATM"
    if directdep and category == "INCOME" and amount < 0 and merchant.endswith(" Payroll"):
        return "DIRECTDEP"
    if category in NOT_CARD or card:
        return "DEBIT" if amount > 0 else "CREDIT"
    return "POS" if amount > 0 else "CREDIT"


def _months(first: date, last: date) -> Iterator[tuple[date, date]]:
    """(start, end) of each file: calendar months, each from a week before
    its first day (the first from `first`), the last ending on `last`."""
    month = first.replace(day=1)
    while month <= last:
        end = month.replace(day=monthrange(month.year, month.month)[1])
        start = max(first, month - timedelta(days=OVERLAP_DAYS))
        yield start, min(end, last)
        month = end + timedelta(days=1)


class _Builder:
    def __init__(self, user_id: str, seed_tag: str, accounts: list[Row], rows: list[Row],
                 as_of: date, planted: Any, home_seed: int) -> None:  # fmt: skip
        self.user_id = user_id
        self.rng = random.Random(f"{seed_tag}:messy:{user_id}")
        self.accounts = {_key_of(a["id"]): a for a in accounts}
        self.rows = rows
        self.as_of = as_of
        self.planted = planted
        names = build_local_names(home_seed)
        rng = self.rng
        self.person = f"{rng.choice(names.first_names)} {rng.choice(names.last_names)}".upper()
        self.friends = tuple(
            f"{rng.choice(names.first_names)} {rng.choice(names.last_names)}".upper()
            for _ in range(4)
        )
        self.home = rng.choice(PLACES)
        self.style = rng.choice(BANK_STYLES)
        self.formats = {key: self._format(account) for key, account in self.accounts.items()}
        self.habits = {key: rng.randrange(60) for key in self.accounts}

    def _format(self, account: Row) -> tuple[str, str]:
        rng = self.rng
        table: tuple[tuple[str, int], ...]
        if account["type"] == "credit":
            table = CARD_FORMATS
        elif account["subtype"] == "savings":
            table = SAVINGS_FORMATS
        else:
            table = CHECKING_FORMATS
        kind = rng.choices([k for k, _ in table], [w for _, w in table])[0]
        if kind != "csv":
            return kind, ""
        layouts = CARD_LAYOUTS if account["type"] == "credit" else BANK_CSV
        return kind, rng.choice(layouts)

    def _other_mask(self, key: str) -> str:
        for other, account in self.accounts.items():
            if other != key and account["type"] != "credit":
                return str(account["mask"])
        return str(self.accounts[key]["mask"])

    def _describe(self, row: Row, key: str) -> str:
        account = self.accounts[key]
        merchant = row["merchant_name"]
        if merchant is None:  # a stream user's row known by its description
            return str(row["description"])
        card = account["type"] == "credit"
        when = _day(row["date"])
        mask = self._other_mask(key) if "Transfer" in merchant else str(account["mask"])
        context = Context(when, self.home, self.person, mask, self.friends)
        issuer = None
        if merchant.endswith(" Card Payment"):
            issuer = merchant.removesuffix(" Card Payment")
            card_mask = next(
                (str(a["mask"]) for a in self.accounts.values() if a["type"] == "credit"), "0000"
            )
            context = Context(when, self.home, self.person, card_mask, self.friends)
        debit = None
        if not card and row["category"] not in NOT_CARD and row["amount"] > 0:
            debit = self.style
        return descriptor(
            merchant, row["category"], row["amount"] < 0, self.rng, context,
            debit_style=debit, issuer=issuer, habit=self.habits[key],
        )  # fmt: skip

    def _interest_rows(self) -> list[Row]:
        """A few cents of interest on checking at each month's end."""
        chk = self.accounts.get("chk")
        if chk is None or not self.rows:
            return []
        first = min(_day(r["date"]) for r in self.rows)
        out = []
        for _, end in _months(first, self.as_of):
            if end.day != monthrange(end.year, end.month)[1]:
                continue
            out.append(
                {
                    "id": f"int_{end.isoformat()}",
                    "account_id": chk["id"],
                    "date": datetime(end.year, end.month, end.day, 12),
                    "amount": -self.rng.randint(1, 90),
                    "merchant_name": CHECKING_INTEREST,
                    "category": "INCOME",
                    "category_detailed": "INCOME_INTEREST_EARNED",
                    "pending": False,
                }
            )
        return out

    def build(self) -> MessyUser:
        rows = sorted(
            [*self.rows, *self._interest_rows()], key=lambda r: (_day(r["date"]), r["id"])
        )
        by_account: dict[str, list[tuple[Row, str]]] = {key: [] for key in self.accounts}
        for row in rows:
            key = _key_of(row["account_id"])
            by_account[key].append((row, self._describe(row, key)))
        files: list[StatementFile] = []
        truth_rows: list[list[Any]] = []
        accounts_truth = []
        first = min((_day(r["date"]) for r in rows), default=self.as_of)
        for key, account in self.accounts.items():
            kind, layout = self.formats[key]
            balance = account["balance"] + sum(
                -r["amount"] for r, _ in by_account[key] if r["merchant_name"] == CHECKING_INTEREST
            )
            accounts_truth.append(
                {
                    "key": key,
                    "type": account["type"],
                    "subtype": account["subtype"],
                    "name": account["name"],
                    "mask": account["mask"],
                    "balance": balance,
                    "limit": account.get("limit"),
                    "format": "csv" if kind == "csv" else "ofx",
                    "layout": layout or kind,
                }
            )
            files += self._files(
                key, account, (kind, layout), by_account[key], (first, balance), truth_rows
            )
        truth = {
            "accounts": accounts_truth,
            # [account key, day, amount, description, merchant, category, pending]
            "rows": truth_rows,
            "as_of": self.as_of.isoformat(),
            "planted": self.planted,
        }
        return MessyUser(self.user_id, files, truth)

    def _files(self, key: str, account: Row, form: tuple[str, str],
               rows: list[tuple[Row, str]], start_and_balance: tuple[date, int],
               truth: list[list[Any]]) -> list[StatementFile]:  # fmt: skip
        """The account's monthly files; appends each row they hold to `truth`."""
        kind, layout = form
        first, final_balance = start_and_balance
        card = account["type"] == "credit"
        org, fid, routing = ORGS[self.style]
        if card:
            org = ISSUERS.get(account["name"], "Card Services")
        number = (
            f"4{hashlib.sha256(account['id'].encode()).hexdigest()[:11].translate(_HEX_DIGITS)}"
            f"{account['mask']}"
            if card
            else f"{hashlib.sha256(account['id'].encode()).hexdigest()[:8].translate(_HEX_DIGITS)}"
            f"{account['mask']}"
        )
        files = []
        periods = list(_months(first, self.as_of))
        style = self.rng.randrange(6)
        seen: set[tuple[str, bool]] = set()
        for index, (start, end) in enumerate(periods):
            last = index == len(periods) - 1
            after = sum(r["amount"] for r, _ in rows if _day(r["date"]) > end)
            # Our view of the balance at the file's end: the final one with
            # what came after undone.
            balance = final_balance - after if card else final_balance + after
            statement = Statement(
                card=card,
                account_type="SAVINGS" if account["subtype"] == "savings" else "CHECKING",
                bank_id=routing,
                number=number,
                org=org,
                start=start,
                end=end,
                balance=balance,
                limit=account.get("limit"),
            )
            for row, text in rows:
                day = _day(row["date"])
                if not start <= day <= end:
                    continue
                pending = bool(row["pending"])  # a pending row that never posts
                purchase = row["category"] not in NOT_CARD and row["amount"] > 0
                if not last and purchase and (end - day).days < PENDING_DAYS and kind == "csv":
                    pending = True
                if pending and (
                    kind != "csv" or layout in ("chase_checking", "bofa", "card_positive")
                ):
                    continue  # a format without a pending state: not in this file
                shown = pending_form(text) if pending and not row["pending"] else text
                statement.lines.append(
                    Line(_fitid(self.user_id, row["id"]), day, row["amount"], shown,
                         _trntype(row, card, self.style in ("chase", "wells")), pending)
                )  # fmt: skip
                mark = (row["id"], pending)
                if mark not in seen:
                    seen.add(mark)
                    truth.append(
                        [key, day.isoformat(), row["amount"], shown, row["merchant_name"] or
                         row.get("description"), row["category"], pending]
                    )  # fmt: skip
            name = f"{key}_{start.isoformat()}_{end.isoformat()}"
            if kind == "csv":
                data = bank_csv(statement, layout, str(account["name"]))
                sign = "debit_positive" if layout == "card_positive" else "debit_negative"
                files.append(StatementFile(f"{name}.csv", key, "csv", sign, data))
            elif kind == "ofx_xml":
                files.append(
                    StatementFile(f"{name}.ofx", key, "ofx", "", ofx_xml(statement, fid, style))
                )
            else:
                qfx = kind == "qfx"
                data = ofx_sgml(statement, fid, style, qfx=qfx)
                files.append(
                    StatementFile(f"{name}.{'qfx' if qfx else 'ofx'}", key, "ofx", "", data)
                )
        return files


_HEX_DIGITS = str.maketrans("abcdef", "012345")


def messy_persona_user(spec: SeedSpec, generated: GeneratedUser) -> MessyUser:
    user_id = generated.user["id"]
    return _Builder(
        user_id, spec.tag, generated.accounts, generated.transactions, spec.as_of,
        {"persona": generated.pattern.value}, spec.seed,
    ).build()  # fmt: skip


def messy_stream_user(spec: SeedSpec, generated: StreamSeedUser) -> MessyUser:
    user_id = generated.user["id"]
    return _Builder(
        user_id, spec.tag, generated.accounts, generated.transactions, streams_as_of(spec),
        {"streams": generated.manifest}, spec.seed,
    ).build()  # fmt: skip


def generate_messy(spec: SeedSpec) -> Iterator[MessyUser]:
    """The messy form of every user of `spec` (persona users, then stream
    users), one at a time. Deterministic: equal specs, equal bytes."""
    for generated in generate(spec):
        yield messy_persona_user(spec, generated)
    for index in range(spec.streams):
        yield messy_stream_user(spec, stream_seed_user(spec, index))


def spec_fields(spec: SeedSpec) -> dict[str, Any]:
    """What the manifest records to rebuild `spec`."""
    return {
        "users": spec.users,
        "seed": spec.seed,
        "months": spec.months,
        "as_of": spec.as_of.isoformat(),
        "cutoff": spec.cutoff.isoformat() if spec.cutoff else None,
        "streams": spec.streams,
    }


def spec_of(fields: dict[str, Any]) -> SeedSpec:
    return SeedSpec(
        users=int(fields["users"]),
        seed=int(fields["seed"]),
        months=int(fields["months"]),
        as_of=date.fromisoformat(fields["as_of"]),
        cutoff=datetime.fromisoformat(fields["cutoff"]) if fields.get("cutoff") else None,
        streams=int(fields.get("streams", 0)),
    )
