"""`spendsense seed`: the content catalog and synthetic users with planted
patterns, written through the service's bulk insert path."""

import argparse
import asyncio
import json
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from app.cli.arguments import bounded_int, past_date
from app.cli.messy_files import write_messy
from app.cli.output import console, progress
from app.cli.schema import require_migrated
from app.db import make_engine, open_session
from app.services.seeding import (
    SeedReport,
    count_users,
    load_content_catalog,
    reset_tables,
    seed_users,
)
from app.services.synthetic import SeedSpec

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands

MAX_SEED = 2**63 - 1
# What SEED_DEMO_DATA loads at the container's first start (spendsense prepare).
DEMO_DATA = ["--users", "50", "--seed", "42", "--if-empty"]


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser(
        "seed",
        help="load the content catalog and synthetic users with planted patterns",
    )
    _add_arguments(parser)
    parser.set_defaults(handler=run)


def demo_data() -> int:
    """`spendsense seed --users 50 --seed 42 --if-empty`."""
    parser = argparse.ArgumentParser(prog="spendsense seed")
    _add_arguments(parser)
    return run(parser.parse_args(DEMO_DATA))


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--users", type=bounded_int(0, 1_000_000), required=True, help="how many users"
    )
    parser.add_argument(
        "--seed",
        type=bounded_int(0, MAX_SEED),
        default=0,
        help="random seed (default 0); same arguments = same rows, ids included",
    )
    parser.add_argument(
        "--months",
        type=bounded_int(3, 36),
        default=6,
        help="months of history (3-36; the patterns need at least 3)",
    )
    parser.add_argument(
        "--as-of",
        type=past_date,
        default=None,
        help="last day of the data, YYYY-MM-DD, not after today (default: today, UTC; "
        "a data set ending today stops at 00:00 UTC)",
    )
    parser.add_argument(
        "--streams",
        type=bounded_int(0, 1_000_000),
        default=0,
        help="also this many users with planted recurring streams (6-26 months of history, "
        "their own; default 0)",
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        help="write the planted truth as JSON here: {user_id: persona} for persona users, "
        "{user_id: {as_of, first_day, streams}} for stream users",
    )
    parser.add_argument(
        "--messy",
        type=Path,
        metavar="DIR",
        help="write the users' history as banks do, as statement files under DIR (OFX, QFX, "
        "CSV; raw descriptors, no categories) with DIR/manifest.json, the truth; touches no "
        "database (spendsense evaluate-import DIR imports and measures them)",
    )
    once = parser.add_mutually_exclusive_group()
    once.add_argument(
        "--reset",
        action="store_true",
        help="empty users, accounts, transactions, personas, content",
    )
    once.add_argument(
        "--if-empty", action="store_true", help="seed nothing when the users table has rows"
    )


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
        streams=args.streams,
    )


def run(args: argparse.Namespace) -> int:
    if args.messy is not None:
        return write_messy(seed_spec(args, datetime.now(UTC)), args.messy, console())
    require_migrated()  # only `spendsense migrate` changes a schema
    return asyncio.run(_seed(args, console()))


async def _seed(args: argparse.Namespace, out: Console) -> int:
    spec = seed_spec(args, datetime.now(UTC))
    engine = make_engine()
    try:
        async with open_session(engine) as session:
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
        with progress() as bar:
            task = bar.add_task("seeding users", total=spec.users + spec.streams)
            report = await seed_users(engine, spec, on_user=lambda _: bar.advance(task))
    finally:
        await engine.dispose()
    if args.manifest is not None:
        args.manifest.parent.mkdir(parents=True, exist_ok=True)
        args.manifest.write_text(json.dumps(report.manifest, indent=2, sort_keys=True) + "\n")
    _print_summary(out, spec, report)
    return 0


def _print_summary(out: Console, spec: SeedSpec, report: SeedReport) -> None:
    title = f"generated: seed {spec.seed}, {spec.months} months to {spec.as_of.isoformat()}"
    if spec.cutoff is not None:
        title += f" (until {spec.cutoff:%H:%M} UTC)"
    table = Table(title=title)
    for column in ("pattern", "users", "accounts", "transactions"):
        table.add_column(column, justify="left" if column == "pattern" else "right")
    for pattern, counts in report.per_pattern.items():
        table.add_row(
            pattern.value, str(counts.users), str(counts.accounts), str(counts.transactions)
        )
    streams = report.streams
    if streams.users:
        table.add_row(
            "recurring streams",
            str(streams.users),
            str(streams.accounts),
            str(streams.transactions),
        )
    total_accounts = sum(c.accounts for c in report.per_pattern.values()) + streams.accounts
    table.add_row(
        "total", str(spec.users + streams.users), str(total_accounts), str(report.transactions)
    )
    out.print(table)
    skipped = report.rows_generated - report.rows_created
    out.print(
        f"created {report.users_created} users, {report.accounts_created} accounts, "
        f"{report.transactions_created} transactions"
        + (f" ({skipped} rows already there, skipped)" if skipped else "")
        + f" in {report.seconds:.1f} s = {report.rate:,.0f} tx/s",
        soft_wrap=True,  # one line, whatever the console's width
    )
