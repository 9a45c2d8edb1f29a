"""`bench/read.py --floors`: the account page against its floors, in the
setup of issue 24 (what a user of the service sees).

- `--rows` (default 100,000) transactions spread evenly over 100 accounts;
  the mix is the first 50-row page of each of the 100 accounts, in a
  random (fixed-seed) order, cycled by the load generator;
- `--connections` (16) keep-alive connections: wrk `-t1 -c16` when wrk is
  installed, else the Python closed loop of read.py;
- one uvicorn worker per server: the app on SQLite, the app on PostgreSQL
  (with `--postgres`), the static floor (a FastAPI endpoint returning the
  same bytes from memory) and, with `--postgres`, the raw-driver floor: a
  FastAPI endpoint that runs the app's own page statement with plain asyncpg
  (a pool of the app's size, the statement prepared once per connection by
  asyncpg's cache) and builds the same JSON the same way;
- every server must answer exactly the same bytes for every URL; then
  `--repeat` (3) rounds, each server once per round for `--duration` (10 s)
  after a 2 s warm-up, the order rotating from round to round. Ratios are
  taken within each round and their median is reported.
- `--compare-dir DIR` also serves the SQLite database from another checkout
  (e.g. the code before a change), as one more server in the same rounds.
"""

import argparse
import contextlib
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import (
    API,
    Server,
    asyncpg_dsn,
    fixture_ids,
    median,
    migrate_to_head,
    migrated_db,
    scratch_postgres_db,
    seed_postgres_rows,
    seed_sqlite_rows,
    server_env,
    sqlite_url,
    uvicorn_server,
)

ACCOUNTS = 100
PAGE = 50
TARGETS = {"SQLite / static": 0.5, "PostgreSQL / static": 0.25, "PostgreSQL / raw asyncpg": 0.8}

STATIC_APP = """\"\"\"The static floor: the same page bytes, from memory, by FastAPI.\"\"\"

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
async def page(account_id: str, limit: int = 50) -> Response:
    return Response(content=BODIES[account_id], media_type="application/json")
"""

RAW_APP = """\"\"\"The raw-driver floor: the app's page statement on plain asyncpg.\"\"\"

import os
from contextlib import asynccontextmanager

import asyncpg
import orjson
from fastapi import FastAPI, Response

from app.backends.postgres_pages import _page_sql
from app.services.pagination import encode_cursor

POOL_SIZE = 10  # the app's DB_POOL_SIZE
pool = None


@asynccontextmanager
async def lifespan(_app):
    global pool
    dsn = os.environ["BENCH_DSN"]
    pool = await asyncpg.create_pool(dsn, min_size=POOL_SIZE, max_size=POOL_SIZE)
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/accounts/{account_id}/transactions")
async def page(account_id: str, limit: int = 50) -> Response:
    async with pool.acquire() as conn:
        items, last_date, last_id, more = await conn.fetchrow(_page_sql(limit, False), account_id)
    cursor = orjson.dumps(encode_cursor([last_date, last_id]) if more else None)
    body = b'{"items":[' + (items or "").encode() + b'],"next_cursor":' + cursor + b"}"
    return Response(content=body, media_type="application/json")
"""


def owners(total: int) -> tuple[Any, list[str]]:
    fixture = fixture_ids(ACCOUNTS)
    of = [fixture.account_ids[i % ACCOUNTS] for i in range(total)]
    random.Random(7).shuffle(of)
    return fixture, of


def seed_sqlite(db: Path, total: int) -> None:
    fixture, of = owners(total)
    seed_sqlite_rows(db, fixture, of, total)


def seed_postgres(url: str, total: int) -> None:
    fixture, of = owners(total)
    seed_postgres_rows(url, fixture, of, total)


