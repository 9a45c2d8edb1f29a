"""`spendsense evaluate-import DIR` end to end on a small run: the files of
`seed --messy` imported into fresh users through the import service, and
the figures it prints recomputed here from the manifest and the database."""

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.cli import main
from app.models import Account, ImportRecord, Transaction, User
from app.services.insights.assess import decide
from app.services.insights.reader import read_users
from tests.utils.database import count_rows, run_in_session

pytestmark = pytest.mark.slow

SEED = ["seed", "--users", "5", "--streams", "2", "--seed", "3", "--as-of", "2026-06-30"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, " ".join(capsys.readouterr().out.replace("│", " ").split())


@pytest.fixture
def evaluated(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> tuple[dict[str, Any], dict[str, Any], str]:
    folder, figures = tmp_path / "messy", tmp_path / "figures.json"
    assert run(capsys, *SEED, "--messy", str(folder))[0] == 0
    code, out = run(capsys, "evaluate-import", str(folder), "--json", str(figures))
    assert code == 0
    manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text())
    return manifest, json.loads(figures.read_text()), out


def imported_rows(manifest: dict[str, Any]) -> dict[str, list[tuple[str, str, int, str, str]]]:
    """Each messy user's stored rows: (account key, day, amount, description,
    category), the account's key found by its mask."""

    async def work(session: AsyncSession) -> dict[str, list[tuple[str, str, int, str, str]]]:
        out: dict[str, list[tuple[str, str, int, str, str]]] = {}
        for user_id, entry in manifest["users"].items():
            keys = {a["mask"]: a["key"] for a in entry["accounts"]}
            stmt = (
                select(Transaction, Account.mask)
                .join(Account, col(Account.id) == col(Transaction.account_id))
                .where(col(Account.user_id) == f"{user_id}_m")
            )
            out[user_id] = [
                (keys[mask], t.date.date().isoformat(), t.amount, t.description or "", t.category)
                for t, mask in (await session.exec(stmt)).all()
            ]
        return out

    return run_in_session(work)


def test_the_files_go_through_the_import_service_into_fresh_users(
    evaluated: tuple[dict[str, Any], dict[str, Any], str],
) -> None:
    manifest, figures, out = evaluated
    users = manifest["users"]
    assert "messy statement files imported, against the truth" in out
    assert f"{len(users)} users" in out and "0 refused" in out
    # The clean users and their messy copies, and one audit row per file.
    assert count_rows(User) == 2 * len(users)
    assert count_rows(ImportRecord) == sum(len(e["files"]) for e in users.values())
    assert figures["files"] == count_rows(ImportRecord)
    assert figures["refused_files"] == []


def test_the_category_share_is_recomputed_from_the_manifest(
    evaluated: tuple[dict[str, Any], dict[str, Any], str],
) -> None:
    manifest, figures, _ = evaluated
    right = total = 0
    for user_id, rows in imported_rows(manifest).items():
        truth: dict[tuple[str, str, int], list[list[Any]]] = defaultdict(list)
        for row in manifest["users"][user_id]["rows"]:
            truth[row[0], row[1], row[2]].append(row)
        for key, day, amount, description, category in rows:
            head = " ".join(description.upper().split())[:32].rstrip()
            matches = [
                t for t in truth[key, day, amount]
                if " ".join(t[3].upper().split())[:32].rstrip() == head
            ]  # fmt: skip
            assert matches, (user_id, key, day, amount, description)
            clean = {"SHOPPING": "GENERAL_MERCHANDISE"}.get(matches[0][5], matches[0][5])
            total += 1
            right += category == clean
    assert figures["rows"]["matched"] == total > 0
    assert figures["rows"]["category_right"] == right
    assert figures["figures"]["categories"] == pytest.approx(right / total)
    assert f"{right}/{total} rows" in evaluated[2]


def test_persona_agreement_is_the_engine_on_both_copies(
    evaluated: tuple[dict[str, Any], dict[str, Any], str],
) -> None:
    manifest, figures, _ = evaluated
    persona_users = [u for u, e in manifest["users"].items() if "persona" in e["planted"]]

    async def agreeing(session: AsyncSession) -> dict[str, int]:
        found = {"30d": 0, "180d": 0}
        as_of = date(2026, 6, 30)
        ids = persona_users + [f"{u}_m" for u in persona_users]
        rows = await read_users(session, ids, as_of)
        for user_id in persona_users:
            clean, messy = decide(rows[user_id], as_of), decide(rows[f"{user_id}_m"], as_of)
            for window in found:
                found[window] += clean[window][1].persona_type == messy[window][1].persona_type
        return found

    agree = run_in_session(agreeing)
    assert figures["personas"]["users"] == len(persona_users) == 5
    assert figures["personas"]["agree"] == agree
    assert figures["figures"]["persona_180d"] == agree["180d"] / 5
    # Stream users were scored on both copies.
    assert figures["stream_users"] == 2
    assert figures["streams_clean"]["groups"]["all"]["planted"] > 0
    assert figures["streams_messy"]["groups"]["all"]["planted"] > 0


def test_a_folder_without_a_manifest_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out = run(capsys, "evaluate-import", str(tmp_path))
    assert code == 1 and "cannot read" in out
    (tmp_path / "manifest.json").write_text("[]")
    code, out = run(capsys, "evaluate-import", str(tmp_path))
    assert code == 1 and "is not a manifest of seed --messy" in out
