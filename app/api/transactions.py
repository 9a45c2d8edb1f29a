"""/api/v1 routes for transactions: create, bulk ingest, filtered lists, CRUD."""

import uuid
from contextlib import asynccontextmanager
from datetime import UTC
from typing import Annotated, Any, cast

import orjson
from fastapi import APIRouter, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.api.deps import (
    JSON_BODY,
    NOT_JSON,
    SessionDep,
    delete_or_404,
    ensure_absent,
    get_or_404,
    is_valid_id,
    not_found,
)
from app.api.pagination import Keyset, fetch_page
from app.api.transaction_filters import (
    GlobalTransactionFilters,
    TransactionFilters,
    parse_query,
    query_parameters,
)
from app.api.transaction_pages import read_account_page_inline
from app.db import get_session
from app.models import (
    Account,
    BulkResult,
    Page,
    Transaction,
    TransactionBulk,
    TransactionCreate,
    TransactionPublic,
    TransactionUpdate,
)
from app.models.transaction import BULK_BODY, MAX_BULK_ITEMS
from app.services.ingest import insert_ignoring_duplicates

router = APIRouter(tags=["transactions"])

# The request-scoped session of SessionDep, for routes that open one lazily.
open_session = asynccontextmanager(get_session)
KEYSET = Keyset((Transaction.date, Transaction.id))  # type: ignore[arg-type]
TransactionPage = Page[TransactionPublic]
# The list routes select these columns and serialize them as they come.
PUBLIC_KEYS = tuple(TransactionPublic.model_fields)
PUBLIC_COLUMNS = [Transaction.__table__.c[key] for key in PUBLIC_KEYS]  # type: ignore[attr-defined]


async def _page(
    session: AsyncSession,
    clauses: list[ColumnElement[bool]],
    cursor: str | None,
    limit: int,
) -> tuple[Response, bool]:
    """The page as a response, and whether it is empty. One query; rows go
    straight from the driver to JSON bytes: plain column rows, no ORM objects,
    no pydantic round trip (the response_model still documents the shape)."""
    stmt = cast(SelectOfScalar[Any], select(*PUBLIC_COLUMNS).where(*clauses))
    rows, next_cursor = await fetch_page(session, stmt, KEYSET, cursor, limit)
    items = [dict(zip(PUBLIC_KEYS, row, strict=True)) for row in rows]
    body = orjson.dumps({"items": items, "next_cursor": next_cursor}, option=orjson.OPT_UTC_Z)
    return Response(body, media_type="application/json"), not items


def _bulk_openapi_schema() -> dict[str, Any]:
    """TransactionBulk's JSON schema with its $defs inlined, so it can sit in
    the operation (the raw-bytes route declares no typed body)."""
    schema = TransactionBulk.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    inlined: dict[str, Any] = inline(schema)
    inlined["properties"]["transactions"]["maxItems"] = MAX_BULK_ITEMS
    return inlined


# --- routes -------------------------------------------------------------------


# First: FastAPI tries routes in order, and this is the hottest one.
@router.get(
    "/accounts/{account_id}/transactions",
    response_model=TransactionPage,
    responses={404: {"description": "Unknown account"}},
    openapi_extra={"parameters": query_parameters(TransactionFilters)},
)
async def list_account_transactions(account_id: str, request: Request) -> Response:
    """One account's transactions, newest first; served by ix_txn_account_date.

    The hottest read, so it skips what costs most per request: the query
    string is validated in one pydantic call (the parameters are documented
    from TransactionFilters), no session dependency (one is opened only when
    needed), and on SQLite an unfiltered page is read inline
    (app.api.transaction_pages)."""
    query = parse_query(request)
    clauses = query.clauses()
    if not is_valid_id(account_id):  # could never exist: no query (NUL, ...)
        raise not_found("account", account_id)
    inline = None
    if not clauses:
        inline = read_account_page_inline(account_id, KEYSET, query.cursor, query.limit)
    if inline is not None and not inline[1]:
        return inline[0]
    async with open_session() as session:
        if inline is not None:
            page, empty = inline
        else:
            clauses.append(col(Transaction.account_id) == account_id)
            page, empty = await _page(session, clauses, query.cursor, query.limit)
        # One query per page: only an empty page needs to tell "no rows" from
        # "no such account".
        if empty:
            await get_or_404(session, Account, account_id, "account")
    return page


@router.post(
    "/accounts/{account_id}/transactions",
    status_code=status.HTTP_201_CREATED,
    response_model=TransactionPublic,
    dependencies=[JSON_BODY],
    responses={
        **NOT_JSON,
        404: {"description": "Unknown account"},
        409: {"description": "id exists"},
    },
)
async def create_transaction(
    account_id: str, body: TransactionCreate, session: SessionDep
) -> Transaction:
    await get_or_404(session, Account, account_id, "account")
    if body.id is not None:
        await ensure_absent(session, Transaction, body.id, "transaction")
    transaction = Transaction.model_validate(
        body, update={"id": body.id or f"txn_{uuid.uuid4().hex}", "account_id": account_id}
    )
    session.add(transaction)
    await session.commit()
    return transaction


