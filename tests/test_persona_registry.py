"""Adding a persona is one registry entry: a toy sixth persona, registered
here only (PERSONA_KINDS.registered, removed after), flows through assess
(stored rows), its reasons' texts, ranking (topic, label, rationale), the
catalogue check, evaluation and the generator's planting; and the registry
refuses entries that would make the derived tables ambiguous."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from fastapi.testclient import TestClient

from app.models import PersonaType
from app.services.insights.catalog_coverage import catalog_gaps
from app.services.insights.evaluation import WindowReport
from app.services.insights.persona_kinds import PERSONA_KINDS, Hit, PersonaKind, Plant, ReasonKind
from app.services.insights.persona_kinds.kind import always
from app.services.insights.signal_types import WindowSignals
from app.services.insights.text import money
from app.services.seeding import load_catalog
from app.services.synthetic import SeedSpec, planted_pattern
from tests.utils.factories import API, bulk, create_account, create_user
from tests.utils.scenarios import AS_OF, txn

TOY = "toy_big_spender"
TOY_CODE = "toy_spending_high"
TOY_TOPIC = "spending less than comes in"
MONTHLY_SPENDING = 500_000  # cents


def _spending_sentence(hit: Hit) -> str:
    value, threshold = hit.compared
    return f"Spending comes to {money(value)} a month, at least {money(threshold)}"


SPENDING_HIGH = ReasonKind(TOY_CODE, _spending_sentence, TOY_TOPIC, in_cents=always)


def _toy_rule(signals: WindowSignals) -> list[Hit]:
    monthly = signals.spending.monthly
    return [Hit(SPENDING_HIGH, monthly, MONTHLY_SPENDING)] if monthly >= MONTHLY_SPENDING else []


# Between subscription_heavy (30) and savings_builder (40).
TOY_KIND = PersonaKind(
    name=TOY,
    label="toy big spender",
    priority=35,
    reasons=(SPENDING_HIGH,),
    rule=_toy_rule,
    plant=Plant(savings_account_odds=0.5, card_odds=0.5),
)
SHIPPED = PERSONA_KINDS.names


@pytest.fixture
def toy() -> Iterator[PersonaKind]:
    with PERSONA_KINDS.registered(TOY_KIND) as kind:
        yield kind
    assert PERSONA_KINDS.names == SHIPPED


def make_bob(client: TestClient) -> str:
    """No pay, no card, no recurring charges: in June (the 30d window) $7,500
    of purchases and $500 moved into savings that held $500, so the toy rule
    holds and savings_builder, below it, too; over 180 days spending is
    $1,250 a month, under the toy's threshold."""
    create_user(client, id="bob", email="bob@example.com", consent=True)
    create_account(client, "bob", id="bchk", balance=1_000_000)
    create_account(
        client, "bob", id="bsav", type="depository", subtype="savings", name="Savings",
        mask="0002", balance=100_000,
    )  # fmt: skip
    bulk(
        client,
        [
            txn("b1", "bchk", "2026-06-05T12:00:00Z", 250_000, "GENERAL_MERCHANDISE"),
            txn("b2", "bchk", "2026-06-12T12:00:00Z", 250_000, "GENERAL_MERCHANDISE"),
            txn("b3", "bchk", "2026-06-19T12:00:00Z", 250_000, "TRAVEL"),
            txn("bs1", "bchk", "2026-06-02T08:00:00Z", 50_000, "TRANSFER_OUT"),
            txn("bs2", "bsav", "2026-06-02T08:00:00Z", -50_000, "TRANSFER_IN"),
        ],
    )
    return "bob"


TOY_TEXT = "Spending comes to $7,500.00 a month, at least $5,000.00"


