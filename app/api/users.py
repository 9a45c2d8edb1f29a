"""/api/v1 routes for users."""

from typing import Any, cast
from uuid import uuid4

from fastapi import APIRouter, HTTPException, Response, status
from sqlalchemy import func
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api.deps import (
    JSON_BODY,
    NOT_JSON,
    SessionDep,
    delete_or_404,
    ensure_absent,
    get_or_404,
)
from app.api.pagination import DEFAULT_LIMIT, CursorQuery, Keyset, LimitQuery, fetch_page
from app.models import ConsentUpdate, Page, User, UserCreate, UserPublic, UserUpdate

router = APIRouter(tags=["users"])

# Newest first; the id breaks ties between users created in the same microsecond.
NEWEST_FIRST = Keyset(
    columns=(
        cast(InstrumentedAttribute[Any], User.created_at),
        cast(InstrumentedAttribute[Any], User.id),
    ),
    descending=True,
)


async def ensure_email_free(session: AsyncSession, email: str, owner_id: str | None) -> None:
    """409 if another user has this email, compared case-insensitively with the
    database's lower(), the same function the unique index ux_users_email_lower
    uses (which remains the backstop against races)."""
    stmt = select(User.id).where(func.lower(User.email) == func.lower(email))
    holders = (await session.exec(stmt)).all()
    if any(holder != owner_id for holder in holders):
        raise HTTPException(status.HTTP_409_CONFLICT, detail=f"email {email!r} is already in use")


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    dependencies=[JSON_BODY],
    responses=NOT_JSON,
)
async def create_user(body: UserCreate, session: SessionDep) -> User:
    if body.id is not None:
        await ensure_absent(session, User, body.id, "user")
    await ensure_email_free(session, body.email, owner_id=None)
    user = User.model_validate(body, update={"id": body.id or f"usr_{uuid4().hex}"})
    session.add(user)
    await session.commit()
    return user


@router.get("/users", response_model=Page[UserPublic])
async def list_users(
    session: SessionDep, limit: LimitQuery = DEFAULT_LIMIT, cursor: CursorQuery = None
) -> dict[str, Any]:
    """Users, newest first."""
    items, next_cursor = await fetch_page(session, select(User), NEWEST_FIRST, cursor, limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/users/{user_id}", response_model=UserPublic)
async def get_user(user_id: str, session: SessionDep) -> User:
    return await get_or_404(session, User, user_id, "user")


@router.patch(
    "/users/{user_id}", response_model=UserPublic, dependencies=[JSON_BODY], responses=NOT_JSON
)
async def update_user(user_id: str, body: UserUpdate, session: SessionDep) -> User:
    user = await get_or_404(session, User, user_id, "user")
    changes = body.model_dump(exclude_unset=True)
    if "email" in changes:
        await ensure_email_free(session, changes["email"], owner_id=user.id)
    user.sqlmodel_update(changes)
    session.add(user)
    await session.commit()
    return user


@router.put(
    "/users/{user_id}/consent",
    response_model=UserPublic,
    dependencies=[JSON_BODY],
    responses=NOT_JSON,
)
async def set_consent(user_id: str, body: ConsentUpdate, session: SessionDep) -> User:
    user = await get_or_404(session, User, user_id, "user")
    user.consent = body.consent
    session.add(user)
    await session.commit()
    return user


@router.delete(
    "/users/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"description": "Unknown user"}},
)
async def delete_user(user_id: str, session: SessionDep) -> Response:
    """Right to erasure: the user's accounts, their transactions and the user's
    personas go too, in one statement and one transaction."""
    return await delete_or_404(session, User, user_id, "user")
