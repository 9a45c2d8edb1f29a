"""The seeding manifest (`spendsense seed --manifest`) as the evaluation
commands read it, and the options they share."""

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console


def add_manifest_options(parser: argparse.ArgumentParser) -> None:
    """--manifest PATH (required) and --json OUT."""
    parser.add_argument(
        "--manifest", type=Path, required=True, help="the JSON written by seed --manifest"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")


def read_manifest(path: Path, out: Console) -> dict[str, Any] | None:
    """The manifest's entries by user id; None (said on `out`) when the file
    cannot be read or holds no JSON object."""
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        out.print(f"cannot read the manifest {path}: {exc}")
        return None
    if not isinstance(manifest, dict):
        out.print(f"{path} is not a seeding manifest (a JSON object by user id)")
        return None
    return manifest
