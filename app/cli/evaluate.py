"""`spendsense evaluate`: compare the stored personas with the planted
patterns of a seeding manifest (confusion matrix, recall, coverage, ...)."""

import argparse
import asyncio
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from app.cli.arguments import as_of
from app.cli.manifest import add_manifest_options, read_manifest
from app.cli.output import console, write_json
from app.cli.schema import require_migrated
from app.db import make_engine
from app.services.insights.evaluation import Evaluation, WindowReport, evaluate
from app.services.insights.persona_kinds import PERSONA_KINDS

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser(
        "evaluate",
        help="compare the stored personas with the planted patterns of a seeding manifest",
    )
    add_manifest_options(parser)
    parser.add_argument(
        "--as-of",
        type=as_of,
        default=None,
        help="only personas computed for this date (default: the newest computed ones)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    require_migrated()  # only `spendsense migrate` changes a schema
    return asyncio.run(_evaluate(args, console()))


async def _evaluate(args: argparse.Namespace, out: Console) -> int:
    manifest = read_manifest(args.manifest, out)
    if manifest is None:
        return 1
    # Persona users' entries name their pattern; stream users' (objects) are
    # for evaluate-streams.
    personas = {u: p for u, p in manifest.items() if isinstance(p, str)}
    if not personas or not all(p in PERSONA_KINDS.names for p in personas.values()):
        out.print(f"{args.manifest} is not a seeding manifest ({{user_id: persona}})")
        return 1
    engine = make_engine()
    try:
        result = await evaluate(engine, personas, args.as_of)
    finally:
        await engine.dispose()
    _print_evaluation(out, result)
    if args.json is not None:
        write_json(args.json, result.to_dict())
    return 0


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _lowest_recall(report: WindowReport) -> str:
    recalls = [(r, p) for p in PERSONA_KINDS.names if (r := report.recall(p)) is not None]
    if not recalls:
        return "-"
    value, persona = min(recalls)
    return f"{value:.1%} ({persona})"


def _print_evaluation(out: Console, result: Evaluation) -> None:
    for window, report in result.windows.items():
        matrix = Table(title=f"{window}: planted (rows) x computed (columns)")
        matrix.add_column("planted")
        for persona in PERSONA_KINDS.names:
            matrix.add_column(persona, justify="right")
        matrix.add_column("recall", justify="right")
        for planted in PERSONA_KINDS.names:
            row = [str(report.confusion[planted][p]) for p in PERSONA_KINDS.names]
            matrix.add_row(planted, *row, _ratio(report.recall(planted)))
        matrix.add_row(
            "precision",
            *(_ratio(report.precision(p)) for p in PERSONA_KINDS.names),
            "",
            end_section=True,
        )
        out.print(matrix)
    summary = Table(title="summary")
    summary.add_column("")
    for window in result.windows:
        summary.add_column(window, justify="right")
    reports = list(result.windows.values())
    summary.add_row("consenting users", *(str(r.consenting) for r in reports))
    summary.add_row("coverage", *(f"{r.coverage:.1%}" for r in reports))
    summary.add_row(
        "planted pattern recovered",
        *(f"{r.recovered:.1%} ({r.correct}/{r.consenting})" for r in reports),
    )
    summary.add_row("lowest recall", *(_lowest_recall(r) for r in reports))
    summary.add_row("explainability", *(f"{r.explainability:.1%}" for r in reports))
    summary.add_row(
        "top persona share",
        *(f"{r.top_persona[1]:.1%} ({r.top_persona[0]})" for r in reports),
    )
    out.print(summary)
    out.print(
        f"{result.manifest_users} users in the manifest, {result.without_consent} without "
        f"consent, {result.missing_users} not in the database; engine time per user "
        f"{result.seconds_per_user * 1000:.2f} ms (read + both windows); stored personas match "
        f"a fresh computation for {result.agreeing}/{result.compared} users"
    )
