"""Transactions: money moving in or out of an account (cents; debit > 0)."""

from typing import TYPE_CHECKING, Annotated, NotRequired

from pydantic import BaseModel, TypeAdapter
from pydantic import Field as PydanticField
from sqlalchemy import BigInteger, Index, String, false
from sqlmodel import Field, Relationship, SQLModel
from typing_extensions import TypedDict

from app.models.common import PatchModel
from app.models.types import Cents, Id, ParsedDatetime, UTCDateTime, UTCDatetime

if TYPE_CHECKING:
    from app.models.account import Account

CATEGORY_PATTERN = r"^[A-Z0-9_]{1,100}$"
MAX_BULK_ITEMS = 10_000

# Upper-snake-case category name. The pattern sits in pydantic metadata:
# sqlmodel's Field(regex=...) is accepted but not enforced.
Category = Annotated[str, PydanticField(min_length=1, max_length=100, pattern=CATEGORY_PATTERN)]
# Free text without NUL (U+0000), which PostgreSQL cannot store. A pattern is
# checked in pydantic-core, so the bulk route pays no Python call per item.
MerchantName = Annotated[str, PydanticField(max_length=200, pattern=r"^[^\x00]*$")]


class TransactionBase(SQLModel):
    date: UTCDatetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    # Integer cents: positive = debit (money out), negative = credit (money in).
    amount: Cents = Field(sa_type=BigInteger)
    merchant_name: MerchantName | None = Field(default=None, sa_type=String(200))
    category: Category = Field(max_length=100)
    pending: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class Transaction(TransactionBase, table=True):
    __tablename__ = "transactions"
    # Serves per-account date ranges and, with the id tie-breaker, the whole
    # keyset order (date, id) of an account's list: a page is one range scan.
    __table_args__ = (Index("ix_txn_account_date", "account_id", "date", "id"),)

    id: str = Field(primary_key=True, max_length=50)
    account_id: str = Field(
        foreign_key="accounts.id", ondelete="CASCADE", index=True, nullable=False, max_length=50
    )

    account: "Account" = Relationship(back_populates="transactions")


class TransactionCreate(TransactionBase):
    id: Id | None = None


class TransactionBulkItem(TransactionBase):
    id: Id
    account_id: Id


class TransactionBulk(BaseModel):
    transactions: list[TransactionBulkItem] = Field(min_length=1, max_length=MAX_BULK_ITEMS)


class BulkRow(TypedDict):
    """One bulk item as validated for insertion: the same rules as
    TransactionBulkItem, but a plain dict ready for executemany (no model
    instances, no dump) and `date` parsed by pydantic-core, after a cheap
    check that refuses Unix times. The date is made UTC by the caller (naive =
    UTC), since a Python conversion per item would cost more than the whole
    parse."""

    id: Id
    account_id: Id
    date: ParsedDatetime
    amount: Cents
    merchant_name: NotRequired[Annotated[MerchantName | None, PydanticField(default=None)]]
    category: Category
    pending: NotRequired[Annotated[bool, PydanticField(default=False)]]


class BulkBody(TypedDict):
    transactions: Annotated[list[BulkRow], PydanticField(min_length=1, max_length=MAX_BULK_ITEMS)]


# Validates a raw JSON bulk body straight from bytes (the route documents the
# body with TransactionBulk's schema).
BULK_BODY = TypeAdapter(BulkBody)


class BulkResult(BaseModel):
    created: int
    skipped: int


class TransactionUpdate(PatchModel):
    not_nullable = ("date", "amount", "category", "pending")

    date: UTCDatetime | None = None
    amount: Cents | None = None
    merchant_name: MerchantName | None = None
    category: Category | None = None
    pending: bool | None = None


class TransactionPublic(TransactionBase):
    id: str
    account_id: str
