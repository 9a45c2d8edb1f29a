"""Accounts: a user's bank (depository) and credit-card accounts."""

from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, Self

from pydantic import GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema
from sqlalchemy import BigInteger, Float, String, false
from sqlmodel import Field, Relationship, SQLModel

from app.models.common import PatchModel, owner_id
from app.models.types import (
    Cents,
    ClientDatetime,
    Id,
    IdColumn,
    NonNegativeCents,
    PositiveCents,
    StorableText,
    StrictBool,
    StrictFloat,
    UTCDateTime,
)

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
    apr: StrictFloat | None = Field(default=None, ge=0, le=100, sa_type=Float)
    min_payment: NonNegativeCents | None = Field(default=None, sa_type=BigInteger)
    is_overdue: StrictBool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # The moment `balance` was true (an imported statement's date); null = unknown.
    balance_as_of: ClientDatetime | None = Field(default=None, sa_type=UTCDateTime)


def check_account_shape(type_: str, subtype: str | None, credit_fields: dict[str, object]) -> None:
    """Raise ValueError when subtype (None: not known) or credit-only fields
    do not fit the type."""
    if subtype is not None and subtype not in SUBTYPES[type_]:
        allowed = ", ".join(sorted(SUBTYPES[type_]))
        raise ValueError(f"subtype '{subtype}' is not valid for type '{type_}' (use {allowed})")
    if type_ != AccountType.credit:
        sent = [k for k, v in credit_fields.items() if v is not None]
        if sent:
            raise ValueError(f"only credit accounts take {', '.join(sent)}")


_NULL = {"type": "null"}
_DEPOSITORY_SHAPE = {
    "properties": {
        "subtype": {"enum": sorted(SUBTYPES[AccountType.depository])},
        **{name: _NULL for name in CREDIT_ONLY_FIELDS},
    }
}
_CREDIT_SHAPE = {"properties": {"subtype": {"const": "credit_card"}}}


def _with_shape(json_schema: JsonSchemaValue, handler: GetJsonSchemaHandler, *rules: Any) -> None:
    """Add the subtype and credit-field rules (if/then) to a model's schema."""
    handler.resolve_ref_schema(json_schema)["allOf"] = list(rules)


def _when_type(value: str, then: dict[str, Any]) -> dict[str, Any]:
    return {
        "if": {"properties": {"type": {"const": value}}, "required": ["type"]},
        "then": then,
    }


class Account(AccountBase, table=True):
    __tablename__ = "accounts"

    id: str = Field(primary_key=True, max_length=50, sa_type=IdColumn)
    user_id: str = owner_id("users.id")

    user: "User" = Relationship(back_populates="accounts")
    transactions: list["Transaction"] = Relationship(back_populates="account", cascade_delete=True)


def _with_type_rules(
    json_schema: JsonSchemaValue, handler: GetJsonSchemaHandler
) -> JsonSchemaValue:
    """The if/then rules of each account type, added to a body's schema."""
    _with_shape(
        json_schema,
        handler,
        _when_type(AccountType.credit, _CREDIT_SHAPE),
        _when_type(AccountType.depository, _DEPOSITORY_SHAPE),
    )
    return json_schema


class AccountCreate(AccountBase):
    """The subtype must be one of the type's, and limit, apr and min_payment
    are for credit accounts only (null or absent otherwise): the schema says
    so with if/then rules."""

    id: Id | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        check_account_shape(
            self.type, self.subtype, {k: getattr(self, k) for k in CREDIT_ONLY_FIELDS}
        )
        return self

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return _with_type_rules(handler(schema), handler)


class AccountUpdate(PatchModel):
    """Any field of the account. When `type` is sent, the fields sent with it
    must fit it as on a create (422; the schema's if/then rules); the merged
    result must fit too, which depends on the stored account (422 as well)."""

    not_nullable = ("type", "subtype", "name", "mask", "balance", "currency", "is_overdue")

    type: AccountType | None = None
    subtype: Subtype | None = None
    name: StorableText | None = Field(default=None, min_length=1, max_length=200)
    mask: str | None = Field(default=None, schema_extra=MASK, min_length=4, max_length=4)
    balance: Cents | None = None
    limit: PositiveCents | None = None
    currency: str | None = Field(default=None, schema_extra=CURRENCY, min_length=3, max_length=3)
    apr: StrictFloat | None = Field(default=None, ge=0, le=100)
    min_payment: NonNegativeCents | None = None
    is_overdue: StrictBool | None = None
    balance_as_of: ClientDatetime | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if self.type is not None:
            sent = self.model_fields_set
            check_account_shape(
                self.type,
                self.subtype,
                {k: getattr(self, k) for k in CREDIT_ONLY_FIELDS if k in sent},
            )
        return self

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return _with_type_rules(super().__get_pydantic_json_schema__(schema, handler), handler)


class AccountPublic(AccountBase):
    id: str
    user_id: str
