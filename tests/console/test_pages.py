"""The console's read-only pages through TestClient: search with keyset
paging, the user page (accounts, charts, persona, reasons, signals, streams,
recommendations, imports), consent respected, escaping, 404s."""

import re

import pytest
from fastapi.testclient import TestClient

from app.console import service
from tests.api.test_recommendations import load_catalog_into_db
from tests.console.helpers import CONSOLE, page, post, token_of, user_with_stream
from tests.utils.factories import create_user

AS_OF = "2026-06-30"


def ids_listed(html: str) -> list[str]:
    return re.findall(r'href="/console/users/([^"]+)"', html)


def test_search_lists_every_user_by_id_a_page_at_a_time(client: TestClient) -> None:
    for n in range(25):
        create_user(client, id=f"u{n:02d}", name=f"Person {n}", email=f"p{n}@example.com")
    first = page(client, "")
    assert ids_listed(first) == [f"u{n:02d}" for n in range(20)]
    cursor = re.search(r'name="cursor" value="([^"]+)"', first)
    assert cursor is not None and cursor.group(1) == "u19"
    second = post(client, "/search", token_of(first), q="", cursor=cursor.group(1))
    assert second.status_code == 200
    assert ids_listed(second.text) == [f"u{n:02d}" for n in range(20, 25)]
    assert 'name="cursor"' not in second.text


def test_search_matches_id_name_and_email_in_any_case(client: TestClient) -> None:
    create_user(client, id="usr_ana", name="Ana Díaz", email="ana@example.com")
    create_user(client, id="usr_bob", name="Bob Stone", email="BOB@Example.org")
    create_user(client, id="usr_c50", name="Cy 50% off", email="cy@example.com")
    token = token_of(page(client, ""))
    for query, expected in [
        ("usr_b", ["usr_bob"]),
        ("DÍAZ", ["usr_ana"]),  # the query is lower-cased by Python, beyond ASCII
        ("díaz", ["usr_ana"]),
        ("bob@example", ["usr_bob"]),
        ("example.com", ["usr_ana", "usr_c50"]),
        ("50%", ["usr_c50"]),  # a wildcard is a character
        ("_", ["usr_ana", "usr_bob", "usr_c50"]),
        ("nobody", []),
    ]:
        response = post(client, "/search", token, q=query)
        assert response.status_code == 200
        assert ids_listed(response.text) == expected, query


def test_the_user_page_shows_everything_for_a_consenting_user(client: TestClient, ana: str) -> None:
    load_catalog_into_db()
    html = page(client, f"/users/{ana}?as_of={AS_OF}")
    # Accounts, with the card's utilization against the 30/50/80 % marks.
    assert "Visa ····9911" in html and "$1,830.00" in html and "61 % used" in html
    assert html.count('class="mark"') == 3
    # Both charts are drawn (bars with a size) and have their table.
    months = re.search(r'<svg id="chart-months".*?</svg>', html, re.S)
    assert months is not None
    heights = re.findall(r'<rect [^>]*height="([0-9.]+)"', months.group(0))
    assert len(heights) == 24 and sum(float(h) > 0 for h in heights) == 6
    assert (
        '<th scope="row">2026-06</th><td class="num">$2,535.00</td><td class="num">$1,540.49</td>'
        in html
    )
    categories = re.search(r'<svg id="chart-categories".*?</svg>', html, re.S)
    assert categories is not None and categories.group(0).count("<rect") == 3
    assert '<th scope="row">RENT_AND_UTILITIES</th><td class="num">$1,500.00</td>' in html
    # Persona of both windows, confidence, reasons (their text), also_matched.
    assert '>30d: <span class="persona">high_utilization</span>' in html
    assert '>180d: <span class="persona">high_utilization</span>' in html
    assert "Visa ending in 9911 is at 59 % of its $3,000.00 limit ($1,780.00 owed)" in html
    assert "Also matched: none" in html
    # Signals table, streams with the next date, recommendations with rationale.
    assert '<th scope="row">Median pay gap</th><td class="num">30.5 days</td>' in html
    assert "<td>Netflix</td>" in html and "<td>2026-07-10</td>" in html
    assert "this article is about" in html
    assert "not financial advice" in html
    assert "No import yet." in html


def test_without_consent_only_the_users_own_data_is_shown(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_with_stream(client, "quiet", "Spotify", consent=False)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("computed without consent")

    monkeypatch.setattr(service, "explain_user", refuse)
    html = page(client, f"/users/quiet?as_of={AS_OF}")
    assert "has not given consent, so nothing is computed from their data" in html
    assert 'id="personas"' not in html and "Reasons" not in html and "Spotify" not in html
    assert "Recommendations" not in html
    # What the user gave is shown: accounts and the monthly sums.
    assert "$500.00" in html
    assert (
        '<th scope="row">2026-06</th><td class="num">$0.00</td><td class="num">$19.99</td>' in html
    )


def test_everything_the_page_shows_is_escaped(client: TestClient) -> None:
    script = "<script>alert(1)</script>"
    user_with_stream(client, "evil", script, consent=True)
    client.patch("/api/v1/users/evil", json={"name": script})
    for html in (
        page(client, f"/users/evil?as_of={AS_OF}"),
        post(client, "/search", token_of(page(client, "")), q="<script>").text,
    ):
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_unknown_user_is_a_404_page(client: TestClient) -> None:
    for path in ("/users/nobody", "/users/nobody/erase", "/users/nobody/import", "/users/a%00b"):
        response = client.get(f"{CONSOLE}{path}")
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert "not found" in response.text


def test_a_bad_as_of_is_a_400_page(client: TestClient, ana: str) -> None:
    response = client.get(f"{CONSOLE}/users/{ana}?as_of=yesterday")
    assert response.status_code == 400
    assert "cannot use" in response.text


def test_the_bare_address_links_the_console(client: TestClient) -> None:
    link = client.get("/").json()["console"]
    assert link == CONSOLE and client.get(link).status_code == 200


def test_pages_are_not_cached_and_run_only_local_files(client: TestClient) -> None:
    response = client.get(CONSOLE)
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    style = client.get(f"{CONSOLE}/static/console.css")
    assert style.status_code == 200 and "text/css" in style.headers["content-type"]
    assert "http" not in re.sub(r'href="/console[^"]*"', "", response.text)
