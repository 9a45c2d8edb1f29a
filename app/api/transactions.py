"""/api/v1 routes for transactions: single rows, bulk loads, and the lists
(whose JSON app.services.transaction_pages writes)."""

from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request, Response, status
from pydantic import ValidationError
from sqlmodel import col

from app.api.deps import (
    JSON_BODY,
    NOT_JSON,
    PARENT_GONE,
    SessionDep,
    conflict,
    open_session,
    unknown,
)
from app.api.direct_route import DirectRoute
from app.api.errors import raw_body_error
from app.api.openapi import VALIDATION_ERROR_REF, component_schema
from app.api.transaction_filters import parse_query, query_parameters
from app.models import (
    BulkResult,
    Page,
    Transaction,
    TransactionBulk,
    TransactionCreate,
    TransactionPublic,
    TransactionUpdate,
)
from app.models.transaction import (
    BULK_BODY,
    MAX_BULK_ITEMS,
    GlobalTransactionFilters,
    TransactionFilters,
)
from app.services import accounts, transactions
from app.services.errors import NotFound
from app.services.repository import is_valid_id
from app.services.transaction_pages import page_json, read_account_page

router = APIRouter(tags=["transactions"])

TransactionPage = Page[TransactionPublic]
NOT_FOUND = unknown("transaction")
UNKNOWN_ACCOUNT = unknown("account")


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


async def list_account_transactions(account_id: str, request: Request) -> Response:
    """One account's transactions, newest first; served by ix_txn_account_date.

    The hottest read, so it skips what costs most per request: FastAPI
    calls it directly (DirectRoute), the query string is validated in one
    pydantic call (the parameters are documented from TransactionFilters),
    no session dependency (one is opened only when needed), and an
    unfiltered page takes the database's fast path (SQLite: read inline;
    PostgreSQL: one prepared statement on a pooled connection)."""
    query = parse_query(request)
    if not is_valid_id(account_id):  # could never exist: no query (NUL, ...)
        raise NotFound("account", account_id)
    page = None
    if not query.has_filters():
        page = await read_account_page(account_id, query.cursor, query.limit)
    if page is None or page.empty:
        async with open_session() as session:
            if page is None:
                clauses = transactions.filter_clauses(query)
                clauses.append(col(Transaction.account_id) == account_id)
                page = await page_json(session, clauses, query.cursor, query.limit)
            # One query per page: only an empty page needs to tell "no rows"
            # from "no such account".
            if page.empty:
                await accounts.get(session, account_id)
    return _json(page.body)


def add_account_page_route(app: FastAPI, prefix: str) -> None:
    """list_account_transactions straight into the app's own routes, ahead
    of the included routers: an included router matches a request once to
    pick itself and again to pick its route (about 9 µs a request)."""
    app.router.add_api_route(
        f"{prefix}/accounts/{{account_id}}/transactions",
        list_account_transactions,
        methods=["GET"],
        tags=["transactions"],
        name="list_for_account",
        description="One account's transactions, newest first.",
        response_model=TransactionPage,
        responses=UNKNOWN_ACCOUNT,
        openapi_extra={"parameters": query_parameters(TransactionFilters)},
        route_class_override=DirectRoute,
    )


@router.post(
    "/accounts/{account_id}/transactions",
    name="create",
    status_code=status.HTTP_201_CREATED,
    response_model=TransactionPublic,
    dependencies=[JSON_BODY],
    responses={
        **NOT_JSON,
        **UNKNOWN_ACCOUNT,
        **conflict(f"A transaction with that id exists, or the account: {PARENT_GONE}"),
    },
)
async def create_transaction(
    account_id: str, body: TransactionCreate, session: SessionDep
) -> Transaction:
    return await transactions.create(session, account_id, body)


@router.post(
    "/transactions/bulk",
    name="bulk_create",
    response_model=BulkResult,
    summary="Bulk-load transactions (1-10,000, all or nothing, idempotent)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": component_schema(
                        TransactionBulk, transactions={"maxItems": MAX_BULK_ITEMS}
                    )
                }
            },
        }
    },
    dependencies=[JSON_BODY],
    responses={
        **NOT_JSON,
        404: {
            "description": "Items name accounts that do not exist: one error per item, "
            "`loc` naming it, `type` `unknown_account`",
            "content": {"application/json": {"schema": VALIDATION_ERROR_REF}},
        },
        **conflict(f"An account: {PARENT_GONE}"),
        422: {"description": "An item is invalid: `loc` names it"},
    },
)
async def bulk_create_transactions(request: Request, session: SessionDep) -> BulkResult:
    """Each item carries its own `id`. Items whose `id` already exists, or
    repeats an earlier item of the same batch, are skipped and counted in
    `skipped` (the first occurrence wins), so a batch can be retried safely."""
    # Parsed and validated straight from bytes in pydantic-core, into plain dicts.
    body = await request.body()
    try:
        rows = BULK_BODY.validate_json(body)["transactions"]
    except ValidationError as exc:
        raise raw_body_error(body, exc) from None
    return await transactions.bulk_create(session, rows)


@router.get("/transactions", name="list", response_model=TransactionPage)
async def list_transactions(
    session: SessionDep, query: Annotated[GlobalTransactionFilters, Query()]
) -> Response:
    """Newest first (`date` desc, then `id` desc), keyset-paginated. Unknown
    `account_id` or `user_id` filters simply match nothing."""
    clauses = transactions.filter_clauses(query)
    return _json((await page_json(session, clauses, query.cursor, query.limit)).body)


@router.get(
    "/transactions/{transaction_id}",
    name="get",
    response_model=TransactionPublic,
    responses=NOT_FOUND,
)
async def get_transaction(transaction_id: str, session: SessionDep) -> Transaction:
    return await transactions.get(session, transaction_id)


@router.patch(
    "/transactions/{transaction_id}",
    name="update",
    response_model=TransactionPublic,
    dependencies=[JSON_BODY],
    responses={**NOT_JSON, **NOT_FOUND},
)
async def update_transaction(
    transaction_id: str, body: TransactionUpdate, session: SessionDep
) -> Transaction:
    return await transactions.update(session, transaction_id, body)


@router.delete(
    "/transactions/{transaction_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
)
async def delete_transaction(transaction_id: str, session: SessionDep) -> None:
    await transactions.delete(session, transaction_id)
