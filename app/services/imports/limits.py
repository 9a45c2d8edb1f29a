"""What a statement file must be before it is read at all, wherever it comes
from (the API's upload routes, the console's upload page): no larger than
SPENDSENSE_IMPORT_MAX_BYTES (413) and not empty (422)."""

from app.config import get_settings
from app.services.errors import InvalidInput, TooLarge


def check_size(size: int) -> None:
    """Refuse a body over the limit. Callers check a declared size before
    reading the body when they know it (a multipart part's)."""
    limit = get_settings().spendsense_import_max_bytes
    if size > limit:
        raise TooLarge(f"the file is larger than {limit} bytes (SPENDSENSE_IMPORT_MAX_BYTES)")


def check_not_empty(data: bytes, loc: tuple[str, ...]) -> None:
    """Refuse a file of nothing but white space; `loc` is where the file was
    sent (the request's body, or its part)."""
    if not data.strip():
        empty = {"loc": list(loc), "msg": "the file is empty", "type": "value_error"}
        raise InvalidInput([empty], under=())
