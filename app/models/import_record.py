"""Imports: one row per accepted import of a statement file or a Plaid
page (the audit trail), and the answer every import gives."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, PrivateAttr
from sqlalchemy import BigInteger, Index, String
from sqlmodel import Field, SQLModel

from app.models.common import owner_id
from app.models.types import IdColumn, JSONList, UTCDateTime, utcnow

ImportFormat = Literal["ofx", "csv", "plaid"]


class AccountCounts(BaseModel):
    """What one import did to one account."""

    account_id: str
    created: bool = False  # the import created the account
    created_txns: int = 0
    updated_txns: int = 0
    deleted_txns: int = 0
    skipped_txns: int = 0


class ImportCounts(BaseModel):
    format: ImportFormat
    accounts: list[AccountCounts]
    created: int
    updated: int
    deleted: int
    skipped: int  # rows already present
    warnings: list[str]


class ImportResult(ImportCounts):
    """The answer of every import (201 when something changed, else 200)."""

    import_id: str | None  # null for a dry run
    dry_run: bool
    # Did it create, change or delete an account or a transaction? (201
    # when it did, else 200.) Not a field of the answer.
    _changed: bool = PrivateAttr(default=False)

    @property
    def changed(self) -> bool:
        return self._changed


class ImportRecord(SQLModel, table=True):
    """An accepted import (dry runs are not recorded). Deleting the user
    deletes them (erasure)."""

    __tablename__ = "imports"
    # Serves the newest-first keyset pages of a user's imports.
    __table_args__ = (Index("ix_imports_user_received", "user_id", "received_at", "id"),)

    id: str = Field(primary_key=True, max_length=50, sa_type=IdColumn)
    user_id: str = owner_id("users.id")
    format: str = Field(max_length=10, sa_type=String(10))
    filename: str | None = Field(default=None, max_length=255, sa_type=String(255))
    sha256: str = Field(max_length=64, sa_type=String(64))
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    created: int = Field(default=0, sa_type=BigInteger)
    updated: int = Field(default=0, sa_type=BigInteger)
    deleted: int = Field(default=0, sa_type=BigInteger)
    skipped: int = Field(default=0, sa_type=BigInteger)
    # [AccountCounts as a dict, ...] and [str, ...], as JSON text.
    accounts: list[Any] = Field(default_factory=list, sa_type=JSONList, nullable=False)
    warnings: list[Any] = Field(default_factory=list, sa_type=JSONList, nullable=False)


class ImportPublic(ImportCounts):
    id: str
    user_id: str
    filename: str | None
    sha256: str
    received_at: datetime
