"""The import layer is pure: these tests touch no database, so the suite's
per-test table cleaning (tests/conftest.py) is replaced by nothing here."""

from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "statements"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(autouse=True)
def empty_tables() -> Iterator[None]:
    yield
