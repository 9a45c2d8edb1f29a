"""`spendsense evaluate-streams`: recurring stream detection on the database
against the streams a seeding manifest planted (`seed --streams N`): recall,
precision and next-date accuracy per frequency, and frequency accuracy."""

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from app.cli.manifest import add_manifest_options, read_manifest
from app.cli.output import console, write_json
from app.cli.schema import require_migrated
from app.db import make_engine
from app.services.insights.seeded_streams import (
    SeededStreamReport,
    evaluate_seeded_streams,
    stream_entries,
)
from app.services.insights.stream_evaluation import (
    FREQUENCY_TARGET,
    NEXT_DATE_DAYS,
    NEXT_DATE_TARGET,
    TARGETS,
    StreamEvaluation,
    Tally,
)

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands

GROUPS = {"up_to_monthly": "up to monthly", "quarterly_and_longer": "quarterly and longer"}


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser(
        "evaluate-streams",
        help="compare the recurring streams found in the database with those a seeding "
        "manifest planted (seed --streams N)",
    )
    add_manifest_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    require_migrated()  # only `spendsense migrate` changes a schema
    out = console()
    manifest = read_manifest(args.manifest, out)
    entries = stream_entries(manifest or {})
    if manifest is not None and not entries:
        out.print(f"{args.manifest} lists no planted streams (seed --streams N writes them)")
    if not entries:
        return 1
    report = asyncio.run(_evaluate(entries))
    _print_report(out, report)
    if args.json is not None:
        write_json(args.json, report.to_dict())
    return 0


async def _evaluate(entries: dict[str, dict[str, Any]]) -> SeededStreamReport:
    engine = make_engine()
    try:
        return await evaluate_seeded_streams(engine, entries)
    finally:
        await engine.dispose()


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _row(name: str, tally: Tally) -> list[str]:
    return [
        name,
        str(tally.planted),
        str(tally.detected),
        _ratio(tally.recall),
        _ratio(tally.precision),
        f"{tally.next_within}/{tally.next_checked}",
        _ratio(tally.next_date_accuracy),
    ]


def stream_table(evaluation: StreamEvaluation, title: str) -> Table:
    """Recall, precision and next-date accuracy per frequency and group."""
    table = Table(title=title)
    for column in ("frequency", "planted", "detected", "recall", "precision"):
        table.add_column(column, justify="left" if column == "frequency" else "right")
    table.add_column(f"next date ±{NEXT_DATE_DAYS} d", justify="right")
    table.add_column("accuracy", justify="right")
    for name, tally in evaluation.by_frequency.items():
        table.add_row(*_row(name, tally))
    for group, label in GROUPS.items():
        table.add_row(*_row(label, evaluation.group(group)), style="bold")
    table.add_row(*_row("all", evaluation.group("all")), style="bold")
    return table


def _print_report(out: Console, report: SeededStreamReport) -> None:
    evaluation = report.evaluation
    out.print(
        stream_table(
            evaluation, "recurring streams: planted (merchant, frequency) pairs against detected"
        )
    )
    confusions = ", ".join(
        f"{a} as {b}: {n}" for (a, b), n in sorted(evaluation.confusions.items())
    )
    out.print(
        f"frequency right for {_ratio(evaluation.frequency_accuracy)} of the "
        f"{evaluation.merchant_found} streams found at a planted merchant"
        + (f" (wrong: {confusions})" if confusions else "")
    )
    targets = ", ".join(f"{GROUPS[g]} {t:.0%}" for g, t in TARGETS.items())
    out.print(
        f"targets: recall and precision {targets}; frequency {FREQUENCY_TARGET:.0%}; "
        f"next date {NEXT_DATE_TARGET:.0%}"
    )
    missed = evaluation.failures()
    out.print("all targets met" if not missed else f"targets missed: {'; '.join(missed)}")
    out.print(
        f"{report.users} stream users in the manifest, {report.evaluated} evaluated, "
        f"{report.without_consent} without consent, {report.missing_users} not in the database; "
        f"{report.seconds_per_user * 1000:.2f} ms per user (read, detect or stored copy)",
        soft_wrap=True,
    )
