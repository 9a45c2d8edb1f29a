"""`spendsense seed` end to end, in-process, against the test database."""

import asyncio
import json
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.cli import main
from app.db import make_engine
from app.models import Account, Content, ContentType, Persona, PersonaType, Transaction, User
from app.services.seeding import SeedReport, load_catalog, seed_users
from app.services.synthetic import SeedSpec
from tests.utils.database import TEST_DATABASE_URL, run_in_session
from tests.utils.synthetic import flatten, personas_by_user, rows_digest

# Each test seeds users through the CLI: seconds, not milliseconds.
pytestmark = pytest.mark.slow

Row = dict[str, Any]
USERS = 25
SEED_ARGS = ["seed", "--users", str(USERS), "--seed", "5", "--as-of", "2026-06-30"]
SPEC = SeedSpec(users=USERS, seed=5, as_of=date(2026, 6, 30))
TABLES: dict[str, Table] = {
    "users": User.__table__,  # type: ignore[attr-defined]
    "accounts": Account.__table__,  # type: ignore[attr-defined]
    "transactions": Transaction.__table__,  # type: ignore[attr-defined]
}


def read_table(table: Table) -> list[Row]:
    async def work(session: AsyncSession) -> list[Row]:
        result = await session.execute(select(table))
        return [dict(row) for row in result.mappings()]

    return run_in_session(work)


def count(table: Any) -> int:
    async def work(session: AsyncSession) -> int:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())

    return run_in_session(work)


def stored() -> tuple[list[Row], list[Row], list[Row]]:
    return (
        read_table(TABLES["users"]),
        read_table(TABLES["accounts"]),
        read_table(TABLES["transactions"]),
    )


