"""A statement import and a bulk load pause Python's automatic garbage
collector (app.services.collector.collector_paused): overlapping imports share the
pause, the last one to end resumes it, also after a failure, and a
collector someone else turned off stays off."""

import gc
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.services.collector import collector_paused
from tests.utils.factories import API, bulk, create_user, item, make_account
from tests.utils.imports import upload


def test_paused_inside_and_resumed_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_pauses_resume_when_the_last_ends() -> None:
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second import still runs
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_failing_import_resumes_it_too() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("refused")
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_import_parses_and_writes_with_the_collector_paused(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.imports import store
    from app.services.imports.ofx import parse_ofx

    seen: list[bool] = []
    parse, write = parse_ofx, store._write_statement

    def parse_spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return parse(*args, **kwargs)

    async def write_spy(*args: Any) -> None:
        seen.append(gc.isenabled())
        await write(*args)

    monkeypatch.setattr(store, "parse_ofx", parse_spy)
    monkeypatch.setattr(store, "_write_statement", write_spy)
    user = create_user(client)["id"]
    response = upload(client, user, "ofx/two_statements.ofx")
    assert response.status_code == 201, response.text
    assert seen == [False, False, False]  # the parse, then each statement's write
    assert gc.isenabled()


def test_a_bulk_load_parses_and_writes_with_the_collector_paused(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.api import transactions as route
    from app.models.bulk_body import parse_bulk_body as parse
    from app.services import transactions as service

    seen: list[bool] = []
    write = service.bulk_create

    def parse_spy(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return parse(*args)

    async def write_spy(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return await write(*args)

    monkeypatch.setattr(route, "parse_bulk_body", parse_spy)
    monkeypatch.setattr(service, "bulk_create", write_spy)
    make_account(client)
    assert bulk(client, [item("t1"), item("t2", minutes=1)])["created"] == 2
    assert seen == [False, False]  # the body's parse, then its write
    assert gc.isenabled()
    refused = client.post(f"{API}/transactions/bulk", json={"transactions": [{"id": "t3"}]})
    assert refused.status_code == 422, refused.text
    assert gc.isenabled()  # resumed after a refused body too
