"""Shared pieces of the benchmarks: temp databases (SQLite files, scratch
PostgreSQL databases), uvicorn subprocesses, deterministic rows, timing
summaries and machine info.

The benchmark scripts run from the repository root with the project venv
(`.venv/bin/python bench/<script>.py`); `app` is importable because the
project is installed in editable mode.
"""

import argparse
import asyncio
import contextlib
import itertools
import os
import platform
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar

import asyncpg
import httpx
from alembic import command
from sqlalchemy.engine import make_url
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends.sqlite import apply_pragmas as apply_sqlite_pragmas
from app.config import get_settings
from app.db import alembic_config, make_engine
from app.services.seeding import load_content_catalog, seed_users
from app.services.synthetic import SeedSpec

REPO_ROOT = Path(__file__).resolve().parent.parent
API = "/api/v1"

# SQLAlchemy's SQLite DateTime text format: naive UTC, fixed width, sorts in time order.
STORED_DATE_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
BASE_DATE = datetime(2025, 1, 1, tzinfo=UTC)

MERCHANTS = (
    "Blue Bottle Coffee",
    "Whole Foods Market",
    "Shell",
    "Netflix",
    "Spotify",
    "Amazon",
    "Uber",
    "Delta Air Lines",
    "Target",
    None,
)
CATEGORIES = (
    "FOOD_AND_DRINK",
    "GENERAL_MERCHANDISE",
    "TRANSPORTATION",
    "ENTERTAINMENT",
    "TRAVEL",
    "RENT_AND_UTILITIES",
    "INCOME",
    "TRANSFER_OUT",
)

TXN_COLUMNS = ("id", "account_id", "date", "amount", "merchant_name", "category", "pending")
INSERT_TXN_SQL = (
    f"INSERT INTO transactions ({', '.join(TXN_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(TXN_COLUMNS))})"
)
INSERT_USER_SQL = (
    "INSERT INTO users (id, name, email, consent, created_at) VALUES (?, ?, ?, false, ?)"
)
INSERT_ACCOUNT_SQL = (
    "INSERT INTO accounts (id, user_id, type, subtype, name, mask, balance, currency, is_overdue)"
    " VALUES (?, ?, 'depository', 'checking', ?, ?, 100000, 'USD', false)"
)

T = TypeVar("T")


# --- temp files -------------------------------------------------------------


@contextlib.contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    """A temp directory removed (with its databases and WAL files) on exit."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sqlite_url(db_path: Path) -> str:
    return f"sqlite+aiosqlite:///{db_path}"


def migrate_to_head(url: str) -> None:
    """Migrate the database at `url` (SQLAlchemy form) to head by the app's
    own Alembic setup (what app.db.init_db does, minus Alembic's INFO logging
    on every run). Synchronous: call it outside a running event loop."""
    cfg = alembic_config(url)
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


def migrated_db(db_path: Path) -> Path:
    """A fresh SQLite file migrated to head."""
    migrate_to_head(sqlite_url(db_path))
    return db_path


def connect_like_app(db_path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the pragmas the app sets on its own
    connections; autocommit mode, so callers BEGIN/COMMIT explicitly."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    apply_sqlite_pragmas(conn, get_settings().sqlite_busy_timeout_ms)
    return conn


# --- PostgreSQL -------------------------------------------------------------


def asyncpg_dsn(url: str) -> str:
    """A SQLAlchemy `postgresql+asyncpg://…` URL as the plain DSN asyncpg takes."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def numbered_params(sql: str) -> str:
    """The same statement with sqlite3's `?` placeholders as asyncpg's `$1, $2, …`
    (for the statements above, which hold no `?` inside literals)."""
    *parts, last = sql.split("?")
    return "".join(f"{part}${i}" for i, part in enumerate(parts, 1)) + last


