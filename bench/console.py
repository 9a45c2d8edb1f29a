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

import argparse
import asyncio
import random
import sqlite3
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
from common import (  # noqa: E402
    API,
    Server,
    add_postgres_argument,
    median,
    migrate_to_head,
    percentile,
    print_load,
    print_machine_info,
    scratch_postgres_db,
    server_env,
    sqlite_url,
    temp_dir,
    uvicorn_server,
)
from sqlmodel.ext.asyncio.session import AsyncSession  # noqa: E402

from app.db import make_engine  # noqa: E402
from app.services.insights.assess import AssessReport, assess_all  # noqa: E402
from app.services.seeding import load_content_catalog, seed_users  # noqa: E402
from app.services.synthetic import SeedSpec  # noqa: E402

AS_OF = date(2026, 6, 30)
MONTHS = 12
TARGET = 3.0
RECOMMENDATIONS = "recommendations 30d"
CONSOLE = "console user page"


async def seed(url: str, users: int) -> list[str]:
    """Seed the users (a year each) and the catalogue; the consenting users' ids."""
    engine = make_engine(url)
    try:
        async with AsyncSession(engine) as session:
            await load_content_catalog(session)
        spec = SeedSpec(users=users, seed=11, as_of=AS_OF, months=MONTHS)
        report = await seed_users(engine, spec)
        rows = report.transactions_created
        print(f"seeded {users:,} users x {MONTHS} months, {rows:,} transactions "
              f"in {report.seconds:.1f} s")  # fmt: skip
        async with engine.connect() as conn:
            result = await conn.exec_driver_sql("SELECT id FROM users WHERE consent ORDER BY id")
            return [row[0] for row in result]
    finally:
        await engine.dispose()


def kinds(user_id: str) -> dict[str, str]:
    """The timed requests of one user, by name."""
    return {
        RECOMMENDATIONS: f"{API}/users/{user_id}/recommendations?as_of={AS_OF.isoformat()}",
        CONSOLE: f"/console/users/{user_id}?as_of={AS_OF.isoformat()}",
    }


def get(client: httpx.Client, path: str, words: str | None = None) -> float:
    """Milliseconds of one request, which must answer 200 (with `words` in it)."""
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200 or (words is not None and words not in response.text):
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return elapsed


def measure(server: Server, users: Sequence[str], rounds: int, title: str) -> None:
    times: dict[str, list[float]] = {name: [] for name in kinds("x")}
    cpu: dict[str, float] = dict.fromkeys(times, 0.0)
    with httpx.Client(base_url=server.url, timeout=30.0) as client:
        for user_id in users[:20]:  # warm up: imports, caches, templates
            for name, path in kinds(user_id).items():
                get(client, path, 'id="personas"' if name == CONSOLE else None)
        for _ in range(rounds):
            for user_id in users:
                for name, path in kinds(user_id).items():
                    before = server.cpu_seconds()
                    times[name].append(get(client, path))
                    cpu[name] += server.cpu_seconds() - before
    base = median(times[RECOMMENDATIONS])
    print(f"{title}: {len(users)} random consenting users x {rounds} rounds, sequential:")
    for name, samples in times.items():
        p50, p95 = median(samples), percentile(samples, 0.95)
        per_request = cpu[name] * 1000 / len(samples)
        print(
            f"  {name:<20} median {p50:7.2f} ms, p95 {p95:7.2f} ms, "
            f"{per_request:6.2f} ms server CPU/request, {p50 / base:5.2f}x the recommendations"
        )
    ratio = median(times[CONSOLE]) / base
    cpu_ratio = cpu[CONSOLE] / cpu[RECOMMENDATIONS] if cpu[RECOMMENDATIONS] else float("nan")
    verdict = "MET" if ratio <= TARGET else "MISSED"
    print(f"  ratio console user page / recommendations: {ratio:.2f}x median time, "
          f"{cpu_ratio:.2f}x server CPU (target <= {TARGET:.0f}x: {verdict})")  # fmt: skip


def run(url: str, users: int, samples: int, rounds: int) -> None:
    consenting = asyncio.run(seed(url, users))
    if url.startswith("sqlite"):
        db_path = url.partition(":///")[2]
        sqlite3.connect(db_path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    sample = random.Random(5).sample(consenting, min(samples // rounds, len(consenting)))
    with uvicorn_server("app.main:app", server_env(url)) as server:
        measure(server, sample, rounds, "streams detected on each page (cold)")
        report = asyncio.run(assess(url))
        print(f"assess --streams: {report.assessed:,} users in {report.seconds:.1f} s")
        measure(server, sample, rounds, "streams stored by assess --streams")


async def assess(url: str) -> AssessReport:
    engine = make_engine(url)
    try:
        return await assess_all(engine, AS_OF, streams=True)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=300, help="users to seed (default 300)")
    parser.add_argument(
        "--samples", type=int, default=200, help="requests of each kind (default 200)"
    )
    parser.add_argument("--rounds", type=int, default=4, help="rounds over the sampled users")
    add_postgres_argument(parser)
    args = parser.parse_args()
    print_machine_info()
    print(f"users={args.users} months={MONTHS} as_of={AS_OF} samples={args.samples} "
          f"rounds={args.rounds}")  # fmt: skip
    if args.postgres:
        with scratch_postgres_db(args.postgres) as url:
            migrate_to_head(url)
            run(url, args.users, args.samples, args.rounds)
    else:
        with temp_dir("spendsense-bench-console-") as tmp:
            url = sqlite_url(tmp / "console.db")
            migrate_to_head(url)
            run(url, args.users, args.samples, args.rounds)
    print_load("at end")


if __name__ == "__main__":
    main()
