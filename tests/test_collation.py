"""Ids compare bytewise on both databases, as Python's sorted() and a client
comparing strings do, whatever the PostgreSQL database's default collation:
the id columns are COLLATE "C" there (migration 0005,
app.models.types.IdColumn).

The suite's PostgreSQL cluster uses C.UTF-8, which already compares bytewise,
so these tests make a database of their own whose default collation is ICU
en-US (PostgreSQL 15+), linguistic as en_US.UTF-8 is: case and punctuation
count only at a later level, so "a_c" < "a-b" < "A1" < "aa" < "ab" there,
where bytewise "A1" < "a-b" < "a_c" < "aa" < "ab". On SQLite the same tests
run on a fresh file (BINARY: bytewise)."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from app import db
from app.config import get_settings
from app.main import app
from tests.utils.database import (
    ON_POSTGRES,
    create_postgres_database,
    drop_postgres_database,
    run_in_session,
    scratch_url,
)
from tests.utils.factories import API, CARD, bulk, create_account, create_user
from tests.utils.scenarios import txn

# In none of the orders, bytewise or linguistic.
IDS = ["ab", "a_c", "A1", "aa", "a-b"]
AT = "2026-06-20T12:00:00Z"


def _icu_available() -> bool:
    async def probe(session: AsyncSession) -> bool:
        result = await session.execute(
            text(
                "SELECT current_setting('server_version_num')::int >= 150000"
                " AND EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i')"
            )
        )
        return bool(result.scalar_one())

    return run_in_session(probe)


def _default_order(url: str, values: list[str]) -> list[str]:
    """`values` in the database's default collation (ORDER BY on text)."""

    async def order(session: AsyncSession) -> list[str]:
        rows = await session.execute(
            text(
                "SELECT v FROM (VALUES "
                + ", ".join(f"('{v}')" for v in values)
                + ") t(v) ORDER BY v"
            )
        )
        return [row[0] for row in rows]

    return run_in_session(order, url)


@pytest.fixture
def linguistic_url() -> Iterator[str]:
    """A brand-new database, migrated to head; on PostgreSQL its default
    collation is ICU en-US."""
    url = scratch_url()
    if ON_POSTGRES:
        # Debian's PostgreSQL (15 on bookworm, what tests/postgres.sh installs) has ICU.
        assert _icu_available(), "needs PostgreSQL 15+ with ICU (CREATE DATABASE ... ICU_LOCALE)"
        create_postgres_database(url, icu_locale="en-US")
        # The premise: text in this database does not sort bytewise.
        assert _default_order(url, IDS) == ["a_c", "a-b", "A1", "aa", "ab"]
    db.init_db(url)
    yield url
    if ON_POSTGRES:
        drop_postgres_database(url)


@pytest.fixture
def linguistic_client(linguistic_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app serving the linguistic database."""
    monkeypatch.setenv("DATABASE_URL", linguistic_url)
    get_settings.cache_clear()
    with TestClient(app) as client:
        yield client
    get_settings.cache_clear()


def _all_pages(client: TestClient, path: str, **params: Any) -> list[str]:
    """The ids of every item of a list, in pages of two (following the
    cursors: each page continues after the last id of the one before), after
    checking that one big page gives the same order."""
    one_page = client.get(path, params={**params, "limit": 100})
    assert one_page.status_code == 200, one_page.text
    ids: list[str] = []
    cursor = None
    while True:
        page = client.get(
            path, params={**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        )
        assert page.status_code == 200, page.text
        ids += [item["id"] for item in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert ids == [item["id"] for item in one_page.json()["items"]]
    return ids


def test_lists_ordered_by_id_come_out_in_python_order(
    linguistic_client: TestClient, linguistic_url: str
) -> None:
    client = linguistic_client
    create_user(client, id="u1")
    for ident in IDS:
        create_account(client, "u1", id=ident)
    # A user's accounts, by id.
    assert _all_pages(client, f"{API}/users/u1/accounts") == sorted(IDS)

    # Transactions at one instant: newest first, then by id, descending.
    bulk(client, [txn(f"t{ident}", "ab", AT, 100, "FOOD_AND_DRINK") for ident in IDS])
    newest_first = sorted((f"t{ident}" for ident in IDS), reverse=True)
    assert _all_pages(client, f"{API}/accounts/ab/transactions") == newest_first
    assert _all_pages(client, f"{API}/transactions", account_id="ab") == newest_first
    assert _all_pages(client, f"{API}/transactions", user_id="u1") == newest_first

    # The catalogue, newest first: items created at one instant, by id descending.
    for ident in IDS:
        body = {"id": ident, "type": "article", "title": f"About {ident}"}
        assert client.post(f"{API}/content", json=body).status_code == 201

    async def same_instant(session: AsyncSession) -> None:
        await session.execute(
            text("UPDATE content SET created_at = (SELECT min(created_at) FROM content)")
        )
        await session.commit()

    run_in_session(same_instant, linguistic_url)
    assert _all_pages(client, f"{API}/content") == sorted(IDS, reverse=True)


def test_the_most_recent_of_two_payments_at_one_instant_is_the_later_id(
    linguistic_client: TestClient,
) -> None:
    # Bytewise "T2" < "t1": the 25.00 payment is the most recent, so the card
    # is paid at its minimum (en_US would take the 500.00 one).
    client = linguistic_client
    create_user(client, id="u1", consent=True)
    create_account(client, "u1", id="visa", **{**CARD, "min_payment": 2_500})
    bulk(
        client,
        [
            txn("T2", "visa", AT, -50_000, "LOAN_PAYMENTS"),
            txn("t1", "visa", AT, -2_500, "LOAN_PAYMENTS"),
        ],
    )
    response = client.get(f"{API}/users/u1/signals", params={"as_of": "2026-06-30"})
    assert response.status_code == 200, response.text
    (card,) = response.json()["credit"]["cards"]
    assert (card["last_payment"], card["minimum_payment_only"]) == (2_500, True)
