"""/api/v1 routes for imports: a statement file (OFX/QFX or CSV) uploaded
as multipart/form-data or sent raw, Plaid's JSON, and the audit trail.
The work is app.services.imports.store's; this module only reads the
request (which body, which parameters from where) and picks 201 or 200."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile

from app.api.deps import JSON_BODY, SessionDep, conflict, unknown
from app.api.params import DEFAULT_PAGE_SIZE, PageSizeQuery, cursor_query, query_parameters
from app.models import ImportResult, Page, PlaidCursorPublic
from app.models.import_record import ImportPublic
from app.models.types import Id
from app.services.errors import InvalidInput, UnsupportedMediaType
from app.services.imports import CsvOptions, ImportRefused
from app.services.imports import store as imports
from app.services.imports.limits import check_not_empty, check_size

router = APIRouter(tags=["imports"])

CursorQuery = Annotated[str | None, cursor_query(imports.NEWEST_FIRST)]
# The media types a raw statement file may be sent as.
RAW_TYPES = (
    "application/x-ofx",
    "application/ofx",
    "application/vnd.intu.qfx",
    "application/xml",
    "text/csv",
)
MULTIPART = "multipart/form-data"
FILE_PART = "file"
ColumnName = Annotated[str, Field(min_length=1, max_length=200)]


class ImportParams(BaseModel):
    """The parameters of an upload (query parameters, or form fields of a
    multipart upload; a form field wins over the same query parameter)."""

    format: Literal["ofx", "csv"] | None = Field(
        None, description="ofx or csv; default: detected from the file's first characters"
    )
    account_id: Id | None = Field(
        None,
        description="The user's account to import into: required for CSV; for an OFX file "
        "of one statement, attaches it to that account instead of matching by number",
    )
    dry_run: bool = Field(False, description="Parse, validate and answer; write nothing")
    date_column: ColumnName | None = None
    description_column: ColumnName | None = None
    amount_column: ColumnName | None = None
    debit_column: ColumnName | None = None
    credit_column: ColumnName | None = None
    direction_column: ColumnName | None = None
    id_column: ColumnName | None = None
    date_format: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="strftime format of the CSV's dates, e.g. %d/%m/%Y"
    )
    decimal: Literal[".", ","] = Field(".", description="The CSV's decimal mark")
    sign: Literal["debit_negative", "debit_positive"] = Field(
        "debit_negative",
        description="debit_negative: a negative amount is money out; debit_positive: a "
        "positive one is (card exports)",
    )
    account_name: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        None, description="Import only the rows of this account (a CSV with an account column)"
    )

    def options(self, filename: str | None) -> imports.ImportOptions:
        csv = CsvOptions(
            **self.model_dump(exclude={"format", "account_id", "dry_run"}, exclude_none=True)
        )
        return imports.ImportOptions(
            format=self.format,
            account_id=self.account_id,
            dry_run=self.dry_run,
            csv=csv,
            filename=filename,
        )


_BINARY = {"type": "string", "format": "binary"}
_UPLOAD_BODY = {
    "required": True,
    "description": "The statement file: a multipart upload with the file in the part "
    "`file` (what `curl -F file=@statement.ofx` sends), or the file itself as the body "
    "with its media type.",
    "content": {
        MULTIPART: {
            "schema": {
                "type": "object",
                "properties": {FILE_PART: _BINARY},
                "required": [FILE_PART],
            }
        },
        **{media: {"schema": _BINARY} for media in RAW_TYPES},
    },
}
_PLAID_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {"type": "object"}}},
}
Responses = dict[int | str, dict[str, Any]]
Handler = TypeVar("Handler", bound=Callable[..., Any])
_ANSWERS: Responses = {
    200: {
        "description": "Nothing created, changed or deleted (or a dry run)",
        "model": ImportResult,
    },
    201: {"description": "Something was created, changed or deleted"},
    413: {"description": "The file or page is larger than SPENDSENSE_IMPORT_MAX_BYTES"},
    422: {"description": "The file, a row or a parameter cannot be imported: `loc` names it"},
}


def _import_route(
    path: str,
    name: str,
    body: dict[str, Any],
    responses: Responses,
    *,
    parameters: list[dict[str, Any]] | None = None,
    json_body: bool = False,
) -> Callable[[Handler], Handler]:
    """The decorator of every import route: a POST answering an ImportResult
    (`_answer`), its body described as `body` so that a generated client
    can send it (and its query `parameters` when the handler reads them
    itself), the answers every import gives plus `responses`; `json_body`:
    the body must be JSON (415 otherwise)."""
    extra: dict[str, Any] = {"requestBody": body}
    if parameters is not None:
        extra["parameters"] = parameters
    return router.post(
        path,
        name=name,
        status_code=201,
        response_model=ImportResult,
        openapi_extra=extra,
        responses={**_ANSWERS, **responses},
        dependencies=[JSON_BODY] if json_body else None,
    )


def _plaid_route(path: str, name: str, conflict_text: str) -> Callable[[Handler], Handler]:
    """A Plaid import route: Plaid's JSON as the body; 409 when an account
    of it belongs to another user."""
    responses = {**unknown("user"), **conflict(conflict_text)}
    return _import_route(path, name, _PLAID_BODY, responses, json_body=True)


async def _answer(work: Awaitable[ImportResult], under: tuple[str, ...]) -> Response:
    """The import's answer: 201 when it changed something, else 200 (the
    service's ImportResult.changed); its refusal's `loc` placed `under`
    where the request carried the file."""
    try:
        result = await work
    except ImportRefused as exc:
        raise ImportRefused(exc.errors, exc.summary, under) from None
    return JSONResponse(result.model_dump(mode="json"), status_code=201 if result.changed else 200)


async def _plaid_answer(
    request: Request, work: Callable[[bytes], Awaitable[ImportResult]]
) -> Response:
    """A Plaid route's answer: the body (held to the import size limit)
    imported by `work`, a refusal placed under the body."""
    body = await request.body()
    check_size(len(body))
    return await _answer(work(body), ("body",))


def _params(query: dict[str, str], form: dict[str, str]) -> ImportParams:
    try:
        return ImportParams.model_validate({**query, **form})
    except ValidationError as exc:
        errors = []
        for error in exc.errors(include_url=False):
            name = error["loc"][0] if error["loc"] else ""
            errors.append({**error, "loc": ("body" if name in form else "query", *error["loc"])})
        raise InvalidInput(errors, under=()) from None


async def _upload(request: Request) -> tuple[bytes, str | None, dict[str, str], tuple[str, ...]]:
    """(the file's bytes, its name, the form's other fields, where its errors
    go): from a multipart upload or a raw body; 415 for another media type."""
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media == MULTIPART:
        form = await request.form(max_files=1, max_fields=50)
        upload = form.get(FILE_PART)
        if not isinstance(upload, UploadFile):
            missing = {"loc": ("body", FILE_PART), "msg": "Field required", "type": "missing"}
            raise InvalidInput([missing], under=())
        if upload.size is not None:
            check_size(upload.size)
        data = await upload.read()
        fields = {name: value for name, value in form.items() if isinstance(value, str)}
        return data, upload.filename, fields, ("body", FILE_PART)
    if media in RAW_TYPES:
        return await request.body(), None, {}, ("body",)
    raise UnsupportedMediaType(
        f"send the file as {MULTIPART} (a part named {FILE_PART!r}) or as the body with one "
        f"of {', '.join(RAW_TYPES)}"
    )


@_import_route(
    "/users/{user_id}/imports",
    "create",
    _UPLOAD_BODY,
    {
        404: {"description": "Unknown user, or an account_id that is not the user's"},
        415: {"description": f"Not {MULTIPART} nor one of {', '.join(RAW_TYPES)}"},
    },
    parameters=query_parameters(ImportParams),
)
async def create_import(user_id: str, request: Request, session: SessionDep) -> Response:
    """Import one OFX/QFX or CSV statement file. All or nothing: a file that
    cannot be read, or any invalid row, writes nothing (422, `loc` ending
    with the CSV line and column, or the OFX statement index and FITID or
    tag). Idempotent: the same file again writes nothing (200, every row
    skipped); an overlapping later export adds only its new rows."""
    data, filename, fields, under = await _upload(request)
    check_size(len(data))
    params = _params(dict(request.query_params), fields)
    check_not_empty(data, under)
    options = params.options(filename)
    return await _answer(imports.import_file(session, user_id, data, options), under)


@router.get(
    "/users/{user_id}/imports",
    name="list",
    response_model=Page[ImportPublic],
    responses=unknown("user"),
)
async def list_imports(
    user_id: str,
    session: SessionDep,
    limit: PageSizeQuery = DEFAULT_PAGE_SIZE,
    cursor: CursorQuery = None,
) -> Page[ImportPublic]:
    """The user's imports, newest first (dry runs are not recorded)."""
    return await imports.list_imports(session, user_id, cursor, limit)


