"""/api/v1 routes for transactions: single rows, bulk loads, and the lists
(whose JSON app.services.transaction_pages writes)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import ValidationError

from app.api.deps import (
    JSON_BODY,
    PARENT_GONE,
    SessionDep,
    conflict,
    json_response,
    unknown,
)
from app.api.direct_route import DirectRoutes
from app.api.errors import raw_body_error
from app.api.openapi import VALIDATION_ERROR_REF, component_schema
from app.api.params import parse_query, query_parameters
from app.db import database_of
from app.models import (
    BulkResult,
    Page,
    Transaction,
    TransactionBulk,
    TransactionCreate,
    TransactionPublic,
    TransactionUpdate,
)
from app.models.bulk_body import parse_bulk_body
from app.models.transaction import (
    MAX_BULK_ITEMS,
    GlobalTransactionFilters,
    TransactionFilters,
)
from app.services import transaction_pages, transactions
from app.services.collector import collector_paused
from app.services.transaction_pages import page_json

router = APIRouter(tags=["transactions"])
direct = DirectRoutes(tags=["transactions"])

TransactionPage = Page[TransactionPublic]
NOT_FOUND = unknown("transaction")
UNKNOWN_ACCOUNT = unknown("account")


@direct.get(
    "/accounts/{account_id}/transactions",
    name="list_for_account",
    description="One account's transactions, newest first.",
    response_model=TransactionPage,
    responses=UNKNOWN_ACCOUNT,
    openapi_extra={"parameters": query_parameters(TransactionFilters)},
)
async def list_account_transactions(account_id: str, request: Request) -> Response:
    """The hottest read: called without FastAPI's per-request parameter
    solving (DirectRoute), its query string validated in one pydantic call,
    the page read by the service's fast path."""
    filters = parse_query(request, TransactionFilters)
    return json_response(
        await transaction_pages.account_page(database_of(request), account_id, filters)
    )


@router.post(
    "/accounts/{account_id}/transactions",
    name="create",
    status_code=status.HTTP_201_CREATED,
    response_model=TransactionPublic,
    dependencies=[JSON_BODY],
    responses={
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
    # Parsed and validated from bytes into columns (app.models.bulk_body).
    body = await request.body()
    with collector_paused():  # 10,000 items alive at once (app.services.collector: why)
        try:
            columns = parse_bulk_body(body)
        except ValidationError as exc:
            raise raw_body_error(body, exc) from None
        return await transactions.bulk_create(session, columns)


@router.get("/transactions", name="list", response_model=TransactionPage)
async def list_transactions(
    session: SessionDep, query: Annotated[GlobalTransactionFilters, Query()]
) -> Response:
    """Newest first (`date` desc, then `id` desc), keyset-paginated. Unknown
    `account_id` or `user_id` filters simply match nothing."""
    clauses = transactions.filter_clauses(query)
    return json_response((await page_json(session, clauses, query.cursor, query.limit)).body)


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
    responses={**NOT_FOUND},
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
