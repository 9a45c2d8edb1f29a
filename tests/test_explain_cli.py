"""`spendsense explain` (the operator's view of one user) and the catalogue
loader that retires the items of earlier catalogues."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.cli import main
from app.models import Content, Persona
from app.services.seeding import RETIRED_CATALOG_IDS, load_catalog, load_content_catalog
from tests.utils.database import count_rows, run_in_session
from tests.utils.factories import API, create_user
from tests.utils.scenarios import AS_OF


def load() -> int:
    async def work(session: AsyncSession) -> int:
        return await load_content_catalog(session)

    return run_in_session(work)


def stored_ids() -> set[str]:
    async def work(session: AsyncSession) -> set[str]:
        return set((await session.exec(select(Content.id))).all())

    return run_in_session(work)


def explain(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["explain", *args])
    return code, " ".join(capsys.readouterr().out.split())  # rich wraps lines


def test_explain_shows_signals_personas_and_recommendations(
    client: TestClient,
    ana: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("app.cli.output.PLAIN_WIDTH", 1000)  # no cell wraps: sentences stay whole
    load()
    code, out = explain(capsys, "--user", ana, "--as-of", AS_OF)
    assert code == 0
    assert f"signals of {ana} at {AS_OF}" in out
    # Both windows' signals: the card at D, the 30d and 180d monthly income.
    assert "Visa ending in 9911" in out and "59.3 % of $3,000.00 ($1,780.00 owed)" in out
    assert "$2,500.00" in out and "$1,250.00" in out
    assert "30d: high_utilization" in out and "180d: high_utilization" in out
    assert "credit_utilization_high" in out and "minimum_payment_only" in out
    # The 30d recommendations, best first, with the route's rationale.
    body = client.get(f"{API}/users/{ana}/recommendations", params={"as_of": AS_OF}).json()
    for item in body["items"]:
        assert item["id"] in out and item["rationale"] in out
    # Under the personas: the recurring streams, as GET /recurring lists them.
    streams = client.get(f"{API}/users/{ana}/recurring", params={"as_of": AS_OF}).json()
    assert f"recurring streams at {AS_OF}" in out
    listed = [*streams["inflow_streams"], *streams["outflow_streams"]]
    assert [s["merchant_name"] for s in listed] == ["Acme", "Netflix"]
    cells = " ".join(out.replace("│", " ").split())
    assert "in Acme chk monthly $2,500.00 $2,500.00 2026-07-05 early_detection -" in cells
    assert "out Netflix card monthly $15.49 $15.49 2026-07-10 early_detection -" in cells
    assert "not financial advice" in out
    assert count_rows(Persona) == 0  # explaining writes nothing


def test_explain_shows_choices_and_counts_tombstoned_streams(
    client: TestClient, ana: str, capsys: pytest.CaptureFixture[str]
) -> None:
    streams = client.get(f"{API}/users/{ana}/recurring", params={"as_of": AS_OF}).json()
    netflix = streams["outflow_streams"][0]["stream_id"]
    path = f"{API}/users/{ana}/recurring/{netflix}"
    response = client.patch(path, params={"as_of": AS_OF}, json={"user_status": "dismissed"})
    assert response.status_code == 200
    code, out = explain(capsys, "--user", ana, "--as-of", AS_OF)
    assert code == 0
    cells = " ".join(out.replace("│", " ").split())
    assert "out Netflix card monthly $15.49 $15.49 2026-07-10 early_detection dismissed" in cells
    # In September both streams are overdue by more than half a month and 5 days.
    code, out = explain(capsys, "--user", ana, "--as-of", "2026-09-30")
    assert "no recurring streams" in out
    assert "2 tombstoned stream(s) not shown" in out


def test_explain_limit(client: TestClient, ana: str, capsys: pytest.CaptureFixture[str]) -> None:
    load()
    code, out = explain(capsys, "--user", ana, "--as-of", AS_OF, "--limit", "1")
    assert code == 0
    assert "cnt_debt_payoff_planner" in out and "cnt_balance_transfer_basics" not in out


def test_explain_refuses_unknown_users_and_users_without_consent(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = explain(capsys, "--user", "nobody")
    assert (code, out) == (1, "unknown user 'nobody': nothing to explain")
    create_user(client, id="shy", email="shy@example.com", consent=False)
    code, out = explain(capsys, "--user", "shy")
    assert code == 1
    assert out == "user 'shy' has not given consent: nothing is computed for them"


@pytest.mark.parametrize(
    "args", [[], ["--user", "x", "--limit", "0"], ["--user", "x", "--as-of", "2026-06-31"]]
)
def test_explain_bad_arguments(args: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", *args])
    assert exit_info.value.code == 2


def test_explain_escapes_markup_in_names(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """Names come from the data: "[bold]" in one is printed, not obeyed."""
    create_user(client, id="u1", email="u1@example.com", consent=True)
    card = {"type": "credit", "subtype": "credit_card", "name": "[bold]Visa[/bold]",
            "mask": "1234", "balance": 90_000, "limit": 100_000}  # fmt: skip
    assert client.post(f"{API}/users/u1/accounts", json=card).status_code == 201
    code, out = explain(capsys, "--user", "u1", "--as-of", AS_OF)
    assert code == 0
    assert "[bold]Visa[/bold] ending in 1234" in out


def test_loading_the_catalogue_retires_old_items_and_keeps_the_others(
    client: TestClient,
) -> None:
    shipped = {item.id for item in load_catalog()}
    assert not shipped & set(RETIRED_CATALOG_IDS)
    for ident in (RETIRED_CATALOG_IDS[0], "cnt_mine"):
        body = {"id": ident, "type": "article", "title": "Old", "signal_tags": ["budgeting"]}
        assert client.post(f"{API}/content", json=body).status_code == 201
    assert load() == len(shipped)
    assert stored_ids() == shipped | {"cnt_mine"}
    assert load() == 0  # idempotent
    assert stored_ids() == shipped | {"cnt_mine"}
