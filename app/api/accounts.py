"""/api/v1 routes for accounts."""

from typing import Any, cast
from uuid import uuid4

from fastapi import APIRouter, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import col, select

from app.api.deps import (
    JSON_BODY,
    NOT_JSON,
    SessionDep,
    delete_or_404,
    ensure_absent,
    get_or_404,
)
from app.api.pagination import DEFAULT_LIMIT, CursorQuery, Keyset, LimitQuery, fetch_page
from app.models import Account, AccountCreate, AccountPublic, AccountUpdate, Page, User
from app.models.account import AccountBase

router = APIRouter(tags=["accounts"])

BY_ID = Keyset(columns=(cast(InstrumentedAttribute[Any], Account.id),), descending=False)
ACCOUNT_FIELDS = frozenset(AccountBase.model_fields)


@router.post(
    "/users/{user_id}/accounts",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountPublic,
    dependencies=[JSON_BODY],
    responses=NOT_JSON,
)
async def create_account(user_id: str, body: AccountCreate, session: SessionDep) -> Account:
    await get_or_404(session, User, user_id, "user")
    if body.id is not None:
        await ensure_absent(session, Account, body.id, "account")
    account = Account.model_validate(
        body, update={"id": body.id or f"acc_{uuid4().hex}", "user_id": user_id}
    )
    session.add(account)
    await session.commit()
    return account


@router.get("/users/{user_id}/accounts", response_model=Page[AccountPublic])
async def list_user_accounts(
    user_id: str, session: SessionDep, limit: LimitQuery = DEFAULT_LIMIT, cursor: CursorQuery = None
) -> dict[str, Any]:
    """The user's accounts, by id."""
    await get_or_404(session, User, user_id, "user")
    stmt = select(Account).where(col(Account.user_id) == user_id)
    items, next_cursor = await fetch_page(session, stmt, BY_ID, cursor, limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/accounts/{account_id}", response_model=AccountPublic)
async def get_account(account_id: str, session: SessionDep) -> Account:
    return await get_or_404(session, Account, account_id, "account")


@router.patch(
    "/accounts/{account_id}",
    response_model=AccountPublic,
    dependencies=[JSON_BODY],
    responses=NOT_JSON,
)
async def update_account(account_id: str, body: AccountUpdate, session: SessionDep) -> Account:
    """Merge the sent fields into the account and check the result as a create
    would: e.g. a switch to depository must null limit/apr/min_payment too."""
    account = await get_or_404(session, Account, account_id, "account")
    changes = body.model_dump(exclude_unset=True)
    # Attributes, not model_dump(): loaded rows hold plain strings for enum fields.
    merged = {name: getattr(account, name) for name in ACCOUNT_FIELDS} | changes
    try:
        AccountCreate.model_validate(merged)
    except ValidationError as exc:
        # Same 422 shape FastAPI gives for the body of a create.
        errors = [
            {**error, "loc": ("body", *error["loc"])} for error in exc.errors(include_url=False)
        ]
        raise RequestValidationError(errors) from None
    account.sqlmodel_update(changes)
    session.add(account)
    await session.commit()
    return account


@router.delete(
    "/accounts/{account_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"description": "Unknown account"}},
)
async def delete_account(account_id: str, session: SessionDep) -> Response:
    """Its transactions go too, in the same transaction."""
    return await delete_or_404(session, Account, account_id, "account")
