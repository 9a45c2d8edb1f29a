"""Read benchmark: 50-row pages of GET /api/v1/accounts/{id}/transactions.

Targets:
- throughput: one uvicorn worker serving the real route reaches >= 40% of
  the requests/s of a FastAPI app (also one uvicorn worker) returning the
  same bytes from memory, under the same load generator (wrk when
  installed, else a Python asyncio closed loop over raw connections) and the
  same URL mix; two mixes: one account's pages (first, following, deep pages
  reached by cursor), and the first pages of all 200 accounts (a population
  of clients, >= 45% there); with --postgres, the same app on PostgreSQL
  reaches >= 25% in both mixes and opens no database connection once warm;
- latency: the median time of one sequential 50-row page grows by at most
  1.5x from a 10k-row database to a 1M-row one.

    .venv/bin/python bench/read.py [--rows 10000,1000000] [--quick] [--postgres URL]
        [--app-dir DIR] [--compare-dir DIR]
    .venv/bin/python bench/read.py --floors [--postgres URL]

`--floors` measures instead the setup of issue 24 (100 accounts, random
first pages, the static and raw-driver floors): bench/read_floors.py.

Databases are seeded straight into the Alembic-migrated schema (SQLite with
plain sqlite3, dates in the app's stored text; PostgreSQL with asyncpg's
COPY into a scratch database), the fastest way to get 1M rows; both get the
same rows, and every page the mixes use must be the same bytes on both.
Layout: 200 accounts; the "focus" account holds 5,000 rows whatever the
database size (1M / 200 = a realistic share); from 100k rows up, a "hot"
account holds 80% of all rows; the rest is spread over the other accounts.
Prints figures; it is not a test.
"""

import argparse
import asyncio
import contextlib
import itertools
import json
import random
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from common import (
    API,
    STORED_DATE_FORMAT,
    Backends,
    Server,
    add_postgres_argument,
    backends_cpu_s,
    backends_opened,
    connect_like_app,
    fixture_ids,
    median,
    migrate_to_head,
    migrated_db,
    percentile,
    pg_run,
    postgres_backends,
    print_load,
    print_machine_info,
    scratch_postgres_db,
    seed_postgres_rows,
    seed_sqlite_rows,
    server_env,
    sqlite_url,
    temp_dir,
    uvicorn_server,
)
from read_floors import run_floors
from sqlalchemy.engine import make_url

TARGET_RATIO = 0.4
SPREAD_TARGET_RATIO = 0.45
POSTGRES_TARGET_RATIO = 0.25
GROWTH_GOAL = 1.5
N_ACCOUNTS = 200
FOCUS_ROWS = 5_000
HOT_SHARE = 0.8
HOT_FROM_ROWS = 100_000
PAGE = 50

BASELINE_APP = """\"\"\"Baseline: the same page bytes, served from memory by FastAPI.\"\"\"

import json
import os

from fastapi import FastAPI, Response

with open(os.environ["BENCH_BODIES"], encoding="utf-8") as fh:
    BODIES = {k: v.encode() for k, v in json.load(fh).items()}

app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/accounts/{account_id}/transactions")
async def page(account_id: str, limit: int = 50, cursor: str | None = None) -> Response:
    return Response(content=BODIES[f"{account_id} {cursor or ''}"], media_type="application/json")
"""

