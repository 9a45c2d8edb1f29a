"""The console's forms through TestClient: consent on and off, erasure
behind a typed confirmation, a statement checked (dry run) then imported."""

import re

from fastapi.testclient import TestClient

from tests.console.helpers import CONSOLE, page, post, token_of, user_with_stream
from tests.utils.factories import API, create_account, create_user
from tests.utils.imports import statement

AS_OF = "2026-06-30"


def test_consent_off_hides_the_persona_and_on_shows_it_again(client: TestClient) -> None:
    user_with_stream(client, "u1", "Spotify", consent=True)
    html = page(client, f"/users/u1?as_of={AS_OF}")
    assert 'id="personas"' in html and "Withdraw consent" in html
    response = post(client, "/users/u1/consent", token_of(html), consent="false", as_of=AS_OF)
    assert response.status_code == 303
    assert response.headers["location"] == f"{CONSOLE}/users/u1?as_of={AS_OF}"
    html = page(client, f"/users/u1?as_of={AS_OF}")
    assert 'id="personas"' not in html and 'id="no-consent"' in html
    assert client.get(f"{API}/users/u1").json()["consent"] is False
    post(client, "/users/u1/consent", token_of(html), consent="true", as_of=AS_OF)
    assert 'id="personas"' in page(client, f"/users/u1?as_of={AS_OF}")


def test_an_as_of_that_is_no_date_is_not_carried_to_the_redirect(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com")
    token = token_of(page(client, "/users/u1"))
    response = post(client, "/users/u1/consent", token, consent="true", as_of="x/../../evil")
    assert (response.status_code, response.headers["location"]) == (303, f"{CONSOLE}/users/u1")
    assert client.get(f"{API}/users/u1").json()["consent"] is True


def test_erasure_needs_the_id_typed(client: TestClient) -> None:
    user_with_stream(client, "u1", "Spotify", consent=True)
    form = page(client, "/users/u1/erase")
    assert "Type the user's id, u1, to confirm" in form
    for typed in ("", "U1", "u2"):
        refused = post(client, "/users/u1/erase", token_of(form), confirm=typed)
        assert refused.status_code == 400
        assert "nothing was erased" in refused.text
    assert client.get(f"{API}/users/u1").status_code == 200
    erased = post(client, "/users/u1/erase", token_of(form), confirm=" u1 ")
    assert erased.status_code == 200 and "are erased" in erased.text
    assert client.get(f"{API}/users/u1").status_code == 404
    assert client.get(f"{API}/accounts/u1_chk").status_code == 404
    again = post(client, "/users/u1/erase", token_of(form), confirm="u1")
    assert again.status_code == 404


def test_a_statement_is_checked_then_imported(client: TestClient) -> None:
    create_user(client, id="u1", email="u1@example.com", consent=True)
    form = page(client, "/users/u1/import")
    token = token_of(form)
    files = {"file": ("card<b>.qfx", statement("ofx/card_chase.qfx"))}
    check = client.post(
        f"{CONSOLE}/users/u1/import", data={"csrf_token": token, "step": "check"}, files=files
    )
    assert check.status_code == 200, check.text
    assert "Dry run: nothing written yet" in check.text
    assert "5 to create" in check.text and "card&lt;b&gt;.qfx" in check.text
    assert client.get(f"{API}/users/u1/accounts").json()["items"] == []
    carried = re.search(r'name="file_data" value="([^"]+)"', check.text)
    assert carried is not None
    imported = post(
        client, "/users/u1/import", token, step="import", file_data=carried.group(1),
        filename="card<b>.qfx", account_id="", sign="debit_negative",
    )  # fmt: skip
    assert imported.status_code == 200, imported.text
    assert "Imported" in imported.text and "5 to create" in imported.text
    (account,) = client.get(f"{API}/users/u1/accounts").json()["items"]
    assert f"<code>{account['id']}</code>" in imported.text
    history = page(client, "/users/u1")
    assert "<td>card&lt;b&gt;.qfx</td><td>ofx</td>" in history
    # The same file again adds nothing.
    again = post(client, "/users/u1/import", token, step="import", file_data=carried.group(1))
    assert "0 to create" in again.text and "5 already present" in again.text


def test_a_file_that_cannot_be_imported_shows_why_and_writes_nothing(
    client: TestClient,
) -> None:
    create_user(client, id="u1", email="u1@example.com")
    create_account(client, "u1", id="u1_chk")
    token = token_of(page(client, "/users/u1/import"))
    for name, data, words in [
        ("a.csv", statement("csv/chase_checking.csv"), "account_id is required"),
        ("e.ofx", b"   ", "the file is empty"),
        ("x.csv", b"when,what\nyesterday,lunch\n", "no header line"),
    ]:
        response = client.post(
            f"{CONSOLE}/users/u1/import",
            data={
                "csrf_token": token,
                "step": "check",
                "account_id": "u1_chk" if name == "x.csv" else "",
            },
            files={"file": (name, data)},
        )
        assert response.status_code == 422, name
        assert 'id="import-problems"' in response.text and words in response.text
    bad = post(client, "/users/u1/import", token, step="import", file_data="not base64!")
    assert bad.status_code == 422 and "the file was not sent" in bad.text
    other = post(client, "/users/u1/import", token, step="import", file_data="eA==",
                 account_id="someone_elses")  # fmt: skip
    assert other.status_code == 404 and "not found for this user" in other.text
    assert client.get(f"{API}/users/u1/imports").json()["items"] == []
