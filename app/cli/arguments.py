"""Argument types shared by the commands: argparse calls them on the text
given and reports an ArgumentTypeError as a usage error (exit code 2)."""

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from app.models.types import within_as_of_range

if TYPE_CHECKING:
    # What each command module's register() adds its parser to.
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]


def today() -> date:
    """Today's date in UTC, the default `--as-of` of the insights commands."""
    return datetime.now(UTC).date()


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return number

    return parse


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("use YYYY-MM-DD") from exc


def as_of(value: str) -> date:
    """A YYYY-MM-DD date within the range the insights accept."""
    try:
        return within_as_of_range(iso_date(value))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def past_date(value: str) -> date:
    """A YYYY-MM-DD date no later than today (UTC): the data would
    otherwise be dated after the moment of seeding."""
    day = iso_date(value)
    now = today()
    if day > now:
        raise argparse.ArgumentTypeError(f"{day} is in the future (today is {now}, UTC)")
    return day