WRK_SCRIPT = """local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


@dataclass(frozen=True)
class Layout:
    total: int
    focus: str
    hot: str | None
    hot_rows: int
    accounts: tuple[str, ...]


def make_layout(total: int) -> tuple[Layout, list[str]]:
    """Which account each row belongs to, shuffled so dates interleave."""
    ids = fixture_ids(N_ACCOUNTS).account_ids
    focus_rows = min(FOCUS_ROWS, total // 2)
    hot = ids[1] if total >= HOT_FROM_ROWS else None
    hot_rows = int(total * HOT_SHARE) if hot else 0
    others = ids[2:] if hot else ids[1:]
    rest = total - focus_rows - hot_rows
    owners = [ids[0]] * focus_rows + [ids[1]] * hot_rows
    owners += [others[i % len(others)] for i in range(rest)]
    random.Random(7).shuffle(owners)
    return Layout(total, ids[0], hot, hot_rows, ids), owners


def seed_sqlite(db: Path, total: int) -> Layout:
    layout, owners = make_layout(total)
    seed_sqlite_rows(db, fixture_ids(N_ACCOUNTS), owners, total)
    return layout


def seed_postgres(url: str, total: int) -> Layout:
    layout, owners = make_layout(total)
    seed_postgres_rows(url, fixture_ids(N_ACCOUNTS), owners, total)
    return layout


# --- databases --------------------------------------------------------------


@dataclass(frozen=True)
class Store:
    """One seeded database: a SQLite file or a scratch PostgreSQL database."""

    kind: str  # "SQLite" or "PostgreSQL"
    url: str  # SQLAlchemy URL, as the app's DATABASE_URL
    layout: Layout
    admin_url: str | None = None  # PostgreSQL: another database of the server

    def row_at(self, account_id: str, offset: int) -> tuple[datetime, str]:
        """(date, id) of the account's row at `offset` in list order."""
        sql = (
            "SELECT date, id FROM transactions WHERE account_id = {} "
            "ORDER BY date DESC, id DESC LIMIT 1 OFFSET {}"
        )
        if self.kind == "PostgreSQL":
            row = pg_run(
                self.url, lambda conn: conn.fetchrow(sql.format("$1", "$2"), account_id, offset)
            )
            return row["date"], str(row["id"])
        conn = connect_like_app(Path(str(make_url(self.url).database)))
        try:
            stored, txn_id = conn.execute(sql.format("?", "?"), (account_id, offset)).fetchone()
        finally:
            conn.close()
        when = datetime.strptime(stored, STORED_DATE_FORMAT).replace(tzinfo=UTC)
        return when, str(txn_id)

    def backends(self) -> Backends | None:
        """PostgreSQL: the server's view of the app's connections."""
        if self.admin_url is None:
            return None
        return postgres_backends(self.admin_url, str(make_url(self.url).database))


def sqlite_store(workdir: Path, total: int) -> Store:
    db = migrated_db(workdir / f"read_{total}.db")
    start = time.perf_counter()
    layout = seed_sqlite(db, total)
    print(f"SQLite: seeded {total:,} rows in {time.perf_counter() - start:.1f} s")
    return Store("SQLite", sqlite_url(db), layout)


def postgres_store(stack: contextlib.ExitStack, admin_url: str, total: int) -> Store:
    url = stack.enter_context(scratch_postgres_db(admin_url))
    migrate_to_head(url)
    start = time.perf_counter()
    layout = seed_postgres(url, total)
    print(f"PostgreSQL: seeded {total:,} rows in {time.perf_counter() - start:.1f} s")
    return Store("PostgreSQL", url, layout, admin_url)


# --- page URLs --------------------------------------------------------------


def page_path(account_id: str, cursor: str | None = None) -> str:
    path = f"{API}/accounts/{account_id}/transactions?limit={PAGE}"
    return path + (f"&cursor={cursor}" if cursor else "")


def body_key(path: str) -> str:
    """The baseline's key of a page path: `<account id> <cursor>`."""
    account_id = path.split("/accounts/", 1)[1].split("/", 1)[0]
    return f"{account_id} {path.partition('&cursor=')[2]}"


def get_page(client: httpx.Client, path: str) -> dict[str, object]:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    body: dict[str, object] = response.json()
    return body


def deep_cursor(client: httpx.Client, store: Store, account_id: str, offset: int) -> str | None:
    """A cursor continuing after the row at `offset`, built with the app's own
    cursor encoder (walking there 50 rows at a time would take too long at 1M
    rows), checked against the database: the page must start at offset + 1."""
    try:
        from app.services.pagination import encode_cursor
    except ImportError:
        return None
    when, txn_id = store.row_at(account_id, offset)
    cursor = encode_cursor([when, txn_id])
    items = get_page(client, page_path(account_id, cursor))["items"]
    expected = store.row_at(account_id, offset + 1)[1]
    if not isinstance(items, list) or not items or items[0]["id"] != expected:
        print(f"  ! crafted cursor does not land at row {offset + 1}; deep page skipped")
        return None
    return cursor


