"""Which users a batch assessment goes over, a page at a time: the users of
a keyset range of ids (what one worker process of `spendsense assess
--workers N` takes), optionally only named ones, optionally only those whose
data changed since their last assessment (stream_store.changed_since_assessed).

Pages follow the users' primary key (`id > last ORDER BY id LIMIT n`), so a
worker holds one page of ids at a time whatever the number of users, and
ranges split the id order into contiguous shards without listing it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import User
from app.services.insights.stream_store import changed_since_assessed


@dataclass(frozen=True, slots=True)
class UserRange:
    """The users whose id is after `after` (exclusive) and up to `upto`
    (inclusive); None leaves that side open."""

    after: str | None = None
    upto: str | None = None


ALL_USERS = UserRange()


@dataclass(frozen=True, slots=True)
class Selection:
    """The users of a run: those of `span`, of `user_ids` when given, and
    with `changed_only` those without an assessment of their current data."""

    span: UserRange = ALL_USERS
    user_ids: Sequence[str] | None = None
    changed_only: bool = False

    def where(self, stmt: Any, after: str | None = None) -> Any:
        lower = after if after is not None else self.span.after
        if lower is not None:
            stmt = stmt.where(col(User.id) > lower)
        if self.span.upto is not None:
            stmt = stmt.where(col(User.id) <= self.span.upto)
        if self.user_ids is not None:
            stmt = stmt.where(col(User.id).in_(list(self.user_ids)))
        if self.changed_only:
            stmt = stmt.where(changed_since_assessed())
        return stmt


async def count_consenting(session: AsyncSession, selection: Selection) -> int:
    """How many users of the selection have consent (the progress bar's total)."""
    stmt = selection.where(select(func.count()).select_from(User).where(col(User.consent)))
    return int((await session.execute(stmt)).scalar_one())


async def next_users(
    session: AsyncSession, selection: Selection, after: str | None, limit: int
) -> list[tuple[str, bool]]:
    """(id, consent) of the next `limit` users of the selection after the id
    `after` (None: from the start of the range), in id order."""
    stmt = selection.where(select(col(User.id), col(User.consent)), after)
    rows = await session.execute(stmt.order_by(col(User.id)).limit(limit))
    return [(user_id, bool(consent)) for user_id, consent in rows.all()]


async def split(
    session: AsyncSession, parts: int, user_ids: Sequence[str] | None
) -> list[UserRange]:
    """`parts` contiguous ranges of about as many users each (fewer when
    there are fewer users), over all users or those of `user_ids`. A bound is
    the id at a multiple of count/parts in id order, found by OFFSET on the
    primary key's index: `parts - 1` short reads, no list of every id."""
    if user_ids is not None:
        ids = sorted(set(user_ids))
        total = len(ids)
        bounds = [ids[total * k // parts - 1] for k in range(1, parts) if total * k // parts]
    else:
        total = int((await session.execute(select(func.count()).select_from(User))).scalar_one())
        bounds = []
        for k in range(1, parts):
            offset = total * k // parts
            if offset == 0:
                continue
            stmt = select(col(User.id)).order_by(col(User.id)).offset(offset - 1).limit(1)
            bounds.append((await session.execute(stmt)).scalar_one())
    bounds = sorted(set(bounds))
    lows: list[str | None] = [None, *bounds]
    highs: list[str | None] = [*bounds, None]
    return [UserRange(after, upto) for after, upto in zip(lows, highs, strict=True)]
