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
from app.services.seeding import load_content_catalog, seed_users  # noqa: E402
from app.services.synthetic import SeedSpec  # noqa: E402

AS_OF = date(2026, 6, 30)
TARGET = 3.0


async def seed(url: str, users: int) -> list[str]:
    """Seed the users and the catalogue; the consenting users' ids."""
    engine = make_engine(url)
    try:
        async with AsyncSession(engine) as session:
            await load_content_catalog(session)
        report = await seed_users(engine, SeedSpec(users=users, seed=11, as_of=AS_OF))
        print(f"seeded {users:,} users, {report.transactions_created:,} transactions "
              f"in {report.seconds:.1f} s")  # fmt: skip
        async with engine.connect() as conn:
            result = await conn.exec_driver_sql("SELECT id FROM users WHERE consent ORDER BY id")
            return [row[0] for row in result]
    finally:
        await engine.dispose()


def kinds(user_id: str) -> dict[str, str]:
    """The timed requests of one user, by name."""
    reco = f"{API}/users/{user_id}/recommendations?as_of={AS_OF.isoformat()}"
    return {
        "GET /users/{id}": f"{API}/users/{user_id}",
        "recommendations 30d": reco,
        "recommendations 180d": f"{reco}&window=180d",
    }


def get(client: httpx.Client, path: str) -> float:
    """Milliseconds of one request, which must answer 200."""
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return elapsed


def measure(server: Server, users: Sequence[str], rounds: int) -> None:
    times: dict[str, list[float]] = {name: [] for name in kinds("x")}
    cpu: dict[str, float] = dict.fromkeys(times, 0.0)
    with httpx.Client(base_url=server.url, timeout=30.0) as client:
        for user_id in users[:20]:  # warm up: imports, caches, statement cache
            for path in kinds(user_id).values():
                get(client, path)
        for _ in range(rounds):
            for user_id in users:
                for name, path in kinds(user_id).items():
                    before = server.cpu_seconds()
                    times[name].append(get(client, path))
                    cpu[name] += server.cpu_seconds() - before
    base = median(times["GET /users/{id}"])
    print(f"{len(users)} random consenting users x {rounds} rounds, sequential, keep-alive:")
    for name, samples in times.items():
        p50, p95 = median(samples), percentile(samples, 0.95)
        per_request = cpu[name] * 1000 / len(samples)
        print(
            f"  {name:<22} median {p50:6.2f} ms, p95 {p95:6.2f} ms, "
            f"{per_request:5.2f} ms server CPU/request, {p50 / base:5.2f}x the plain read"
        )
    ratio = median(times["recommendations 30d"]) / base
    verdict = "MET" if ratio <= TARGET else "MISSED"
    print(f"ratio recommendations (30d) / GET /users/{{id}}: {ratio:.2f}x "
          f"(target <= {TARGET:.0f}x: {verdict})")  # fmt: skip


def run(url: str, users: int, samples: int, rounds: int) -> None:
    consenting = asyncio.run(seed(url, users))
    if url.startswith("sqlite"):
        db_path = url.partition(":///")[2]
        sqlite3.connect(db_path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    sample = random.Random(5).sample(consenting, min(samples // rounds, len(consenting)))
    with uvicorn_server("app.main:app", server_env(url)) as server:
        measure(server, sample, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=4_000, help="users to seed (default 4000)")
    parser.add_argument(
        "--samples", type=int, default=400, help="requests of each kind (default 400)"
    )
    parser.add_argument("--rounds", type=int, default=4, help="rounds over the sampled users")
    add_postgres_argument(parser)
    args = parser.parse_args()
    print_machine_info()
    print(f"users={args.users} months=6 as_of={AS_OF} samples={args.samples} "
          f"rounds={args.rounds}")  # fmt: skip
    if args.postgres:
        with scratch_postgres_db(args.postgres) as url:
            migrate_to_head(url)
            run(url, args.users, args.samples, args.rounds)
    else:
        with temp_dir("spendsense-bench-reco-") as tmp:
            url = sqlite_url(tmp / "reco.db")
            migrate_to_head(url)
            run(url, args.users, args.samples, args.rounds)
    print_load("at end")


if __name__ == "__main__":
    main()
