"""A Python client generated from the live /openapi.json by
openapi-python-client drives the main flow (issue 13.4): its methods are
named after the short operation ids (`users_create`, ...), its models after
the schemas, and the flow needs nothing the document does not say."""

import datetime as dt
import importlib
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.live.conftest import LiveAPI
from tests.utils.imports import statement

PACKAGE = "spendsense_client"
# openapi-python-client knows no statement media types: it is told to treat
# them as files (application/octet-stream), and still sends each one's own
# Content-Type.
GENERATOR_CONFIG = """content_type_overrides:
  application/x-ofx: application/octet-stream
  application/ofx: application/octet-stream
  application/vnd.intu.qfx: application/octet-stream
  application/xml: application/octet-stream
  text/csv: application/octet-stream
"""


def generate_client(live_api: LiveAPI, where: Path) -> Any:
    """Generate the client package into `where` (a temp dir: never
    committed) and import it."""
    spec = where / "openapi.json"
    spec.write_bytes(httpx.get(f"{live_api.base_url}/openapi.json").content)
    config = where / "generator.yaml"
    config.write_text(GENERATOR_CONFIG)
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        [str(bin_dir / "openapi-python-client"), "generate", "--path", str(spec)]
        + ["--meta", "none", "--output-path", str(where / PACKAGE), "--fail-on-warning"]
        + ["--config", str(config)],
        cwd=where,
        capture_output=True,
        text=True,
        # Its post-hooks run ruff, which is in the venv.
        env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(where))
    try:
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))


def test_generated_client_drives_the_main_flow(live_api: LiveAPI, tmp_path: Path) -> None:
    sdk = generate_client(live_api, tmp_path)
    models = importlib.import_module(f"{PACKAGE}.models")
    from_ = importlib.import_module
    users_create = from_(f"{PACKAGE}.api.users.users_create")
    users_set_consent = from_(f"{PACKAGE}.api.users.users_set_consent")
    users_get = from_(f"{PACKAGE}.api.users.users_get")
    accounts_create = from_(f"{PACKAGE}.api.accounts.accounts_create")
    bulk_create = from_(f"{PACKAGE}.api.transactions.transactions_bulk_create")
    list_for_account = from_(f"{PACKAGE}.api.transactions.transactions_list_for_account")

    client = sdk.AuthenticatedClient(base_url=live_api.base_url, token=live_api.key)
    with client as c:
        user = users_create.sync(
            client=c, body=models.UserCreate(name="Ana Díaz", email="ana@example.com", id="usr_ana")
        )
        assert isinstance(user, models.UserPublic) and user.consent is False
        user = users_set_consent.sync("usr_ana", client=c, body=models.ConsentUpdate(consent=True))
        assert isinstance(user, models.UserPublic) and user.consent is True

        account = accounts_create.sync(
            "usr_ana",
            client=c,
            body=models.AccountCreate(
                id="acc_chk",
                type_=models.AccountType.DEPOSITORY,
                subtype=models.AccountCreateSubtype.CHECKING,
                name="Everyday",
                mask="0042",
                balance=254000,
            ),
        )
        assert isinstance(account, models.AccountPublic) and account.user_id == "usr_ana"

        start = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
        items = [
            models.TransactionBulkItem(
                id=f"t{i:02d}",
                account_id="acc_chk",
                date=start + dt.timedelta(hours=i),
                amount=100 * (i + 1),
                category="FOOD_AND_DRINK",
                merchant_name="Blue Bottle",
            )
            for i in range(7)
        ]
        result = bulk_create.sync(client=c, body=models.TransactionBulk(transactions=items))
        assert isinstance(result, models.BulkResult) and (result.created, result.skipped) == (7, 0)
        again = bulk_create.sync(client=c, body=models.TransactionBulk(transactions=items))
        assert isinstance(again, models.BulkResult) and (again.created, again.skipped) == (0, 7)

        # Page through the account's transactions, newest first, 3 at a time.
        seen: list[str] = []
        cursor: Any = sdk.types.UNSET
        while True:
            page = list_for_account.sync("acc_chk", client=c, limit=3, cursor=cursor)
            assert isinstance(page, models.PageTransactionPublic)
            seen += [t.id for t in page.items]
            assert all(t.date.tzinfo is not None for t in page.items)
            if not isinstance(page.next_cursor, str):
                break
            cursor = page.next_cursor
        assert seen == [f"t{i:02d}" for i in reversed(range(7))]

        # Errors come back as the documented models too.
        missing = users_get.sync("nobody", client=c)
        assert isinstance(missing, models.Error) and missing.detail == "user 'nobody' not found"

    # Without the key: the documented 401.
    with sdk.Client(base_url=live_api.base_url) as anonymous:
        response = users_get.sync_detailed("usr_ana", client=anonymous)
        assert response.status_code == 401
        assert isinstance(response.parsed, models.Error)


def test_generated_client_uploads_a_statement_and_downloads_the_export(
    live_api: LiveAPI, tmp_path: Path
) -> None:
    sdk = generate_client(live_api, tmp_path)
    models = importlib.import_module(f"{PACKAGE}.models")
    types = importlib.import_module(f"{PACKAGE}.types")
    users_create = importlib.import_module(f"{PACKAGE}.api.users.users_create")
    imports_create = importlib.import_module(f"{PACKAGE}.api.imports.imports_create")
    imports_get = importlib.import_module(f"{PACKAGE}.api.imports.imports_get")
    download = importlib.import_module(f"{PACKAGE}.api.exports.exports_download")
    data = statement("ofx/maple_checking_march.ofx")

    client = sdk.AuthenticatedClient(base_url=live_api.base_url, token=live_api.key)
    with client as c:
        users_create.sync(
            client=c, body=models.UserCreate(name="Bo", email="bo@example.com", id="bo")
        )
        upload = models.ImportsCreateFilesBody(
            file=types.File(payload=io.BytesIO(data), file_name="march.ofx")
        )
        response = imports_create.sync_detailed("bo", client=c, body=upload)
        assert response.status_code == 201
        result = response.parsed
        assert isinstance(result, models.ImportResult) and result.created == 4
        again = imports_create.sync_detailed("bo", client=c, body=upload)
        assert again.status_code == 200 and again.parsed.skipped == 4
        record = imports_get.sync(result.import_id, client=c)
        assert isinstance(record, models.ImportPublic) and record.filename == "march.ofx"
        account = result.accounts[0].account_id
        raw = imports_create.sync_detailed(
            "bo",
            client=c,
            body=types.File(payload=io.BytesIO(statement("csv/firstbank_march.csv"))),
            account_id=account,
        )
        assert raw.status_code == 201 and raw.parsed.created == 5
        exported = download.sync_detailed("bo", client=c, format_=models.ExportsDownloadFormat.OFX)
        assert exported.status_code == 200
        assert isinstance(exported.parsed, types.File)
        assert b"<FITID>" in exported.parsed.payload.read()
