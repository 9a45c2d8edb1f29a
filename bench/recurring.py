"""Recurring streams benchmark: the latency of GET /users/{id}/recurring
against a plain account page read of the same user,
GET /accounts/{checking}/transactions (its first page of 50 rows).

    .venv/bin/python bench/recurring.py [--users 100] [--months 12] [--rounds 5]
        [--postgres URL]

Seeds `--users` synthetic users x `--months` months (spendsense's own
seeder: about 540 transactions a user for 12 months) into a fresh database,
starts the app as one uvicorn worker, then times single sequential requests
(keep-alive) user by user, the two kinds taking turns (which goes first
alternates from user to user), in `--rounds` rounds, so drifting machine
load hits both alike. Prints medians, p95, the ratio of the medians side by
side, and the server CPU time per request. Twice, against the same server:
- cold: before any assessment, so every GET /recurring reads the user's
  whole history and detects anew;
- stored: after `spendsense assess --streams` for the same date, which
  stores each user's streams: GET /recurring serves the copy.
Target: GET /recurring median <= 3x the page read's median.

`--profile` instead runs the route's service function in this process on
the seeded users and prints where its time goes (cProfile, top 25).
"""

import argparse
import asyncio
import cProfile
import pstats
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
    migrated_database,
    percentile,
    print_load,
    print_machine_info,
    server_env,
    uvicorn_server,
)

from app.db import make_engine, open_session  # noqa: E402
from app.services.insights.assess import assess_all  # noqa: E402
from app.services.insights.recurring import user_recurring  # noqa: E402
from app.services.seeding import seed_users  # noqa: E402
from app.services.synthetic import SeedSpec  # noqa: E402

AS_OF = date(2026, 6, 30)
TARGET = 3.0
PAGE = "account page"
RECURRING = "GET /recurring"


async def seed(url: str, users: int, months: int) -> list[tuple[str, str]]:
    """Seed the users; (user id, checking account id) of the consenting ones."""
    engine = make_engine(url)
    try:
        spec = SeedSpec(users=users, seed=11, as_of=AS_OF, months=months)
        report = await seed_users(engine, spec)
        created = report.transactions_created
        print(f"seeded {users:,} users x {months} months, {created:,} transactions "
              f"in {report.seconds:.1f} s")  # fmt: skip
        async with engine.connect() as conn:
            result = await conn.exec_driver_sql(
                "SELECT u.id, a.id FROM users u JOIN accounts a ON a.user_id = u.id "
                "WHERE u.consent AND a.subtype = 'checking' ORDER BY u.id"
            )
            return [(row[0], row[1]) for row in result]
    finally:
        await engine.dispose()


def paths(user_id: str, account_id: str) -> dict[str, str]:
    return {
        PAGE: f"{API}/accounts/{account_id}/transactions",
        RECURRING: f"{API}/users/{user_id}/recurring?as_of={AS_OF.isoformat()}",
    }


def get(client: httpx.Client, path: str) -> tuple[float, int]:
    """(milliseconds, response bytes) of one request, which must answer 200."""
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return elapsed, len(response.content)


def measure(server: Server, users: Sequence[tuple[str, str]], rounds: int, label: str) -> float:
    times: dict[str, list[float]] = {PAGE: [], RECURRING: []}
    cpu = dict.fromkeys(times, 0.0)
    size = dict.fromkeys(times, 0)
    with httpx.Client(base_url=server.url, timeout=30.0) as client:
        for user_id, account_id in users[:20]:  # warm up: imports, caches, statements
            for path in paths(user_id, account_id).values():
                get(client, path)
        for round_number in range(rounds):
            for index, (user_id, account_id) in enumerate(users):
                order = list(paths(user_id, account_id).items())
                if (index + round_number) % 2:
                    order.reverse()
                for name, path in order:
                    before = server.cpu_seconds()
                    elapsed, length = get(client, path)
                    cpu[name] += server.cpu_seconds() - before
                    times[name].append(elapsed)
                    size[name] += length
    base = median(times[PAGE])
    print(f"{label}: {len(users)} consenting users x {rounds} rounds, sequential, keep-alive, "
          f"alternating:")  # fmt: skip
    for name, samples in times.items():
        p50, p95 = median(samples), percentile(samples, 0.95)
        print(
            f"  {name:<16} median {p50:6.2f} ms, p95 {p95:6.2f} ms, "
            f"{cpu[name] * 1000 / len(samples):5.2f} ms server CPU/request, "
            f"{size[name] / len(samples) / 1024:5.1f} KiB/response, {p50 / base:5.2f}x the page"
        )
    ratio = median(times[RECURRING]) / base
    cpu_ratio = cpu[RECURRING] / max(cpu[PAGE], 1e-9)
    verdict = "MET" if ratio <= TARGET else "MISSED"
    print(f"  {label} ratio GET /recurring / account page: {ratio:.2f}x "
          f"(server CPU {cpu_ratio:.2f}x; target <= {TARGET:.0f}x: {verdict})")  # fmt: skip
    return ratio


async def store_streams(url: str) -> None:
    """`spendsense assess --streams` for AS_OF: personas, and every user's streams stored."""
    engine = make_engine(url)
    try:
        report = await assess_all(engine, AS_OF, streams=True)
    finally:
        await engine.dispose()
    print(f"assessed {report.assessed} users in {report.seconds:.1f} s "
          f"({report.users_per_second:,.0f} users/s), streams stored")  # fmt: skip


async def profile(url: str, users: Sequence[tuple[str, str]]) -> None:
    """cProfile of the route's service function over the users, in-process."""
    engine = make_engine(url)
    try:
        async with open_session(engine) as session:
            for user_id, _ in users[:10]:
                await user_recurring(session, user_id, AS_OF)
            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.enable()
            for user_id, _ in users:
                await user_recurring(session, user_id, AS_OF)
            profiler.disable()
            elapsed = time.perf_counter() - start
    finally:
        await engine.dispose()
    print(f"service function: {elapsed * 1000 / len(users):.2f} ms per user (profiled)")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def run(url: str, args: argparse.Namespace) -> None:
    users = asyncio.run(seed(url, args.users, args.months))
    if url.startswith("sqlite"):
        db_path = url.partition(":///")[2]
        sqlite3.connect(db_path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    random.Random(5).shuffle(users)
    if args.profile:
        asyncio.run(profile(url, users))
        return
    with uvicorn_server("app.main:app", server_env(url)) as server:
        cold = measure(server, users, args.rounds, "cold")
        asyncio.run(store_streams(url))
        stored = measure(server, users, args.rounds, "stored")
    print(f"ratio GET /recurring / account page: stored {stored:.2f}x, cold {cold:.2f}x "
          f"(target <= {TARGET:.0f}x)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100, help="users to seed (default 100)")
    parser.add_argument("--months", type=int, default=12, help="months of history (default 12)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over the users (default 5)")
    parser.add_argument("--profile", action="store_true", help="profile the service in-process")
    add_postgres_argument(parser)
    args = parser.parse_args()
    print_machine_info()
    print(f"users={args.users} months={args.months} as_of={AS_OF} rounds={args.rounds}")
    with migrated_database(args.postgres, "recurring") as url:
        run(url, args)
    print_load("at end")


if __name__ == "__main__":
    main()
