"""/api/v1 routes for users."""

from typing import Annotated

from fastapi import APIRouter, status

from app.api.deps import JSON_BODY, SessionDep, conflict, unknown
from app.api.params import DEFAULT_PAGE_SIZE, PageSizeQuery, cursor_query
from app.models import ConsentUpdate, Page, User, UserCreate, UserPublic, UserUpdate
from app.services import users

router = APIRouter(tags=["users"])

CursorQuery = Annotated[str | None, cursor_query(users.NEWEST_FIRST)]

NOT_FOUND = unknown("user")


@router.post(
    "/users",
    name="create",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    dependencies=[JSON_BODY],
    responses={**conflict("A user with that id, or that email, exists")},
)
async def create_user(body: UserCreate, session: SessionDep) -> User:
    return await users.create(session, body)


@router.get("/users", name="list", response_model=Page[UserPublic])
async def list_users(
    session: SessionDep, limit: PageSizeQuery = DEFAULT_PAGE_SIZE, cursor: CursorQuery = None
) -> Page[User]:
    """Users, newest first."""
    return await users.list_page(session, cursor, limit)


@router.get("/users/{user_id}", name="get", response_model=UserPublic, responses=NOT_FOUND)
async def get_user(user_id: str, session: SessionDep) -> User:
    return await users.get(session, user_id)


@router.patch(
    "/users/{user_id}",
    name="update",
    response_model=UserPublic,
    dependencies=[JSON_BODY],
    responses={**NOT_FOUND, **conflict("Another user has that email")},
)
async def update_user(user_id: str, body: UserUpdate, session: SessionDep) -> User:
    return await users.update(session, user_id, body)


@router.put(
    "/users/{user_id}/consent",
    name="set_consent",
    response_model=UserPublic,
    dependencies=[JSON_BODY],
    responses={**NOT_FOUND},
)
async def set_consent(user_id: str, body: ConsentUpdate, session: SessionDep) -> User:
    return await users.set_consent(session, user_id, body.consent)


@router.delete(
    "/users/{user_id}", name="delete", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND
)
async def delete_user(user_id: str, session: SessionDep) -> None:
    """Right to erasure: the user's accounts, their transactions and the user's
    personas go too, in one statement and one transaction."""
    await users.delete(session, user_id)
