"""`spendsense assess`: compute and store both windows' personas of every
consenting user (or the named ones; with --changed-only those whose data
changed since their last assessment), and with --streams their recurring
streams too; --workers N shares the users among N processes."""

import argparse
import asyncio
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from app.cli.arguments import as_of, today
from app.cli.output import console, progress
from app.cli.schema import require_migrated
from app.config import get_settings
from app.db import make_engine, open_session
from app.services.insights.assess import WINDOWS, AssessReport, assess_all
from app.services.insights.assess_workers import Job, WorkerFailed, start_workers
from app.services.insights.persona_kinds import PERSONA_KINDS
from app.services.insights.reader import consenting

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands

MAX_WORKERS = 64


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
    parser.add_argument(
        "--changed-only",
        action="store_true",
        help="only users whose transactions changed since their last assessment "
        "(or never assessed): what a nightly run needs",
    )
    parser.add_argument(
        "--workers",
        type=workers,
        default=1,
        metavar="N",
        help="processes sharing the users by ranges of ids (default 1)",
    )
    parser.set_defaults(handler=run)


def workers(text: str) -> int:
    count = int(text) if text.isdigit() else 0
    if not 1 <= count <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"a whole number from 1 to {MAX_WORKERS}")
    return count


def run(args: argparse.Namespace) -> int:
    if args.as_of is None:
        args.as_of = today()
    require_migrated()  # only `spendsense migrate` changes a schema
    out = console()
    if args.user:
        unknown = asyncio.run(_unknown(args.user))
        if unknown:
            out.print(f"unknown user(s): {', '.join(unknown)}: nothing assessed")
            return 1
    if args.workers == 1:
        report = asyncio.run(_assess(args))
    else:
        job = Job(
            get_settings().database_url,
            args.as_of,
            args.user or None,
            changed_only=args.changed_only,
            streams=args.streams,
        )
        workers = start_workers(job, args.workers)  # before the bar's thread starts
        try:
            with progress() as bar:
                task = bar.add_task(f"assessing users ({args.workers} workers)", total=None)
                report = workers.wait(
                    lambda done, total: bar.update(task, completed=done, total=total)
                )
        except WorkerFailed as error:
            out.print(f"assessment stopped: {error}")
            return 1
    _print_assessment(out, args.as_of, report)
    return 0


async def _unknown(user_ids: list[str]) -> list[str]:
    """The ids of `user_ids` that name no user."""
    engine = make_engine()
    try:
        async with open_session(engine) as session:
            with_consent, without = await consenting(session, user_ids)
    finally:
        await engine.dispose()
    return sorted(set(user_ids) - set(with_consent) - set(without))


async def _assess(args: argparse.Namespace) -> AssessReport:
    engine = make_engine()
    try:
        with progress() as bar:
            task = bar.add_task("assessing users", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            return await assess_all(
                engine,
                args.as_of,
                args.user or None,
                changed_only=args.changed_only,
                on_batch=advance,
                streams=args.streams,
            )
    finally:
        await engine.dispose()


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
