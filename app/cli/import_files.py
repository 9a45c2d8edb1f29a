"""`spendsense import FILE|DIR ... --user ID`: statement files (OFX/QFX,
CSV) into a user's accounts through the same service the HTTP route calls
(app.services.imports.store.import_file), not over HTTP. A progress bar
while a big file is written (stderr, on a terminal), then a table per
account: created / updated / deleted / skipped. Exit code 1 when any file
was refused, each named with the place at fault; the other files are
imported all the same (each file is all or nothing on its own)."""

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app.cli.output import console, progress
from app.cli.schema import require_migrated
from app.db import make_engine, open_session
from app.models import ImportResult
from app.services.errors import DomainError, InvalidInput, NotFound
from app.services.imports import CsvOptions
from app.services.imports.store import ImportOptions, import_file

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands

# What a folder's files are imported: by their ending, any case.
SUFFIXES = (".ofx", ".qfx", ".csv")
# Problems shown per refused file (the service gathers up to 50).
SHOWN_PROBLEMS = 10


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser(
        "import",
        help="import OFX/QFX and CSV statement files (a folder: its .ofx, .qfx, .csv files)",
    )
    parser.add_argument("paths", nargs="+", metavar="FILE|DIR", help="files or folders")
    parser.add_argument("--user", required=True, metavar="ID", help="the user's id")
    parser.add_argument(
        "--account",
        metavar="ID",
        help="the user's account (required for CSV; attaches a one-statement OFX file)",
    )
    parser.add_argument("--format", choices=("ofx", "csv"), help="default: detected per file")
    parser.add_argument("--dry-run", action="store_true", help="read and count; write nothing")
    parser.add_argument("--sign", choices=("debit_negative", "debit_positive"))
    parser.add_argument("--decimal", choices=(".", ","))
    parser.add_argument("--date-format", metavar="STRFTIME", help="the CSV's date format")
    parser.add_argument("--account-name", help="import only this account's rows of a CSV")
    parser.set_defaults(handler=run)


def files_of(paths: list[str]) -> list[Path]:
    """The files named, and each folder's statement files, sorted by name."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        else:
            found.append(path)
    return found


def _options(args: argparse.Namespace, path: Path) -> ImportOptions:
    csv: dict[str, Any] = {
        "sign": args.sign,
        "decimal": args.decimal,
        "date_format": args.date_format,
        "account_name": args.account_name,
    }
    return ImportOptions(
        format=args.format,
        account_id=args.account,
        dry_run=args.dry_run,
        csv=CsvOptions(**{k: v for k, v in csv.items() if v is not None}),
        filename=path.name,
    )


def run(args: argparse.Namespace) -> int:
    require_migrated()  # only `spendsense migrate` changes a schema
    return asyncio.run(_import(args, console()))


async def _import(args: argparse.Namespace, out: Console) -> int:
    files = files_of(args.paths)
    if not files:
        out.print("no statement files found (.ofx, .qfx, .csv)")
        return 1
    refused = 0
    table = _table(args.dry_run)
    engine = make_engine()
    try:
        with progress() as bar:
            for path in files:
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    out.print(f"[bold]{escape(str(path))}[/]: cannot be read: {escape(str(exc))}")
                    refused += 1
                    continue
                task = bar.add_task(escape(path.name), total=None)

                def show(done: int, total: int, task: Any = task) -> None:
                    bar.update(task, completed=done, total=total)

                try:
                    async with open_session(engine) as session:
                        result = await import_file(
                            session, args.user, data, _options(args, path), show
                        )
                except NotFound as exc:
                    out.print(f"[bold]{escape(str(path))}[/]: {escape(str(exc.detail))}")
                    return 1
                except DomainError as exc:
                    refused += 1
                    _refusal(out, path, exc)
                    continue
                finally:
                    bar.remove_task(task)
                _rows(table, path, result)
                for warning in result.warnings:
                    out.print(f"{escape(path.name)}: warning: {escape(warning)}")
    finally:
        await engine.dispose()
    if table.row_count:
        out.print(table)
    if refused:
        out.print(f"{refused} of {len(files)} file(s) refused: nothing of them was imported")
    return 1 if refused else 0


def _table(dry_run: bool) -> Table:
    title = "import (dry run: nothing written)" if dry_run else "import"
    table = Table(title=title)
    for column in ("file", "account", "new account"):
        table.add_column(column)
    for column in ("created", "updated", "deleted", "skipped"):
        table.add_column(column, justify="right")
    return table


def _rows(table: Table, path: Path, result: ImportResult) -> None:
    for counts in result.accounts:
        table.add_row(
            escape(path.name),
            counts.account_id,
            "yes" if counts.created else "",
            str(counts.created_txns),
            str(counts.updated_txns),
            str(counts.deleted_txns),
            str(counts.skipped_txns),
        )


def _refusal(out: Console, path: Path, exc: DomainError) -> None:
    """The file and each place at fault (loc as the service gives it: the CSV
    line and column, the OFX statement and FITID or tag, a parameter)."""
    if not isinstance(exc, InvalidInput):
        out.print(f"[bold]{escape(str(path))}[/] refused: {escape(str(exc.detail))}")
        return
    out.print(f"[bold]{escape(str(path))}[/] refused:")
    for error in exc.errors[:SHOWN_PROBLEMS]:
        place = " / ".join(str(part) for part in error["loc"]) or "the file"
        out.print(f"  at {escape(place)}: {escape(str(error['msg']))}")
    if len(exc.errors) > SHOWN_PROBLEMS:
        out.print(f"  ... and {len(exc.errors) - SHOWN_PROBLEMS} more")
