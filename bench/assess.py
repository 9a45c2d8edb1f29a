"""Assess benchmark: the insights engine over every user of a seeded database
against merely reading the same transactions.

    .venv/bin/python bench/assess.py [--users 10000] [--months 6] [--repeat 3] [--postgres URL]

Seeds `--users` synthetic users x `--months` (6) months (spendsense's own seeder) into a
fresh database, then alternates, `--repeat` times:
- assess: `assess_all` (what `spendsense assess` runs): every consenting
  user, both windows, persona rows written (the previous run's are deleted
  first, so every run writes into the same table size);
- baseline: a plain driver connection in the same process reading, for the
  same users in the same batches, their accounts and the same transaction
  rows (the reader's own statement: each user's rows of the 180-day
  lookback) and nothing else;
- assess --streams: the same, and every user's recurring streams detected
  from all their history and stored (the previous run's copies deleted
  first).
Prints users/s of each (medians) and the ratios, plus the ratio of the CPU
time this process used (barely affected by other load). Targets: the whole
assessment at >= 1/4 of the baseline's speed (1/3 stretch); the streams'
part (the time --streams adds) at >= 1/2 of assess's own rate.

With `--workers N` (N >= 2) it times instead, alternating `--repeat` times,
`spendsense assess --workers 1` and `--workers N` (assess_workers: worker
processes, each with its own engine and range of users) against the plain
read: users/s (wall clock, from the start of the processes to the last
commit), the workers' CPU time per user, on PostgreSQL the CPU time of the
backends serving them per user (ServerCpu), and each worker's peak RSS (and
what it added over its size at the start). Target: N = 2 at >= 1.5x the
users/s of one worker, the CPU time per user not growing.
`--users` takes a list (`10000,100000`): each size is seeded in turn (the
service's seeder, its bulk insert path) and measured.
"""

import argparse
import asyncio
import contextlib
import json
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import asyncpg  # noqa: E402
from common import (  # noqa: E402
    add_postgres_argument,
    asyncpg_dsn,
    connect_like_app,
    median,
    migrate_to_head,
    pg_run,
    print_load,
    print_machine_info,
    process_cpu_seconds,
    scratch_postgres_db,
    sqlite_url,
    temp_dir,
)
from sqlalchemy.engine import make_url  # noqa: E402

from app.backends import backend_of_url  # noqa: E402
from app.backends.sqlite_text import sqlite_utc_text  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.services.insights.assess import BATCH_USERS, AssessReport, assess_all  # noqa: E402
from app.services.insights.assess_workers import Job, assess_in_processes  # noqa: E402
from app.services.insights.reader import _TRANSACTIONS, first_day  # noqa: E402
from app.services.seeding import seed_users  # noqa: E402
from app.services.synthetic import SeedSpec  # noqa: E402

AS_OF = date(2026, 6, 30)
ACCOUNTS_SQL = "SELECT user_id, id FROM accounts WHERE user_id IN ({marks}) ORDER BY id"


async def seed(url: str, users: int, months: int = 6) -> None:
    engine = make_engine(url)
    try:
        spec = SeedSpec(users=users, seed=7, as_of=AS_OF, months=months)
        report = await seed_users(engine, spec)
    finally:
        await engine.dispose()
    print(f"seeded {users:,} users, {report.transactions_created:,} transactions "
          f"in {report.seconds:.1f} s")  # fmt: skip


