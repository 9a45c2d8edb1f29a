"""Users: create, read, change, consent, erase."""

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import RawQuery, backend_of
from app.models import Page, User, UserCreate, UserUpdate
from app.services import repository
from app.services.errors import Conflict, ConsentRequired, NotFound
from app.services.pagination import Keyset, fetch_page

# Newest first; the id breaks ties between users created in the same microsecond.
NEWEST_FIRST = Keyset.of(User.created_at, User.id)


async def get(session: AsyncSession, user_id: str) -> User:
    return await repository.get_or_raise(session, User, user_id, "user")


async def list_page(session: AsyncSession, cursor: str | None, limit: int) -> Page[User]:
    """Users, newest first."""
    return await fetch_page(session, select(User), NEWEST_FIRST, cursor, limit)


async def ensure_email_free(session: AsyncSession, email: str, owner_id: str | None) -> None:
    """Conflict if another user has this email, compared case-insensitively
    with the database's lower(), the same function the unique index
    ux_users_email_lower uses (which remains the backstop against races),
    and, for an address beyond ASCII, with Python's str.lower() too."""
    stmt = select(User.id).where(func.lower(col(User.email)) == func.lower(email))
    holders = list((await session.exec(stmt)).all())
    holders += await _non_ascii_holders(session, email)
    if any(holder != owner_id for holder in holders):
        raise Conflict(f"email {email!r} is already in use")


async def _non_ascii_holders(session: AsyncSession, email: str) -> list[str]:
    """Users whose email equals `email` ignoring case beyond ASCII: SQLite's
    lower() (and PostgreSQL's in a database with the C ctype) folds A-Z only,
    so "ÄNNE@x" and "änne@x" pass it. Emails are stored NFC-normalised (the
    validator), and no NFC-stable non-ASCII character lower-cases to ASCII,
    so only a non-ASCII address can have such a twin, and only among the
    non-ASCII addresses, which are compared here (a scan, but only for them)."""
    if email.isascii():
        return []
    non_ascii = backend_of(session).has_non_ascii(col(User.email))
    rows = (await session.exec(select(User.id, User.email).where(non_ascii))).all()
    key = email.lower()
    return [user_id for user_id, stored in rows if stored.lower() == key]


# Through the driver itself: the consent check opens every insights read, and
# one driver call costs a fraction of SQLAlchemy's cursor round trips.
_CONSENT = RawQuery(lambda db: "SELECT consent FROM users WHERE id = :user")


async def require_consent(session: AsyncSession, user_id: str) -> None:
    """The one consent check of everything computed from a user's data:
    NotFound for an unknown user, ConsentRequired for one without consent."""
    rows = []
    if repository.is_valid_id(user_id):
        rows = await backend_of(session).fetch(session, _CONSENT, {"user": user_id})
    if not rows:
        raise NotFound("user", user_id)
    if not rows[0][0]:
        raise ConsentRequired(user_id)


async def create(session: AsyncSession, data: UserCreate) -> User:
    await ensure_email_free(session, data.email, owner_id=None)
    return await repository.add_new(session, User, data, what="user", prefix="usr")


async def update(session: AsyncSession, user_id: str, changes: UserUpdate) -> User:
    """Change the fields sent; the others keep their values."""
    user = await get(session, user_id)
    if changes.email is not None:
        await ensure_email_free(session, changes.email, owner_id=user.id)
    return await repository.save_changes(session, user, changes)


async def set_consent(session: AsyncSession, user_id: str, consent: bool) -> User:
    user = await get(session, user_id)
    user.consent = consent
    session.add(user)
    await session.commit()
    return user


async def delete(session: AsyncSession, user_id: str) -> None:
    """Right to erasure: the user's accounts, their transactions and the
    user's personas go too, in one statement and one transaction."""
    await repository.delete_or_raise(session, User, user_id, "user")