def test_a_registered_persona_is_assessed_stored_and_read_back(
    client: TestClient, toy: PersonaKind
) -> None:
    bob = make_bob(client)
    response = client.post(f"{API}/users/{bob}/personas/assess", json={"as_of": AS_OF})
    assert response.status_code == 201, response.text
    short, long = response.json()["items"]
    assert (short["persona_type"], short["also_matched"]) == (TOY, ["savings_builder"])
    # One reason, its sentence from the toy's builder; confidence the noisy-or
    # of one strength: x = (750,000 − 500,000) / 500,000 = 0.5 → 0.5 + 0.25 / 1.5.
    assert short["reasons"] == [
        {"code": TOY_CODE, "value": 750_000.0, "threshold": MONTHLY_SPENDING,
         "account_id": None, "text": TOY_TEXT}
    ]  # fmt: skip
    assert short["confidence"] == 0.6667
    assert long["persona_type"] == "savings_builder"  # $1,250 a month over 180 days
    stored = client.get(f"{API}/users/{bob}/personas/current", params={"window": "30d"})
    assert stored.status_code == 200
    assert (stored.json()["id"], stored.json()["persona_type"]) == (short["id"], TOY)


def test_a_registered_persona_is_ranked_with_its_topic_and_label(
    client: TestClient, toy: PersonaKind
) -> None:
    bob = make_bob(client)
    for ident, signal_tags, persona_tags in (
        ("toy_tool", [TOY_CODE], []),
        ("toy_read", [], [TOY]),
        ("other", ["overdue"], ["high_utilization"]),
    ):
        body = {"id": ident, "type": "article", "title": ident, "signal_tags": signal_tags,
                "persona_tags": persona_tags}  # fmt: skip
        assert client.post(f"{API}/content", json=body).status_code == 201
    response = client.get(f"{API}/users/{bob}/recommendations", params={"as_of": AS_OF})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["persona"]["persona_type"] == TOY
    assert [(i["id"], i["score"], i["rationale"]) for i in body["items"]] == [
        ("toy_tool", 2, f"{TOY_TEXT}: this article is about {TOY_TOPIC}."),
        (
            "toy_read",
            1,
            "Suggested for your toy big spender persona, whose strongest reason is that "
            "spending comes to $7,500.00 a month, at least $5,000.00.",
        ),
    ]


def test_the_catalogue_check_asks_content_for_a_registered_persona(toy: PersonaKind) -> None:
    with pytest.raises(ValueError) as refused:
        load_catalog()
    assert f"no content for persona '{TOY}'" in str(refused.value)
    assert f"no content for reason code '{TOY_CODE}'" in str(refused.value)


def test_the_shipped_catalogue_plus_toy_content_fits() -> None:
    shipped = load_catalog()  # the check passes without the toy
    toy_item = shipped[0].model_copy(update={"signal_tags": [TOY_CODE], "persona_tags": []})
    assert catalog_gaps([*shipped, toy_item]) == [f"signal tag '{TOY_CODE}' is no reason code"]
    with PERSONA_KINDS.registered(TOY_KIND):
        toy_item.persona_tags = [PersonaType(TOY)]
        assert catalog_gaps([*shipped, toy_item]) == []
    assert catalog_gaps(shipped) == []


def test_evaluation_and_planting_count_a_registered_persona(toy: PersonaKind) -> None:
    assert PERSONA_KINDS.names == (*SHIPPED[:3], TOY, *SHIPPED[3:])
    assert list(WindowReport("30d").confusion) == list(PERSONA_KINDS.names)
    spec = SeedSpec(users=6, seed=1, as_of=date.fromisoformat(AS_OF))
    assert sorted(planted_pattern(spec, i) for i in range(6)) == sorted(PERSONA_KINDS.names)


def test_an_unregistered_persona_is_no_persona_type() -> None:
    with PERSONA_KINDS.registered(TOY_KIND):
        assert PersonaType(TOY).value == TOY
    with pytest.raises(ValueError):
        PersonaType(TOY)
    assert TOY_CODE not in PERSONA_KINDS.reason_codes


@pytest.mark.parametrize(
    "clash",
    [
        replace(TOY_KIND, name="balanced"),  # a name taken
        replace(TOY_KIND, reasons=(replace(SPENDING_HIGH, code="overdue"),)),  # a code taken
        replace(TOY_KIND, fallback=True),  # a second fallback
        replace(TOY_KIND, priority=2000),  # ranked below the fallback
        replace(TOY_KIND, priority=30),  # a priority taken: which rule comes first?
    ],
)
def test_the_registry_refuses_an_ambiguous_entry(clash: PersonaKind) -> None:
    with pytest.raises(ValueError):
        PERSONA_KINDS.register(clash)
    assert PERSONA_KINDS.names == SHIPPED
