"""Ingest benchmark: POST /api/v1/transactions/bulk against plain sqlite3.

Target: 100k transactions sent as 10 sequential requests of 10k to one
uvicorn worker reach >= 60% of the rows/s that plain `sqlite3.executemany`
achieves inserting the same rows into the same migrated schema (same pragmas,
one transaction per 10k chunk).

    .venv/bin/python bench/ingest.py [--rows 100000] [--batch 10000] [--repeat 3]
        [--postgres postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/postgres]
        [--compare-dir DIR]

With --postgres the same comparison runs on that PostgreSQL server instead:
the app on a scratch database against plain asyncpg `executemany` of the same
INSERT into another (and, as an extra figure that is not the baseline,
`copy_records_to_table`). Scratch databases are created, migrated and dropped
on that server; it must run on this machine for its CPU time to be read.

`--compare-dir DIR`: every repeat also times the bulk route of the app in
another checkout (uvicorn --app-dir DIR, its own fresh database), right after
this one's: before and after side by side in one run.

Prints figures; it is not a test. Each repeat uses fresh databases and a
fresh server; the median rows/s of each side is compared.
"""

import argparse
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

import asyncpg
import httpx
import orjson
from common import (
    API,
    INSERT_TXN_SQL,
    TXN_COLUMNS,
    add_postgres_argument,
    as_json_item,
    as_sqlite_row,
    chunks,
    connect_like_app,
    create_fixture_via_api,
    create_fixture_via_asyncpg,
    create_fixture_via_sqlite,
    fixture_ids,
    median,
    migrate_to_head,
    migrated_db,
    numbered_params,
    pg_run,
    postgres_backends_cpu,
    print_load,
    print_machine_info,
    process_cpu_seconds,
    scratch_postgres_db,
    server_env,
    sqlite_url,
    temp_dir,
    txn_rows,
    uvicorn_server,
)

TARGET_RATIO = 0.6
N_ACCOUNTS = 4
COUNT_SQL = "SELECT count(*) FROM transactions"


@dataclass(frozen=True)
class Rate:
    rows_per_s: float
    cpu_s: float  # CPU time of the inserting process(es) during the timed part
    db_cpu_s: float | None = None  # PostgreSQL: CPU time of the backends serving them

    @property
    def total_cpu_s(self) -> float:
        return self.cpu_s + (self.db_cpu_s or 0.0)

    def cpu_text(self, whose: str = "") -> str:
        text = f"{self.cpu_s:.2f} s {whose}CPU"
        return text if self.db_cpu_s is None else f"{text} + {self.db_cpu_s:.2f} s postgres CPU"


@dataclass(frozen=True)
class Leg:
    """What one database's comparison is called in the output."""

    baseline: str  # the baseline's name (19 characters keep the medians aligned)
    cpu_ratio: str  # whose CPU time the CPU-time ratio divides by whose


SQLITE = Leg("sqlite3.executemany", "sqlite3 CPU / server CPU")
POSTGRES = Leg("asyncpg executemany", "asyncpg + postgres CPU / server + postgres CPU")

# One repeat: the baseline, the bulk route, an extra figure (or None) and the
# bulk route of the --compare-dir app (or None).
Run = tuple[Rate, Rate, Rate | None, Rate | None]


class Load(NamedTuple):
    """One run's work: the rows in the baseline's stored form, the bulk
    bodies, the other checkout to time too, the baseline's chunk size, the
    rows expected stored."""

    rows: Sequence[tuple[object, ...]]
    bodies: list[bytes]
    compare_dir: Path | None
    batch: int
    n: int


def expect_stored(stored: int, n_rows: int) -> None:
    if stored != n_rows:
        raise RuntimeError(f"expected {n_rows} rows stored, found {stored}")


def api_rate(
    database_url: str,
    bodies: list[bytes],
    n_rows: int,
    count_rows: Callable[[], int],
    backends_cpu: Callable[[], dict[int, float]] | None = None,
    app_dir: Path | None = None,
) -> Rate:
    """Start the app (of `app_dir`, else this checkout) on a fresh migrated db
    and time the bulk POSTs end to end. `backends_cpu`: the CPU time of each
    database server process serving the app, so far (PostgreSQL)."""
    fixture = fixture_ids(N_ACCOUNTS)
    with (
        uvicorn_server("app.main:app", server_env(database_url), app_dir=app_dir) as server,
        httpx.Client(base_url=server.url, timeout=300.0) as client,
    ):
        create_fixture_via_api(client, fixture)
        headers = {"content-type": "application/json"}
        created = skipped = 0
        db_cpu_before = backends_cpu() if backends_cpu else {}
        cpu_before = server.cpu_seconds()
        start = time.perf_counter()
        for body in bodies:
            response = client.post(f"{API}/transactions/bulk", content=body, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"bulk answered {response.status_code}: {response.text[:500]}")
            result = response.json()
            created += result["created"]
            skipped += result["skipped"]
        elapsed = time.perf_counter() - start
        cpu = server.cpu_seconds() - cpu_before
        db_cpu = None
        if backends_cpu:
            db_cpu = sum(t - db_cpu_before.get(pid, 0.0) for pid, t in backends_cpu().items())
    if created != n_rows or skipped != 0:
        raise RuntimeError(f"expected {n_rows} created, got created={created} skipped={skipped}")
    expect_stored(count_rows(), n_rows)
    return Rate(n_rows / elapsed, cpu, db_cpu)


