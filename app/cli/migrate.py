"""`spendsense migrate`: upgrade the schema of DATABASE_URL to head; the
only command that changes a schema."""

import argparse
from typing import TYPE_CHECKING

from app.cli.output import console
from app.cli.schema import upgrade_to_head
from app.config import get_settings, without_password
from app.db import head_revision

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser("migrate", help="upgrade the database schema to head")
    parser.set_defaults(handler=run)


def run(_args: argparse.Namespace) -> int:
    url = get_settings().database_url
    was = upgrade_to_head(url)
    head, shown = head_revision(), without_password(url)
    if was == head:
        console().print(f"{shown}: schema already at head {head}", soft_wrap=True)
    else:
        console().print(f"{shown}: schema migrated from {was or 'none'} to {head}", soft_wrap=True)
    return 0