def pg_run(url: str, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    """`work` on a new asyncpg connection to `url` (SQLAlchemy form), from sync code."""

    async def run() -> T:
        conn = await asyncpg.connect(asyncpg_dsn(url))
        try:
            return await work(conn)
        finally:
            await conn.close()

    return asyncio.run(run())


@contextlib.contextmanager
def scratch_postgres_db(server_url: str, prefix: str = "spendsense_bench_") -> Iterator[str]:
    """A new empty database on the server of `server_url` (a SQLAlchemy URL
    whose database is one to connect to for CREATE DATABASE, e.g. postgres);
    yields its URL. Dropped on exit, also on error (FORCE: even if a server
    still holds connections to it)."""
    name = f"{prefix}{uuid.uuid4().hex[:12]}"
    pg_run(server_url, lambda conn: conn.execute(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        pg_run(server_url, lambda conn: conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)'))


@contextlib.contextmanager
def migrated_database(postgres: str | None, name: str) -> Iterator[str]:
    """The URL of a fresh database migrated to head: a scratch database on
    the server of `postgres` (a --postgres URL) when given, else a SQLite
    file `<name>.db` in a temp directory. Removed on exit, also on error."""
    if postgres:
        with scratch_postgres_db(postgres) as url:
            migrate_to_head(url)
            yield url
        return
    with temp_dir(f"spendsense-bench-{name}-") as tmp:
        url = sqlite_url(tmp / f"{name}.db")
        migrate_to_head(url)
        yield url


def add_postgres_argument(parser: argparse.ArgumentParser, what: str = "instead of SQLite") -> None:
    """The scripts' --postgres URL option: a postgresql+asyncpg:// URL to a
    database to connect to for CREATE DATABASE (scratch databases are made
    on that server)."""
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help=f"measure on this PostgreSQL server {what} (a postgresql+asyncpg:// URL to a "
        "database to connect to for CREATE DATABASE, e.g. postgres)",
    )


def postgres_backends_cpu(url: str) -> dict[int, float]:
    """CPU seconds used so far by each server process (backend) connected to
    the database of `url`, this query's own excepted. The server must run on
    this machine (it reads /proc); its shared background processes (WAL
    writer, checkpointer) are not counted."""
    pids = pg_run(
        url,
        lambda conn: conn.fetch(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ),
    )
    return {row["pid"]: process_cpu_seconds(row["pid"]) for row in pids}


@dataclass(frozen=True)
class Backends:
    """What the server knows of the client connections to one database."""

    sessions: int  # sessions ever opened to it (pg_stat_database.sessions)
    started: dict[int, datetime]  # live client backends: pid -> backend_start
    cpu_s: dict[int, float]  # live client backends: pid -> CPU seconds used


def postgres_backends(admin_url: str, database: str) -> Backends:
    """The client backends of `database`, read through `admin_url` (another
    database of the same server, so this reading opens no session to
    `database`). The server must run on this machine (CPU comes from /proc).
    pg_stat_database counts a session when its backend next reports its
    statistics (at the latest when it exits), pg_stat_activity shows a
    backend while it lives: a connection opened since an earlier reading
    shows in one or the other."""

    async def read(conn: asyncpg.Connection) -> tuple[int, list[asyncpg.Record]]:
        sessions = await conn.fetchval(
            "SELECT sessions FROM pg_stat_database WHERE datname = $1", database
        )
        live = await conn.fetch(
            "SELECT pid, backend_start FROM pg_stat_activity"
            " WHERE datname = $1 AND backend_type = 'client backend'",
            database,
        )
        return int(sessions or 0), live

    sessions, live = pg_run(admin_url, read)
    cpu = {}
    for row in live:
        with contextlib.suppress(OSError):
            cpu[row["pid"]] = process_cpu_seconds(row["pid"])
    return Backends(sessions, {row["pid"]: row["backend_start"] for row in live}, cpu)


def backends_opened(before: Backends, after: Backends, since: datetime) -> int:
    """Connections opened between two readings (see postgres_backends)."""
    live_new = sum(1 for start in after.started.values() if start > since)
    return max(after.sessions - before.sessions, live_new)


def backends_cpu_s(before: Backends, after: Backends) -> float:
    """CPU seconds the backends alive at both readings used in between."""
    return sum(cpu - before.cpu_s[pid] for pid, cpu in after.cpu_s.items() if pid in before.cpu_s)


# --- uvicorn subprocesses ---------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(LOG_LEVEL="warning", SPENDSENSE_API_KEY="", SEED_DEMO_DATA="false", **extra)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return env


@dataclass(frozen=True)
class Server:
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.pid)


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) process `pid` has used so far:
    unlike wall time, barely affected by other load on the machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def uvicorn_server(
    app_target: str,
    env: dict[str, str],
    ready_path: str = "/health",
    cwd: Path = REPO_ROOT,
    startup_timeout: float = 30.0,
    app_dir: Path | None = None,
) -> Iterator[Server]:
    """Run `uvicorn <app_target> --workers 1` on a free port; yield it once
    `ready_path` answers 200; terminate it on exit. `app_dir`: import the app
    from that folder (another checkout, for before/after comparisons)."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        app_target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    if app_dir is not None:
        cmd += ["--app-dir", str(app_dir)]
    proc = subprocess.Popen(cmd, cwd=cwd, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, base_url + ready_path, startup_timeout)
        yield Server(base_url, proc.pid)
    finally:
        _stop(proc)


@dataclass(frozen=True)
class Served(Generic[T]):
    """A fresh database and one uvicorn worker of the app serving it."""

    url: str
    server: Server
    prepared: T  # what `prepare` returned


@contextlib.contextmanager
def served_database(
    postgres: str | None,
    name: str,
    prepare: Callable[[str], T],
    app_dir: Path | None = None,
    **env: str,
) -> Iterator[Served[T]]:
    """A fresh database migrated to head (`migrated_database`: SQLite, or a
    scratch database on the --postgres server), `prepare(url)` run on it
    (seeding) before one uvicorn worker of the app starts on it with
    `server_env(url, **env)`; `app_dir`: the app of another checkout. The
    server is stopped and the database removed on exit, also on error."""
    with migrated_database(postgres, name) as url:
        prepared = prepare(url)
        with uvicorn_server("app.main:app", server_env(url, **env), app_dir=app_dir) as server:
            yield Served(url, server, prepared)


def _wait_ready(proc: subprocess.Popen[bytes], url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before {url} was up")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f}s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- data -------------------------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    """The user and accounts the benchmark rows belong to."""

    user_id: str
    account_ids: tuple[str, ...]


def fixture_ids(n_accounts: int, user_id: str = "usr_bench") -> Fixture:
    return Fixture(user_id, tuple(f"acc_bench_{i:04d}" for i in range(n_accounts)))


def account_body(account_id: str, index: int) -> dict[str, Any]:
    return {
        "id": account_id,
        "type": "depository",
        "subtype": "checking",
        "name": f"Bench checking {index}",
        "mask": f"{index % 10_000:04d}",
        "balance": 100_000,
    }


def create_fixture_via_api(client: httpx.Client, fixture: Fixture) -> None:
    """Create the user and its accounts through the public routes."""
    user = {"id": fixture.user_id, "name": "Bench User", "email": f"{fixture.user_id}@example.com"}
    _expect(client.post(f"{API}/users", json=user), 201)
    for i, account_id in enumerate(fixture.account_ids):
        path = f"{API}/users/{fixture.user_id}/accounts"
        _expect(client.post(path, json=account_body(account_id, i)), 201)


def fixture_inserts(fixture: Fixture, created: object) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """The user and accounts as (INSERT with `?` placeholders, parameter rows)
    pairs; `created` is users.created_at in the form the driver binds."""
    user = (fixture.user_id, "Bench User", f"{fixture.user_id}@example.com", created)
    accounts = [
        (acc, fixture.user_id, f"Bench checking {i}", f"{i % 10_000:04d}")
        for i, acc in enumerate(fixture.account_ids)
    ]
    return [(INSERT_USER_SQL, [user]), (INSERT_ACCOUNT_SQL, accounts)]


def create_fixture_via_sqlite(conn: sqlite3.Connection, fixture: Fixture) -> None:
    """Same user and accounts, written straight into the migrated schema."""
    created = BASE_DATE.replace(tzinfo=None).strftime(STORED_DATE_FORMAT)
    conn.execute("BEGIN")
    for sql, params in fixture_inserts(fixture, created):
        conn.executemany(sql, params)
    conn.execute("COMMIT")


async def create_fixture_via_asyncpg(conn: asyncpg.Connection, fixture: Fixture) -> None:
    """Same user and accounts on PostgreSQL (created_at as timestamptz)."""
    async with conn.transaction():
        for sql, params in fixture_inserts(fixture, BASE_DATE):
            await conn.executemany(numbered_params(sql), params)


def _expect(response: httpx.Response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.request.url} answered "
            f"{response.status_code} (expected {status}): {response.text[:500]}"
        )


def txn_rows(
    n: int, account_of: Sequence[str], seed: int = 42, id_prefix: str = "txn_bench_"
) -> Iterator[tuple[str, str, datetime, int, str | None, str, bool]]:
    """`n` deterministic transactions; row i belongs to account_of[i % len].
    Dates step 37 s apart (with distinct microseconds) from BASE_DATE."""
    rng = random.Random(seed)
    n_accounts = len(account_of)
    for i in range(n):
        when = BASE_DATE + timedelta(seconds=37 * i, microseconds=rng.randrange(1_000_000))
        amount = rng.randrange(1, 250_000) * (-1 if rng.random() < 0.1 else 1)
        yield (
            f"{id_prefix}{i:08d}",
            account_of[i % n_accounts],
            when,
            amount,
            rng.choice(MERCHANTS),
            rng.choice(CATEGORIES),
            rng.random() < 0.05,
        )


SEED_CHUNK = 50_000


def seed_sqlite_rows(db: Path, fixture: Fixture, owners: Sequence[str], total: int) -> None:
    """The read benches' seeding on SQLite: the fixture, then `total` rows of
    txn_rows (row i in account owners[i]) with plain sqlite3, then ANALYZE."""
    conn = connect_like_app(db)
    try:
        create_fixture_via_sqlite(conn, fixture)
        rows = (as_sqlite_row(r) for r in txn_rows(total, owners))
        while chunk := list(itertools.islice(rows, SEED_CHUNK)):
            conn.execute("BEGIN")
            conn.executemany(INSERT_TXN_SQL, chunk)
            conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()


def seed_postgres_rows(url: str, fixture: Fixture, owners: Sequence[str], total: int) -> None:
    """The same rows into PostgreSQL (COPY), then VACUUM ANALYZE: statistics
    and the visibility map a live table gets from autovacuum."""

    async def work(conn: asyncpg.Connection) -> None:
        await create_fixture_via_asyncpg(conn, fixture)
        rows = txn_rows(total, owners)
        while chunk := list(itertools.islice(rows, SEED_CHUNK)):
            await conn.copy_records_to_table("transactions", records=chunk, columns=TXN_COLUMNS)
        await conn.execute("VACUUM ANALYZE")

    pg_run(url, work)


def as_json_item(row: tuple[str, str, datetime, int, str | None, str, bool]) -> dict[str, Any]:
    """A bulk-route item: ISO 8601 date with Z, integer cents."""
    txn_id, account_id, when, amount, merchant, category, pending = row
    return {
        "id": txn_id,
        "account_id": account_id,
        "date": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "amount": amount,
        "merchant_name": merchant,
        "category": category,
        "pending": pending,
    }


def as_sqlite_row(
    row: tuple[str, str, datetime, int, str | None, str, bool],
) -> tuple[str, str, str, int, str | None, str, int]:
    """The row as the app stores it on SQLite (naive UTC text date, 0/1 bool)."""
    txn_id, account_id, when, amount, merchant, category, pending = row
    stored = when.replace(tzinfo=None).strftime(STORED_DATE_FORMAT)
    return (txn_id, account_id, stored, amount, merchant, category, int(pending))


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- read benchmarks: seeded users, requests taking turns --------------------


def seed_readers(url: str, spec: SeedSpec) -> list[str]:
    """Seed the content catalogue and `spec`'s synthetic users (the service's
    own seeder) into the database at `url`, say how many rows it wrote and
    how fast; on SQLite, fold the WAL into the file so the server starts on
    a clean one. The consenting users' ids, in id order."""

    async def seed() -> list[str]:
        engine = make_engine(url)
        try:
            async with AsyncSession(engine) as session:
                await load_content_catalog(session)
            report = await seed_users(engine, spec)
            print(f"seeded {spec.users:,} users x {spec.months} months, "
                  f"{report.transactions_created:,} transactions "
                  f"in {report.seconds:.1f} s")  # fmt: skip
            async with engine.connect() as conn:
                sql = "SELECT id FROM users WHERE consent ORDER BY id"
                return [row[0] for row in await conn.exec_driver_sql(sql)]
        finally:
            await engine.dispose()

    consenting = asyncio.run(seed())
    if url.startswith("sqlite"):
        sqlite3.connect(url.partition(":///")[2]).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    return consenting


