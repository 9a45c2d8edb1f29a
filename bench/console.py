"""Console benchmark: the user page, GET /console/users/{id}, against GET
/api/v1/users/{id}/recommendations for the same users, side by side in one
run.

    .venv/bin/python bench/console.py [--users 300] [--samples 200] [--rounds 4]
        [--postgres URL]

Seeds `--users` synthetic users with 12 months of history each
(spendsense's own seeder) and the content catalogue into a fresh database,
starts the app as one uvicorn worker (no API key), then times single
sequential requests (keep-alive) on random consenting users: for each
sampled user, its recommendations (30d, `as_of` = the seeding date), then
its console page at the same date. The two take turns user by user, in
`--rounds` rounds, so drifting machine load hits both alike. Prints
medians, p95, the server CPU per request and the ratio of the medians,
twice: first with the recurring streams detected on each page (no stored
copy: cold), then after `spendsense assess --streams` stored them (the
page serves the stored copy, as GET /recurring does).
Target: the console page's median <= 3x the recommendations' median.
"""

import asyncio
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import API, ReadBench, read_bench, take_turns  # noqa: E402

from app.db import make_engine  # noqa: E402
from app.services.insights.assess import AssessReport, assess_all  # noqa: E402

AS_OF = date(2026, 6, 30)
MONTHS = 12
TARGET = 3.0
RECOMMENDATIONS = "recommendations 30d"
CONSOLE = "console user page"


def kinds(user_id: str) -> dict[str, str]:
    """The timed requests of one user, by name."""
    return {
        RECOMMENDATIONS: f"{API}/users/{user_id}/recommendations?as_of={AS_OF.isoformat()}",
        CONSOLE: f"/console/users/{user_id}?as_of={AS_OF.isoformat()}",
    }


def measure(bench: ReadBench, title: str) -> None:
    turns = take_turns(bench, kinds, expect={CONSOLE: 'id="personas"'})
    print(f"{title}: {len(bench.users)} random consenting users x {bench.rounds} rounds, "
          "sequential:")  # fmt: skip
    turns.print_kinds(RECOMMENDATIONS, "the recommendations")
    turns.print_ratio(CONSOLE, RECOMMENDATIONS, "console user page / recommendations", TARGET)


async def assess(url: str) -> AssessReport:
    engine = make_engine(url)
    try:
        return await assess_all(engine, AS_OF, streams=True)
    finally:
        await engine.dispose()


def main() -> None:
    description = __doc__.split("\n\n")[0]
    with read_bench(description, "console", AS_OF, MONTHS, users=300, samples=200) as bench:
        measure(bench, "streams detected on each page (cold)")
        report = asyncio.run(assess(bench.url))
        print(f"assess --streams: {report.assessed:,} users in {report.seconds:.1f} s")
        measure(bench, "streams stored by assess --streams")


if __name__ == "__main__":
    main()
