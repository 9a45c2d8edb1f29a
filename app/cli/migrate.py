"""`spendsense migrate`: upgrade the schema of DATABASE_URL to head."""

import argparse
from typing import TYPE_CHECKING

from app.db import init_db

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser("migrate", help="upgrade the database schema to head")
    parser.set_defaults(handler=run)


def run(_args: argparse.Namespace) -> int:
    init_db()
    return 0
