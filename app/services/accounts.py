"""Accounts: a user's bank and card accounts."""

from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Account, AccountCreate, AccountUpdate, Page, User
from app.models.account import AccountBase
from app.services import repository
from app.services.errors import Conflict
from app.services.pagination import Keyset, fetch_page

BY_ID = Keyset.of(Account.id, descending=False)
ACCOUNT_FIELDS = frozenset(AccountBase.model_fields)


async def get(session: AsyncSession, account_id: str) -> Account:
    return await repository.get_or_raise(session, Account, account_id, "account")


async def list_page(
    session: AsyncSession, user_id: str, cursor: str | None, limit: int
) -> Page[Account]:
    """The user's accounts, by id (NotFound for an unknown user)."""
    await repository.get_or_raise(session, User, user_id, "user")
    stmt = select(Account).where(col(Account.user_id) == user_id)
    return await fetch_page(session, stmt, BY_ID, cursor, limit)


async def create(session: AsyncSession, user_id: str, data: AccountCreate) -> Account:
    await repository.get_or_raise(session, User, user_id, "user")
    return await repository.add_new(
        session, Account, data, what="account", prefix="acc", user_id=user_id
    )


async def update(session: AsyncSession, account_id: str, changes: AccountUpdate) -> Account:
    """Merge the sent fields into the account and check the result as a create
    would: e.g. a switch to depository must null limit/apr/min_payment too.
    A result that does not fit is a Conflict with the stored account (the
    same body fits another account): the body itself was valid."""
    account = await get(session, account_id)
    # Attributes, not model_dump(): loaded rows hold plain strings for enum fields.
    merged = {name: getattr(account, name) for name in ACCOUNT_FIELDS}
    try:
        AccountCreate.model_validate(merged | changes.model_dump(exclude_unset=True))
    except ValidationError as exc:
        reason = "; ".join(str(e.get("ctx", {}).get("error", e["msg"])) for e in exc.errors())
        raise Conflict(
            f"the change does not fit account {account_id!r} ({account.type}, "
            f"{account.subtype}): {reason}"
        ) from None
    return await repository.save_changes(session, account, changes)


async def delete(session: AsyncSession, account_id: str) -> None:
    """Its transactions go too, in the same transaction."""
    await repository.delete_or_raise(session, Account, account_id, "account")