@router.get(
    "/imports/{import_id}", name="get", response_model=ImportPublic, responses=unknown("import")
)
async def get_import(import_id: str, session: SessionDep) -> ImportPublic:
    return await imports.get_import(session, import_id)


ItemQuery = Annotated[str, Query(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9_-]{1,50}$")]
DryRunQuery = Annotated[bool, Query(description="Validate and answer; write nothing")]


@_plaid_route(
    "/users/{user_id}/plaid/transactions-sync",
    "plaid_transactions_sync",
    "An account of the page belongs to another user: nothing was written",
)
async def plaid_transactions_sync(
    user_id: str,
    request: Request,
    session: SessionDep,
    item_id: ItemQuery = "default",
    dry_run: DryRunQuery = False,
) -> Response:
    """One page of Plaid's /transactions/sync response (or a
    /transactions/get response) as the body: accounts upserted, `added`
    inserted, `modified` updated, `removed` deleted, a posted transaction
    replacing its stored pending one; `next_cursor` stored for the item
    with the page, atomically. Applying a page twice leaves the same rows."""
    return await _plaid_answer(
        request,
        lambda body: imports.import_plaid_transactions(
            session, user_id, body, item_id=item_id, dry_run=dry_run
        ),
    )


@router.get(
    "/users/{user_id}/plaid/cursor",
    name="plaid_cursor",
    response_model=PlaidCursorPublic,
    responses=unknown("user"),
)
async def plaid_cursor(
    user_id: str, session: SessionDep, item_id: ItemQuery = "default"
) -> PlaidCursorPublic:
    """The `next_cursor` of the last sync page applied for the item (null
    before the first page): where a fetcher resumes."""
    return await imports.plaid_cursor(session, user_id, item_id)


@_plaid_route(
    "/users/{user_id}/plaid/accounts",
    "plaid_accounts",
    "An account belongs to another user: nothing was written",
)
async def plaid_accounts(
    user_id: str, request: Request, session: SessionDep, dry_run: DryRunQuery = False
) -> Response:
    """The body of Plaid's /accounts/get, /accounts/balance/get or
    /liabilities/get response: accounts upserted by Plaid's account_id;
    liabilities set a card's apr, minimum payment and overdue flag."""
    return await _plaid_answer(
        request, lambda body: imports.import_plaid_accounts(session, user_id, body, dry_run=dry_run)
    )
