"""An operator's walk through the console in headless chromium: sign in,
search, the user page (charts drawn, reasons shown, readable at 360 px),
a statement checked then imported, consent withdrawn (the persona goes),
erasure confirmed. A screenshot of the user page goes to
tests/browser/screenshots/ (not committed)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import SCREENSHOTS
from tests.live.conftest import LiveAPI
from tests.utils.imports import STATEMENTS

USER = "usr_bea"
NAME = "Bea <Browser>"  # shown as text, never as markup


def seed(api: LiveAPI) -> None:
    """A consenting user with a card at 80 % of its limit, three months of
    pay, rent, a subscription and card interest, dated up to today."""
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    with httpx.Client(base_url=f"{api.base_url}/api/v1", headers=api.auth) as client:

        def sent(method: str, path: str, body: dict[str, Any]) -> None:
            response = client.request(method, path, json=body)
            assert response.status_code in (200, 201), response.text

        sent("POST", "/users", {"id": USER, "name": NAME, "email": "bea@example.com"})
        sent("PUT", f"/users/{USER}/consent", {"consent": True})
        sent("POST", f"/users/{USER}/accounts", {"id": "bea_chk", "type": "depository",
             "subtype": "checking", "name": "Everyday", "mask": "0042",
             "balance": 420_000})  # fmt: skip
        sent("POST", f"/users/{USER}/accounts", {"id": "bea_card", "type": "credit",
             "subtype": "credit_card", "name": "Visa", "mask": "4242", "balance": 240_000,
             "limit": 300_000, "min_payment": 4_000})  # fmt: skip
        rows = []
        for month in range(3):
            day = today - timedelta(days=2 + 30 * month)
            rows += [
                {"id": f"pay{month}", "account_id": "bea_chk", "amount": -320_000,
                 "category": "INCOME", "merchant_name": "Acme Payroll"},
                {"id": f"rent{month}", "account_id": "bea_chk", "amount": 150_000,
                 "category": "RENT_AND_UTILITIES", "merchant_name": "Landlord"},
                {"id": f"tv{month}", "account_id": "bea_card", "amount": 1_599,
                 "category": "ENTERTAINMENT", "merchant_name": "<script>alert(1)</script>"},
                {"id": f"food{month}", "account_id": "bea_card", "amount": 23_450,
                 "category": "FOOD_AND_DRINK", "merchant_name": "Market"},
            ]  # fmt: skip
            for row in rows[-4:]:
                row["date"] = day.isoformat()
        rows.append({"id": "interest", "account_id": "bea_card", "amount": 4_100,
                     "category": "BANK_FEES", "merchant_name": "Interest Charge",
                     "date": (today - timedelta(days=5)).isoformat()})  # fmt: skip
        sent("POST", "/transactions/bulk", {"transactions": rows})
        sent("POST", "/content", {"id": "cnt_util", "type": "article",
             "title": "Bringing card utilization down", "persona_tags": ["high_utilization"],
             "signal_tags": ["credit_utilization_high"]})  # fmt: skip


def absent(browser: Chrome, element_id: str) -> bool:
    browser.implicitly_wait(0)
    try:
        return not browser.find_elements(By.ID, element_id)
    finally:
        browser.implicitly_wait(5)


def test_an_operator_walks_through_the_console(browser: Chrome, live_api: LiveAPI) -> None:
    seed(live_api)
    wait = WebDriverWait(browser, 10)
    # Signing in: the key, once.
    browser.get(f"{live_api.base_url}/console")
    assert browser.current_url.endswith("/console/login")
    browser.find_element(By.ID, "api_key").send_keys(live_api.key + Keys.ENTER)
    # The search, with the keyboard only.
    wait.until(expected_conditions.presence_of_element_located((By.ID, "q")))
    browser.find_element(By.ID, "q").send_keys("BROWSER" + Keys.ENTER)
    wait.until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "main"), "holds"))
    browser.find_element(By.LINK_TEXT, USER).send_keys(Keys.ENTER)
    # The user page.
    wait.until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), NAME))
    for chart in ("chart-months", "chart-categories"):
        svg = browser.find_element(By.ID, chart)
        assert svg.size["width"] > 300 and svg.size["height"] > 50, chart
        drawn = [
            bar
            for bar in svg.find_elements(By.CSS_SELECTOR, "rect.bar")
            if bar.size["height"] > 0 and bar.size["width"] > 0
        ]
        assert len(drawn) >= 3, chart
    reasons = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "ul.reasons li")]
    assert any("Visa ending in 4242 is at 80 % of its $3,000.00 limit" in r for r in reasons)
    assert (
        "<script>alert(1)</script>"
        in browser.find_element(By.ID, "streams-h").find_element(By.XPATH, "..").text
    )
    assert "Bringing card utilization down" in browser.page_source
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, int(height) + 200)
    SCREENSHOTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOTS / "user-page.png"))
    # Readable at 360 px: nothing wider than the screen but the tables' own scroll boxes.
    browser.set_window_size(360, 800)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 360
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(360, int(height) + 200)
    assert browser.save_screenshot(str(SCREENSHOTS / "user-page-360px.png"))
    browser.set_window_size(1280, 1000)
    # A statement: checked first (dry run), then imported.
    browser.find_element(By.LINK_TEXT, "Import a statement").click()
    upload = STATEMENTS / "ofx" / "card_chase.qfx"
    browser.find_element(By.ID, "file").send_keys(str(upload))
    browser.find_element(By.ID, "import-check").click()
    wait.until(expected_conditions.text_to_be_present_in_element((By.ID, "result-h"), "Dry run"))
    assert "5 to create" in browser.find_element(By.ID, "import-result").text
    browser.find_element(By.ID, "import-confirm").click()
    wait.until(expected_conditions.text_to_be_present_in_element((By.ID, "result-h"), "Imported"))
    accounts = httpx.get(f"{live_api.base_url}/api/v1/users/{USER}/accounts", headers=live_api.auth)
    assert len(accounts.json()["items"]) == 3
    browser.find_element(By.LINK_TEXT, "See the user").click()
    wait.until(expected_conditions.presence_of_element_located((By.ID, "personas")))
    assert (
        "card_chase.qfx"
        in browser.find_element(By.ID, "imports-h").find_element(By.XPATH, "..").text
    )
    # Consent withdrawn: the persona and its reasons go, and the page says why.
    browser.find_element(By.ID, "consent-toggle").click()
    wait.until(expected_conditions.presence_of_element_located((By.ID, "no-consent")))
    assert absent(browser, "personas")
    assert "has not given consent" in browser.find_element(By.ID, "no-consent").text
    # Erasure, once the id is typed.
    browser.find_element(By.PARTIAL_LINK_TEXT, "Erase this user").click()
    browser.find_element(By.ID, "confirm").send_keys(USER)
    browser.find_element(By.CSS_SELECTOR, "button.danger").click()
    wait.until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Erased"))
    gone = httpx.get(f"{live_api.base_url}/api/v1/users/{USER}", headers=live_api.auth)
    assert gone.status_code == 404