def seed(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main([*SEED_ARGS, *extra]) == 0
    return capsys.readouterr().out


def test_seed_writes_the_generated_rows_and_manifest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    manifest_path = tmp_path / "manifest.json"
    out = seed(capsys, "--manifest", str(manifest_path))

    users, accounts, transactions = stored()
    expected = flatten(SPEC)
    assert rows_digest(users, accounts, transactions) == rows_digest(*expected[:3])
    manifest = json.loads(manifest_path.read_text())
    assert manifest == expected[3]
    assert set(manifest) == {u["id"] for u in users}
    assert Counter(manifest.values()) == {p: USERS // 5 for p in set(manifest.values())}
    assert len(set(manifest.values())) == 5
    # The planted pattern is never written as a persona.
    assert count(Persona) == 0

    # The summary: per planted pattern, then the rate.
    for pattern in manifest.values():
        assert pattern in out
    assert f"created {USERS} users" in out
    assert "tx/s" in out


def test_the_stored_rows_are_the_planted_personas(capsys: pytest.CaptureFixture[str]) -> None:
    seed(capsys)
    users, accounts, transactions = stored()
    planted = flatten(SPEC)[3]
    assert personas_by_user(users, accounts, transactions, SPEC.as_of, "180d") == planted


def _opening_balances(accounts: list[Row], transactions: list[Row]) -> dict[str, int]:
    """Each account's balance before its first row: the balance less its rows."""
    moved: dict[str, int] = defaultdict(int)
    for t in transactions:
        moved[t["account_id"]] += t["amount"]
    return {
        a["id"]: a["balance"] + (1 if a["type"] == "depository" else -1) * moved[a["id"]]
        for a in accounts
    }


def test_as_of_today_dates_nothing_after_the_moment_of_seeding(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["seed", "--users", "15", "--seed", "3"]
    assert main(args) == 0  # default --as-of: today (UTC)
    moment = datetime.now(UTC)
    users, accounts, transactions = stored()
    midnight = datetime.combine(moment.date(), time.min, tzinfo=UTC)
    # Today's data set stops at 00:00 UTC today.
    assert max(t["date"] for t in transactions) < midnight
    assert max(u["created_at"] for u in users) < midnight
    # The balances are those of the rows kept: the same opening balances as
    # the whole generated day, whose later rows were left out.
    whole = flatten(SeedSpec(users=15, seed=3, as_of=moment.date()))
    assert len(whole[2]) > len(transactions)
    assert _opening_balances(accounts, transactions) == _opening_balances(whole[1], whole[2])
    # Later the same day it is the same rows: a re-run creates nothing.
    before = rows_digest(users, accounts, transactions)
    capsys.readouterr()
    assert main([*args, "--as-of", moment.date().isoformat()]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "created 0 users, 0 accounts, 0 transactions" in out
    assert rows_digest(*stored()) == before


def test_a_future_as_of_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    with pytest.raises(SystemExit) as exc:
        main(["seed", "--users", "5", "--as-of", tomorrow])
    assert exc.value.code == 2
    assert "is in the future" in capsys.readouterr().err
    assert count(User) == 0


def summary_line(out: str) -> str:
    lines = [line for line in out.splitlines() if line.startswith("created ")]
    assert len(lines) == 1, out
    return lines[0]


def test_rerun_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    first = summary_line(seed(capsys))
    before = rows_digest(*stored())
    out = seed(capsys)
    assert rows_digest(*stored()) == before
    # One line (captured output is no terminal: no wrap at 80 columns) that
    # says nothing was created, counts the skipped rows, and a rate of 0.
    line = summary_line(out)
    users, accounts, transactions = (len(rows) for rows in stored())
    assert line.startswith("created 0 users, 0 accounts, 0 transactions ")
    assert f"({users + accounts + transactions} rows already there, skipped)" in line
    assert line.endswith(" = 0 tx/s")
    assert len(first) > 80 or len(line) > 80  # long enough to have wrapped before


def test_the_rate_counts_transactions_created_not_generated() -> None:
    report = SeedReport(transactions_created=1_000, seconds=2.0)
    report.per_pattern[PersonaType("balanced")].transactions = 5_000  # generated
    assert report.rate == 500.0
    assert SeedReport(seconds=2.0).rate == 0.0


def test_the_summary_counts_what_was_created(capsys: pytest.CaptureFixture[str]) -> None:
    line = summary_line(seed(capsys))
    users, accounts, transactions = (len(rows) for rows in stored())
    assert line.startswith(
        f"created {users} users, {accounts} accounts, {transactions} transactions in "
    )
    assert "skipped" not in line
    assert line.endswith(" tx/s")


def test_reset_empties_the_tables_and_reloads_the_catalog(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["seed", "--users", "5", "--seed", "9", "--as-of", "2026-06-30"]) == 0
    run_in_session(_add_custom_content)
    seed(capsys, "--reset")
    users, accounts, transactions = stored()
    assert rows_digest(users, accounts, transactions) == rows_digest(*flatten(SPEC)[:3])
    catalog_ids = {item.id for item in load_catalog()}
    assert {row["id"] for row in read_table(Content.__table__)} == catalog_ids  # type: ignore[attr-defined]


async def _add_custom_content(session: AsyncSession) -> None:
    session.add(Content(id="cnt_custom", type=ContentType("article"), title="Mine"))
    await session.commit()


def test_if_empty_leaves_a_populated_database_alone_content_included(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = seed(capsys, "--if-empty")  # empty: seeds
    assert f"created {USERS} users" in out
    run_in_session(_delete_content)
    assert count(Content) == 0

    code = main(["seed", "--users", "50", "--seed", "42", "--if-empty"])
    assert code == 0
    assert "nothing seeded" in capsys.readouterr().out
    assert count(User) == USERS
    assert count(Content) == 0  # the deleted catalog items stay deleted


async def _delete_content(session: AsyncSession) -> None:
    await session.execute(delete(Content))
    await session.commit()


def test_a_run_interrupted_mid_way_is_repaired_by_running_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    class Crash(Exception):
        pass

    def crash_after_ten(generated: Any) -> None:
        if generated.user["id"].endswith("_00010"):
            raise Crash

    async def interrupted() -> None:
        engine = make_engine(TEST_DATABASE_URL)
        try:
            await seed_users(engine, SPEC, on_user=crash_after_ten, batch_transactions=1_000)
        finally:
            await engine.dispose()

    with pytest.raises(Crash):
        asyncio.run(interrupted())
    written = count(User)
    assert 0 < written < USERS  # whole batches were committed
    seed(capsys)
    assert rows_digest(*stored()) == rows_digest(*flatten(SPEC)[:3])


def test_the_catalog_covers_every_persona() -> None:
    catalog = load_catalog()
    assert len(catalog) >= 20
    assert len({item.id for item in catalog}) == len(catalog)
    assert {item.type.value for item in catalog} == {"article", "video", "tool"}
    personas = {tag.value for item in catalog for tag in item.persona_tags}
    assert personas == {
        "high_utilization",
        "variable_income",
        "subscription_heavy",
        "savings_builder",
        "balanced",
    }
    assert all(item.signal_tags for item in catalog)


@pytest.mark.parametrize(
    "args",
    [
        ["seed", "--users", "5", "--as-of", "2026-02-30"],
        ["seed", "--users", "5", "--months", "2"],
        ["seed", "--users", "5", "--reset", "--if-empty"],
        ["seed", "--users", "-1"],
    ],
)
def test_bad_arguments_exit_with_usage_error(args: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert count(User) == 0