# --- SQLite -----------------------------------------------------------------


def sqlite_count(db: Path) -> int:
    conn = connect_like_app(db)
    try:
        return int(conn.execute(COUNT_SQL).fetchone()[0])
    finally:
        conn.close()


def sqlite_rate(workdir: Path, rows: Sequence[tuple[object, ...]], batch: int) -> Rate:
    """Plain sqlite3: one executemany per chunk, each chunk its own transaction."""
    db = migrated_db(workdir / "plain.db")
    conn = connect_like_app(db)
    try:
        create_fixture_via_sqlite(conn, fixture_ids(N_ACCOUNTS))
        cpu_before = time.process_time()
        start = time.perf_counter()
        for chunk in chunks(rows, batch):
            conn.execute("BEGIN")
            conn.executemany(INSERT_TXN_SQL, chunk)
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_before
        stored = conn.execute(COUNT_SQL).fetchone()[0]
    finally:
        conn.close()
    expect_stored(stored, len(rows))
    return Rate(len(rows) / elapsed, cpu)


def sqlite_api_rate(
    workdir: Path, name: str, bodies: list[bytes], n: int, app_dir: Path | None
) -> Rate:
    db = migrated_db(workdir / name)
    return api_rate(sqlite_url(db), bodies, n, partial(sqlite_count, db), app_dir=app_dir)


def sqlite_run(load: Load) -> Run:
    rows, bodies, compare_dir, batch, n = load
    with temp_dir("spendsense-bench-ingest-") as workdir:
        plain = sqlite_rate(workdir, rows, batch)
        bulk = sqlite_api_rate(workdir, "api.db", bodies, n, None)
        other = (
            sqlite_api_rate(workdir, "other.db", bodies, n, compare_dir) if compare_dir else None
        )
        return plain, bulk, None, other


# --- PostgreSQL -------------------------------------------------------------


async def asyncpg_insert(
    conn: asyncpg.Connection, rows: Sequence[tuple[object, ...]], batch: int, copy: bool
) -> Rate:
    """The fixture, then the rows: one executemany of INSERT_TXN_SQL (or one
    COPY) per chunk, each chunk its own transaction."""
    await create_fixture_via_asyncpg(conn, fixture_ids(N_ACCOUNTS))
    insert = numbered_params(INSERT_TXN_SQL)
    backend = conn.get_server_pid()
    db_cpu_before = process_cpu_seconds(backend)
    cpu_before = time.process_time()
    start = time.perf_counter()
    for chunk in chunks(rows, batch):
        async with conn.transaction():
            if copy:
                await conn.copy_records_to_table("transactions", records=chunk, columns=TXN_COLUMNS)
            else:
                await conn.executemany(insert, chunk)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_before
    db_cpu = process_cpu_seconds(backend) - db_cpu_before
    expect_stored(await conn.fetchval(COUNT_SQL), len(rows))
    return Rate(len(rows) / elapsed, cpu, db_cpu)


def postgres_rate(
    server_url: str, rows: Sequence[tuple[object, ...]], batch: int, copy: bool
) -> Rate:
    """Plain asyncpg into a fresh migrated scratch database."""
    with scratch_postgres_db(server_url) as url:
        migrate_to_head(url)
        return pg_run(url, partial(asyncpg_insert, rows=rows, batch=batch, copy=copy))


def postgres_api_rate(
    server_url: str, bodies: list[bytes], n_rows: int, app_dir: Path | None = None
) -> Rate:
    with scratch_postgres_db(server_url) as url:
        migrate_to_head(url)
        count = partial(pg_run, url, lambda conn: conn.fetchval(COUNT_SQL))
        backends = partial(postgres_backends_cpu, url)
        return api_rate(url, bodies, n_rows, count, backends, app_dir=app_dir)


