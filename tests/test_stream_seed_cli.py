"""`spendsense seed --streams N` and `spendsense evaluate-streams` end to end:
stream users beside the persona users (which stay exactly as without them),
their truth in the manifest, and detection through the database scored
against it."""

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from app.cli import main
from app.models import Account, Transaction, User
from app.services.insights.recurring import user_streams
from app.services.synthetic import SeedSpec
from app.services.synthetic.stream_users import stream_seed_user, streams_as_of
from app.services.synthetic.streams import generate_stream_user
from tests.utils.database import count_rows, run_in_session

pytestmark = pytest.mark.slow

AS_OF = "2026-06-30"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, " ".join(capsys.readouterr().out.replace("│", " ").split())


def seed(capsys: pytest.CaptureFixture[str], manifest: Path, *extra: str) -> dict[str, Any]:
    code, _ = run(capsys, "seed", "--users", "10", "--seed", "4", "--as-of", AS_OF,
                  "--manifest", str(manifest), *extra)  # fmt: skip
    assert code == 0
    result: dict[str, Any] = json.loads(manifest.read_text())
    return result


def test_stream_users_come_beside_the_persona_users(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plain = seed(capsys, tmp_path / "plain.json")
    persona_rows = (count_rows(User), count_rows(Account), count_rows(Transaction))
    code, out = run(capsys, "seed", "--users", "10", "--seed", "4", "--as-of", AS_OF,
                    "--streams", "4", "--manifest", str(tmp_path / "streams.json"))  # fmt: skip
    assert code == 0
    assert "recurring streams 4 12" in out  # users, accounts (a row of the summary)
    manifest: dict[str, Any] = json.loads((tmp_path / "streams.json").read_text())
    # The persona part is what it was; the persona users' rows were all there.
    assert {u: p for u, p in manifest.items() if isinstance(p, str)} == plain
    assert count_rows(User) == persona_rows[0] + 4
    streams = {u: e for u, e in manifest.items() if isinstance(e, dict)}
    spec = SeedSpec(users=10, seed=4, as_of=date(2026, 6, 30), streams=4)
    assert sorted(streams) == [f"usr_4_{spec.tag}_s{k:05d}" for k in range(1, 5)]
    for index, (user_id, entry) in enumerate(sorted(streams.items())):
        truth = generate_stream_user(index, 4, date(2026, 6, 30)).truth
        assert entry["as_of"] == AS_OF
        assert [s["frequency"] for s in entry["streams"]] == [t.frequency for t in truth]
        assert [s["dates"] for s in entry["streams"]] == [
            [d.isoformat() for d in t.dates] for t in truth
        ]
        assert all(s["account_id"].startswith(f"acc_{user_id[4:]}_") for s in entry["streams"])
    # Deterministic and idempotent: a rerun creates nothing.
    code, out = run(capsys, "seed", "--users", "10", "--seed", "4", "--as-of", AS_OF,
                    "--streams", "4")  # fmt: skip
    assert code == 0 and "created 0 users, 0 accounts, 0 transactions" in out


def test_a_data_set_cut_today_gives_stream_users_a_history_to_yesterday() -> None:
    today = datetime.now(UTC).date()
    cut = SeedSpec(users=0, seed=1, as_of=today, streams=1,
                   cutoff=datetime.combine(today, time.min, tzinfo=UTC))  # fmt: skip
    assert streams_as_of(cut) == today - timedelta(days=1)
    user = stream_seed_user(cut, 0)
    assert user.manifest["as_of"] == (today - timedelta(days=1)).isoformat()
    assert cut.cutoff is not None
    assert max(row["date"] for row in user.transactions) < cut.cutoff
    assert user.user["consent"] is True


def test_evaluate_streams_scores_the_database_against_the_manifest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    manifest_path, figures = tmp_path / "m.json", tmp_path / "f.json"
    manifest = seed(capsys, manifest_path, "--streams", "12")
    code, out = run(capsys, "evaluate-streams", "--manifest", str(manifest_path),
                    "--json", str(figures))  # fmt: skip
    assert code == 0
    assert "planted (merchant, frequency) pairs against detected" in out
    assert "12 stream users in the manifest, 12 evaluated" in out
    result = json.loads(figures.read_text())
    planted = sum(len(e["streams"]) for e in manifest.values() if isinstance(e, dict))
    assert result["groups"]["all"]["planted"] == planted
    assert result["evaluated"] == 12
    # What the command scored is what the route's service finds, user by user.

    async def detected(session: AsyncSession) -> int:
        found = 0
        for user_id, entry in manifest.items():
            if isinstance(entry, dict):
                found += len(await user_streams(session, user_id, date.fromisoformat(AS_OF)))
        return found

    assert result["groups"]["all"]["detected"] == run_in_session(detected)
    # The persona evaluation reads the same manifest's persona part.
    code, out = run(capsys, "evaluate", "--manifest", str(manifest_path))
    assert code == 0 and "10 users in the manifest" in out


def test_evaluate_streams_needs_planted_streams(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    manifest = tmp_path / "m.json"
    seed(capsys, manifest)
    code, out = run(capsys, "evaluate-streams", "--manifest", str(manifest))
    assert code == 1 and "lists no planted streams" in out
    code, out = run(capsys, "evaluate-streams", "--manifest", str(tmp_path / "none.json"))
    assert code == 1 and "cannot read the manifest" in out