async def consenting_users(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            result = await conn.exec_driver_sql("SELECT id FROM users WHERE consent ORDER BY id")
            return [row[0] for row in result]
    finally:
        await engine.dispose()


def batches(users: Sequence[str]) -> list[Sequence[str]]:
    return [users[i : i + BATCH_USERS] for i in range(0, len(users), BATCH_USERS)]


def read_sqlite(db_path: Path, users: Sequence[str]) -> int:
    """The baseline on SQLite: plain sqlite3, the reader's statements."""
    conn = connect_like_app(db_path)
    since = sqlite_utc_text(first_day(AS_OF))
    sql, _ = _TRANSACTIONS.compiled(backend_of_url("sqlite://"))
    rows = 0
    try:
        for batch in batches(users):
            marks = ",".join("?" * len(batch))
            accounts = [a for _, a in conn.execute(ACCOUNTS_SQL.format(marks=marks), batch)]
            params = {"accounts": json.dumps(accounts), "since": since}
            rows += len(conn.execute(sql, params).fetchall())
    finally:
        conn.close()
    return rows


async def read_postgres(url: str, users: Sequence[str]) -> int:
    """The baseline on PostgreSQL: plain asyncpg, the reader's statement."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    sql, _ = _TRANSACTIONS.compiled(backend_of_url(url))
    rows = 0
    try:
        for batch in batches(users):
            accounts = [
                r["id"]
                for r in await conn.fetch(
                    "SELECT id FROM accounts WHERE user_id = ANY($1::text[]) ORDER BY id",
                    list(batch),
                )
            ]
            rows += len(await conn.fetch(sql, accounts, first_day(AS_OF)))
    finally:
        await conn.close()
    return rows


async def assess(url: str, streams: bool = False) -> tuple[int, float]:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("DELETE FROM personas")
            await conn.exec_driver_sql("DELETE FROM stream_snapshots")
        started = time.perf_counter()
        report = await assess_all(engine, AS_OF, streams=streams)
        return report.assessed, time.perf_counter() - started
    finally:
        await engine.dispose()


def timed(work: Any) -> tuple[Any, float, float]:
    """(result, wall seconds, this process's CPU seconds, all threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run(url: str, users: Sequence[str], baseline: Any, repeat: int) -> None:
    rates: dict[str, list[float]] = {"baseline": [], "assess": [], "streams": []}
    cpus: dict[str, list[float]] = {"baseline": [], "assess": [], "streams": []}
    for n in range(1, repeat + 1):
        rows, wall, cpu = timed(lambda: baseline(users))
        rates["baseline"].append(len(users) / wall)
        cpus["baseline"].append(cpu)
        (assessed, _), wall_a, cpu_a = timed(lambda: asyncio.run(assess(url)))
        assert assessed == len(users), (assessed, len(users))
        rates["assess"].append(assessed / wall_a)
        cpus["assess"].append(cpu_a)
        (assessed, _), wall_s, cpu_s = timed(lambda: asyncio.run(assess(url, streams=True)))
        assert assessed == len(users), (assessed, len(users))
        rates["streams"].append(assessed / wall_s)
        cpus["streams"].append(cpu_s)
        print(
            f"run {n}: read only {len(users) / wall:8,.0f} users/s ({rows:,} rows, {cpu:.2f} s CPU)"
            f" | assess {assessed / wall_a:8,.0f} users/s ({cpu_a:.2f} s CPU)"
            f" | assess --streams {assessed / wall_s:8,.0f} users/s ({cpu_s:.2f} s CPU)"
        )
    base, ours = median(rates["baseline"]), median(rates["assess"])
    print(f"read only (median): {base:,.0f} users/s")
    print(f"assess, both windows, rows written (median): {ours:,.0f} users/s")
    ratio = ours / base
    verdict = "MET" if ratio >= 0.25 else "NOT MET"
    stretch = " (stretch 1/3 met)" if ratio >= 1 / 3 else ""
    print(f"ratio: {ratio:.3f} = 1/{1 / ratio:.2f} (target >= 1/4: {verdict}){stretch}")
    cpu_ratio = median(cpus["baseline"]) / median(cpus["assess"])
    print(f"CPU-time ratio (read CPU / assess CPU, insensitive to other load): {cpu_ratio:.3f}")
    with_streams = median(rates["streams"])
    # The streams' own rate: users over the time --streams adds.
    part = 1 / (1 / with_streams - 1 / ours)
    part_cpu = len(users) / (median(cpus["streams"]) - median(cpus["assess"]))
    verdict = "MET" if part / ours >= 0.5 else "NOT MET"
    print(f"assess --streams (median): {with_streams:,.0f} users/s = {with_streams / ours:.3f} "
          f"of assess's rate")  # fmt: skip
    print(f"the streams' part: {part:,.0f} users/s = {part / ours:.3f} of assess's rate "
          f"(target >= 1/2: {verdict}); by CPU time {part_cpu:,.0f} users/s = "
          f"{part_cpu / (len(users) / median(cpus['assess'])):.3f}")  # fmt: skip


class ServerCpu:
    """The CPU time of the PostgreSQL backends serving one database during a
    run whose connections come and go (worker processes): a thread reads
    the database's client backends (and their parallel query workers) from
    pg_stat_activity (through the admin URL's
    database, so it opens no backend of its own in the measured one) and
    their CPU from /proc every POLL s, and keeps the last value seen of each
    backend that started after it did. What a backend uses in its last POLL
    s before it exits is missed: a slight undercount."""

    POLL = 0.05

    def __init__(self, admin_url: str, database: str) -> None:
        self.admin_url, self.database = admin_url, database
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()

    async def _poll(self) -> None:
        conn = await asyncpg.connect(asyncpg_dsn(self.admin_url))
        # Autovacuum's workers are the server's, not the run's: not counted.
        sql = (
            "SELECT pid FROM pg_stat_activity WHERE datname = $1"
            " AND backend_type IN ('client backend', 'parallel worker')"
        )
        try:
            before = {row["pid"] for row in await conn.fetch(sql, self.database)}
            while not self.stop.is_set():
                for row in await conn.fetch(sql, self.database):
                    if row["pid"] not in before:
                        with contextlib.suppress(OSError):  # gone meanwhile
                            self.seen[row["pid"]] = process_cpu_seconds(row["pid"])
                await asyncio.sleep(self.POLL)
        finally:
            await conn.close()

    @contextlib.contextmanager
    def measuring(self) -> Iterator[None]:
        thread = threading.Thread(target=lambda: asyncio.run(self._poll()))
        thread.start()
        try:
            time.sleep(self.POLL * 2)  # the backends already there are read
            yield
        finally:
            self.stop.set()
            thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


def forget_personas(url: str) -> None:
    async def work() -> None:
        engine = make_engine(url)
        try:
            async with engine.begin() as conn:
                await conn.exec_driver_sql("DELETE FROM personas")
        finally:
            await engine.dispose()

    asyncio.run(work())


def in_workers(url: str, workers: int, admin_url: str | None) -> tuple[AssessReport, float]:
    """The report of `spendsense assess --workers N` and, on PostgreSQL, the
    CPU seconds its backends used (0.0 on SQLite: the engine is in-process)."""
    forget_personas(url)  # every run writes into the same table size
    if admin_url is None:
        return assess_in_processes(Job(url, AS_OF), workers), 0.0
    server = ServerCpu(admin_url, str(make_url(url).database))
    with server.measuring():
        report = assess_in_processes(Job(url, AS_OF), workers)
    return report, server.seconds


def run_workers(
    url: str,
    users: Sequence[str],
    baseline: Any,
    workers: int,
    repeat: int,
    admin_url: str | None = None,
) -> None:
    """1 worker against `workers`, and the plain read, alternating."""
    rates: dict[str, list[float]] = {"read": [], "1": [], "n": []}
    cpu_per_user: dict[str, list[float]] = {"1": [], "n": []}
    server_per_user: dict[str, list[float]] = {"1": [], "n": []}
    rss: dict[str, list[tuple[int, int]]] = {"1": [], "n": []}
    for n in range(1, repeat + 1):
        rows, wall, _ = timed(lambda: baseline(users))
        rates["read"].append(len(users) / wall)
        line = [f"run {n}: read only {len(users) / wall:8,.0f} users/s ({rows:,} rows)"]
        # Which count goes first alternates from run to run.
        for key, count in (("1", 1), ("n", workers)) if n % 2 else (("n", workers), ("1", 1)):
            report, server_cpu = in_workers(url, count, admin_url)
            assert report.assessed == len(users), (report.assessed, len(users))
            rates[key].append(report.users_per_second)
            cpu_per_user[key].append(report.cpu_seconds / report.assessed * 1000)
            server_per_user[key].append(server_cpu / report.assessed * 1000)
            rss[key].append((report.peak_rss_kib, report.peak_rss_kib - report.start_rss_kib))
            server = f"PostgreSQL {server_per_user[key][-1]:.3f} ms, " if admin_url else ""
            line.append(
                f"{count} worker(s) {report.users_per_second:8,.0f} users/s "
                f"({report.cpu_seconds / report.assessed * 1000:.3f} ms CPU/user, {server}"
                f"peak RSS {report.peak_rss_kib / 1024:.0f} MiB, "
                f"+{rss[key][-1][1] / 1024:.0f} MiB)"
            )
        print(" | ".join(line))
    one, many, read = median(rates["1"]), median(rates["n"]), median(rates["read"])
    ratio = many / one
    verdict = "MET" if ratio >= 1.5 else "NOT MET"
    print(f"read only (median): {read:,.0f} users/s")
    print(f"assess, 1 worker (median): {one:,.0f} users/s = {one / read:.3f} of the read; "
          f"{median(cpu_per_user['1']):.3f} ms CPU/user; "
          f"peak RSS {max(r for r, _ in rss['1']) / 1024:.0f} MiB "
          f"(+{max(g for _, g in rss['1']) / 1024:.0f} MiB over the start)")  # fmt: skip
    print(f"assess, {workers} workers (median): {many:,.0f} users/s = {many / read:.3f} of the "
          f"read; {median(cpu_per_user['n']):.3f} ms CPU/user; peak RSS per worker "
          f"{max(r for r, _ in rss['n']) / 1024:.0f} MiB "
          f"(+{max(g for _, g in rss['n']) / 1024:.0f} MiB over the start)")  # fmt: skip
    print(f"{workers} workers / 1 worker: {ratio:.2f}x wall clock (target >= 1.5x: {verdict}); "
          f"CPU per user {median(cpu_per_user['n']) / median(cpu_per_user['1']):.2f}x")  # fmt: skip
    if admin_url:
        one_db, many_db = median(server_per_user["1"]), median(server_per_user["n"])
        print(f"PostgreSQL backends' CPU per user (median): 1 worker {one_db:.3f} ms, "
              f"{workers} workers {many_db:.3f} ms; workers + PostgreSQL per user "
              f"{median(cpu_per_user['1']) + one_db:.3f} ms and "
              f"{median(cpu_per_user['n']) + many_db:.3f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="10000", help="users to seed (default 10000; a list "
                        "measures each size: 10000,100000)")  # fmt: skip
    parser.add_argument("--months", type=int, default=6, choices=range(3, 37), metavar="3-36",
                        help="history of each seeded user (default 6; fewer seed faster, "
                        "with fewer rows per user; the seeder's patterns need 3)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side (median)")
    parser.add_argument("--workers", type=int, default=1, help="N >= 2: time assess "
                        "--workers 1 against --workers N instead (see above)")  # fmt: skip
    add_postgres_argument(parser)
    args = parser.parse_args()
    print_machine_info()
    for size in (int(n) for n in args.users.split(",")):
        print(f"users={size} months={args.months} as_of={AS_OF} batch={BATCH_USERS} "
              f"repeat={args.repeat}"
              f"{f' workers=1,{args.workers}' if args.workers > 1 else ''}")  # fmt: skip
        measure(args, size)
    print_load("at end")


def measure(args: argparse.Namespace, size: int) -> None:
    def compare(url: str, users: list[str], baseline: Any) -> None:
        if args.workers > 1:
            run_workers(url, users, baseline, args.workers, args.repeat, args.postgres)
        else:
            run(url, users, baseline, args.repeat)

    if args.postgres:
        with scratch_postgres_db(args.postgres) as url:
            migrate_to_head(url)
            asyncio.run(seed(url, size, args.months))
            # The statistics and visibility map a live table gets from
            # autovacuum, before anything is timed (as read.py does).
            pg_run(url, lambda conn: conn.execute("VACUUM ANALYZE"))
            users = asyncio.run(consenting_users(url))
            compare(url, users, lambda u: asyncio.run(read_postgres(url, u)))
    else:
        with temp_dir("spendsense-bench-assess-") as tmp:
            db_path = tmp / "assess.db"
            url = sqlite_url(db_path)
            migrate_to_head(url)
            asyncio.run(seed(url, size, args.months))
            users = asyncio.run(consenting_users(url))
            sqlite3.connect(db_path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
            compare(url, users, lambda u: read_sqlite(db_path, u))


if __name__ == "__main__":
    main()
