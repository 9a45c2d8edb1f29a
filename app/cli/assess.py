"""`spendsense assess`: compute and store both windows' personas of every
consenting user (or the named ones), and with --streams their recurring
streams too."""

import argparse
import asyncio
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from app.cli.arguments import as_of, today
from app.cli.output import console, progress
from app.cli.schema import require_migrated
from app.db import make_engine, open_session
from app.services.insights.assess import WINDOWS, AssessReport, assess_all
from app.services.insights.persona_kinds import PERSONA_KINDS
from app.services.insights.reader import consenting

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser(
        "assess",
        help="compute and store both windows' personas of every consenting user",
    )
    parser.add_argument(
        "--as-of", type=as_of, default=None, help="YYYY-MM-DD (default: today, UTC)"
    )
    parser.add_argument("--user", action="append", metavar="ID", help="only this user (repeatable)")
    parser.add_argument(
        "--streams",
        action="store_true",
        help="also detect and store each user's recurring streams from all their history "
        "(GET /recurring then serves the copy until their transactions change)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.as_of is None:
        args.as_of = today()
    require_migrated()  # only `spendsense migrate` changes a schema
    return asyncio.run(_assess(args, console()))


async def _assess(args: argparse.Namespace, out: Console) -> int:
    engine = make_engine()
    try:
        if args.user:
            async with open_session(engine) as session:
                with_consent, without = await consenting(session, args.user)
            unknown = sorted(set(args.user) - set(with_consent) - set(without))
            if unknown:
                out.print(f"unknown user(s): {', '.join(unknown)}: nothing assessed")
                return 1
        with progress() as bar:
            task = bar.add_task("assessing users", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            report = await assess_all(
                engine, args.as_of, args.user or None, on_batch=advance, streams=args.streams
            )
    finally:
        await engine.dispose()
    _print_assessment(out, args.as_of, report)
    return 0


def _print_assessment(out: Console, day: date, report: AssessReport) -> None:
    table = Table(title=f"personas at {day.isoformat()}")
    table.add_column("persona")
    for window in WINDOWS:
        table.add_column(window, justify="right")
    for persona in PERSONA_KINDS.names:
        table.add_row(persona, *(str(report.personas[w][persona]) for w in WINDOWS))
    table.add_row("users assessed", *(str(report.assessed) for _ in WINDOWS))
    out.print(table)
    out.print(
        f"assessed {report.assessed} users ({2 * report.assessed} persona rows) in "
        f"{report.seconds:.2f} s = {report.users_per_second:,.0f} users/s; "
        f"skipped {report.skipped_no_consent} without consent"
    )
