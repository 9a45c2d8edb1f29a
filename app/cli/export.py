"""`spendsense export --user ID --format ofx|csv [--out FILE]`: the user's
data as an OFX or CSV file (app.services.export, the same as GET
/users/{id}/export), to a file or to stdout."""

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sqlalchemy.ext.asyncio import AsyncEngine

from app.cli.output import console
from app.cli.schema import require_migrated
from app.db import make_engine, open_session
from app.services import export
from app.services.errors import NotFound

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser("export", help="write a user's data as an OFX or CSV file")
    parser.add_argument("--user", required=True, metavar="ID", help="the user's id")
    parser.add_argument("--format", required=True, choices=("ofx", "csv"))
    parser.add_argument("--account", metavar="ID", help="only this account")
    parser.add_argument("--out", metavar="FILE", help="the file to write (default: stdout)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    require_migrated()
    return asyncio.run(_export(args))


async def _export(args: argparse.Namespace) -> int:
    engine = make_engine()
    try:
        async with open_session(engine) as session:
            try:
                await export.check(session, args.user, args.account)
            except NotFound as exc:
                console().print(str(exc.detail))
                return 1
        if args.out is None:
            await _write(engine, args, sys.stdout.buffer)
        else:
            target = await asyncio.to_thread(Path(args.out).open, "wb")
            try:
                await _write(engine, args, target)
            finally:
                target.close()
    finally:
        await engine.dispose()
    return 0


async def _write(engine: AsyncEngine, args: argparse.Namespace, target: BinaryIO) -> None:
    async for chunk in export.export_chunks(engine, args.user, args.format, args.account):
        target.write(chunk)
