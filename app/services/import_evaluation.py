"""How well the import reads messy bank files (`spendsense evaluate-import
DIR`): the files `spendsense seed --messy DIR` wrote are imported into fresh
users through the import service (app.services.imports.store.import_file,
as the HTTP route and `spendsense import` do), and what comes out is
compared with the truth of DIR/manifest.json and with the same users'
clean data (seeded into the database by this run, through the seeder):

- categories: the share of imported rows whose category is the clean one;
- merchant grouping: the share of recurring merchants (a clean merchant
  with 3 or more posted rows in one account; cash and payments to people,
  which name no merchant, left out) whose posted rows there all come out
  under one merchant name;
- personas: the share of persona users whose persona, per window, is the
  one the same user's clean data gives (both computed by the engine at the
  data set's as-of date);
- streams (stream users): recall, precision, frequency and next-date
  accuracy of detection on the clean and on the imported data, the planted
  streams translated to the imported accounts and merchant names.

The scoring functions are pure (they take the manifest's rows and the
imported rows); `evaluate_import` does the database work.
"""

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import open_session
from app.models import Account, AccountCreate, Transaction, User, UserCreate
from app.services import accounts as account_service
from app.services import users as user_service
from app.services.errors import DomainError
from app.services.imports import CsvOptions
from app.services.imports.store import ImportOptions, import_file
from app.services.insights.assess import WINDOWS, decide
from app.services.insights.reader import read_users
from app.services.insights.recurring import user_streams
from app.services.insights.stream_evaluation import StreamEvaluation, evaluate_streams
from app.services.seeding import seed_users
from app.services.synthetic.messy import spec_of
from app.services.synthetic.stream_users import planted_from_manifest
from app.services.synthetic.streams import PlantedStream

# Clean merchants that name no one merchant: cash, and payments to people.
NOT_MERCHANTS = frozenset({"ATM Cash Withdrawal", "Zelle Payment", "Venmo"})
RECURRING_ROWS = 3
# The stream generator's one-off shops are "SHOPPING", a name outside the
# vocabulary; Plaid's word for it is GENERAL_MERCHANDISE.
SAME_CATEGORY = {"SHOPPING": "GENERAL_MERCHANDISE"}
MESSY_SUFFIX = "_m"
TARGETS = {"categories": 0.95, "merchant_grouping": 0.98, "persona_180d": 0.97, "persona_30d": 0.95}
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class TruthRow:
    account: str  # the account's key in the manifest (chk, sav, cc1, ...)
    day: str
    amount: int
    description: str
    merchant: str
    category: str
    pending: bool

    @property
    def label(self) -> str:
        """The clean merchant, or for rows known by description only, that
        description without digits (a stream user's `... PPD ID 1001`)."""
        return self.merchant if self.merchant != self.description else _label(self.description)


def _label(description: str) -> str:
    return " ".join(_DIGITS.sub("", description.lower()).split())


@dataclass(frozen=True, slots=True)
class ImportedRow:
    account: str  # the manifest's account key
    day: str
    amount: int
    description: str
    merchant_name: str | None
    category: str
    pending: bool


def _head(text: str) -> str:
    """A description as compared: upper case, whitespace collapsed, the first
    32 characters (what an OFX NAME holds)."""
    return " ".join(text.upper().split())[:32].rstrip()


def match_rows(
    truth: Iterable[TruthRow], imported: Iterable[ImportedRow]
) -> tuple[list[tuple[ImportedRow, TruthRow]], int]:
    """Each imported row with the truth row it is: same account, day and
    amount, and the description the file gave it (an OFX NAME cut at 32
    characters and its MEMO: compared on the first 32). Returns the pairs
    and the count of imported rows that match none."""
    index: dict[tuple[str, str, int], list[TruthRow]] = defaultdict(list)
    for row in truth:
        index[row.account, row.day, row.amount].append(row)
    pairs: list[tuple[ImportedRow, TruthRow]] = []
    unmatched = 0
    for item in imported:
        candidates = index.get((item.account, item.day, item.amount), [])
        head = _head(item.description)
        same = [c for c in candidates if _head(c.description) == head]
        best = next((c for c in same if c.pending == item.pending), same[0] if same else None)
        if best is None:
            unmatched += 1
            continue
        pairs.append((item, best))
    return pairs, unmatched


