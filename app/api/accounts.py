"""/api/v1 routes for accounts."""

from fastapi import APIRouter, status

from app.api.deps import JSON_BODY, NOT_JSON, SessionDep, unknown
from app.api.params import DEFAULT_LIMIT, CursorQuery, LimitQuery
from app.models import Account, AccountCreate, AccountPublic, AccountUpdate, Page
from app.services import accounts

router = APIRouter(tags=["accounts"])

NOT_FOUND = unknown("account")


@router.post(
    "/users/{user_id}/accounts",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountPublic,
    dependencies=[JSON_BODY],
    responses={**NOT_JSON, **unknown("user")},
)
async def create_account(user_id: str, body: AccountCreate, session: SessionDep) -> Account:
    return await accounts.create(session, user_id, body)


@router.get(
    "/users/{user_id}/accounts",
    response_model=Page[AccountPublic],
    responses=unknown("user"),
)
async def list_user_accounts(
    user_id: str, session: SessionDep, limit: LimitQuery = DEFAULT_LIMIT, cursor: CursorQuery = None
) -> Page[Account]:
    """The user's accounts, by id."""
    return await accounts.list_page(session, user_id, cursor, limit)


@router.get("/accounts/{account_id}", response_model=AccountPublic, responses=NOT_FOUND)
async def get_account(account_id: str, session: SessionDep) -> Account:
    return await accounts.get(session, account_id)


@router.patch(
    "/accounts/{account_id}",
    response_model=AccountPublic,
    dependencies=[JSON_BODY],
    responses={**NOT_JSON, **NOT_FOUND},
)
async def update_account(account_id: str, body: AccountUpdate, session: SessionDep) -> Account:
    """Merge the sent fields into the account and check the result as a create
    would: e.g. a switch to depository must null limit/apr/min_payment too."""
    return await accounts.update(session, account_id, body)


@router.delete(
    "/accounts/{account_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND
)
async def delete_account(account_id: str, session: SessionDep) -> None:
    """Its transactions go too, in the same transaction."""
    await accounts.delete(session, account_id)