def follow(client: httpx.Client, account_id: str, cursor: str | None, pages: int) -> list[str]:
    """`pages` consecutive page paths starting at `cursor`, via next_cursor."""
    paths = []
    for _ in range(pages):
        path = page_path(account_id, cursor)
        paths.append(path)
        next_cursor = get_page(client, path)["next_cursor"]
        if not isinstance(next_cursor, str):
            break
        cursor = next_cursor
    return paths


# --- latency ----------------------------------------------------------------


def latency_samples(client: httpx.Client, path: str, samples: int) -> list[float]:
    """Milliseconds of `samples` single sequential requests (keep-alive)."""
    for _ in range(max(5, samples // 10)):
        get_page(client, path)
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
    return times


# --- load generators --------------------------------------------------------


def run_wrk(
    base_url: str, paths: list[str], seconds: float, conns: int, workdir: Path
) -> tuple[float, int]:
    """(requests/s, requests done) of one wrk run cycling through `paths`."""
    script = workdir / "mix.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    # A long timeout: on a busy machine a request may wait seconds, which is no failure.
    duration = f"-d{max(1, round(seconds))}s"
    cmd = ["wrk", "-t1", f"-c{conns}", duration, "--timeout", "30s", "-s", str(script), base_url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if errors or socket_errors:
        raise RuntimeError(f"wrk saw failures against {base_url}:\n{out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    done = re.search(r"(\d+) requests in", out)
    if not rate or not done:
        raise RuntimeError(f"cannot read wrk output:\n{out}")
    return float(rate.group(1)), int(done.group(1))


async def _closed_loop(
    base_url: str, paths: list[str], seconds: float, conns: int
) -> tuple[float, int]:
    """`conns` keep-alive HTTP/1.1 connections, each sending its next request
    as soon as the previous answer is read. Raw asyncio streams: an httpx
    client is itself too slow here and would cap both servers alike."""
    url = httpx.URL(base_url)
    host, port = str(url.host), int(url.port or 80)
    requests = [f"GET {p} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode() for p in paths]
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for i in itertools.count(offset):
                if time.perf_counter() >= deadline:
                    return
                writer.write(requests[i % len(requests)])
                head = await reader.readuntil(b"\r\n\r\n")
                if not head.startswith(b"HTTP/1.1 200"):
                    raise RuntimeError(f"{paths[i % len(paths)]}: {head.splitlines()[0]!r}")
                length = re.search(rb"(?i)content-length: *(\d+)", head)
                if not length:
                    raise RuntimeError("response without content-length")
                await reader.readexactly(int(length.group(1)))
                done += 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(conns)))
    return done / (time.perf_counter() - start), done


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    cpu_ms_per_request: float  # server CPU (all threads) per request
    db_cpu_ms_per_request: float = 0.0  # PostgreSQL backends' CPU per request
    opened: int | None = None  # PostgreSQL connections opened during the timed run


def load(
    loadgen: str,
    server: Server,
    paths: list[str],
    seconds: float,
    conns: int,
    workdir: Path,
    store: Store | None = None,
) -> Load:
    """Warm up, then one timed run of the load generator against `server`.
    With a PostgreSQL store, also the database's side: its backends' CPU and
    the connections opened during the timed run."""
    warmup = min(2.0, seconds / 2)

    def run(duration: float) -> tuple[float, int]:
        if loadgen == "wrk":
            return run_wrk(server.url, paths, duration, conns, workdir)
        return asyncio.run(_closed_loop(server.url, paths, duration, conns))

    run(warmup)
    since = datetime.now(UTC)
    before = store.backends() if store else None
    cpu_before = server.cpu_seconds()
    rate, done = run(seconds)
    cpu = server.cpu_seconds() - cpu_before
    after = store.backends() if store else None
    if before is None or after is None:
        return Load(rate, cpu * 1000 / done)
    db_cpu = backends_cpu_s(before, after)
    return Load(
        rate, cpu * 1000 / done, db_cpu * 1000 / done, backends_opened(before, after, since)
    )


# --- scenarios --------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One seeded database, the app serving it, and the pages to time."""

    store: Store
    server: Server
    pages: dict[tuple[str, str], str]  # (account role, page) -> path
    version: str = ""  # --compare-dir: the other checkout's folder name

    @property
    def name(self) -> str:
        return f"{self.store.kind} ({self.version})" if self.version else self.store.kind


def timed_pages(store: Store, server: Server) -> dict[tuple[str, str], str]:
    """First and deep (90%) page of the focus account, and of the hot one."""
    layout = store.layout
    pages = {}
    accounts = [("focus", layout.focus, min(FOCUS_ROWS, layout.total // 2))]
    if layout.hot:
        accounts.append(("hot", layout.hot, layout.hot_rows))
    with httpx.Client(base_url=server.url, timeout=30.0) as client:
        for role, account_id, n_rows in accounts:
            pages[(role, "first")] = page_path(account_id)
            cursor = deep_cursor(client, store, account_id, int(n_rows * 0.9))
            if cursor:
                pages[(role, "deep (90%)")] = page_path(account_id, cursor)
    return pages


Latencies = dict[int, dict[tuple[str, str], tuple[float, float]]]


def measure_latency(targets: dict[int, Target], samples: int, rounds: int = 3) -> Latencies:
    """{size: {(account role, page): (median ms, p95 ms)}}. The sizes take
    turns, in rounds, so a change in machine load hits all of them alike."""
    times: dict[int, dict[tuple[str, str], list[float]]] = {n: {} for n in targets}
    per_round = max(1, samples // rounds)
    for _ in range(rounds):
        for total, target in targets.items():
            with httpx.Client(base_url=target.server.url, timeout=30.0) as client:
                for key, path in target.pages.items():
                    times[total].setdefault(key, []).extend(
                        latency_samples(client, path, per_round)
                    )
    results = {}
    for total, by_page in times.items():
        kind = targets[total].store.kind
        print(
            f"{kind} latency at {total:,} stored transactions ({per_round * rounds} requests each):"
        )
        results[total] = {k: (median(v), percentile(v, 0.95)) for k, v in by_page.items()}
        for (role, where), (p50, p95) in results[total].items():
            print(f"  {role:<5} account, {where:<10} page: median {p50:6.2f} ms, p95 {p95:6.2f} ms")
    return results


def focus_mix(client: httpx.Client, store: Store) -> list[str]:
    """First 10 pages of the focus account, then 5 pages from 50% and from 90% deep."""
    layout = store.layout
    n_rows = min(FOCUS_ROWS, layout.total // 2)
    paths = follow(client, layout.focus, None, 10)
    for fraction in (0.5, 0.9):
        cursor = deep_cursor(client, store, layout.focus, int(n_rows * fraction))
        if cursor:
            paths += follow(client, layout.focus, cursor, 5)
    return paths


def spread_mix(store: Store) -> list[str]:
    """The first page of every account, in a shuffled order: many clients,
    each looking at their own account."""
    accounts = list(store.layout.accounts)
    random.Random(11).shuffle(accounts)
    return [page_path(account_id) for account_id in accounts]


@dataclass(frozen=True)
class Mix:
    name: str
    description: str
    paths: list[str]
    targets: dict[str, float]  # database kind -> goal (ratio to the baseline)


def measure_throughput(
    workdir: Path, targets: list[Target], args: argparse.Namespace, app_dir: Path | None
) -> None:
    """Each mix against each database's app and the in-memory baseline,
    in alternating runs; the baseline serves the bytes the first app answered,
    and every app must answer exactly those bytes."""
    first = targets[0]
    with httpx.Client(base_url=first.server.url, timeout=30.0) as client:
        focus = focus_mix(client, first.store)
        mixes = [
            Mix(
                "focus",
                f"{len(focus)} pages of the focus account (first 10, then 5 from 50% and"
                " from 90% deep)",
                focus,
                {"SQLite": TARGET_RATIO, "PostgreSQL": POSTGRES_TARGET_RATIO},
            ),
            Mix(
                "many accounts",
                f"the first page of each of the {N_ACCOUNTS} accounts, shuffled",
                spread_mix(first.store),
                {"SQLite": SPREAD_TARGET_RATIO, "PostgreSQL": POSTGRES_TARGET_RATIO},
            ),
        ]
        bodies = {body_key(p): client.get(p).text for mix in mixes for p in mix.paths}
    for target in targets[1:]:  # same rows, so the same bytes on every database
        with httpx.Client(base_url=target.server.url, timeout=30.0) as client:
            for mix in mixes:
                for path in mix.paths:
                    if client.get(path).text != bodies[body_key(path)]:
                        raise RuntimeError(f"{target.store.kind} answers other bytes for {path}")
    (workdir / "bodies.json").write_text(json.dumps(bodies))
    (workdir / "baseline_app.py").write_text(BASELINE_APP)
    env = server_env(BENCH_BODIES=str(workdir / "bodies.json"))
    with uvicorn_server("baseline_app:app", env, cwd=workdir) as baseline:
        with httpx.Client(base_url=baseline.url) as client:
            for path, body in ((p, bodies[body_key(p)]) for m in mixes for p in m.paths):
                if client.get(path).text != body:  # the baseline must serve the same bytes
                    raise RuntimeError(f"baseline body differs for {path}")
        for mix in mixes:
            print(
                f"throughput, {mix.name}: {mix.description}; {args.loadgen}, "
                f"{args.connections} connections, {args.duration:.0f} s per run, "
                f"{args.repeat} alternating runs per server (median)"
            )
            servers = [(t.name, t.server, t.store) for t in targets]
            runs: dict[str, list[Load]] = {name: [] for name, _, _ in servers}
            runs["baseline"] = []
            everyone = [*servers, ("baseline", baseline, None)]
            for turn in range(args.repeat):
                # Alternate, so drifting machine load hits all alike, and start
                # each round with another server: the first after the previous
                # round measured about 10% slower, whichever it was.
                first = turn % len(everyone)
                for name, server, store in everyone[first:] + everyone[:first]:
                    runs[name].append(
                        load(
                            args.loadgen,
                            server,
                            mix.paths,
                            args.duration,
                            args.connections,
                            workdir,
                            store if store and store.admin_url else None,
                        )
                    )
            report(mix, runs, {t.name: t.store.kind for t in targets})


def report(mix: Mix, runs: dict[str, list[Load]], kinds: dict[str, str]) -> None:
    base = runs.pop("baseline")
    base_rps = median([r.requests_per_s for r in base])
    base_cpu = median([r.cpu_ms_per_request for r in base])
    label = "in-memory FastAPI baseline:"
    print(f"  {label:<36} {base_rps:8,.0f} req/s, {base_cpu:5.2f} ms CPU/request")
    for name, loads in runs.items():
        rps = median([r.requests_per_s for r in loads])
        cpu = median([r.cpu_ms_per_request for r in loads])
        db_cpu = median([r.db_cpu_ms_per_request for r in loads])
        ratio = rps / base_rps
        goal = mix.targets[kinds[name]]
        verdict = "MET" if ratio >= goal else "MISSED"
        db_text = f" + {db_cpu:4.2f} ms postgres CPU" if db_cpu else ""
        print(
            f"  {name + ' GET account transactions:':<36} {rps:8,.0f} req/s, {cpu:5.2f} ms"
            f" server CPU{db_text}/request; ratio {ratio:.1%} (target >= {goal:.0%}: {verdict});"
            f" CPU-per-request ratio (baseline / server) {base_cpu / cpu:.1%}"
        )
        opened = [r.opened for r in loads if r.opened is not None]
        if opened:
            verdict = "MET" if max(opened) == 0 else "MISSED"
            print(
                f"    connections opened during the timed runs (after warm-up): {opened}"
                f" (goal 0: {verdict})"
            )


def print_growth(kind: str, latencies: Latencies) -> None:
    sizes = sorted(latencies)
    small, large = sizes[0], sizes[-1]
    print(
        f"{kind} latency growth {large:,} rows / {small:,} rows (median, goal <= {GROWTH_GOAL}x):"
    )
    for key, (p50, _) in latencies[large].items():
        # The small database has no hot account: its focus account (50% of rows)
        # is the closest "holds most rows" counterpart.
        ref_key = key if key in latencies[small] else ("focus", key[1])
        if ref_key not in latencies[small]:
            continue
        factor = p50 / latencies[small][ref_key][0]
        verdict = "MET" if factor <= GROWTH_GOAL else "MISSED"
        label = f"{key[0]} account, {key[1]} page"
        ref = "" if ref_key == key else " (vs focus at small size)"
        print(f"  {label:<30} {factor:5.2f}x {verdict}{ref}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", help="comma-separated database sizes (default 10000,1000000; quick 10000,100000)"
    )
    parser.add_argument("--quick", action="store_true", help="smaller databases, shorter runs")
    parser.add_argument("--duration", type=float, help="seconds of load per server (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--samples", type=int, help="sequential requests per latency figure")
    parser.add_argument("--repeat", type=int, help="throughput runs per server (default 3)")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    add_postgres_argument(parser, "also, beside SQLite")
    parser.add_argument(
        "--app-dir",
        type=Path,
        help="serve the app from this checkout instead (to compare with another version)",
    )
    parser.add_argument(
        "--compare-dir",
        type=Path,
        help="also serve the largest SQLite database from this checkout, in the same"
        " alternating throughput runs (a before/after comparison side by side)",
    )
    parser.add_argument(
        "--floors",
        action="store_true",
        help="the setup of issue 24 instead: 100k rows over 100 accounts, random first pages, "
        "against the static floor and (with --postgres) a raw asyncpg floor",
    )
    args = parser.parse_args()
    if args.floors:
        args.duration = args.duration or 10.0
        args.repeat = args.repeat or 3
        if args.loadgen == "auto":
            args.loadgen = "wrk" if shutil.which("wrk") else "python"
        print_machine_info()
        with temp_dir("spendsense-bench-floors-") as workdir:
            run_floors(args, workdir, load)
        print_load("at end")
        return
    args.rows = args.rows or ("10000,100000" if args.quick else "10000,1000000")
    sizes = sorted(int(s.replace("_", "")) for s in args.rows.split(","))
    args.duration = args.duration or (3.0 if args.quick else 10.0)
    samples = args.samples or (50 if args.quick else 300)
    args.repeat = args.repeat or (1 if args.quick else 3)
    if args.loadgen == "auto":
        args.loadgen = "wrk" if shutil.which("wrk") else "python"

    print_machine_info()
    if args.postgres:
        version = pg_run(args.postgres, lambda conn: conn.fetchval("SHOW server_version"))
        print(f"postgresql={version}")
    latencies: dict[str, Latencies] = {}
    with temp_dir("spendsense-bench-read-") as workdir, contextlib.ExitStack() as stack:
        largest = []
        for kind in ["SQLite"] + (["PostgreSQL"] if args.postgres else []):
            targets = {}
            for total in sizes:
                if kind == "SQLite":
                    store = sqlite_store(workdir, total)
                else:
                    store = postgres_store(stack, args.postgres, total)
                app = uvicorn_server("app.main:app", server_env(store.url), app_dir=args.app_dir)
                server = stack.enter_context(app)
                targets[total] = Target(store, server, timed_pages(store, server))
            latencies[kind] = measure_latency(targets, samples)
            largest.append(targets[sizes[-1]])
            if kind == "SQLite" and args.compare_dir:
                store = largest[0].store
                other = uvicorn_server(
                    "app.main:app", server_env(store.url), app_dir=args.compare_dir
                )
                version = args.compare_dir.resolve().name
                largest.append(Target(store, stack.enter_context(other), {}, version))
        measure_throughput(workdir, largest, args, args.app_dir)
    if len(sizes) > 1:
        for kind, by_size in latencies.items():
            print_growth(kind, by_size)
    print_load("at end")


if __name__ == "__main__":
    main()
