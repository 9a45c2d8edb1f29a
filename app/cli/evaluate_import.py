"""`spendsense evaluate-import DIR`: import the messy statement files of
`spendsense seed --messy DIR` into fresh users through the import service
and measure them against the truth (app.services.import_evaluation):
categories, merchant grouping, persona agreement with the clean data per
window, and stream detection on clean and on imported data."""

import argparse
import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from app.cli.evaluate_streams import stream_table
from app.cli.messy_files import MANIFEST
from app.cli.output import console, progress, write_json
from app.cli.schema import require_migrated
from app.db import make_engine
from app.services.import_evaluation import TARGETS, ImportEvaluation, evaluate_import

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands

SHOWN_MISSES = 8


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser(
        "evaluate-import",
        help="import the files of seed --messy DIR into fresh users and measure categories, "
        "merchant names, personas and streams against the truth",
    )
    parser.add_argument("folder", type=Path, metavar="DIR", help="what seed --messy DIR wrote")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    require_migrated()  # only `spendsense migrate` changes a schema
    out = console()
    path = args.folder / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        out.print(f"cannot read {path}: {exc}")
        return 1
    if not isinstance(manifest, dict) or not {"spec", "users"} <= set(manifest):
        out.print(f"{path} is not a manifest of seed --messy")
        return 1
    result = asyncio.run(_evaluate(args.folder, manifest))
    print_evaluation(out, result)
    if args.json is not None:
        write_json(args.json, result.to_dict())
    return 1 if result.refused else 0


async def _evaluate(folder: Path, manifest: dict[str, object]) -> ImportEvaluation:
    engine = make_engine()
    try:
        with progress() as bar:
            users = manifest["users"]
            task = bar.add_task("importing", total=len(users) if isinstance(users, dict) else 0)
            return await evaluate_import(
                engine, folder, manifest, on_user=lambda _: bar.advance(task)
            )
    finally:
        await engine.dispose()


def print_evaluation(out: Console, result: ImportEvaluation) -> None:
    figures = result.figures()
    rows, personas = result.rows, result.personas
    table = Table(title="messy statement files imported, against the truth")
    for column in ("measure", "value", "count", "target"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    table.add_row(
        "categories recovered", f"{figures['categories']:.2%}",
        f"{rows.category_right}/{rows.rows} rows", f"{TARGETS['categories']:.0%}",
    )  # fmt: skip
    table.add_row(
        "recurring merchants under one name", f"{figures['merchant_grouping']:.2%}",
        f"{rows.grouped}/{rows.merchants}", f"{TARGETS['merchant_grouping']:.0%}",
    )  # fmt: skip
    for window in ("30d", "180d"):
        table.add_row(
            f"persona agrees with clean data, {window}", f"{personas.share(window):.2%}",
            f"{personas.agree[window]}/{personas.users} users",
            f"{TARGETS[f'persona_{window}']:.0%}",
        )  # fmt: skip
    out.print(table)
    out.print(
        f"{result.users} users, {result.files} files imported in {result.seconds_importing:.1f} s, "
        f"{len(result.refused)} refused; {rows.unmatched} imported rows matched no truth row; "
        f"{rows.stale_pending} pending rows stored beside their posted row",
        soft_wrap=True,
    )
    for problem in result.refused[:SHOWN_MISSES]:
        out.print(f"refused: {problem}", soft_wrap=True)
    if rows.category_misses:
        misses = ", ".join(
            f"{a} as {b}: {n}" for (a, b), n in rows.category_misses.most_common(SHOWN_MISSES)
        )
        out.print(f"categories missed (clean as imported): {misses}", soft_wrap=True)
    if rows.split:
        shown = sorted(rows.split.items())[:SHOWN_MISSES]
        text = "; ".join(f"{m}: {' | '.join(sorted(names))}" for m, names in shown)
        out.print(f"merchants split ({len(rows.split)}): {text}", soft_wrap=True)
    if personas.misses:
        text = ", ".join(f"{w} {a} as {b}: {n}" for (w, a, b), n in personas.misses.most_common())
        out.print(f"personas that differ (clean as imported): {text}", soft_wrap=True)
    for label, evaluation in (("clean", result.streams_clean), ("messy", result.streams_messy)):
        if evaluation is not None:
            title = f"recurring streams, {label} data ({result.stream_users} stream users)"
            out.print(stream_table(evaluation, title))
            accuracy = evaluation.frequency_accuracy
            missed = evaluation.failures()
            out.print(
                f"{label}: frequency right for "
                f"{'-' if accuracy is None else f'{accuracy:.3f}'} of the "
                f"{evaluation.merchant_found} streams found at a planted merchant; "
                + (
                    "stream targets met"
                    if not missed
                    else f"stream targets missed: {'; '.join(missed)}"
                ),
                soft_wrap=True,
            )
    missed = result.failures()
    out.print("all targets met" if not missed else f"targets missed: {'; '.join(missed)}")
