"""Primary-key lookups, existence checks and deletes shared by the domain
services: one way to do each, with the domain errors they raise."""

import re
from typing import Any, TypeVar
from uuid import uuid4

from sqlalchemy import delete
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.types import ID_PATTERN
from app.services.errors import Conflict, NotFound

ModelT = TypeVar("ModelT", bound=SQLModel)

_id_re = re.compile(ID_PATTERN)


def is_valid_id(value: str) -> bool:
    """Could `value` be an id at all (1-50 chars of [A-Za-z0-9_-])?"""
    return _id_re.fullmatch(value) is not None


def new_id(prefix: str) -> str:
    """A server-generated id: `<prefix>_<32 hex>`."""
    return f"{prefix}_{uuid4().hex}"


async def get_or_raise(session: AsyncSession, model: type[ModelT], ident: str, what: str) -> ModelT:
    """The row with primary key `ident`, or NotFound. An id that could never
    exist (not 1-50 chars of [A-Za-z0-9_-], e.g. with a NUL) is simply not
    found, without a query."""
    row = await session.get(model, ident) if is_valid_id(ident) else None
    if row is None:
        raise NotFound(what, ident)
    return row


async def ensure_absent(
    session: AsyncSession, model: type[SQLModel], ident: str, what: str
) -> None:
    """Conflict when a row with primary key `ident` already exists (a create
    with a client-chosen id). The primary key stays the backstop for races."""
    if await session.get(model, ident) is not None:
        raise Conflict(f"{what} {ident!r} already exists")


async def add_new(
    session: AsyncSession,
    model: type[ModelT],
    data: SQLModel,
    *,
    what: str,
    prefix: str,
    **fields: Any,
) -> ModelT:
    """Create a row from an XCreate body and commit it: the client's `id`
    (Conflict if it is taken) or a new `<prefix>_<hex>` one, plus `fields`
    the body does not carry (the parent's id)."""
    ident: str | None = getattr(data, "id", None)
    if ident is not None:
        await ensure_absent(session, model, ident, what)
    row = model.model_validate(data, update={"id": ident or new_id(prefix), **fields})
    session.add(row)
    await session.commit()
    return row


async def save_changes(session: AsyncSession, row: ModelT, changes: SQLModel) -> ModelT:
    """Apply the fields an XUpdate body sent (the others keep their values)
    and commit."""
    row.sqlmodel_update(changes.model_dump(exclude_unset=True))
    session.add(row)
    await session.commit()
    return row


async def delete_or_raise(
    session: AsyncSession, model: type[SQLModel], ident: str, what: str
) -> None:
    """Delete the row with primary key `ident` in one statement and commit,
    or NotFound. Rows that depend on it go in the same transaction, through
    the foreign keys' ON DELETE CASCADE."""
    deleted = 0
    if is_valid_id(ident):
        table = model.__table__  # type: ignore[attr-defined]
        result = await session.exec(delete(table).where(table.c.id == ident))
        deleted = result.rowcount
    if not deleted:
        raise NotFound(what, ident)
    await session.commit()
