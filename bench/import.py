"""Import benchmark: statement files against the bulk JSON ingest of the
same rows, side by side in one run.

Targets: importing a 100,000-transaction OFX file reaches >= 0.5x the rows/s
of POST /api/v1/transactions/bulk of the same rows (10 requests of 10k); a
CSV of the same rows >= 0.6x. Memory: the server's peak RSS after importing
a 10k-row file and a 100k-row file (each on a fresh server).

    .venv/bin/python bench/import.py [--rows 100000] [--rounds 3]
        [--postgres postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/postgres]
        [--compare-dir DIR]

Each round: a fresh migrated database and a fresh uvicorn worker (the
import size limit raised for the run), a user and accounts created through
the API, then the three loads in an order that rotates from round to round
(bulk, OFX, CSV; then OFX, CSV, bulk; ...), each into its own account.
Bodies and files are built before timing; the clock covers the requests end
to end, and the server process's CPU time is read around each load (the
CPU ratios barely move with other load on the machine, the wall-clock ones
do). Medians of the rounds are compared. `--compare-dir DIR`: every round
also runs the loads on the app of another checkout (e.g. main, for before
and after in one run), the two versions taking turns to go first.
Prints figures; not a test.
"""

import argparse
import contextlib
import dataclasses
import statistics
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import httpx
import orjson
import statements
from common import (
    API,
    Server,
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


@dataclasses.dataclass
class Load:
    """Wall-clock seconds and the server's CPU seconds of one load."""

    wall: float
    cpu: float


def timed(server: Server, run: Callable[[], None]) -> Load:
    cpu = server.cpu_seconds()
    start = time.perf_counter()
    run()
    return Load(time.perf_counter() - start, server.cpu_seconds() - cpu)


def bulk(http: httpx.Client, bodies: list[bytes], rows: int) -> None:
    created = 0
    for body in bodies:
        response = http.post(
            f"{API}/transactions/bulk", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 200, response.text
        created += response.json()["created"]
    assert created == rows, created


def upload(http: httpx.Client, data: bytes, media: str, rows: int, **params: str) -> None:
    response = http.post(
        f"{API}/users/usr_bench/imports",
        content=data,
        params=params,
        headers={"content-type": media},
    )
    assert response.status_code == 201, response.text[:500]
    assert response.json()["created"] == rows, response.json()


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def report(name: str, rows: int, loads: dict[str, list[Load]]) -> None:
    wall = {load: rows / statistics.median(x.wall for x in runs) for load, runs in loads.items()}
    cpu = {load: rows / statistics.median(x.cpu for x in runs) for load, runs in loads.items()}
    print()
    print(name)
    head = ("median rows/s", 16), ("vs bulk", 10), ("rows/CPU-s", 13), ("vs bulk", 10)
    print("load  " + "".join(f"{text:>{width}}" for text, width in head) + f"{'target':>10}")
    for load, target in (("bulk", None), ("ofx", 0.5), ("csv", 0.6)):
        goal = f">= {target:.1f}" if target else ""
        print(
            f"{load:<6}{wall[load]:>16,.0f}{wall[load] / wall['bulk']:>9.2f}x"
            f"{cpu[load]:>13,.0f}{cpu[load] / cpu['bulk']:>9.2f}x{goal:>10}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--compare-dir",
        type=Path,
        metavar="DIR",
        help="also measure the app of this checkout (another version), round by round",
    )
    add_postgres_argument(parser)
    args = parser.parse_args()
    print_machine_info()
    rows = args.rows
    print(f"building {rows} rows as OFX, CSV and bulk JSON ...")
    ofx, csv = statements.ofx(rows), statements.csv(rows)
    items = statements.bulk_items(rows, "acc_bulk")
    bodies = [orjson.dumps({"transactions": items[i : i + BATCH]}) for i in range(0, rows, BATCH)]
    print(f"OFX {len(ofx) / 1e6:.1f} MB, CSV {len(csv) / 1e6:.1f} MB, bulk {len(bodies)} x {BATCH}")
    runs: dict[str, Callable[[httpx.Client], None]] = {
        "bulk": lambda http: bulk(http, bodies, rows),
        "ofx": lambda http: upload(http, ofx, "application/x-ofx", rows),
        "csv": lambda http: upload(http, csv, "text/csv", rows, account_id="acc_csv"),
    }
    order = list(runs)
    versions: dict[str, Path | None] = {"this checkout": None}
    if args.compare_dir:
        versions[f"{args.compare_dir.resolve().name} (--compare-dir)"] = args.compare_dir
    times = {version: {load: list[Load]() for load in order} for version in versions}
    with temp_dir("spendsense_bench_import_") as folder:
        for round_ in range(args.rounds):
            turn = order[round_ % 3 :] + order[: round_ % 3]
            names = list(versions)
            for version in names[round_ % len(names) :] + names[: round_ % len(names)]:
                with (
                    database(args.postgres, folder, f"round{round_}_{names.index(version)}") as url,
                    uvicorn_server("app.main:app", env(url), app_dir=versions[version]) as server,
                    httpx.Client(base_url=server.url, timeout=600) as http,
                ):
                    setup(http)
                    for load in turn:
                        times[version][load].append(timed(server, partial(runs[load], http)))
                print(
                    f"round {round_ + 1}, {version} ({', '.join(turn)}): "
                    + ", ".join(
                        f"{n} {rows / times[version][n][-1].wall:,.0f} rows/s "
                        f"({times[version][n][-1].cpu:.2f} s CPU)"
                        for n in order
                    )
                )
        memory: dict[str, dict[int, tuple[int, int]]] = {version: {} for version in versions}
        for count in (rows // 10, rows):
            data = statements.ofx(count)
            for index, (version, app_dir) in enumerate(versions.items()):
                with (
                    database(args.postgres, folder, f"memory{count}_{index}") as url,
                    uvicorn_server("app.main:app", env(url), app_dir=app_dir) as server,
                    httpx.Client(base_url=server.url, timeout=600) as http,
                ):
                    setup(http)
                    before = peak_rss_kib(server.pid)
                    upload(http, data, "application/x-ofx", count)
                    memory[version][count] = (before, peak_rss_kib(server.pid))
    for version in versions:
        report(version, rows, times[version])
        for count, (before, after) in memory[version].items():
            print(
                f"server peak RSS importing {count:>7,} OFX rows: {after / 1024:,.0f} MiB "
                f"(idle server {before / 1024:,.0f} MiB)"
            )
    print_load("at end")


if __name__ == "__main__":
    main()
