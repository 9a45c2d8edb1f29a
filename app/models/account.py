"""Accounts: a user's bank (depository) and credit-card accounts."""

from enum import StrEnum
from typing import TYPE_CHECKING, Literal, Self

from pydantic import model_validator
from sqlalchemy import BigInteger, Float, String, false
from sqlmodel import Field, Relationship, SQLModel

from app.models.common import PatchModel
from app.models.types import Cents, Id, NonNegativeCents, PositiveCents, StorableText

if TYPE_CHECKING:
    from app.models.transaction import Transaction
    from app.models.user import User


class AccountType(StrEnum):
    depository = "depository"
    credit = "credit"


SUBTYPES: dict[str, frozenset[str]] = {
    AccountType.depository: frozenset({"checking", "savings", "money_market", "hsa"}),
    AccountType.credit: frozenset({"credit_card"}),
}
Subtype = Literal["checking", "savings", "money_market", "hsa", "credit_card"]
CREDIT_ONLY_FIELDS = ("limit", "apr", "min_payment")
# sqlmodel's Field(regex=...) is silently dropped under pydantic 2: patterns go
# through schema_extra, which reaches pydantic's FieldInfo (validation + OpenAPI).
MASK = {"pattern": r"^[0-9]{4}$"}
CURRENCY = {"pattern": r"^[A-Z]{3}$"}


class AccountBase(SQLModel):
    type: AccountType = Field(sa_type=String(50))
    subtype: Subtype = Field(sa_type=String(50))
    name: StorableText = Field(min_length=1, max_length=200)
    mask: str = Field(schema_extra=MASK, min_length=4, max_length=4)
    # Cents; for a credit account, the amount owed.
    balance: Cents = Field(sa_type=BigInteger)
    limit: PositiveCents | None = Field(default=None, sa_type=BigInteger)
    currency: str = Field(
        default="USD",
        sa_column_kwargs={"server_default": "USD"},
        schema_extra=CURRENCY,
        min_length=3,
        max_length=3,
    )
    # Annual percentage rate, in percent.
    apr: float | None = Field(default=None, ge=0, le=100, sa_type=Float)
    min_payment: NonNegativeCents | None = Field(default=None, sa_type=BigInteger)
    is_overdue: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


def check_account_shape(type_: str, subtype: str, credit_fields: dict[str, object]) -> None:
    """Raise ValueError when subtype or credit-only fields do not fit the type."""
    if subtype not in SUBTYPES[type_]:
        allowed = ", ".join(sorted(SUBTYPES[type_]))
        raise ValueError(f"subtype '{subtype}' is not valid for type '{type_}' (use {allowed})")
    if type_ != AccountType.credit:
        sent = [k for k, v in credit_fields.items() if v is not None]
        if sent:
            raise ValueError(f"only credit accounts take {', '.join(sent)}")


class Account(AccountBase, table=True):
    __tablename__ = "accounts"

    id: str = Field(primary_key=True, max_length=50)
    user_id: str = Field(
        foreign_key="users.id", ondelete="CASCADE", index=True, nullable=False, max_length=50
    )

    user: "User" = Relationship(back_populates="accounts")
    transactions: list["Transaction"] = Relationship(back_populates="account", cascade_delete=True)


class AccountCreate(AccountBase):
    id: Id | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        check_account_shape(
            self.type, self.subtype, {k: getattr(self, k) for k in CREDIT_ONLY_FIELDS}
        )
        return self


class AccountUpdate(PatchModel):
    """Any field of the account; the merged result is checked like a create."""

    not_nullable = ("type", "subtype", "name", "mask", "balance", "currency", "is_overdue")

    type: AccountType | None = None
    subtype: Subtype | None = None
    name: StorableText | None = Field(default=None, min_length=1, max_length=200)
    mask: str | None = Field(default=None, schema_extra=MASK, min_length=4, max_length=4)
    balance: Cents | None = None
    limit: PositiveCents | None = None
    currency: str | None = Field(default=None, schema_extra=CURRENCY, min_length=3, max_length=3)
    apr: float | None = Field(default=None, ge=0, le=100)
    min_payment: NonNegativeCents | None = None
    is_overdue: bool | None = None


class AccountPublic(AccountBase):
    id: str
    user_id: str