def run_floors(
    args: argparse.Namespace,
    workdir: Path,
    load: Callable[..., Any],
) -> None:
    total = int(args.rows.split(",")[-1]) if args.rows else 100_000
    accounts = list(fixture_ids(ACCOUNTS).account_ids)
    random.Random(11).shuffle(accounts)
    paths = [f"{API}/accounts/{a}/transactions?limit={PAGE}" for a in accounts]
    with contextlib.ExitStack() as stack:
        servers: dict[str, Server] = {}
        db = migrated_db(workdir / "floors.db")
        started = time.perf_counter()
        seed_sqlite(db, total)
        print(f"SQLite: seeded {total:,} rows over {ACCOUNTS} accounts "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        app_dir = args.app_dir
        servers["SQLite"] = stack.enter_context(
            uvicorn_server("app.main:app", server_env(sqlite_url(db)), app_dir=app_dir)
        )
        if args.compare_dir:  # the same database served by another checkout
            name = f"SQLite ({args.compare_dir.resolve().name})"
            # Ready when a page answers: its /health would report a schema
            # revision it does not know.
            other = uvicorn_server("app.main:app", server_env(sqlite_url(db)),
                                   ready_path=paths[0], app_dir=args.compare_dir)  # fmt: skip
            servers[name] = stack.enter_context(other)
        if args.postgres:
            url = stack.enter_context(scratch_postgres_db(args.postgres))
            migrate_to_head(url)
            started = time.perf_counter()
            seed_postgres(url, total)
            print(f"PostgreSQL: seeded {total:,} rows in {time.perf_counter() - started:.1f} s")
            servers["PostgreSQL"] = stack.enter_context(
                uvicorn_server("app.main:app", server_env(url), app_dir=app_dir)
            )
            (workdir / "raw_app.py").write_text(RAW_APP)
            servers["raw asyncpg"] = stack.enter_context(
                uvicorn_server("raw_app:app", server_env(BENCH_DSN=asyncpg_dsn(url)), cwd=workdir)
            )
        bodies = same_bytes(servers, paths)
        (workdir / "bodies.json").write_text(json.dumps(bodies))
        (workdir / "static_app.py").write_text(STATIC_APP)
        env = server_env(BENCH_BODIES=str(workdir / "bodies.json"))
        servers["static"] = stack.enter_context(uvicorn_server("static_app:app", env, cwd=workdir))
        same_bytes({"static": servers["static"], "SQLite": servers["SQLite"]}, paths)
        print(f"floors: first {PAGE}-row page of {ACCOUNTS} accounts in a random order, "
              f"{total:,} rows; {args.loadgen}, {args.connections} connections, "
              f"{args.duration:.0f} s per run, {args.repeat} rounds")  # fmt: skip
        rounds(servers, paths, args, workdir, load)


def same_bytes(servers: dict[str, Server], paths: list[str]) -> dict[str, str]:
    """Every server's answer to every path, checked equal; by account id."""
    import httpx

    bodies: dict[str, str] = {}
    for name, server in servers.items():
        with httpx.Client(base_url=server.url, timeout=30.0) as client:
            for path in paths:
                response = client.get(path)
                if response.status_code != 200:
                    raise RuntimeError(f"{name}: GET {path} answered {response.status_code}")
                key = path.split("/accounts/", 1)[1].split("/", 1)[0]
                if bodies.setdefault(key, response.text) != response.text:
                    raise RuntimeError(f"{name} answers other bytes for {path}")
    return bodies


def rounds(
    servers: dict[str, Server],
    paths: list[str],
    args: argparse.Namespace,
    workdir: Path,
    load: Callable[..., Any],
) -> None:
    names = list(servers)
    rates: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for turn in range(args.repeat):
        order = names[turn % len(names) :] + names[: turn % len(names)]
        for name in order:
            result = load(
                args.loadgen, servers[name], paths, args.duration, args.connections, workdir
            )
            rates[name].append(result.requests_per_s)
            cpu[name].append(result.cpu_ms_per_request)
        print(f"  round {turn + 1}: " + ", ".join(
            f"{name} {rates[name][-1]:,.0f} req/s" for name in names))  # fmt: skip
    for name in names:
        print(f"  {name + ':':<13} {median(rates[name]):8,.0f} req/s (median), "
              f"{median(cpu[name]):.3f} ms server CPU/request")  # fmt: skip
    pairs = [(name, "static") for name in names if name.startswith("SQLite")]
    pairs += [("PostgreSQL", "static"), ("PostgreSQL", "raw asyncpg")]
    for ours, floor in pairs:
        if ours not in rates or floor not in rates:
            continue
        per_round = [a / b for a, b in zip(rates[ours], rates[floor], strict=True)]
        label = f"{ours} / {floor}"
        goal = TARGETS[label.replace(ours, ours.split()[0])]
        ratio = median(per_round)
        verdict = "MET" if ratio >= goal else "NOT MET"
        rounds_text = " / ".join(f"{r:.2f}" for r in per_round)
        cpu_ratio = median(cpu[floor]) / median(cpu[ours])
        print(f"  {label}: {ratio:.2f}x (rounds {rounds_text}; target >= {goal}: {verdict}); "
              f"CPU per request {cpu_ratio:.2f}x")  # fmt: skip