@dataclass
class RowScores:
    rows: int = 0
    unmatched: int = 0
    category_right: int = 0
    # (clean category, imported category) -> rows, where they differ
    category_misses: Counter[tuple[str, str]] = field(default_factory=Counter)
    merchants: int = 0  # recurring merchants
    grouped: int = 0  # ... under one name
    # clean merchant -> the names it came out under, where more than one
    split: dict[str, set[str]] = field(default_factory=dict)
    stale_pending: int = 0  # pending rows stored beside their posted row

    @property
    def category_share(self) -> float:
        return self.category_right / self.rows if self.rows else 0.0

    @property
    def grouping_share(self) -> float:
        return self.grouped / self.merchants if self.merchants else 0.0

    def add(self, other: "RowScores") -> None:
        self.rows += other.rows
        self.unmatched += other.unmatched
        self.category_right += other.category_right
        self.category_misses.update(other.category_misses)
        self.merchants += other.merchants
        self.grouped += other.grouped
        for merchant, names in other.split.items():
            self.split.setdefault(merchant, set()).update(names)
        self.stale_pending += other.stale_pending


def score_rows(truth: list[TruthRow], imported: list[ImportedRow]) -> RowScores:
    """Category and merchant-grouping scores of one user's imported rows."""
    pairs, unmatched = match_rows(truth, imported)
    scores = RowScores(rows=len(pairs), unmatched=unmatched)
    names: dict[tuple[str, str], set[str | None]] = defaultdict(set)
    posted: Counter[tuple[str, str]] = Counter()
    posted_keys = {(t.account, t.label, t.amount) for row, t in pairs if not row.pending}
    for row, clean in pairs:
        if row.category == SAME_CATEGORY.get(clean.category, clean.category):
            scores.category_right += 1
        else:
            scores.category_misses[clean.category, row.category] += 1
        if row.pending:
            scores.stale_pending += (clean.account, clean.label, clean.amount) in posted_keys
            continue
        if clean.label not in NOT_MERCHANTS:
            names[clean.account, clean.label].add(row.merchant_name)
            posted[clean.account, clean.label] += 1
    for (account, label), count in posted.items():
        if count < RECURRING_ROWS:
            continue
        scores.merchants += 1
        if len(names[account, label]) == 1:
            scores.grouped += 1
        else:
            scores.split[label] = {str(name) for name in names[account, label]}
    return scores


@dataclass
class PersonaScores:
    users: int = 0
    agree: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WINDOWS, 0))
    # (window, clean persona, imported persona) -> users, where they differ
    misses: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def share(self, window: str) -> float:
        return self.agree[window] / self.users if self.users else 0.0


@dataclass
class ImportEvaluation:
    users: int
    files: int
    refused: list[str]
    seconds_importing: float
    rows: RowScores
    personas: PersonaScores
    streams_clean: StreamEvaluation | None
    streams_messy: StreamEvaluation | None
    stream_users: int

    def figures(self) -> dict[str, float]:
        return {
            "categories": self.rows.category_share,
            "merchant_grouping": self.rows.grouping_share,
            "persona_180d": self.personas.share("180d"),
            "persona_30d": self.personas.share("30d"),
        }

    def failures(self) -> list[str]:
        figures = self.figures()
        return [
            f"{name} {figures[name]:.4f} < {target}"
            for name, target in TARGETS.items()
            if figures[name] < target
        ]

    def to_dict(self) -> dict[str, Any]:
        rows = self.rows
        return {
            "users": self.users,
            "files": self.files,
            "refused_files": self.refused,
            "seconds_importing": self.seconds_importing,
            "figures": self.figures(),
            "targets": TARGETS,
            "targets_missed": self.failures(),
            "rows": {
                "matched": rows.rows,
                "unmatched": rows.unmatched,
                "category_right": rows.category_right,
                "category_misses": {f"{a}->{b}": n for (a, b), n in rows.category_misses.items()},
                "recurring_merchants": rows.merchants,
                "grouped": rows.grouped,
                "split": {m: sorted(n) for m, n in sorted(rows.split.items())},
                "stale_pending": rows.stale_pending,
            },
            "personas": {
                "users": self.personas.users,
                "agree": self.personas.agree,
                "misses": {"/".join(k): n for k, n in self.personas.misses.items()},
            },
            "stream_users": self.stream_users,
            "streams_clean": self.streams_clean.to_dict() if self.streams_clean else None,
            "streams_messy": self.streams_messy.to_dict() if self.streams_messy else None,
        }


