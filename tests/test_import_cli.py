"""`spendsense import` and `spendsense export` in-process against the test
database: the same service as the HTTP routes, a table per account, exit
code 1 naming each refused file and the place at fault."""

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.cli import main
from app.models import ImportRecord, Transaction
from tests.utils.database import count_rows
from tests.utils.factories import API, create_user
from tests.utils.imports import STATEMENTS, accounts, transactions, user_with_account


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    text = capsys.readouterr().out
    for box in "│┃┏┓┗┛┡┩└┘┌┐━─┳┻╇┼┬┴":  # the table's lines: cells read as words
        text = text.replace(box, " ")
    return code, " ".join(text.split())


def test_a_folder_of_statements_and_a_table_per_account(
    client: TestClient, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    create_user(client, id="u1", email="u1@example.com")
    for name in ("maple_checking_march.ofx", "card_chase.qfx", "two_statements.ofx"):
        shutil.copy(STATEMENTS / "ofx" / name, tmp_path / name)
    (tmp_path / "notes.txt").write_text("not a statement")
    code, out = run(capsys, "import", str(tmp_path), "--user", "u1")
    assert code == 0, out
    assert count_rows(Transaction) == 4 + 5 + 3 and len(accounts(client, "u1")) == 4
    assert count_rows(ImportRecord) == 3  # notes.txt is not one
    for account in accounts(client, "u1"):
        assert account["id"] in out
    assert "card_chase.qfx" in out and "created" in out and "skipped" in out
    code, out = run(capsys, "import", str(tmp_path / "card_chase.qfx"), "--user", "u1")
    assert code == 0
    assert "0 0 0 5" in out  # created, updated, deleted, skipped


def test_refused_files_name_the_place_and_exit_1(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    account = user_with_account(client)
    good = str(STATEMENTS / "csv/firstbank_march.csv")
    bad = str(STATEMENTS / "fail_nice/csv_bad_rows.csv")
    code, out = run(capsys, "import", bad, good, "--user", "u1", "--account", account)
    assert code == 1
    assert "csv_bad_rows.csv refused" in out
    assert "at 3 / Date:" in out and "at 4 / Amount:" in out
    assert "1 of 2 file(s) refused" in out
    assert count_rows(Transaction) == 5  # the good file is imported all the same
    code, out = run(capsys, "import", good, "--user", "u1")
    assert code == 1 and "account_id is required" in out  # a CSV needs --account


def test_a_dry_run_writes_nothing(client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    create_user(client, id="u1", email="u1@example.com")
    name = str(STATEMENTS / "ofx/maple_checking_march.ofx")
    code, out = run(capsys, "import", name, "--user", "u1", "--dry-run")
    assert code == 0 and "dry run" in out and "4 0 0 0" in out
    assert count_rows(Transaction) == 0 and count_rows(ImportRecord) == 0


def test_an_unknown_user_exits_1(client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "import", str(STATEMENTS / "ofx/card_chase.qfx"), "--user", "nobody")
    assert code == 1 and "nobody" in out
    code, out = run(capsys, "export", "--user", "nobody", "--format", "csv")
    assert code == 1 and "nobody" in out


def test_export_to_a_file_and_back(
    client: TestClient, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    create_user(client, id="u1", email="u1@example.com")
    code, _ = run(
        capsys, "import", str(STATEMENTS / "ofx/maple_checking_march.ofx"), "--user", "u1"
    )
    assert code == 0
    out_file = tmp_path / "u1.ofx"
    code, _ = run(capsys, "export", "--user", "u1", "--format", "ofx", "--out", str(out_file))
    assert code == 0
    http = client.get(f"{API}/users/u1/export", params={"format": "ofx"}).content
    # The same file but for the moment it was made (DTSERVER).
    strip = [line for line in out_file.read_bytes().splitlines() if b"DTSERVER" not in line]
    assert strip == [line for line in http.splitlines() if b"DTSERVER" not in line]
    create_user(client, id="u2", email="u2@example.com")
    code, _ = run(capsys, "import", str(out_file), "--user", "u2")
    assert code == 0
    assert sorted(t["amount"] for t in transactions(client, "u2")) == sorted(
        t["amount"] for t in transactions(client, "u1")
    )
