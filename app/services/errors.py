"""Domain errors: what the service refuses, in its own words, each carrying
its HTTP status and the shape of its body.

Services raise these and know nothing of HTTP frameworks; one handler
(app.api.errors) turns any of them into a JSON response: `status_code`,
`headers`, and `{"detail": detail}`, where detail is a sentence for a person
or, for invalid input, a list of errors in FastAPI's validation shape
(`[{"loc", "msg", "type", ...}]`). Failures of the database itself become
these too (app.services.database_errors), so every refusal takes one route.
"""

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

ErrorList = list[dict[str, Any]]


class DomainError(Exception):
    """A request the service refuses."""

    status_code: ClassVar[int] = 400
    headers: ClassVar[Mapping[str, str]] = {}

    def __init__(self, detail: str | ErrorList) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    status_code = 404

    def __init__(self, what: str, ident: object, detail: str | None = None) -> None:
        super().__init__(detail or f"{what} {ident!r} not found")


class Conflict(DomainError):
    """The change collides with stored data (an id or email in use, a
    change that does not fit the stored row)."""

    status_code = 409


class InvalidCursor(DomainError):
    status_code = 400

    def __init__(self) -> None:
        super().__init__("malformed cursor")


class UnreadableBody(DomainError):
    """A body no JSON reader can read at all (not UTF-8, nested too deep, a
    number too long): FastAPI's own 400, with its words."""

    status_code = 400

    def __init__(self) -> None:
        super().__init__("There was an error parsing the body")


class ConsentRequired(DomainError):
    """The user has not consented to the processing asked for."""

    status_code = 403

    def __init__(self, user_id: str) -> None:
        super().__init__(
            f"user {user_id!r} has not given consent: nothing is computed for them "
            "(PUT /api/v1/users/{id}/consent)"
        )


class UnsupportedMediaType(DomainError):
    status_code = 415


class TooLarge(DomainError):
    """A body or file over the size the service takes."""

    status_code = 413


class InvalidInput(DomainError):
    """Input that breaks a rule: one error per problem, in pydantic's shape,
    each `loc` under `under` (the request body unless said otherwise:
    ("query",), ("body", "file"), ...)."""

    status_code = 422

    def __init__(self, errors: Sequence[Mapping[str, Any]], under: tuple[str, ...] = ("body",)):
        super().__init__([{**error, "loc": [*under, *error["loc"]]} for error in errors])
        self.errors: ErrorList = self.detail  # type: ignore[assignment]


class UnknownReferences(InvalidInput):
    """Items of the body name resources that do not exist (a bulk load's
    unknown accounts): one error per item, in pydantic's shape."""

    status_code = 404


class Unavailable(DomainError):
    """The database cannot serve the request now; the client may retry after
    `Retry-After` seconds (RFC 9110)."""

    status_code = 503
    headers = {"Retry-After": "1"}


class Busy(Unavailable):
    """The database kept aborting the work to resolve conflicts with
    concurrent transactions (deadlocks, serialization failures), even when
    run again: the client may retry the same request shortly."""

    def __init__(self) -> None:
        super().__init__("the database is busy with conflicting requests, try again shortly")


class WritesRefused(Unavailable):
    """The database refuses writes for a lasting cause (read-only, disk
    full) that needs an operator: a longer wait."""

    headers = {"Retry-After": "60"}
