"""Import benchmark: statement files against the bulk JSON ingest of the
same rows, side by side in one run.

Targets: importing a 100,000-transaction OFX file reaches >= 0.5x the rows/s
of POST /api/v1/transactions/bulk of the same rows (10 requests of 10k); a
CSV of the same rows >= 0.6x. Memory: the server's peak RSS after importing
a 10k-row file and a 100k-row file (each on a fresh server).

    .venv/bin/python bench/import.py [--rows 100000] [--rounds 3]
        [--postgres postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/postgres]

Each round: a fresh migrated database and a fresh uvicorn worker (the
import size limit raised for the run), a user and accounts created through
the API, then the three loads in an order that rotates from round to round
(bulk, OFX, CSV; then OFX, CSV, bulk; ...), each into its own account.
Bodies and files are built before timing; the clock covers the requests end
to end. Medians of the rounds are compared. Prints figures; not a test.
"""

import argparse
import contextlib
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import statements
from common import (
    API,
    add_postgres_argument,
    migrate_to_head,
    print_load,
    print_machine_info,
    scratch_postgres_db,
    server_env,
    sqlite_url,
    temp_dir,
    uvicorn_server,
)

LIMIT = str(512 * 1024 * 1024)  # the benchmark's files are larger than the default limit
BATCH = 10_000


@contextlib.contextmanager
def database(postgres: str | None, folder: Path, name: str) -> Iterator[str]:
    if postgres:
        with scratch_postgres_db(postgres) as url:
            migrate_to_head(url)
            yield url
    else:
        url = sqlite_url(folder / f"{name}.db")
        migrate_to_head(url)
        yield url


def env(url: str) -> dict[str, str]:
    return server_env(url, SPENDSENSE_IMPORT_MAX_BYTES=LIMIT, MAX_BODY_BYTES=LIMIT)


def setup(http: httpx.Client) -> None:
    user = {"id": "usr_bench", "name": "Bench", "email": "bench@example.com"}
    assert http.post(f"{API}/users", json=user).status_code == 201
    for account in ("acc_bulk", "acc_csv"):
        body = {"id": account, "type": "depository", "subtype": "checking", "name": account}
        body |= {"mask": "0001", "balance": 0}
        assert http.post(f"{API}/users/usr_bench/accounts", json=body).status_code == 201


def bulk(http: httpx.Client, bodies: list[bytes], rows: int) -> float:
    start = time.perf_counter()
    created = 0
    for body in bodies:
        response = http.post(
            f"{API}/transactions/bulk", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 200, response.text
        created += response.json()["created"]
    elapsed = time.perf_counter() - start
    assert created == rows, created
    return elapsed


def upload(http: httpx.Client, data: bytes, media: str, rows: int, **params: str) -> float:
    start = time.perf_counter()
    response = http.post(
        f"{API}/users/usr_bench/imports",
        content=data,
        params=params,
        headers={"content-type": media},
    )
    elapsed = time.perf_counter() - start
    assert response.status_code == 201, response.text[:500]
    assert response.json()["created"] == rows, response.json()
    return elapsed


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    add_postgres_argument(parser)
    args = parser.parse_args()
    print_machine_info()
    rows = args.rows
    print(f"building {rows} rows as OFX, CSV and bulk JSON ...")
    ofx, csv = statements.ofx(rows), statements.csv(rows)
    items = statements.bulk_items(rows, "acc_bulk")
    bodies = [orjson.dumps({"transactions": items[i : i + BATCH]}) for i in range(0, rows, BATCH)]
    print(f"OFX {len(ofx) / 1e6:.1f} MB, CSV {len(csv) / 1e6:.1f} MB, bulk {len(bodies)} x {BATCH}")
    times: dict[str, list[float]] = {"bulk": [], "ofx": [], "csv": []}
    loads = {
        "bulk": lambda http: bulk(http, bodies, rows),
        "ofx": lambda http: upload(http, ofx, "application/x-ofx", rows),
        "csv": lambda http: upload(http, csv, "text/csv", rows, account_id="acc_csv"),
    }
    order = list(loads)
    with temp_dir("spendsense_bench_import_") as folder:
        for round_ in range(args.rounds):
            with (
                database(args.postgres, folder, f"round{round_}") as url,
                uvicorn_server("app.main:app", env(url)) as server,
                httpx.Client(base_url=server.url, timeout=600) as http,
            ):
                setup(http)
                turn = order[round_ % 3 :] + order[: round_ % 3]
                for name in turn:
                    times[name].append(loads[name](http))
                print(
                    f"round {round_ + 1} ({', '.join(turn)}): "
                    + ", ".join(f"{n} {rows / times[n][-1]:,.0f} rows/s" for n in order)
                )
        memory = {}
        for count in (rows // 10, rows):
            data = statements.ofx(count)
            with (
                database(args.postgres, folder, f"memory{count}") as url,
                uvicorn_server("app.main:app", env(url)) as server,
                httpx.Client(base_url=server.url, timeout=600) as http,
            ):
                setup(http)
                before = peak_rss_kib(server.pid)
                upload(http, data, "application/x-ofx", count)
                memory[count] = (before, peak_rss_kib(server.pid))
    rate = {name: rows / statistics.median(samples) for name, samples in times.items()}
    print()
    print(f"{'load':<6}{'median rows/s':>16}{'vs bulk':>10}{'target':>10}")
    for name, target in (("bulk", None), ("ofx", 0.5), ("csv", 0.6)):
        ratio = rate[name] / rate["bulk"]
        goal = f">= {target:.1f}" if target else ""
        print(f"{name:<6}{rate[name]:>16,.0f}{ratio:>9.2f}x{goal:>10}")
    print()
    for count, (before, after) in memory.items():
        print(
            f"server peak RSS importing {count:>7,} OFX rows: {after / 1024:,.0f} MiB "
            f"(idle server {before / 1024:,.0f} MiB)"
        )
    print_load("at end")


if __name__ == "__main__":
    main()
