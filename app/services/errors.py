"""Domain errors: what the services refuse, in their own words.

Services raise these and know nothing of HTTP; app.api.errors maps each class
to its status code in one place (NotFound 404, Conflict 409, InvalidCursor
400, InvalidInput 422, UnknownReferences 404, ConsentRequired 403, Busy 503).
"""

from typing import Any


class DomainError(Exception):
    """A request the service refuses; `detail` says why, for a person."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    def __init__(self, what: str, ident: object, detail: str | None = None) -> None:
        super().__init__(detail or f"{what} {ident!r} not found")


class Conflict(DomainError):
    """The change collides with existing data (an id or email in use)."""


class InvalidCursor(DomainError):
    def __init__(self) -> None:
        super().__init__("malformed cursor")


class ConsentRequired(DomainError):
    """The user has not consented to the processing asked for."""

    def __init__(self, user_id: str) -> None:
        super().__init__(
            f"user {user_id!r} has not given consent: nothing is computed for them "
            "(PUT /api/v1/users/{id}/consent)"
        )


class Busy(DomainError):
    """The database kept aborting the work to resolve conflicts with
    concurrent transactions (deadlocks, serialization failures), even when
    run again: the client may retry the same request shortly."""

    retry_after_seconds = 1

    def __init__(self) -> None:
        super().__init__("the database is busy with conflicting requests, try again shortly")


class InvalidInput(DomainError):
    """Input that breaks a rule the service checks itself (a date out of
    range once made UTC, an account PATCH whose fields contradict each
    other). `errors` are in pydantic's shape, `loc` relative to the request
    body."""

    def __init__(self, errors: list[dict[str, Any]], detail: str = "invalid input") -> None:
        super().__init__(detail)
        self.errors = errors


class UnknownReferences(InvalidInput):
    """Items of the body name resources that do not exist (a bulk load's
    unknown accounts): one error per item, in pydantic's shape, with 404."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors, "unknown references")
