"""The portfolio page in a real browser: Debian's Chromium, driven by Selenium, headless.

The page is opened from a file:// URL with background networking off, so anything it tried
to fetch would fail and show up in the console log.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests import builders
from tests.builders import NOW
from triage.account import Account
from triage.changes import CreateIssue
from triage.plan import Plan
from triage.records import Record, Team
from triage.report.html import write_report

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
HOSTILE = "<script>alert(1)</script>"

pytestmark = pytest.mark.browser  # skipped without Chromium: see conftest.py


def _account(
    iid: int,
    name: str,
    colour: str | None,
    reasons: tuple[str, ...],
    *,
    tam: str | None,
    arr: float,
    renewal: date | None,
    stage: str = "adoption",
    confidential: bool = False,
) -> Account:
    issue = builders.open_issue(
        iid,
        name,
        "account",
        f"stage::{stage}",
        "segment::enterprise",
        project="account-management/accounts",
        issue_id=iid,
        created=NOW - timedelta(days=300),
        updated=NOW,
        confidential=confidential,
    )
    health = builders.health_result(
        colour,
        *reasons,
        score={"red": 35, "yellow": 62, "green": 91}.get(colour or ""),
        since=date(2026, 10, 12) if colour else None,
    )
    record = Record(arr=arr, renewal=renewal, team=Team(sal="maria", tam=tam), priority=1)
    return builders.account(issue, record, health)


def _plan() -> Plan:
    acme = _account(
        1,
        "Acme Corp",
        "red",
        (
            "a customer has waited 12 business days (red over 10)",
            "last meeting 71 days ago (red over 60 days for priority 1)",
        ),
        tam="sam.okafor",
        arr=420_000,
        renewal=date(2027, 1, 15),
    )
    accounts = (
        acme,
        _account(
            2,
            HOSTILE,
            "yellow",
            ("1 customer participant in 90 days (yellow under 2)",),
            tam="sam.okafor",
            arr=95_000,
            renewal=date(2027, 3, 1),
        ),
        _account(
            3,
            "Globex",
            "green",
            ("every measure is green",),
            tam="tom.walsh",
            arr=1_250_000,
            renewal=date(2027, 6, 30),
        ),
        _account(
            4,
            "Umbrella Secret",
            "red",
            ("an open critical escalation makes the account red",),
            tam="tom.walsh",
            arr=300_000,
            renewal=date(2027, 2, 1),
            confidential=True,
        ),
        _account(
            5,
            "Hooli",
            None,
            ("no measure has data",),
            tam=None,
            arr=40_000,
            renewal=None,
            stage="discovery",
        ),
    )
    handoff = CreateIssue(
        reason="technical win on 2026-10-30 and the account qualifies for a TAM",
        key="handoff:account-management/accounts#1",
        rule="sa-to-tam-handoff",
        project="account-management/accounts",
        title="Handoff SA → TAM: Acme Corp",
        description="",
        due_date=date(2026, 11, 9),
        link_to=acme.issue.ref,
    )
    return builders.plan(*accounts, kinds=("health", "issues"), changes=[handoff])


@pytest.fixture(scope="module")
def page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    outdir = tmp_path_factory.mktemp("report")
    index = write_report(_plan(), outdir)
    browser.get(index.as_uri())
    return browser


def test_the_page_opens_without_console_errors(page: Any) -> None:
    assert page.title == "Portfolio health — 2026-11-02 09:00 UTC"
    severe = [entry for entry in page.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []


def test_the_seeded_accounts_are_shown_worst_first(page: Any) -> None:
    from selenium.webdriver.common.by import By

    cells = page.find_elements(By.CSS_SELECTOR, "table.accounts th.name .account-name")
    assert [cell.text for cell in cells] == [
        "Acme Corp",
        "confidential account account-management/accounts#4",
        HOSTILE,
        "Globex",
        "Hooli",
    ]
    body = page.find_element(By.TAG_NAME, "body").text
    assert "a customer has waited 12 business days (red over 10)" in body
    assert "Handoff SA → TAM: Acme Corp" in body
    assert "Umbrella" not in body


def test_a_hostile_name_is_text_and_nothing_runs(page: Any) -> None:
    from selenium.webdriver.common.by import By

    hostile = page.find_elements(
        By.XPATH, "//a[normalize-space(text())='<script>alert(1)</script>']"
    )
    assert len(hostile) == 1
    assert page.execute_script("return document.scripts.length") == 0
    assert page.execute_script("return document.querySelectorAll('svg').length") == 3


def test_a_screenshot_of_the_whole_page(page: Any) -> None:
    height = page.execute_script("return document.documentElement.scrollHeight")
    page.set_window_size(1280, min(int(height) + 40, 6000))
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "report.png"
    assert page.save_screenshot(str(target))
    assert target.stat().st_size > 10_000
