"""/api/v1 routes for accounts."""

from typing import Annotated

from fastapi import APIRouter, status

from app.api.deps import JSON_BODY, PARENT_GONE, SessionDep, conflict, unknown
from app.api.params import DEFAULT_PAGE_SIZE, PageSizeQuery, cursor_query
from app.models import Account, AccountCreate, AccountPublic, AccountUpdate, Page
from app.services import accounts

router = APIRouter(tags=["accounts"])

CursorQuery = Annotated[str | None, cursor_query(accounts.BY_ID)]

NOT_FOUND = unknown("account")


@router.post(
    "/users/{user_id}/accounts",
    name="create",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountPublic,
    dependencies=[JSON_BODY],
    responses={**unknown("user"), **conflict(f"The id exists, or {PARENT_GONE}")},
)
async def create_account(user_id: str, body: AccountCreate, session: SessionDep) -> Account:
    return await accounts.create(session, user_id, body)


@router.get(
    "/users/{user_id}/accounts",
    name="list",
    response_model=Page[AccountPublic],
    responses=unknown("user"),
)
async def list_user_accounts(
    user_id: str,
    session: SessionDep,
    limit: PageSizeQuery = DEFAULT_PAGE_SIZE,
    cursor: CursorQuery = None,
) -> Page[Account]:
    """The user's accounts, by id."""
    return await accounts.list_page(session, user_id, cursor, limit)


@router.get("/accounts/{account_id}", name="get", response_model=AccountPublic, responses=NOT_FOUND)
async def get_account(account_id: str, session: SessionDep) -> Account:
    return await accounts.get(session, account_id)


@router.patch(
    "/accounts/{account_id}",
    name="update",
    response_model=AccountPublic,
    dependencies=[JSON_BODY],
    responses={
        **NOT_FOUND,
        **conflict(
            "The fields sent are valid but do not fit the stored account (a subtype of "
            "the other type, credit fields on a depository account): the detail names "
            "the stored type and subtype"
        ),
    },
)
async def update_account(account_id: str, body: AccountUpdate, session: SessionDep) -> Account:
    """Merge the sent fields into the account and check the result as a create
    would. The fields sent must fit a `type` sent with them (422, as the
    schema says); the merged account must fit too, which depends on what is
    stored: 409 otherwise, a conflict with the stored row, naming its type and
    subtype (e.g. `{"subtype": "hsa"}` on a credit card, `{"limit": 100}` on a
    checking account, or a switch to depository that does not null `limit`,
    `apr` and `min_payment`)."""
    return await accounts.update(session, account_id, body)


@router.delete(
    "/accounts/{account_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
)
async def delete_account(account_id: str, session: SessionDep) -> None:
    """Its transactions go too, in the same transaction."""
    await accounts.delete(session, account_id)
