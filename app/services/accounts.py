"""Accounts: a user's bank and card accounts."""

from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Account, AccountCreate, AccountUpdate, Page, User
from app.models.account import AccountBase
from app.services import repository
from app.services.errors import Conflict
from app.services.insights import stream_store
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
    Fields valid on their own (AccountUpdate checked them) whose result does
    not fit the stored account (a subtype of the other type, credit fields
    on a depository account) conflict with the stored row: Conflict (409),
    naming the account's stored type and subtype and what does not fit."""
    account = await get(session, account_id)
    # Attributes, not model_dump(): loaded rows hold plain strings for enum fields.
    merged = {name: getattr(account, name) for name in ACCOUNT_FIELDS}
    sent = changes.model_dump(exclude_unset=True)
    try:
        AccountCreate.model_validate(merged | sent)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'account'}: {e['msg']}" for e in exc.errors()
        )
        raise Conflict(
            f"the change does not fit account {account_id!r}, which is {account.type} "
            f"({account.subtype}): {problems}"
        ) from None
    return await repository.save_changes(session, account, changes)


async def delete(session: AsyncSession, account_id: str) -> None:
    """Its transactions go too, in the same transaction."""
    await stream_store.transactions_changed(session, accounts=[account_id])
    await repository.delete_or_raise(session, Account, account_id, "account")