@router.post(
    "/transactions/bulk",
    response_model=BulkResult,
    summary="Bulk-load transactions (1-10,000, all or nothing, idempotent)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _bulk_openapi_schema()}},
        }
    },
    dependencies=[JSON_BODY],
    responses={
        **NOT_JSON,
        422: {"description": "An item is invalid or names an unknown account"},
    },
)
async def bulk_create_transactions(request: Request, session: SessionDep) -> BulkResult:
    """Each item carries its own `id`. Items whose `id` already exists, or
    repeats an earlier item of the same batch, are skipped and counted in
    `skipped` (the first occurrence wins), so a batch can be retried safely."""
    # Parse and validate straight from bytes in pydantic-core, into plain
    # dicts: about 5x faster than json.loads plus model instances.
    try:
        rows = BULK_BODY.validate_json(await request.body())["transactions"]
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None
    _check_dates(rows)
    await _check_accounts(session, rows)
    table = Transaction.__table__  # type: ignore[attr-defined]
    created = await insert_ignoring_duplicates(session, table, cast(list[dict[str, Any]], rows))
    await session.commit()
    return BulkResult(created=created, skipped=len(rows) - created)


# Years where a UTC offset can push a datetime out of range.
_EDGE_YEARS = (1, 9999)


def _check_dates(rows: list[Any]) -> None:
    """Dates come out of the parser as sent; storing them makes them UTC
    (naive = UTC). Only a shift past year 1 or 9999 can fail: refuse it here.
    An offset is under a day, so only dates in those two years can overflow:
    one cheap test per item instead of a conversion."""
    errors = []
    for index, row in enumerate(rows):
        value = row["date"]
        if value.year in _EDGE_YEARS and value.tzinfo is not None:
            try:
                value.astimezone(UTC)
            except OverflowError:
                errors.append(
                    {
                        "loc": ("body", "transactions", index, "date"),
                        "msg": "datetime out of range once converted to UTC",
                        "type": "value_error",
                        "input": value.isoformat(),
                    }
                )
    if errors:
        raise RequestValidationError(errors)


async def _check_accounts(session: AsyncSession, rows: list[Any]) -> None:
    """422 naming every item whose account does not exist (one query)."""
    wanted = {row["account_id"] for row in rows}
    found = await session.exec(select(Account.id).where(col(Account.id).in_(wanted)))
    missing = wanted - set(found.all())
    if not missing:
        return
    raise RequestValidationError(
        [
            {
                "loc": ("body", "transactions", index, "account_id"),
                "msg": f"account {row['account_id']!r} does not exist",
                "type": "unknown_account",
                "input": row["account_id"],
            }
            for index, row in enumerate(rows)
            if row["account_id"] in missing
        ]
    )


@router.get("/transactions", response_model=TransactionPage)
async def list_transactions(
    session: SessionDep, query: Annotated[GlobalTransactionFilters, Query()]
) -> Response:
    """Newest first (`date` desc, then `id` desc), keyset-paginated. Unknown
    `account_id` or `user_id` filters simply match nothing."""
    clauses = query.clauses()
    if query.account_id is not None:
        clauses.append(col(Transaction.account_id) == query.account_id)
    if query.user_id is not None:
        owned = select(Account.id).where(Account.user_id == query.user_id)
        clauses.append(col(Transaction.account_id).in_(owned))
    page, _ = await _page(session, clauses, query.cursor, query.limit)
    return page


@router.get(
    "/transactions/{transaction_id}",
    response_model=TransactionPublic,
    responses={404: {"description": "Unknown transaction"}},
)
async def get_transaction(transaction_id: str, session: SessionDep) -> Transaction:
    return await get_or_404(session, Transaction, transaction_id, "transaction")


@router.patch(
    "/transactions/{transaction_id}",
    response_model=TransactionPublic,
    dependencies=[JSON_BODY],
    responses={**NOT_JSON, 404: {"description": "Unknown transaction"}},
)
async def update_transaction(
    transaction_id: str, body: TransactionUpdate, session: SessionDep
) -> Transaction:
    transaction = await get_or_404(session, Transaction, transaction_id, "transaction")
    transaction.sqlmodel_update(body.model_dump(exclude_unset=True))
    session.add(transaction)
    await session.commit()
    return transaction


@router.delete(
    "/transactions/{transaction_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"description": "Unknown transaction"}},
)
async def delete_transaction(transaction_id: str, session: SessionDep) -> Response:
    return await delete_or_404(session, Transaction, transaction_id, "transaction")
