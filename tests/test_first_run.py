"""The first ten minutes: a newcomer's `make run` on a fresh database serves
recommendations out of the box. The first migration loads the built-in
content catalog into an empty content table (revision 0006), once per
database, whoever migrates at the same time; items an operator deletes never
come back; SPENDSENSE_LOAD_CATALOG=false loads nothing; and a response
without items says why (`note`)."""

import asyncio
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import get_settings
from app.db import alembic_config, head_revision, init_db
from app.models import Content
from app.models.recommendation import EMPTY_CATALOG_NOTE, NO_MATCH_NOTE
from app.services.seeding import load_catalog, load_content_catalog
from tests.utils.database import execute, run_in_session
from tests.utils.factories import API
from tests.utils.server import ROOT, newcomer_env, spendsense, uvicorn


def catalog_ids() -> set[str]:
    ids = set()
    for item in load_catalog():
        assert item.id is not None, item  # every catalogue item names its id
        ids.add(item.id)
    return ids


CATALOG_IDS = catalog_ids()


def content_ids(url: str) -> set[str]:
    async def work(session: AsyncSession) -> set[str]:
        return set((await session.execute(select(col(Content.id)))).scalars())

    return run_in_session(work, url)


def content_count(url: str) -> int:
    async def work(session: AsyncSession) -> int:
        return int((await session.execute(select(func.count()).select_from(Content))).scalar_one())

    return run_in_session(work, url)


