"""The `spendsense` command line: schema migration and data loading."""

import argparse
import asyncio
import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import init_db, make_engine
from app.services.seeding import (
    SeedReport,
    count_users,
    load_content_catalog,
    reset_tables,
    seed_users,
)
from app.services.synthetic import SeedSpec

Handler = Callable[[argparse.Namespace], int]
MAX_SEED = 2**63 - 1


def _migrate(_args: argparse.Namespace) -> int:
    init_db()
    return 0


def _bounded_int(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return number

    return parse


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("use YYYY-MM-DD") from exc


def _past_date(value: str) -> date:
    """A YYYY-MM-DD date no later than today (UTC): the data would
    otherwise be dated after the moment of seeding."""
    day = _iso_date(value)
    today = datetime.now(UTC).date()
    if day > today:
        raise argparse.ArgumentTypeError(f"{day} is in the future (today is {today}, UTC)")
    return day


def seed_spec(args: argparse.Namespace, now: datetime) -> SeedSpec:
    """The data set the arguments name. One ending today stops at 00:00 UTC
    today: nothing after the moment of seeding, and the same rows whatever
    the time of day, so running it again later that day adds nothing (it
    could not fix the balances of accounts that already exist)."""
    as_of = args.as_of or now.date()
    midnight = datetime.combine(as_of, time.min, tzinfo=UTC)
    return SeedSpec(
        users=args.users,
        seed=args.seed,
        months=args.months,
        as_of=as_of,
        cutoff=midnight if as_of == now.date() else None,
    )


async def _seed_async(args: argparse.Namespace, out: Console) -> int:
    spec = seed_spec(args, datetime.now(UTC))
    engine = make_engine()
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            if args.reset:
                await reset_tables(session)
            existing = await count_users(session)
            if args.if_empty and existing:
                # Leave a populated database alone, content included: an item
                # an operator deleted must not come back on the next start.
                out.print(
                    f"users table already holds {existing} row(s): nothing seeded (--if-empty)"
                )
                return 0
            content = await load_content_catalog(session)
        out.print(f"content catalog: {content} item(s) added")
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        ) as progress:
            task = progress.add_task("seeding users", total=spec.users)
            report = await seed_users(engine, spec, on_user=lambda _: progress.advance(task))
    finally:
        await engine.dispose()
    if args.manifest is not None:
        args.manifest.parent.mkdir(parents=True, exist_ok=True)
        args.manifest.write_text(json.dumps(report.manifest, indent=2, sort_keys=True) + "\n")
    _print_summary(out, spec, report)
    return 0


def _print_summary(out: Console, spec: SeedSpec, report: SeedReport) -> None:
    title = f"seed {spec.seed}, {spec.months} months to {spec.as_of.isoformat()}"
    if spec.cutoff is not None:
        title += f" (until {spec.cutoff:%H:%M} UTC)"
    table = Table(title=title)
    for column in ("pattern", "users", "accounts", "transactions"):
        table.add_column(column, justify="left" if column == "pattern" else "right")
    for pattern, counts in report.per_pattern.items():
        table.add_row(
            pattern.value, str(counts.users), str(counts.accounts), str(counts.transactions)
        )
    total_accounts = sum(c.accounts for c in report.per_pattern.values())
    table.add_row("total", str(spec.users), str(total_accounts), str(report.transactions))
    out.print(table)
    out.print(
        f"created {report.users_created} users, {report.accounts_created} accounts, "
        f"{report.transactions_created} transactions (existing ids skipped); "
        f"{report.transactions} transactions in {report.seconds:.1f} s = {report.rate:,.0f} tx/s"
    )


def _seed(args: argparse.Namespace) -> int:
    init_db()  # synchronous (Alembic runs its own loop): before ours starts
    return asyncio.run(_seed_async(args, Console(highlight=False)))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spendsense", description="SpendSense data service tools (DATABASE_URL picks the db)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    migrate = sub.add_parser("migrate", help="upgrade the database schema to head")
    migrate.set_defaults(handler=_migrate)

    seed = sub.add_parser(
        "seed",
        help="migrate, load the content catalog and synthetic users with planted patterns",
    )
    seed.add_argument(
        "--users", type=_bounded_int(0, 1_000_000), required=True, help="how many users"
    )
    seed.add_argument(
        "--seed",
        type=_bounded_int(0, MAX_SEED),
        default=0,
        help="random seed (default 0); same arguments = same rows, ids included",
    )
    seed.add_argument(
        "--months",
        type=_bounded_int(3, 36),
        default=6,
        help="months of history (3-36; the patterns need at least 3)",
    )
    seed.add_argument(
        "--as-of",
        type=_past_date,
        default=None,
        help="last day of the data, YYYY-MM-DD, not after today (default: today, UTC; "
        "a data set ending today stops at 00:00 UTC)",
    )
    seed.add_argument("--manifest", type=Path, help="write {user_id: planted pattern} JSON here")
    once = seed.add_mutually_exclusive_group()
    once.add_argument(
        "--reset",
        action="store_true",
        help="empty users, accounts, transactions, personas, content",
    )
    once.add_argument(
        "--if-empty", action="store_true", help="seed nothing when the users table has rows"
    )
    seed.set_defaults(handler=_seed)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
