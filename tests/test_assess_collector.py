"""The batch assessment turns Python's automatic garbage collector off for
its run and collects once per batch (assess.collecting_per_batch); the
collector must come back as it was, also after a failure."""

import gc

import pytest

from app.services.insights.assess import collecting_per_batch


def test_the_collector_is_off_during_the_run_and_restored_after() -> None:
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with collecting_per_batch() as collect:
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0  # what was there is left out of collections
        collect()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_failing_run_restores_it_too() -> None:
    with pytest.raises(RuntimeError), collecting_per_batch():
        raise RuntimeError("batch failed")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_disabled_collector_and_frozen_objects_stay_so() -> None:
    gc.disable()
    gc.freeze()
    try:
        with collecting_per_batch():
            pass
        # Still frozen (the count itself moves: frozen objects can be freed).
        assert not gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
