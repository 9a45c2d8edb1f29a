"""The `spendsense` parser, built from the command modules, and main()."""

import argparse
from collections.abc import Callable, Sequence

from app.cli import assess, evaluate, explain, migrate, seed

Handler = Callable[[argparse.Namespace], int]
# In the order `spendsense --help` lists them.
COMMANDS = (migrate, seed, assess, evaluate, explain)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spendsense", description="SpendSense data service tools (DATABASE_URL picks the db)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)