@dataclass(frozen=True)
class ReadBench:
    """A seeded database, the app serving it, and the users to time."""

    url: str
    server: Server
    users: list[str]  # the sampled consenting users each round goes over
    rounds: int


@contextlib.contextmanager
def read_bench(
    description: str, name: str, as_of: date, months: int, users: int, samples: int
) -> Iterator[ReadBench]:
    """The set-up of a benchmark that times requests on seeded users: its
    options (--users, --samples, --rounds, --postgres; `users` and `samples`
    the defaults) parsed, the machine and the settings printed, `users`
    synthetic users x `months` up to `as_of` (seed 11) and the catalogue
    seeded into a fresh database (`seed_readers`), one uvicorn worker on it
    (`served_database`), and `samples // rounds` random consenting users
    (fixed seed). The load average is printed at the end."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--users", type=int, default=users, help=f"users to seed ({users})")
    parser.add_argument(
        "--samples", type=int, default=samples, help=f"requests of each kind ({samples})"
    )
    parser.add_argument("--rounds", type=int, default=4, help="rounds over the sampled users")
    add_postgres_argument(parser)
    args = parser.parse_args()
    print_machine_info()
    print(f"users={args.users} months={months} as_of={as_of} samples={args.samples} "
          f"rounds={args.rounds}")  # fmt: skip
    spec = SeedSpec(users=args.users, seed=11, as_of=as_of, months=months)
    with served_database(args.postgres, name, lambda url: seed_readers(url, spec)) as served:
        count = min(args.samples // args.rounds, len(served.prepared))
        sample = random.Random(5).sample(served.prepared, count)
        yield ReadBench(served.url, served.server, sample, args.rounds)
    print_load("at end")


def timed_get(client: httpx.Client, path: str, words: str | None = None) -> float:
    """Milliseconds of one GET, which must answer 200 (with `words` in it)."""
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200 or (words is not None and words not in response.text):
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return elapsed


@dataclass
class Turns:
    """Per kind of request: each request's milliseconds, and the server CPU
    seconds all of them used."""

    ms: dict[str, list[float]] = field(default_factory=dict)
    cpu_s: dict[str, float] = field(default_factory=dict)

    def median_ms(self, kind: str) -> float:
        return median(self.ms[kind])

    def print_ratio(self, kind: str, base: str, words: str, target: float) -> None:
        """The line of the target: `kind`'s median time against `base`'s
        (`words` names the pair), their server CPU beside it."""
        ratio = self.median_ms(kind) / self.median_ms(base)
        cpu = self.cpu_s[kind] / self.cpu_s[base] if self.cpu_s[base] else float("nan")
        verdict = "MET" if ratio <= target else "MISSED"
        print(f"  ratio {words}: {ratio:.2f}x median time, {cpu:.2f}x server CPU "
              f"(target <= {target:g}x: {verdict})")  # fmt: skip

    def print_kinds(self, base: str, base_words: str) -> None:
        """A line per kind: median, p95, server CPU per request, and its
        median against `base`'s (`base_words` names it)."""
        width = max(map(len, self.ms))
        for kind, samples in self.ms.items():
            p50, p95 = median(samples), percentile(samples, 0.95)
            per_request = self.cpu_s[kind] * 1000 / len(samples)
            print(
                f"  {kind:<{width}} median {p50:7.2f} ms, p95 {p95:7.2f} ms, "
                f"{per_request:6.2f} ms server CPU/request, "
                f"{p50 / self.median_ms(base):5.2f}x {base_words}"
            )


