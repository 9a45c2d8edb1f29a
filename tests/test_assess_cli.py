"""`spendsense seed` + `assess` + `evaluate` end to end, through the
database: the planted patterns come back as the computed personas, users
without consent are skipped and counted, nothing is written for them."""

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.cli import main
from app.models import Persona, User
from tests.utils.database import count_rows, run_in_session

# Each test seeds users through the CLI: seconds, not milliseconds.
pytestmark = pytest.mark.slow

AS_OF = "2026-06-30"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def consent_of_users() -> dict[str, bool]:
    async def work(session: AsyncSession) -> dict[str, bool]:
        return dict((await session.exec(select(col(User.id), col(User.consent)))).all())

    return run_in_session(work)


@pytest.mark.parametrize(("seed", "as_of"), [(5, AS_OF), (77, "2025-02-28")])
def test_seed_assess_evaluate_recovers_the_planted_patterns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed: int, as_of: str
) -> None:
    manifest, figures = tmp_path / "manifest.json", tmp_path / "eval.json"
    code, _ = run(capsys, "seed", "--users", "60", "--seed", str(seed), "--as-of", as_of,
                  "--manifest", str(manifest))  # fmt: skip
    assert code == 0
    code, out = run(capsys, "assess", "--as-of", as_of)
    assert code == 0
    consent = consent_of_users()
    refused = sum(1 for ok in consent.values() if not ok)
    assert refused > 0  # the seeder leaves about one user in ten without consent
    assert f"assessed {60 - refused} users" in out
    assert f"skipped {refused} without consent" in out
    # Rows for consenting users only, two each.
    assert count_rows(Persona) == 2 * (60 - refused)
    for user_id, ok in consent.items():
        assert count_rows(Persona, user_id=user_id) == (2 if ok else 0)

    code, out = run(capsys, "evaluate", "--manifest", str(manifest), "--as-of", as_of,
                    "--json", str(figures))  # fmt: skip
    assert code == 0
    assert "planted pattern recovered" in out
    result: dict[str, Any] = json.loads(figures.read_text())
    long = result["windows"]["180d"]
    assert long["consenting_users"] == 60 - refused
    assert long["coverage"] == 1.0
    assert long["recovery"] >= 0.98
    for persona, figures_of in long["per_persona"].items():
        assert figures_of["recall"] is None or figures_of["recall"] >= 0.95, persona
    assert long["explainability"] == 1.0
    assert result["windows"]["30d"]["coverage"] == 1.0
    stored = result["stored_match_recomputed"]
    assert stored["agreeing"] == stored["compared"] == 60 - refused


def test_assess_named_users_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "seed", "--users", "10", "--seed", "3", "--as-of", AS_OF)[0] == 0
    consent = consent_of_users()
    chosen = sorted(u for u, ok in consent.items() if ok)[:2]
    refused = sorted(u for u, ok in consent.items() if not ok)
    code, out = run(capsys, "assess", "--as-of", AS_OF, "--user", chosen[0], "--user", chosen[1],
                    *(arg for u in refused for arg in ("--user", u)))  # fmt: skip
    assert code == 0
    assert "assessed 2 users (4 persona rows)" in out
    assert f"skipped {len(refused)} without consent" in out
    assert count_rows(Persona) == 4


def test_assess_refuses_unknown_users_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "seed", "--users", "5", "--seed", "3", "--as-of", AS_OF)[0] == 0
    known = next(iter(consent_of_users()))
    code, out = run(capsys, "assess", "--user", known, "--user", "nobody")
    assert code == 1
    assert "unknown user(s): nobody" in out
    assert count_rows(Persona) == 0


def test_evaluate_refuses_a_file_that_is_not_a_manifest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"u1": "spender"}))
    code, out = run(capsys, "evaluate", "--manifest", str(bad))
    assert code == 1 and "not a seeding manifest" in out
