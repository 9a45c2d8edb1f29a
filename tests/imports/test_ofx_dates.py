"""OFX datetimes: YYYYMMDD[HHMM[SS[.XXX]]][[±H[.MM]][:TZ]]."""

from datetime import UTC, datetime

import pytest

from app.services.imports.ofx_dates import BadDate, ofx_datetime


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("20240115", datetime(2024, 1, 15, tzinfo=UTC)),
        ("202401151230", datetime(2024, 1, 15, 12, 30, tzinfo=UTC)),
        ("20240115123045", datetime(2024, 1, 15, 12, 30, 45, tzinfo=UTC)),
        ("20240115123045.123", datetime(2024, 1, 15, 12, 30, 45, 123000, tzinfo=UTC)),
        ("20240115123045.123[-5:EST]", datetime(2024, 1, 15, 17, 30, 45, 123000, tzinfo=UTC)),
        ("20240115000000[-8:PST]", datetime(2024, 1, 15, 8, tzinfo=UTC)),
        ("20240115[+5.30:IST]", datetime(2024, 1, 14, 18, 30, tzinfo=UTC)),
        ("20240115120000[0:GMT]", datetime(2024, 1, 15, 12, tzinfo=UTC)),
        ("20240115120000[+2]", datetime(2024, 1, 15, 10, tzinfo=UTC)),
        ("20240115120000[-3.30:NST]", datetime(2024, 1, 15, 15, 30, tzinfo=UTC)),
        ("20240115120000[-05:00]", datetime(2024, 1, 15, 17, tzinfo=UTC)),
        ("20240115120000 [-0500]", datetime(2024, 1, 15, 17, tzinfo=UTC)),
        ("20240115120000[:UTC]", datetime(2024, 1, 15, 12, tzinfo=UTC)),
        ("20231231230000[-2:X]", datetime(2024, 1, 1, 1, tzinfo=UTC)),
        ("20240229", datetime(2024, 2, 29, tzinfo=UTC)),
    ],
)
def test_forms(text: str, utc: datetime) -> None:
    assert ofx_datetime(text) == utc
    assert ofx_datetime(text).tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    ["20120231", "20230229", "20240115250000", "20241301", "2024011", "2024-01-15",
     "20240115T1200", "20240115[+25:X]", "20240115[+5.75]", "00010101[+1]", "", "yesterday"],
)  # fmt: skip
def test_refused(text: str) -> None:
    with pytest.raises(BadDate):
        ofx_datetime(text)


@pytest.mark.parametrize(
    "text",
    [
        "20240401120000.000[-5:EST]",
        "20240401120000[+5.30:IST]",
        "20240401120000.5",
        "20240401120000 [0:GMT]",
        "20240229235959.999999[-0500]",
        "20240401120000[-05:00]",
        "20240401120000[+14]",
        "20240401120000.000[0:GMT]",
        "20240401120000",
        "20240401000000[+5:X]",  # the UTC day before
        "20241231235959[-5:EST]",  # the UTC year after
        "20240301003000[+1]",  # across the end of February
        "99991231235959",
    ],
)
def test_the_fast_path_reads_what_the_full_grammar_reads(text: str) -> None:
    from app.services.imports import ofx_dates

    for cached in (ofx_dates._day, ofx_dates._clock, ofx_dates._general):
        cached.cache_clear()
    for _ in range(2):  # computed, then from the caches
        read = ofx_datetime(text)
        assert read == ofx_dates._parse(text.strip(), text)
        assert read.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "20120231120000.000[-5:EST]",
        "20240401250000",
        "20240401120060",
        "20240401120000[-25:X]",
        "00010101000000[+1:X]",
        "99991231235959[-1:X]",  # past the last day in UTC
        "20240401240000[0:GMT]",
        "20240401126000",
    ],
)
def test_the_fast_path_leaves_refusals_to_the_full_grammar(text: str) -> None:
    with pytest.raises(BadDate):
        ofx_datetime(text)
