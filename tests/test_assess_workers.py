"""`spendsense assess --workers N` and `--changed-only`, through the CLI and
the database the suite runs on (SQLite or PostgreSQL): N processes store
the same personas as one; a changed-only run re-assesses exactly the users
whose transactions changed since their last assessment (and those never
assessed)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.cli import main
from app.models import Account, Persona, User
from app.services.insights.user_ranges import UserRange, split
from tests.utils.database import count_rows, run_in_session

pytestmark = pytest.mark.slow  # seeds users through the CLI

AS_OF = "2026-06-30"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def stored_personas() -> list[tuple[Any, ...]]:
    """Every computed persona, as what it says (not when it was written)."""

    async def work(session: AsyncSession) -> list[tuple[Any, ...]]:
        rows = (await session.exec(select(Persona))).all()
        return sorted(
            (
                p.user_id,
                p.window,
                p.persona_type,
                p.confidence,
                p.reasons,
                p.also_matched,
                str(p.signals),
                p.as_of,
            )  # fmt: skip
            for p in rows
        )

    return run_in_session(work)


def forget_personas() -> None:
    async def work(session: AsyncSession) -> None:
        await session.exec(delete(Persona))
        await session.commit()

    run_in_session(work)


def consent_of_users() -> dict[str, bool]:
    async def work(session: AsyncSession) -> dict[str, bool]:
        return dict((await session.exec(select(col(User.id), col(User.consent)))).all())

    return run_in_session(work)


def an_account_of(user_id: str) -> str:
    async def work(session: AsyncSession) -> str:
        stmt = select(col(Account.id)).where(col(Account.user_id) == user_id)
        return (await session.exec(stmt)).first() or ""

    return run_in_session(work)


def test_two_workers_store_the_personas_of_one(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "seed", "--users", "30", "--seed", "8", "--as-of", AS_OF)
    consenting = sum(consent_of_users().values())
    out = run(capsys, "assess", "--as-of", AS_OF)
    assert f"assessed {consenting} users" in out
    one = stored_personas()
    assert len(one) == 2 * consenting
    forget_personas()
    out = run(capsys, "assess", "--as-of", AS_OF, "--workers", "2", "--streams")
    assert f"assessed {consenting} users ({2 * consenting} persona rows)" in out
    assert f"skipped {30 - consenting} without consent" in out
    assert stored_personas() == one
    forget_personas()
    # More workers than some ranges can fill, and named users only.
    named = sorted(u for u, ok in consent_of_users().items() if ok)[:3]
    args = [arg for user in named for arg in ("--user", user)]
    out = run(capsys, "assess", "--as-of", AS_OF, "--workers", "5", *args)
    assert "assessed 3 users (6 persona rows)" in out
    assert stored_personas() == [p for p in one if p[0] in named]


def test_changed_only_reassesses_the_users_whose_data_changed(
    capsys: pytest.CaptureFixture[str], client: TestClient
) -> None:
    run(capsys, "seed", "--users", "12", "--seed", "3", "--as-of", AS_OF)
    consent = consent_of_users()
    consenting = sorted(u for u, ok in consent.items() if ok)
    refused = sorted(u for u, ok in consent.items() if not ok)
    assert refused  # seed 3 leaves someone without consent
    # Never assessed: everyone with consent is changed.
    out = run(capsys, "assess", "--as-of", AS_OF, "--changed-only")
    assert f"assessed {len(consenting)} users" in out
    out = run(capsys, "assess", "--as-of", AS_OF, "--changed-only", "--workers", "2")
    assert "assessed 0 users (0 persona rows)" in out
    assert f"skipped {len(refused)} without consent" in out

    # A write to one user's transactions; consent given by another.
    changed = consenting[0]
    body = {"transactions": [{"id": "t_new", "account_id": an_account_of(changed),
                              "date": "2026-06-29", "amount": 1200, "category": "FOOD_AND_DRINK",
                              "merchant_name": "Cafe"}]}  # fmt: skip
    assert client.post("/api/v1/transactions/bulk", json=body).status_code == 200
    newcomer = refused[0]
    response = client.put(f"/api/v1/users/{newcomer}/consent", json={"consent": True})
    assert response.status_code == 200
    before = {user: count_rows(Persona, user_id=user) for user in consent}
    out = run(capsys, "assess", "--as-of", AS_OF, "--changed-only", "--workers", "2")
    assert "assessed 2 users (4 persona rows)" in out
    after = {user: count_rows(Persona, user_id=user) for user in consent}
    assert {u for u in consent if after[u] != before[u]} == {changed, newcomer}
    assert after[changed] == before[changed] + 2
    # Nothing changed since.
    out = run(capsys, "assess", "--as-of", AS_OF, "--changed-only")
    assert "assessed 0 users (0 persona rows)" in out
    # The assess route counts as an assessment too: after a write, it
    # leaves nothing for the next changed-only run.
    body["transactions"][0]["id"] = "t_newer"
    assert client.post("/api/v1/transactions/bulk", json=body).status_code == 200
    response = client.post(f"/api/v1/users/{changed}/personas/assess", json={"as_of": AS_OF})
    assert response.status_code == 201
    out = run(capsys, "assess", "--as-of", AS_OF, "--changed-only")
    assert "assessed 0 users (0 persona rows)" in out


def test_split_covers_every_user_once(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "seed", "--users", "10", "--seed", "2", "--as-of", AS_OF)
    users = sorted(consent_of_users())

    def inside(span: UserRange, user: str) -> bool:
        return (span.after is None or user > span.after) and (
            span.upto is None or user <= span.upto
        )

    async def ranges(session: AsyncSession, parts: int, ids: list[str] | None) -> Any:
        return await split(session, parts, ids)

    for parts, ids in [(1, None), (3, None), (4, users[:5]), (20, None)]:
        spans = run_in_session(lambda s, p=parts, i=ids: ranges(s, p, i))  # type: ignore[misc]
        assert len(spans) == min(parts, len(ids or users))
        for user in ids or users:
            assert sum(inside(span, user) for span in spans) == 1, (parts, user, spans)
