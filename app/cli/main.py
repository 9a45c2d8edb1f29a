"""The `spendsense` parser, built from the command modules, and main()."""

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from app.cli import (
    assess,
    evaluate,
    evaluate_import,
    evaluate_streams,
    explain,
    export,
    import_files,
    migrate,
    own_data,
    prepare,
    seed,
)
from app.startup_errors import EXIT_CODE, reported

Handler = Callable[[argparse.Namespace], int]
# In the order `spendsense --help` lists them.
COMMANDS = (
    migrate,
    seed,
    import_files,
    export,
    assess,
    evaluate,
    evaluate_streams,
    evaluate_import,
    explain,
    prepare,
    own_data,
)
# The format alembic.ini gave Alembic's lines.
LOG_FORMAT = "%(levelname)-5.5s [%(name)s] %(message)s"
VERBOSE_HELP = "also show the INFO log (Alembic's steps, ...) on stderr"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spendsense", description="SpendSense data service tools (DATABASE_URL picks the db)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help=VERBOSE_HELP)
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(commands)
    # After the command too (`spendsense migrate -v`); SUPPRESS keeps a -v
    # given before it.
    for subparser in commands.choices.values():
        subparser.add_argument(
            "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=VERBOSE_HELP
        )
    return parser


_handler: logging.Handler | None = None


def _log_to_stderr(verbose: bool) -> None:
    """Warnings and errors always; INFO (Alembic's "Context impl SQLiteImpl",
    "Running upgrade ...") only with -v. Our handler on the root logger, on
    the stderr of this call (main() may run several times in one process)."""
    global _handler
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(_handler)
    level = logging.INFO if verbose else logging.WARNING
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _log_to_stderr(args.verbose)
    handler: Handler = args.handler
    try:
        return handler(args)
    except Exception as error:
        # A setup mistake (bad setting, unreachable or unmigrated database):
        # one line, no traceback (app/startup_errors.py).
        if reported(error):
            return EXIT_CODE
        raise
