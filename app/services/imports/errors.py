"""Why an import is refused: one domain error carrying every place at fault.

A refusal writes nothing (the whole file or page is refused), so the parsers
gather the problems they meet, up to MAX_PROBLEMS, and raise them together:
a user fixing a file sees more than the first bad line.
"""

from typing import Any

from app.services.errors import InvalidInput

Loc = tuple[str | int, ...]

# Enough to show a pattern without echoing a 100,000-line file back.
MAX_PROBLEMS = 50


class ImportRefused(InvalidInput):
    """The file or page cannot be imported (422). `errors` are in pydantic's
    shape; each `loc` is relative to the file or page (whoever reads it from
    a request places it: `under`): CSV (line_number, column_name), OFX
    (statement_index, FITID or tag) or a file-level tag, Plaid (list_name,
    index)."""

    def __init__(
        self,
        errors: list[dict[str, Any]],
        summary: str = "the import was refused",
        under: tuple[str, ...] = (),
    ) -> None:
        super().__init__(errors, under)
        self.summary = summary  # one line for a person (the CLI's report)


def problem(loc: Loc, msg: str, kind: str) -> dict[str, Any]:
    return {"loc": list(loc), "msg": msg, "type": kind}


def refuse(loc: Loc, msg: str, kind: str) -> ImportRefused:
    """One problem, ready to raise."""
    return ImportRefused([problem(loc, msg, kind)], msg)


class Problems:
    """The problems found so far in one parse; raises once there are too
    many to be worth going on, or when the parse ends (raise_if_any)."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []

    def add(self, loc: Loc, msg: str, kind: str) -> None:
        self.errors.append(problem(loc, msg, kind))
        if len(self.errors) >= MAX_PROBLEMS:
            raise ImportRefused(self.errors, f"{msg} (and more: the first {MAX_PROBLEMS} shown)")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ImportRefused(self.errors, self.errors[0]["msg"])