def take_turns(
    bench: ReadBench,
    kinds: Callable[[str], dict[str, str]],
    expect: Mapping[str, str] | None = None,
) -> Turns:
    """Sequential GETs on one keep-alive connection: a warm-up over the first
    20 users (imports, caches, templates; `expect`: kind -> words its answer
    must hold), then `bench.rounds` rounds over `bench.users`, each user's
    requests (`kinds(user_id)`: kind -> path) one after the other, so
    drifting machine load hits every kind alike. The server's CPU is read
    from /proc around each request."""
    turns = Turns()
    server = bench.server
    with httpx.Client(base_url=server.url, timeout=30.0) as client:
        for user_id in bench.users[:20]:
            for kind, path in kinds(user_id).items():
                timed_get(client, path, (expect or {}).get(kind))
        for _ in range(bench.rounds):
            for user_id in bench.users:
                for kind, path in kinds(user_id).items():
                    before = server.cpu_seconds()
                    turns.ms.setdefault(kind, []).append(timed_get(client, path))
                    cpu = server.cpu_seconds() - before
                    turns.cpu_s[kind] = turns.cpu_s.get(kind, 0.0) + cpu
    return turns


# --- reporting --------------------------------------------------------------


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _ram_gib() -> str:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    return "unknown"


def machine_info() -> dict[str, str]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "ram": _ram_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def print_machine_info() -> None:
    info = machine_info()
    print("machine: " + ", ".join(f"{k}={v}" for k, v in info.items()))
    print_load("at start")


def print_load(when: str) -> None:
    """Other processes skew wall-clock figures: show how busy the machine was."""
    one, five, _ = os.getloadavg()
    print(f"load average {when}: {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores")