def postgres_run(server_url: str, load: Load) -> Run:
    rows, bodies, compare_dir, batch, n = load
    return (
        postgres_rate(server_url, rows, batch, copy=False),
        postgres_api_rate(server_url, bodies, n),
        postgres_rate(server_url, rows, batch, copy=True),
        postgres_api_rate(server_url, bodies, n, compare_dir) if compare_dir else None,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="transactions in total")
    parser.add_argument("--batch", type=int, default=10_000, help="transactions per request")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side (median)")
    add_postgres_argument(parser)
    parser.add_argument(
        "--compare-dir",
        type=Path,
        help="also time the bulk route of the app in this checkout (before/after in one run)",
    )
    args = parser.parse_args()

    print_machine_info()
    fixture = fixture_ids(N_ACCOUNTS)
    generated = list(txn_rows(args.rows, fixture.account_ids))
    # Serialized before timing: the figure is the server's, not the client's JSON encoder.
    bodies = [
        orjson.dumps({"transactions": [as_json_item(r) for r in chunk]})
        for chunk in chunks(generated, args.batch)
    ]
    n_requests = len(bodies)
    print(
        f"rows={args.rows} batch={args.batch} requests={n_requests} "
        f"body={len(bodies[0]) / 1e6:.2f} MB/request repeat={args.repeat}"
    )
    if args.postgres:
        settings = "SELECT current_setting('server_version'), current_setting('synchronous_commit')"
        version, sync = pg_run(args.postgres, lambda conn: conn.fetchrow(settings))
        print(f"postgresql={version} synchronous_commit={sync}")
        # The generated rows are already the stored form for asyncpg: an aware
        # UTC datetime for timestamptz, a bool for boolean.
        leg = POSTGRES
        load = Load(generated, bodies, args.compare_dir, args.batch, args.rows)
        one_run = partial(postgres_run, args.postgres)
    else:
        plain_rows = [as_sqlite_row(r) for r in generated]
        load = Load(plain_rows, bodies, args.compare_dir, args.batch, args.rows)
        leg, one_run = SQLITE, sqlite_run

    compared = f"bulk route of {args.compare_dir.resolve().name}" if args.compare_dir else ""
    runs: list[Run] = []
    for run in range(1, args.repeat + 1):
        runs.append(one_run(load))
        base, bulk, extra, other = runs[-1]
        line = (
            f"run {run}: {leg.baseline} {base.rows_per_s:>9,.0f} rows/s ({base.cpu_text()})"
            f" | bulk route {bulk.rows_per_s:>9,.0f} rows/s ({bulk.cpu_text('server ')})"
        )
        if extra is not None:
            line += f" | COPY {extra.rows_per_s:>9,.0f} rows/s ({extra.cpu_text()})"
        if other is not None:
            line += f" | {compared} {other.rows_per_s:>9,.0f} rows/s ({other.cpu_text('server ')})"
        print(line)

    plain = median([base.rows_per_s for base, _, _, _ in runs])
    api = median([bulk.rows_per_s for _, bulk, _, _ in runs])
    ratio = api / plain
    base_cpu = median([base.total_cpu_s for base, _, _, _ in runs])
    cpu_ratio = base_cpu / median([bulk.total_cpu_s for _, bulk, _, _ in runs])
    verdict = "MET" if ratio >= TARGET_RATIO else "MISSED"
    print(f"{leg.baseline} (median): {plain:,.0f} rows/s ({args.rows / plain:.2f} s)")
    print(f"POST bulk, 1 worker (median): {api:,.0f} rows/s ({args.rows / api:.2f} s)")
    print(f"ratio: {ratio:.1%} (target >= {TARGET_RATIO:.0%}: {verdict})")
    print(f"CPU-time ratio ({leg.cpu_ratio}, insensitive to other load): {cpu_ratio:.1%}")
    others = [other for _, _, _, other in runs if other is not None]
    if others:
        other_api = median([other.rows_per_s for other in others])
        other_cpu = base_cpu / median([other.total_cpu_s for other in others])
        print(
            f"{compared} (median): {other_api:,.0f} rows/s ({args.rows / other_api:.2f} s):"
            f" ratio {other_api / plain:.1%}, CPU-time ratio {other_cpu:.1%}"
        )
    copies = [extra.rows_per_s for _, _, extra, _ in runs if extra is not None]
    if copies:
        copy = median(copies)
        print(
            f"not the baseline: asyncpg copy_records_to_table (median): {copy:,.0f} rows/s"
            f" ({args.rows / copy:.2f} s); the bulk route reaches {api / copy:.1%} of it"
        )
    print_load("at end")


if __name__ == "__main__":
    main()