def truth_rows(entry: dict[str, Any]) -> list[TruthRow]:
    return [TruthRow(*row) for row in entry["rows"]]


def messy_id(user_id: str) -> str:
    return user_id + MESSY_SUFFIX


async def _fresh_user(session: AsyncSession, user_id: str, entry: dict[str, Any]) -> dict[str, str]:
    """The messy copy of a user, with the accounts its CSV files need (a
    user creates those by hand: CSV files name no account); returns the
    account ids by key (CSV accounts only)."""
    target = messy_id(user_id)
    if await session.get(User, target) is None:
        email = f"{target.replace('_', '.')}@example.com"
        await user_service.create(
            session, UserCreate(id=target, name=f"Imported {user_id}", email=email, consent=True)
        )
    ids = {}
    for account in entry["accounts"]:
        if account["format"] != "csv":
            continue
        account_id = f"acc_{target.removeprefix('usr_')}_{account['key']}"
        ids[account["key"]] = account_id
        if await session.get(Account, account_id) is None:
            credit = account["type"] == "credit"
            data = AccountCreate(
                id=account_id,
                type=account["type"],
                subtype=account["subtype"],
                name=account["name"],
                mask=account["mask"],
                balance=account["balance"],
                limit=account["limit"] if credit else None,
            )
            await account_service.create(session, target, data)
    return ids


async def import_user(
    session: AsyncSession, folder: Path, user_id: str, entry: dict[str, Any]
) -> tuple[int, list[str]]:
    """Import the user's files in order; (files imported, refusals)."""
    csv_accounts = await _fresh_user(session, user_id, entry)
    refused = []
    done = 0
    for item in sorted(entry["files"], key=lambda f: (f["name"].split("_")[1], f["name"])):
        data = (folder / user_id / item["name"]).read_bytes()
        options = ImportOptions(
            format=item["format"],
            account_id=csv_accounts.get(item["account"]) if item["format"] == "csv" else None,
            csv=CsvOptions(sign=item["sign"] or "debit_negative"),
            filename=item["name"],
        )
        try:
            await import_file(session, messy_id(user_id), data, options)
            done += 1
        except DomainError as exc:
            await session.rollback()
            refused.append(f"{user_id}/{item['name']}: {exc}")
    return done, refused


async def _imported_rows(
    session: AsyncSession, user_id: str, entry: dict[str, Any]
) -> tuple[list[ImportedRow], dict[str, str]]:
    """The messy user's stored rows, and its account ids by manifest key
    (matched by mask: a user's masks are distinct)."""
    by_mask = {account["mask"]: account["key"] for account in entry["accounts"]}
    accounts = (
        await session.exec(select(Account).where(col(Account.user_id) == messy_id(user_id)))
    ).all()
    keys = {a.id: by_mask.get(a.mask, "?") for a in accounts}
    stmt = select(Transaction).where(col(Transaction.account_id).in_(list(keys)))
    rows = [
        ImportedRow(
            keys[t.account_id],
            t.date.date().isoformat(),
            t.amount,
            t.description or "",
            t.merchant_name,
            t.category,
            t.pending,
        )  # fmt: skip
        for t in (await session.exec(stmt)).all()
    ]
    return rows, {key: account_id for account_id, key in keys.items()}


