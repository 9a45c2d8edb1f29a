"""Ingest benchmark: POST /api/v1/transactions/bulk against plain sqlite3.

Target: 100k transactions sent as 10 sequential requests of 10k to one
uvicorn worker reach >= 50% of the rows/s that plain `sqlite3.executemany`
achieves inserting the same rows into the same migrated schema (same pragmas,
one transaction per 10k chunk).

    .venv/bin/python bench/ingest.py [--rows 100000] [--batch 10000] [--repeat 3]

Prints figures; it is not a test. Each repeat uses fresh databases and a
fresh server; the median rows/s of each side is compared.
"""

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
from common import (
    API,
    INSERT_TXN_SQL,
    as_json_item,
    as_sqlite_row,
    chunks,
    connect_like_app,
    create_fixture_via_api,
    create_fixture_via_sqlite,
    fixture_ids,
    median,
    migrated_db,
    print_load,
    print_machine_info,
    server_env,
    sqlite_url,
    temp_dir,
    txn_rows,
    uvicorn_server,
)

TARGET_RATIO = 0.5
N_ACCOUNTS = 4


@dataclass(frozen=True)
class Rate:
    rows_per_s: float
    cpu_s: float  # CPU time of the inserting process(es) during the timed part


def api_rate(workdir: Path, bodies: list[bytes], n_rows: int) -> Rate:
    """Start the app on a fresh migrated db and time the bulk POSTs end to end."""
    db = migrated_db(workdir / "api.db")
    fixture = fixture_ids(N_ACCOUNTS)
    with (
        uvicorn_server("app.main:app", server_env(sqlite_url(db))) as server,
        httpx.Client(base_url=server.url, timeout=300.0) as client,
    ):
        create_fixture_via_api(client, fixture)
        headers = {"content-type": "application/json"}
        created = skipped = 0
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
    if created != n_rows or skipped != 0:
        raise RuntimeError(f"expected {n_rows} created, got created={created} skipped={skipped}")
    conn = connect_like_app(db)
    try:
        stored = conn.execute("SELECT count(*) FROM transactions").fetchone()[0]
    finally:
        conn.close()
    if stored != n_rows:
        raise RuntimeError(f"expected {n_rows} rows stored, found {stored}")
    return Rate(n_rows / elapsed, cpu)


def sqlite_rate(workdir: Path, rows: list[tuple[object, ...]], batch: int) -> Rate:
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
        stored = conn.execute("SELECT count(*) FROM transactions").fetchone()[0]
    finally:
        conn.close()
    if stored != len(rows):
        raise RuntimeError(f"expected {len(rows)} rows stored, found {stored}")
    return Rate(len(rows) / elapsed, cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="transactions in total")
    parser.add_argument("--batch", type=int, default=10_000, help="transactions per request")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side (median)")
    args = parser.parse_args()

    print_machine_info()
    fixture = fixture_ids(N_ACCOUNTS)
    generated = list(txn_rows(args.rows, fixture.account_ids))
    # Serialized before timing: the figure is the server's, not the client's JSON encoder.
    bodies = [
        orjson.dumps({"transactions": [as_json_item(r) for r in chunk]})
        for chunk in chunks(generated, args.batch)
    ]
    plain_rows = [as_sqlite_row(r) for r in generated]
    n_requests = len(bodies)
    print(
        f"rows={args.rows} batch={args.batch} requests={n_requests} "
        f"body={len(bodies[0]) / 1e6:.2f} MB/request repeat={args.repeat}"
    )

    api_runs: list[Rate] = []
    plain_runs: list[Rate] = []
    for run in range(1, args.repeat + 1):
        with temp_dir("spendsense-bench-ingest-") as workdir:
            plain_runs.append(sqlite_rate(workdir, plain_rows, args.batch))
            api_runs.append(api_rate(workdir, bodies, args.rows))
        print(
            f"run {run}: sqlite3.executemany {plain_runs[-1].rows_per_s:>9,.0f} rows/s"
            f" ({plain_runs[-1].cpu_s:.2f} s CPU) | bulk route"
            f" {api_runs[-1].rows_per_s:>9,.0f} rows/s ({api_runs[-1].cpu_s:.2f} s server CPU)"
        )

    api = median([r.rows_per_s for r in api_runs])
    plain = median([r.rows_per_s for r in plain_runs])
    ratio = api / plain
    cpu_ratio = median([r.cpu_s for r in plain_runs]) / median([r.cpu_s for r in api_runs])
    verdict = "MET" if ratio >= TARGET_RATIO else "MISSED"
    print(f"sqlite3.executemany (median): {plain:,.0f} rows/s ({args.rows / plain:.2f} s)")
    print(f"POST bulk, 1 worker (median): {api:,.0f} rows/s ({args.rows / api:.2f} s)")
    print(f"ratio: {ratio:.1%} (target >= {TARGET_RATIO:.0%}: {verdict})")
    print(f"CPU-time ratio (sqlite3 CPU / server CPU, insensitive to other load): {cpu_ratio:.1%}")
    print_load("at end")


if __name__ == "__main__":
    main()
