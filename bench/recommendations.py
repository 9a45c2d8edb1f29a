"""Recommendations benchmark: the latency of GET /users/{id}/recommendations
against a plain read, GET /users/{id}, on a database of about 1M transactions.

    .venv/bin/python bench/recommendations.py [--users 4000] [--samples 400] [--rounds 4]
        [--postgres URL]

Seeds `--users` synthetic users x 6 months (spendsense's own seeder, about
255 transactions per user: 4,000 users make about 1M rows) and the content
catalogue into a fresh database, starts the app as one uvicorn worker, then
times single sequential requests (keep-alive) on random consenting users:
for each sampled user, GET /users/{id}, then its recommendations (30d, the
default window, `as_of` = the seeding date), then the same for the 180d
window (an extra figure). The requests take turns user by user, in
`--rounds` rounds, so drifting machine load hits every kind alike. Prints
medians, p95, the ratio of the medians and the server CPU time per request.
Target: recommendations (30d) median <= 3x the plain read's median.
"""

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import API, ReadBench, read_bench, take_turns  # noqa: E402

AS_OF = date(2026, 6, 30)
MONTHS = 6
TARGET = 3.0
PLAIN = "GET /users/{id}"
RECOMMENDATIONS = "recommendations 30d"


def kinds(user_id: str) -> dict[str, str]:
    """The timed requests of one user, by name."""
    reco = f"{API}/users/{user_id}/recommendations?as_of={AS_OF.isoformat()}"
    return {
        PLAIN: f"{API}/users/{user_id}",
        RECOMMENDATIONS: reco,
        "recommendations 180d": f"{reco}&window=180d",
    }


def measure(bench: ReadBench) -> None:
    turns = take_turns(bench, kinds)
    print(f"{len(bench.users)} random consenting users x {bench.rounds} rounds, sequential, "
          "keep-alive:")  # fmt: skip
    turns.print_kinds(PLAIN, "the plain read")
    turns.print_ratio(RECOMMENDATIONS, PLAIN, "recommendations (30d) / GET /users/{id}", TARGET)


def main() -> None:
    description = __doc__.split("\n\n")[0]
    with read_bench(description, "reco", AS_OF, MONTHS, users=4_000, samples=400) as bench:
        measure(bench)


if __name__ == "__main__":
    main()
