"""The sandbox's web view in a real browser: Debian's Chromium, driven by Selenium, headless.

Pages come from the test's sandbox over HTTP; with background networking off and a
Content-Security-Policy that allows no scripts, anything a page tried to run or fetch would
show up in the console log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_sandbox_web import SEED  # the hostile confidential issue is #4

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = pytest.mark.browser  # skipped without Chromium: see conftest.py


def _severe(browser: Any) -> list[Any]:
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_issue_and_board_pages_load_cleanly_and_run_nothing(browser: Any, sandbox: Any) -> None:
    from selenium.webdriver.common.by import By

    board_id = sandbox.seed(SEED)["boards"]["acme/accounts:Account health"]
    browser.get_log("browser")  # forget earlier pages
    browser.get(f"{sandbox.url}/acme/accounts/-/issues/4")
    assert browser.title.startswith("Secret escalation")
    assert browser.find_elements(By.CSS_SELECTOR, ".description script") == []
    assert browser.find_elements(By.CSS_SELECTOR, ".description img") == []
    hrefs = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a")]
    assert all(href.startswith(("http://", "https://")) for href in hrefs), hrefs
    assert "<script>alert(1)</script>" in browser.find_element(By.CSS_SELECTOR, ".description").text
    assert _severe(browser) == []

    browser.get(f"{sandbox.url}/acme/accounts/-/issues/1")
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "sandbox-issue.png"))
    browser.get(f"{sandbox.url}/acme/accounts/-/boards/{board_id}")
    columns = browser.find_elements(By.CSS_SELECTOR, ".column")
    assert [c.find_element(By.CSS_SELECTOR, ".chip").get_attribute("title") for c in columns] == [
        "health::red",
        "health::green",
        "tam::qualifying",
    ]
    assert browser.save_screenshot(str(ARTIFACTS / "sandbox-board.png"))
    browser.get(f"{sandbox.url}/")
    assert _severe(browser) == []
