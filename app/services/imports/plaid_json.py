"""Reading Plaid's JSON exactly: numbers become Decimal from their decimal
text (0.1 is 10 cents, never 9), and the small checks every Plaid list
item needs, reported as (list_name, index) problems."""

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from app.models.types import ID_PATTERN
from app.services.imports.errors import Loc, Problems, refuse

_ID = re.compile(ID_PATTERN)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def load(body: bytes) -> dict[str, Any]:
    """The JSON object of a body, floats as Decimal."""
    try:
        value = json.loads(body, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise refuse((), f"the body is not JSON: {exc}", "json_invalid") from exc
    if not isinstance(value, dict):
        raise refuse((), "the body must be a JSON object", "json_invalid")
    return value


def items(body: dict[str, Any], name: str) -> list[Any]:
    """body[name] as a list ([] when absent or null)."""
    value = body.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise refuse((name,), f"{name} must be a list", "plaid_invalid")
    return value


class Checks:
    """Field checks on one list item; problems are named (list, index)."""

    def __init__(self, problems: Problems, where: Loc) -> None:
        self.problems, self.where, self.ok = problems, where, True

    def fail(self, msg: str, kind: str = "plaid_invalid") -> None:
        self.ok = False
        self.problems.add(self.where, msg, kind)

    def ident(self, item: dict[str, Any], field: str) -> str:
        value = item.get(field)
        if not isinstance(value, str) or not _ID.fullmatch(value):
            self.fail(f"{field} {value!r} is not an id of 1-50 letters, digits, _ or -")
            return ""
        return value

    def text(self, item: dict[str, Any], field: str) -> str | None:
        value = item.get(field)
        if value is None or isinstance(value, str):
            return value.strip() or None if value else None
        self.fail(f"{field} must be a string or null")
        return None

    def day(self, item: dict[str, Any], field: str) -> datetime | None:
        value = item.get(field)
        try:
            if isinstance(value, str) and _DATE.fullmatch(value):
                return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
        except ValueError:
            pass
        self.fail(f"{field} {value!r} is not a date YYYY-MM-DD")
        return None


def obj(value: Any, checks: Checks) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    checks.fail("must be a JSON object")
    return {}