def test_a_fresh_service_recommends_out_of_the_box(scratch_database_url: str) -> None:
    """As the README's quick start and API walk-through: `make run` (migrate,
    then uvicorn), a user with consent, a checking account and a card carried
    at 61 % of its limit, a few transactions: the recommendations are there."""
    env = newcomer_env(scratch_database_url)
    migrated = spendsense(env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stderr == ""  # no Alembic INFO lines without -v
    with uvicorn(env) as base, httpx.Client(base_url=base, timeout=30) as http:
        assert http.get("/").json()["api"] == "/api/v1"
        assert http.get(API).status_code == 200
        user = {"id": "usr_ana", "name": "Ana Díaz", "email": "ana@example.com"}
        assert http.post(f"{API}/users", json=user).status_code == 201
        consent = http.put(f"{API}/users/usr_ana/consent", json={"consent": True})
        assert consent.status_code == 200
        checking = {"id": "acc_chk", "type": "depository", "subtype": "checking",
                    "name": "Everyday", "mask": "0042", "balance": 254000}  # fmt: skip
        card = {"id": "acc_card", "type": "credit", "subtype": "credit_card", "name": "Visa",
                "mask": "9911", "balance": 182000, "limit": 300000, "apr": 24.99,
                "min_payment": 3500}  # fmt: skip
        for account in (checking, card):
            assert http.post(f"{API}/users/usr_ana/accounts", json=account).status_code == 201
        rows = [
            {"id": "t1", "account_id": "acc_chk", "date": "2026-03-01", "amount": -250000,
             "category": "INCOME", "merchant_name": "Acme Payroll"},
            {"id": "t2", "account_id": "acc_card", "date": "2026-03-02T19:30:00-05:00",
             "amount": 4599, "category": "FOOD_AND_DRINK", "merchant_name": "Blue Bottle"},
        ]  # fmt: skip
        loaded = http.post(f"{API}/transactions/bulk", json={"transactions": rows})
        assert loaded.json() == {"created": 2, "skipped": 0}
        response = http.get(f"{API}/users/usr_ana/recommendations")
    assert response.status_code == 200
    body = response.json()
    assert body["persona"]["persona_type"] == "high_utilization"
    assert len(body["items"]) == 5
    assert {item["id"] for item in body["items"]} <= CATALOG_IDS
    assert body["note"] is None


def test_replicas_migrating_at_once_load_the_catalog_once(scratch_database_url: str) -> None:
    """Four `spendsense migrate` started together (replicas, or workers of a
    deployment that migrates at start): all succeed, the catalog is there
    once."""
    env = newcomer_env(scratch_database_url, SQLITE_BUSY_TIMEOUT_MS="60000")
    migrators = [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", "migrate"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [m.communicate(timeout=180) for m in migrators]
    assert [m.returncode for m in migrators] == [0] * 4, outputs
    assert content_count(scratch_database_url) == len(CATALOG_IDS)
    assert content_ids(scratch_database_url) == CATALOG_IDS


@pytest.fixture
def catalog_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """SPENDSENSE_LOAD_CATALOG as a deployment leaves it: unset, true."""
    monkeypatch.delenv("SPENDSENSE_LOAD_CATALOG")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_deleted_items_never_come_back(scratch_database_url: str, catalog_on: None) -> None:
    """The revision that loads the catalog runs once per database: deleting
    some items, or all, is not undone by the next start's migration."""
    init_db(scratch_database_url)
    assert content_ids(scratch_database_url) == CATALOG_IDS
    gone = sorted(CATALOG_IDS)[:3]
    quoted = ", ".join(f"'{ident}'" for ident in gone)
    asyncio.run(execute(scratch_database_url, f"DELETE FROM content WHERE id IN ({quoted})"))
    init_db(scratch_database_url)
    assert content_ids(scratch_database_url) == CATALOG_IDS - set(gone)
    asyncio.run(execute(scratch_database_url, "DELETE FROM content"))
    assert spendsense(newcomer_env(scratch_database_url), "migrate").returncode == 0
    assert content_count(scratch_database_url) == 0


def test_an_upgrade_fills_an_empty_catalog_only(
    scratch_database_url: str, catalog_on: None
) -> None:
    """A database made before revision 0006 gets the catalog at the upgrade
    when its content table is empty; one with content of its own keeps it."""
    config = alembic_config(scratch_database_url)
    command.upgrade(config, "0005")
    asyncio.run(
        execute(
            scratch_database_url,
            "INSERT INTO content (id, type, title, summary, body, persona_tags, signal_tags,"
            " source, created_at) VALUES ('cnt_mine', 'article', 'Mine', '', '', '[]', '[]',"
            " 'human', '2026-01-01 00:00:00')",
        )
    )
    command.upgrade(config, "head")
    assert content_ids(scratch_database_url) == {"cnt_mine"}
    # The same upgrade on an empty table loads it.
    command.downgrade(config, "0005")
    asyncio.run(execute(scratch_database_url, "DELETE FROM content"))
    command.upgrade(config, "head")
    assert content_ids(scratch_database_url) == CATALOG_IDS


def test_load_catalog_false_loads_nothing(scratch_database_url: str) -> None:
    env = newcomer_env(scratch_database_url, SPENDSENSE_LOAD_CATALOG="false")
    assert spendsense(env, "migrate").returncode == 0
    assert content_count(scratch_database_url) == 0
    assert run_in_session(lambda s: _revision(s), scratch_database_url) == head_revision()


async def _revision(session: AsyncSession) -> str:
    return str((await session.execute(text("SELECT version_num FROM alembic_version"))).scalar())


# --- the note of an empty list -------------------------------------------------------


def test_an_empty_catalog_is_noted(client: TestClient, ana: str) -> None:
    body = client.get(f"{API}/users/{ana}/recommendations").json()
    assert body["items"] == []
    assert body["note"] == EMPTY_CATALOG_NOTE


def test_no_matching_item_is_noted(client: TestClient, ana: str) -> None:
    item = {"id": "only_savings", "type": "article", "title": "Save",
            "persona_tags": ["savings_builder"], "signal_tags": ["savings_growth"]}  # fmt: skip
    assert client.post(f"{API}/content", json=item).status_code == 201
    body = client.get(f"{API}/users/{ana}/recommendations").json()
    assert body["items"] == []
    assert body["note"] == NO_MATCH_NOTE


def test_items_have_no_note(client: TestClient, ana: str) -> None:
    run_in_session(load_content_catalog)
    body = client.get(f"{API}/users/{ana}/recommendations").json()
    assert body["items"]
    assert body["note"] is None
