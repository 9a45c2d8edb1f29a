"""The `spendsense` command line: one module per command (migrate, seed,
assess, evaluate, explain, ...), each with a `register(commands)` that adds
its subparser; main.py builds the parser from them and runs the one asked for.

A new command is one more module here, listed in main.COMMANDS."""

from app.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
