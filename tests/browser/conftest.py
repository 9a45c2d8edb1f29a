"""The console in a real browser: Debian's headless chromium driven through
its chromedriver (Selenium), against a live server (tests/live/conftest.py's
`serve`: uvicorn on a new migrated database, an API key configured).
tests/browser.sh, run by `make test` first, installs chromium when missing;
without it these tests fail, they are never skipped."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from tests.live.conftest import LiveAPI, serve

HERE = Path(__file__).resolve().parent
# Written by the run for anyone to look at; not committed (.gitignore).
SCREENSHOTS = HERE / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here drives a browser against a live server: browser, slow."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="module")
def live_api() -> Iterator[LiveAPI]:
    with serve() as api:
        yield api


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver is None:
        pytest.fail("Debian's chromium and chromium-driver are needed: run tests/browser.sh")
    options = Options()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1280,1000"):  # fmt: skip
        options.add_argument(argument)
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    chrome.implicitly_wait(5)
    try:
        yield chrome
    finally:
        chrome.quit()