def translate_streams(
    planted: list[PlantedStream],
    pairs: list[tuple[ImportedRow, TruthRow]],
    clean_keys: dict[str, str],
    account_ids: dict[str, str],
) -> list[PlantedStream]:
    """The planted streams as the imported data names them: on the imported
    account, under the merchant name (and the last description) most of
    the stream's imported rows carry."""
    names: dict[tuple[str, str, bool], Counter[str | None]] = defaultdict(Counter)
    last: dict[tuple[str, str, bool], tuple[str, str]] = {}
    for row, clean in pairs:
        if row.pending:
            continue
        key = (clean.account, clean.label, clean.amount < 0)
        names[key][row.merchant_name] += 1
        if key not in last or row.day >= last[key][0]:
            last[key] = (row.day, row.description)
    out = []
    for stream in planted:
        account = clean_keys[stream.account_id]
        label = stream.merchant_name or _label(stream.description or "")
        key = (account, label, stream.direction == "inflow")
        if key not in names or account not in account_ids:
            out.append(stream)  # nothing imported: it cannot be found
            continue
        out.append(
            replace(
                stream,
                account_id=account_ids[account],
                merchant_name=names[key].most_common(1)[0][0],
                description=last[key][1],
            )
        )
    return out


async def evaluate_import(
    engine: AsyncEngine,
    folder: Path,
    manifest: dict[str, Any],
    on_user: Callable[[str], None] | None = None,
) -> ImportEvaluation:
    """Seed the clean users, import every messy user's files into a fresh
    user, and score what came out."""
    spec = spec_of(manifest["spec"])
    await seed_users(engine, spec)
    users: dict[str, dict[str, Any]] = manifest["users"]
    refused: list[str] = []
    files = 0
    started = time.perf_counter()
    async with open_session(engine) as session:
        for user_id, entry in users.items():
            done, problems = await import_user(session, folder, user_id, entry)
            files += done
            refused += problems
            if on_user is not None:
                on_user(user_id)
    seconds = time.perf_counter() - started
    rows = RowScores()
    personas = PersonaScores()
    clean_scored: list[tuple[Any, list[PlantedStream]]] = []
    messy_scored: list[tuple[Any, list[PlantedStream]]] = []
    async with open_session(engine) as session:
        for user_id, entry in users.items():
            imported, account_ids = await _imported_rows(session, user_id, entry)
            truth = truth_rows(entry)
            rows.add(score_rows(truth, imported))
            as_of = date.fromisoformat(entry["as_of"])
            planted = entry["planted"]
            if "persona" in planted:
                await _compare_personas(session, user_id, as_of, personas)
            else:
                streams = planted_from_manifest(planted["streams"])
                clean_keys = {s.account_id: s.account_id.rsplit("_", 1)[-1] for s in streams}
                pairs, _ = match_rows(truth, imported)
                translated = translate_streams(streams, pairs, clean_keys, account_ids)
                clean_scored.append((await user_streams(session, user_id, as_of), streams))
                messy_scored.append(
                    (await user_streams(session, messy_id(user_id), as_of), translated)
                )
            await session.rollback()  # end each user's read
    return ImportEvaluation(
        users=len(users),
        files=files,
        refused=refused,
        seconds_importing=seconds,
        rows=rows,
        personas=personas,
        streams_clean=evaluate_streams(clean_scored) if clean_scored else None,
        streams_messy=evaluate_streams(messy_scored) if messy_scored else None,
        stream_users=len(clean_scored),
    )


async def _compare_personas(
    session: AsyncSession, user_id: str, as_of: date, scores: PersonaScores
) -> None:
    both = await read_users(session, [user_id, messy_id(user_id)], as_of)
    clean, messy = decide(both[user_id], as_of), decide(both[messy_id(user_id)], as_of)
    scores.users += 1
    for window in WINDOWS:
        want, got = clean[window][1].persona_type, messy[window][1].persona_type
        if want == got:
            scores.agree[window] += 1
        else:
            scores.misses[window, str(want), str(got)] += 1
