"""A user's data out, as files other tools read: OFX 2 (XML, one statement
per account, FITID = our transaction id, posted transactions only) or CSV
(the column names our own import reads, plus category and merchant, and the
pending rows under their own title). The user's right of access: it
needs no consent (consent governs what is computed from the data, not
giving the data back).

Streamed: accounts are read first (a handful), then each account's
transactions in keyset batches of BATCH_ROWS, each turned into text and
yielded, so memory stays flat whatever the history's length.
"""

from collections.abc import AsyncIterator
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import open_session
from app.models import Account, User
from app.services import repository
from app.services.errors import NotFound
from app.services.export import csv_writer, ofx_writer
from app.services.export.reader import read_accounts

ExportFormat = Literal["ofx", "csv"]
MEDIA_TYPES: dict[str, str] = {"ofx": "application/x-ofx", "csv": "text/csv; charset=utf-8"}


async def check(session: AsyncSession, user_id: str, account_id: str | None) -> None:
    """NotFound (404) for an unknown user, or an account that is not the user's."""
    await repository.get_or_raise(session, User, user_id, "user")
    if account_id is not None:
        account = (
            await session.get(Account, account_id) if repository.is_valid_id(account_id) else None
        )
        if account is None or account.user_id != user_id:
            raise NotFound("account", account_id, f"account {account_id!r} not found for this user")


async def export_chunks(
    engine: AsyncEngine, user_id: str, kind: ExportFormat, account_id: str | None = None
) -> AsyncIterator[bytes]:
    """The export's bytes, a batch at a time, read on a session of its own
    (a streamed response outlives the request's). Call `check` first."""
    async with open_session(engine) as session:
        accounts = await read_accounts(session, user_id, account_id)
        writer = ofx_writer.chunks if kind == "ofx" else csv_writer.chunks
        async for chunk in writer(session, accounts):
            yield chunk
