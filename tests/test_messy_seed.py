"""`spendsense seed --messy DIR`: the users' history as banks write it.
Deterministic, and in the forms the contract names (pure, no database)."""

import csv
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.services.imports import parse_ofx
from app.services.synthetic import SeedSpec
from app.services.synthetic.descriptors import Context, descriptor, pending_form
from app.services.synthetic.messy import OVERLAP_DAYS, generate_messy

SPEC = SeedSpec(users=10, seed=7, as_of=date(2026, 6, 30), streams=2)


def digest(spec: SeedSpec) -> str:
    """One hash over every file's name and bytes and every truth entry."""
    out = hashlib.sha256()
    for user in generate_messy(spec):
        for item in user.files:
            out.update(f"{user.user_id}/{item.name}".encode())
            out.update(item.data)
        out.update(json.dumps(user.truth, sort_keys=True).encode())
    return out.hexdigest()


def test_the_same_spec_gives_the_same_bytes_and_another_seed_others() -> None:
    assert digest(SPEC) == digest(SPEC)
    other = SeedSpec(users=10, seed=8, as_of=date(2026, 6, 30), streams=2)
    assert digest(other) != digest(SPEC)


def test_the_command_writes_the_same_folder_twice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ["seed", "--users", "4", "--seed", "7", "--as-of", "2026-06-30", "--streams", "1"]

    def folder_digest(folder: Path) -> dict[str, str]:
        return {
            str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }

    assert main([*args, "--messy", str(tmp_path / "a")]) == 0
    assert main([*args, "--messy", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "statement files" in out and "for 5 users" in out
    first = folder_digest(tmp_path / "a")
    assert first == folder_digest(tmp_path / "b")
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["spec"]["seed"] == 7 and len(manifest["users"]) == 5
    # Every file the manifest lists is there, and nothing else.
    listed = {f"{u}/{f['name']}" for u, e in manifest["users"].items() for f in e["files"]}
    assert listed | {"manifest.json"} == set(first)


@pytest.fixture(scope="module")
def users() -> list[Any]:
    return list(generate_messy(SPEC))


def test_files_are_ofx_qfx_and_csv_without_categories(users: list[Any]) -> None:
    endings = Counter(item.name.rsplit(".", 1)[1] for user in users for item in user.files)
    assert set(endings) == {"ofx", "qfx", "csv"}
    for user in users:
        for item in user.files:
            if item.format == "csv":
                assert "category" not in item.data.decode().lower()
            else:
                assert b"<CATEGORY>" not in item.data.upper()


def test_consecutive_files_of_an_account_overlap_by_a_week(users: list[Any]) -> None:
    for user in users:
        by_account: dict[str, list[tuple[date, date]]] = defaultdict(list)
        for item in user.files:
            _, start, end = item.name.rsplit(".", 1)[0].split("_")
            by_account[item.account].append((date.fromisoformat(start), date.fromisoformat(end)))
        for spans in by_account.values():
            spans.sort()
            for (first, end), (start, _) in zip(spans, spans[1:], strict=False):
                # The week before the month, or all of a shorter first file.
                shared = (end - start).days + 1
                assert shared == min(OVERLAP_DAYS, (end - first).days + 1)


def test_card_statements_carry_the_ofx_sign(users: list[Any]) -> None:
    """A purchase on a card is a negative TRNAMT, a payment positive, and the
    balance owed a negative LEDGERBAL; the import reads it back as ours."""
    checked = 0
    for user in users:
        for item in user.files:
            if item.format != "ofx" or b"<CCSTMTRS>" not in item.data:
                continue
            (statement,) = parse_ofx(item.data).statements
            raw = re.findall(rb"<TRNAMT>(-?[0-9.]+)", item.data)
            ours = sorted(line.amount for line in statement.lines)
            assert sorted(-round(float(x) * 100) for x in raw) == ours
            truth = {(r[1], r[2]) for r in user.truth["rows"] if r[0] == item.account}
            assert {
                (line.date.date().isoformat(), line.amount) for line in statement.lines
            } <= truth
            checked += 1
    assert checked > 0


def test_pending_rows_in_csv_and_interest_on_checking(users: list[Any]) -> None:
    rows = [row for user in users for row in user.truth["rows"]]
    pending = [row for row in rows if row[6]]
    assert pending, "some CSV file lists pending rows"
    interest = [row for row in rows if row[4] == "Checking Interest"]
    assert interest and all(row[0] == "chk" and row[2] < 0 for row in interest)
    # A card purchase shown pending at a file's end comes back posted.
    posted = {(row[0], row[2], row[4]) for row in rows if not row[6]}
    assert any((row[0], row[2], row[4]) in posted for row in pending)
    sections = [
        line
        for user in users
        for item in user.files
        if item.format == "csv"
        for line in csv.reader(io.StringIO(item.data.decode()))
        if len(line) == 1 and "pending" in line[0].lower()
    ]
    assert sections


def test_a_merchant_reads_differently_from_month_to_month(users: list[Any]) -> None:
    forms: dict[str, set[str]] = defaultdict(set)
    for user in users:
        for row in user.truth["rows"]:
            forms[row[4]].add(row[3])
    assert len(forms["Netflix"] | forms["Starbucks"] | forms["Amazon"]) >= 4
    # Store numbers change: not one chain reads the same on every line.
    assert any(len(texts) > 3 for merchant, texts in forms.items() if merchant == "Starbucks")


def test_descriptor_forms() -> None:
    import random

    context = Context(date(2026, 3, 12), ("OAKLAND", "CA"), "JANE DOE", "1234", ("JOHN ROE",))
    rng = random.Random(1)
    card = descriptor("Netflix", "ENTERTAINMENT", False, rng, context)
    assert card.startswith("NETFLIX.COM")
    debit = descriptor("Netflix", "ENTERTAINMENT", False, rng, context, debit_style="wells")
    assert debit.startswith("PURCHASE AUTHORIZED ON 03/12 NETFLIX.COM")
    assert debit.endswith("CARD 1234")
    payment = descriptor("Chase Card Payment", "LOAN_PAYMENTS", False, rng, context, issuer="Chase")
    assert "CHASE" in payment.upper()
    pay = {descriptor("Acme Corp Payroll", "INCOME", True, rng, context, habit=3) for _ in range(5)}
    assert len({p.split(" ID")[0][:20] for p in pay}) == 1  # one payer, one form
    assert pending_form("STARBUCKS STORE 1234 OAKLAND CA") == "STARBUCKS STORE 1234"
