"""Stored streams (stream_store): an assessment stores each user's streams,
GET /recurring serves the copy while it stands for a detection at the date
asked, every write of transactions clears it, and a write racing an
assessment leaves no stale copy."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import StreamSnapshot
from app.services.insights import stream_store
from app.services.insights.stream_store import Snapshot
from tests.api.test_recurring import AS_OF, NETFLIX, make_user, recurring
from tests.utils.database import run_in_session
from tests.utils.factories import API, bulk
from tests.utils.scenarios import txn


def assess(client: TestClient, user: str, as_of: str = AS_OF) -> None:
    response = client.post(f"{API}/users/{user}/personas/assess", json={"as_of": as_of})
    assert response.status_code == 201, response.text


def snapshot(user: str) -> tuple[int, str | None, str | None]:
    """(data_version, as_of, streams) of the user's stored row."""

    async def work(session: AsyncSession) -> tuple[int, str | None, str | None]:
        row = (
            await session.execute(
                text(
                    "SELECT data_version, as_of, streams FROM stream_snapshots WHERE user_id = :u"
                ),
                {"u": user},
            )
        ).one()
        as_of = None if row[1] is None else str(row[1])
        return int(row[0]), as_of, row[2]

    return run_in_session(work)


def tamper(user: str, merchant: str = "Netflix") -> None:
    """Rename a merchant in the user's stored copy: what GET shows then says
    where it read."""

    async def work(session: AsyncSession) -> None:
        await session.execute(
            text(
                "UPDATE stream_snapshots SET streams = replace(streams, :name, 'Stored') "
                "WHERE user_id = :user"
            ),
            {"name": merchant, "user": user},
        )
        await session.commit()

    run_in_session(work)


def names(body: dict[str, Any]) -> list[str]:
    return [s["merchant_name"] for s in [*body["inflow_streams"], *body["outflow_streams"]]]


def test_assessing_stores_the_streams_and_get_serves_them(client: TestClient) -> None:
    user = make_user(client)
    cold = recurring(client, user, as_of=AS_OF, include_inactive=True)
    assess(client, user)
    version, as_of, streams = snapshot(user)
    assert (version, as_of) == (0, AS_OF)
    assert streams is not None and NETFLIX in streams
    # The copy gives what detection gives ...
    assert recurring(client, user, as_of=AS_OF, include_inactive=True) == cold
    # ... and it is what GET reads.
    tamper(user)
    assert "Stored" in names(recurring(client, user, as_of=AS_OF))


def test_a_later_date_uses_the_copy_until_a_new_row_is_dated_in_between(
    client: TestClient,
) -> None:
    user = make_user(client)
    cold = recurring(client, user, as_of=AS_OF, include_inactive=True)
    assess(client, user, "2026-06-20")
    # Nothing settled after June 20th (the pending row does not count): the
    # copy serves June 30th, with the statuses of June 30th (the gym's
    # tombstone, pay's next date now late).
    assert recurring(client, user, as_of=AS_OF, include_inactive=True) == cold
    tamper(user)
    assert "Stored" in names(recurring(client, user, as_of=AS_OF))
    # An earlier date: detected from the rows.
    assert "Stored" not in names(recurring(client, user, as_of="2026-06-19"))


def test_the_copy_is_used_for_a_later_date_only_without_newer_rows(client: TestClient) -> None:
    user = make_user(client)
    assess(client, user, "2026-06-10")
    tamper(user)
    # Netflix charged on June 10th, pay on June 15th: after the copy's date.
    body = recurring(client, user, as_of=AS_OF)
    assert "Stored" not in names(body)
    assert "Stored" in names(recurring(client, user, as_of="2026-06-14"))


