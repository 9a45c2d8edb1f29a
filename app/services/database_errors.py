"""What a failure of the database means for the request, as a domain error.

Routes check ids and state first; these are the failures that still reach
the database (a race on a constraint, a value it cannot store, a server that
is down, locked, read-only or out of connections). A failure that fits none
of them is a bug (None: the handler answers 500 and logs it).
"""

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.backends import Backend
from app.services import retry
from app.services.errors import (
    Busy,
    Conflict,
    DomainError,
    InvalidInput,
    Unavailable,
    WritesRefused,
)

# SQLSTATE classes that mean the database cannot serve requests now, whatever
# the request: connection exception (08), invalid authorization (28), no such
# database (3D), insufficient resources such as too many connections (53),
# shutdown in progress or not accepting connections yet (57P).
_UNAVAILABLE_SQLSTATES = ("08", "28", "3D", "53", "57P")

UNREACHABLE = "database unavailable, try again later"
NO_CONNECTION_FREE = "every database connection is busy, try again later"
CONFLICT = "the change conflicts with existing data (duplicate id or email, or a missing parent)"


def database_error(exc: Exception, backend: Backend, database_url: str) -> DomainError | None:
    """The domain error that `exc`, raised by the database or its driver,
    stands for; None when it is a bug."""
    if isinstance(exc, PoolTimeout):
        # Every pooled connection stayed busy for DB_POOL_TIMEOUT: the service
        # is overloaded, not broken.
        return Unavailable(NO_CONNECTION_FREE)
    if isinstance(exc, ConnectionError):
        # asyncpg raises a plain ConnectionError when the server refuses.
        return Unavailable(UNREACHABLE)
    if isinstance(exc, IntegrityError):
        # A race hit a constraint; the transaction has been rolled back.
        return Conflict(CONFLICT)
    if not isinstance(exc, DBAPIError):
        return None
    sqlstate = retry.sqlstate(exc)
    if sqlstate.startswith("22"):
        # A value the database cannot store (text with NUL on PostgreSQL).
        error = {"type": "value_error", "loc": (), "msg": f"value not storable: {exc.orig}"}
        return InvalidInput([error])
    cause = backend.lasting_cause(exc.orig or exc, database_url)
    if cause is not None:
        return WritesRefused(cause[1])
    if retry.is_retryable(exc):
        # A deadlock or serialization failure outside a service's retries.
        return Busy()
    if (
        isinstance(exc, OperationalError | InterfaceError)
        or exc.connection_invalidated
        or sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    ):
        # Unreachable, or locked past the busy timeout.
        return Unavailable(UNREACHABLE)
    return None
