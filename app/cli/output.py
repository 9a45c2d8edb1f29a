"""Where the commands write: results to stdout (rich tables), progress bars
to stderr and only on a terminal."""

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

# Tables printed into a file or a pipe keep this width: rich's default of 80
# columns would wrap or cut them.
PLAIN_WIDTH = 120


def console() -> Console:
    """The console the results go to (stdout)."""
    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=PLAIN_WIDTH)
    return out


def progress() -> Progress:
    """A progress bar on stderr, shown only on a terminal."""
    err = Console(stderr=True)
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
    )


def write_json(path: Path, value: Any) -> None:
    """A command's figures as JSON (--json): the folder made if need be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2) + "\n")