WRITES = [
    ("POST", "/accounts/card/transactions",
     {"date": "2026-06-11T10:00:00Z", "amount": 1, "category": "X"}),
    ("PATCH", "/transactions/nf6", {"amount": 2_300}),
    ("DELETE", "/transactions/nf6", None),
    ("POST", "/transactions/bulk",
     {"transactions": [txn("b1", "card", "2026-06-11T10:00:00Z", 5, "X")]}),
    ("DELETE", "/accounts/card", None),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_every_write_of_transactions_clears_the_copy(
    client: TestClient, method: str, path: str, body: Any
) -> None:
    user = make_user(client)
    assess(client, user)
    tamper(user)
    response = client.request(method, f"{API}{path}", json=body)
    assert response.status_code in (200, 201, 204), response.text
    version, as_of, streams = snapshot(user)
    assert (version, as_of, streams) == (1, None, None)
    assert "Stored" not in names(recurring(client, user, as_of=AS_OF))


def test_writes_that_change_nothing_keep_the_copy(client: TestClient) -> None:
    user = make_user(client)
    assess(client, user)
    # A bulk load whose rows are all there already creates nothing.
    bulk(client, [txn("nf6", "card", "2026-06-10T03:00:00Z", 2_299, "ENTERTAINMENT")])
    assert snapshot(user)[0] == 0
    # Another user's write leaves this user's copy alone.
    make_user_two(client)
    assert snapshot(user)[0] == 0


def make_user_two(client: TestClient) -> None:
    client.post(f"{API}/users", json={"id": "bo", "name": "Bo", "email": "bo@example.com"})
    client.post(
        f"{API}/users/bo/accounts",
        json={"id": "bo_chk", "type": "depository", "subtype": "checking", "name": "C",
              "mask": "0001", "balance": 0},
    )  # fmt: skip
    bulk(client, [txn("bo1", "bo_chk", "2026-06-11T10:00:00Z", 5, "X")])


def test_a_write_during_an_assessment_leaves_no_copy(client: TestClient) -> None:
    """The assessment read version 0; a write bumps it before the store."""
    user = make_user(client)

    async def work(session: AsyncSession) -> tuple[int, str | None]:
        await stream_store.claim(session, [user])
        versions = await stream_store.read_versions(session, [user])
        await stream_store.transactions_changed(session, accounts=["chk"])
        await session.commit()
        stale = Snapshot(user, versions[user], date(2026, 6, 30), [])
        await stream_store.store(session, [stale])
        await session.commit()
        fresh = Snapshot(user, versions[user] + 1, date(2026, 6, 30), [])
        stored = await session.get(StreamSnapshot, user)
        assert stored is not None and stored.streams is None
        await stream_store.store(session, [fresh])
        await session.commit()
        await session.refresh(stored)
        return stored.data_version, stored.streams

    assert run_in_session(work) == (1, "[]")


def test_the_assess_command_stores_every_consenting_users_streams(client: TestClient) -> None:
    from app.cli.main import main

    user = make_user(client)
    make_user_two(client)  # no consent: skipped, nothing stored
    cold = recurring(client, user, as_of=AS_OF, include_inactive=True)
    assert main(["assess", "--as-of", AS_OF]) == 0  # personas only
    assert snapshot(user) == (0, None, None)  # the version they came from, no copy
    assert main(["assess", "--as-of", AS_OF, "--streams"]) == 0
    assert snapshot(user)[1] == AS_OF
    assert recurring(client, user, as_of=AS_OF, include_inactive=True) == cold

    async def work(session: AsyncSession) -> int:
        result = await session.execute(text("SELECT count(*) FROM stream_snapshots"))
        return int(result.scalar_one())

    assert run_in_session(work) == 1


def test_choices_apply_to_the_copy(client: TestClient) -> None:
    user = make_user(client)
    assess(client, user)
    path = f"{API}/users/{user}/recurring/{NETFLIX}"
    response = client.patch(path, params={"as_of": AS_OF}, json={"user_status": "dismissed"})
    assert response.status_code == 200
    assert snapshot(user)[1] == AS_OF  # a choice is no write of transactions
    body = recurring(client, user, as_of=AS_OF)
    assert {s["stream_id"]: s["user_status"] for s in body["outflow_streams"]}[NETFLIX] == (
        "dismissed"
    )


def test_the_copy_moves_its_statuses_to_the_date_asked(client: TestClient) -> None:
    """A gym charged on the 20th of January to March: due April 20th, and
    tombstoned once more than 30.44 / 2 + 5 days late (May 11th)."""
    client.post(f"{API}/users", json={"id": "gus", "name": "Gus", "email": "gus@example.com",
                                      "consent": True})  # fmt: skip
    client.post(
        f"{API}/users/gus/accounts",
        json={"id": "gus_chk", "type": "depository", "subtype": "checking", "name": "C",
              "mask": "0001", "balance": 0},
    )  # fmt: skip
    bulk(client, [txn(f"g{m}", "gus_chk", f"2026-0{m}-20T10:00:00Z", 4_000, "PERSONAL_CARE",
                      merchant_name="Gym") for m in (1, 2, 3)])  # fmt: skip
    assess(client, "gus", "2026-04-25")
    tamper("gus", "Gym")
    (gym,) = recurring(client, "gus", as_of="2026-05-10")["outflow_streams"]
    assert (gym["merchant_name"], gym["status"]) == ("Stored", "early_detection")
    assert recurring(client, "gus", as_of="2026-05-11")["outflow_streams"] == []
    (gym,) = recurring(client, "gus", as_of="2026-05-11", include_inactive=True)["outflow_streams"]
    assert (gym["status"], gym["is_active"]) == ("tombstoned", False)


def test_one_read_serves_the_signals_and_the_streams_of_a_batch(client: TestClient) -> None:
    """read_users_and_history gives what read_users and read_stream_rows give."""
    from app.services.insights.reader import read_users, read_users_and_history
    from app.services.insights.recurring import read_stream_rows

    users = [make_user(client), "gus"]
    client.post(f"{API}/users", json={"id": "gus", "name": "G", "email": "g@example.com"})
    for as_of in (date(2026, 6, 30), date(2026, 5, 15), date(2027, 3, 1)):

        async def work(session: AsyncSession) -> None:
            by_user, history = await read_users_and_history(session, users, as_of)  # noqa: B023
            assert by_user == await read_users(session, users, as_of)  # noqa: B023
            for user in users:
                alone = await read_stream_rows(session, user, as_of)  # noqa: B023
                # The batch's rows carry category_detailed after StreamTxn's columns.
                assert sorted(row[:8] for row in history.get(user, [])) == sorted(alone)

        run_in_session(work)


def test_imports_that_change_transactions_clear_the_copy(client: TestClient) -> None:
    """Plaid pages: the second one changes rows; a dry run and a page applied
    again change nothing."""
    from tests.utils.factories import create_user
    from tests.utils.imports import plaid, statement

    create_user(client, id="u1", email="u1@example.com", consent=True)

    def sync(page: str, status: int, **params: Any) -> None:
        body = statement(f"plaid/{page}.json")
        response = plaid(client, "u1", "transactions-sync", body, **params)
        assert response.status_code == status, response.text

    sync("sync_page_1", 201)
    assess(client, "u1")
    assert snapshot("u1")[:2] == (0, AS_OF)
    sync("sync_page_1", 200)  # the same page again: nothing changes
    sync("sync_page_2", 200, dry_run="true")
    assert snapshot("u1")[:2] == (0, AS_OF)
    sync("sync_page_2", 201)
    assert snapshot("u1") == (1, None, None)
