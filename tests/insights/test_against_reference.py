"""The one-pass engine against the reference transcription of the spec, on
many random users dense with edges, and on synthetic users."""

from datetime import date

import pytest

from app.services.insights import AccountRow, TxnRow, compute_signals, decide_persona
from app.services.synthetic import SeedSpec, generate
from tests.insights.compare import differences
from tests.insights.random_users import random_user
from tests.insights.reference import ref_persona, ref_signals

SEEDS = 600


def check_user(accounts: list[AccountRow], rows: list[TxnRow], as_of: date) -> None:
    engine = compute_signals(accounts, rows, as_of)
    assert sorted(engine) == ["180d", "30d"]
    for window, days in (("30d", 30), ("180d", 180)):
        want = ref_signals(accounts, rows, as_of, days)
        got = engine[window].to_dict()
        assert not differences(got, want), differences(got, want)

        persona, reasons, also = ref_persona(want)
        decision = decide_persona(engine[window])
        assert decision.persona_type == persona
        assert decision.also_matched == also
        got_reasons = [(r.code, r.value, r.threshold, r.account_id) for r in decision.reasons]
        assert not differences([list(r) for r in got_reasons], [list(r) for r in reasons]), (
            got_reasons,
            reasons,
        )
        assert 0 <= decision.confidence <= 1
        assert all(r.text for r in decision.reasons)


@pytest.mark.parametrize("block", range(SEEDS // 50))
def test_random_users_match_the_reference(block: int) -> None:
    for seed in range(block * 50, (block + 1) * 50):
        accounts, rows, as_of = random_user(seed)
        try:
            check_user(accounts, rows, as_of)
        except AssertionError as exc:
            raise AssertionError(f"seed {seed}: {exc}") from exc


def test_random_users_reach_every_persona_and_reason() -> None:
    """The random users are not all alike: together they hit every persona
    and every reason code (else the comparison above proves little)."""
    personas: set[str] = set()
    codes: set[str] = set()
    for seed in range(SEEDS):
        accounts, rows, as_of = random_user(seed)
        for signals in compute_signals(accounts, rows, as_of).values():
            decision = decide_persona(signals)
            personas.add(decision.persona_type.value)
            codes.update(r.code for r in decision.reasons)
    assert personas == {
        "high_utilization", "variable_income", "subscription_heavy", "savings_builder", "balanced"
    }  # fmt: skip
    assert len(codes) == 12, codes


def test_synthetic_users_match_the_reference() -> None:
    as_of = date(2026, 6, 30)
    for user in generate(SeedSpec(users=25, seed=7, as_of=as_of)):
        accounts = [
            AccountRow(a["id"], a["type"], a["subtype"], a["name"], a["mask"], a["balance"],
                       a["limit"], a["min_payment"], a["is_overdue"])
            for a in user.accounts
        ]  # fmt: skip
        ordered = sorted(user.transactions, key=lambda t: (t["account_id"], t["date"], t["id"]))
        rows = [
            (t["account_id"], t["date"].strftime("%Y-%m-%d %H:%M:%S.%f"), t["amount"],
             t["merchant_name"], t["category"], t["pending"], t.get("category_detailed"))
            for t in ordered
        ]  # fmt: skip
        check_user(accounts, rows, as_of)
