"""Transactions: money moving in or out of an account (cents; debit > 0)."""

from functools import cache
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy import BigInteger, Index, String, false
from sqlmodel import Field, Relationship, SQLModel

from app.models.common import (
    CURSOR_DESCRIPTION,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    TRANSACTION_CURSOR,
    PatchModel,
    owner_id,
)
from app.models.types import (
    MAX_CENTS,
    Cents,
    ClientDatetime,
    Id,
    IdColumn,
    StorableText,
    StrictBool,
    UTCDateTime,
)

if TYPE_CHECKING:
    from app.models.account import Account

CATEGORY_PATTERN = r"^[A-Z0-9_]{1,100}$"
MAX_BULK_ITEMS = 10_000

# Upper-snake-case category name. The pattern sits in pydantic metadata:
# sqlmodel's Field(regex=...) is accepted but not enforced.
Category = Annotated[str, PydanticField(min_length=1, max_length=100, pattern=CATEGORY_PATTERN)]
MerchantName = Annotated[StorableText, PydanticField(max_length=200)]
# The source's raw text (OFX NAME and MEMO, a CSV description, Plaid's name).
MAX_DESCRIPTION = 1000
Description = Annotated[StorableText, PydanticField(max_length=MAX_DESCRIPTION)]


class TransactionBase(SQLModel):
    date: ClientDatetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    # Integer cents: positive = debit (money out), negative = credit (money in).
    amount: Cents = Field(sa_type=BigInteger)
    merchant_name: MerchantName | None = Field(default=None, sa_type=String(200))
    category: Category = Field(max_length=100)
    pending: StrictBool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Plaid's "detailed" personal finance category (INCOME_WAGES, ...), when known.
    category_detailed: Category | None = Field(default=None, sa_type=String(100))
    # The source's raw text; null for rows written before imports existed.
    description: Description | None = Field(default=None, sa_type=String(MAX_DESCRIPTION))


class Transaction(TransactionBase, table=True):
    __tablename__ = "transactions"
    # Serves per-account date ranges and, with the id tie-breaker, the whole
    # keyset order (date, id) of an account's list: a page is one range scan.
    __table_args__ = (Index("ix_txn_account_date", "account_id", "date", "id"),)

    id: str = Field(primary_key=True, max_length=50, sa_type=IdColumn)
    account_id: str = owner_id("accounts.id")

    account: "Account" = Relationship(back_populates="transactions")


class TransactionCreate(TransactionBase):
    id: Id | None = None


class TransactionBulkItem(TransactionBase):
    """One item of a bulk load: the client names the id and the account."""

    id: Id
    account_id: Id


class TransactionBulk(BaseModel):
    transactions: list[TransactionBulkItem] = Field(min_length=1, max_length=MAX_BULK_ITEMS)


class BulkResult(BaseModel):
    created: int
    skipped: int


class TransactionUpdate(PatchModel):
    not_nullable = ("date", "amount", "category", "pending")

    date: ClientDatetime | None = None
    amount: Cents | None = None
    merchant_name: MerchantName | None = None
    category: Category | None = None
    pending: StrictBool | None = None
    category_detailed: Category | None = None
    description: Description | None = None


class TransactionPublic(TransactionBase):
    id: str
    account_id: str


# The keys of a transaction in responses, in order (every list page's JSON
# writer keeps it, so all of them give the same bytes).
PUBLIC_FIELDS = tuple(TransactionPublic.model_fields)


QueryAmount = Annotated[int, PydanticField(ge=-MAX_CENTS, le=MAX_CENTS)]


class TransactionFilters(BaseModel):
    """Query parameters of the transaction lists: filters (combined with AND)
    and paging. Each filter is a condition on its own: `end` at or before
    `start`, or `max_amount` below `min_amount`, matches nothing (an empty
    page), as any empty range does."""

    start: ClientDatetime | None = PydanticField(
        None, description="Earliest `date`, inclusive (datetime, naive = UTC, or a date)"
    )
    end: ClientDatetime | None = PydanticField(
        None, description="Latest `date`, exclusive (datetime, naive = UTC, or a date)"
    )
    category: Category | None = None
    pending: bool | None = None
    min_amount: QueryAmount | None = PydanticField(
        None, description="Smallest amount, cents, inclusive"
    )
    max_amount: QueryAmount | None = PydanticField(
        None, description="Largest amount, cents, inclusive"
    )
    limit: int = PydanticField(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Page size (1-{MAX_PAGE_SIZE})"
    )
    cursor: str | None = PydanticField(
        None,
        max_length=1000,
        description=CURSOR_DESCRIPTION,
        json_schema_extra={"pattern": TRANSACTION_CURSOR},
    )

    def has_filters(self) -> bool:
        """Was any filter sent? Every field but the paging ones is a filter,
        so a filter added later counts without being listed anywhere."""
        return any(getattr(self, name) is not None for name in _filter_names(type(self)))


PAGING_FIELDS = frozenset({"limit", "cursor"})


@cache
def _filter_names(model: type[TransactionFilters]) -> tuple[str, ...]:
    return tuple(name for name in model.model_fields if name not in PAGING_FIELDS)


class GlobalTransactionFilters(TransactionFilters):
    """The filters of GET /transactions: also by account or by user."""

    account_id: Id | None = None
    user_id: Id | None = PydanticField(None, description="Transactions of all the user's accounts")
