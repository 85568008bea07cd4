"""`salsatam demo`: the book of business, two runs of apply, the report, end to end."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gitlab
import pytest
from click.testing import CliRunner

from triage.changes import CreateIssue
from triage.cli import main
from triage.demo.book import ACCOUNTS, ACCOUNTS_PROJECT, CUSTOMERS_GROUP
from triage.demo.run import DemoOptions, DemoRun, run_demo
from triage.demo.scenarios import HOSTILE_TITLE
from triage.sandbox.admin import SandboxAdmin

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
LEAK = "LEGAL-7731"  # in the hostile confidential issue's title and description
GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@pytest.fixture
def quiet_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    """One demo for the tests that only look at it (none of them writes)."""
    report = tmp_path_factory.mktemp("demo") / "report"
    run = run_demo(DemoOptions(now=NOW, port=0, report_dir=report))
    yield run
    run.stop()


def test_demo_once_prints_the_book_the_colours_and_a_rerun_without_writes(
    quiet_env: Path,
) -> None:
    args = ["demo", "--once", "--port", "0", "--now", "2026-03-10", "--report", "out"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text = result.stdout
    for name, *_ in ACCOUNTS:
        assert name in text
    assert "health of 40 accounts: " in text
    colours = {line.split()[0] for line in text.splitlines() if line.startswith("  ")}
    assert {"red", "yellow", "green"} <= colours
    assert "rerun: 0 writes" in text
    assert (
        "Willow Education: records.invalid: line 1 of the record block: 'arr' must be a "
        "number, got '" in text
    )
    assert "0 failed" in text
    assert "  report    out/index.html (every change: out/outcome.md)" in text
    # The sandbox has stopped: no URL, token or command points at it.
    for gone in ("http://", "token", "run salsatam against it", "python-gitlab"):
        assert gone not in text, gone
    assert LEAK not in result.output
    page = (quiet_env / "out" / "index.html").read_text(encoding="utf-8")
    assert "Borealis Bank" in page
    for name in ("index.html", "report.json", "outcome.json", "outcome.md"):
        assert LEAK not in (quiet_env / "out" / name).read_text(encoding="utf-8")
    assert (quiet_env / "out" / "policies" / "teams.yml").is_file()


def test_the_demo_is_the_same_for_the_same_seed_and_now(quiet_env: Path) -> None:
    from triage.demo.book import build_book

    assert build_book(NOW, 3).seed == build_book(NOW, 3).seed
    assert build_book(NOW, 3).seed != build_book(NOW, 4).seed


def test_a_live_demo_says_where_to_reach_the_sandbox(demo: DemoRun) -> None:
    from triage.demo.summary import summary

    text = "\n".join(summary(demo))
    assert f"sandbox (a local GitLab, tier free) at {demo.url} with" in text
    assert f"  token     {demo.token} " in text
    assert "Account handoff to the TAM: Fjord Insurance" in text
    assert "or run salsatam against it:" in text


def test_rerun_writes_nothing_by_the_sandbox_counter(demo: DemoRun, quiet_env: Path) -> None:
    assert demo.first.writes > 100
    assert demo.rerun.writes == 0
    assert demo.rerun.report.plan.changes == []
    admin = SandboxAdmin(demo.url)
    admin.reset_requests()
    result = CliRunner().invoke(
        main,
        [
            "apply",
            "--url",
            demo.url,
            "--token",
            demo.token,
            "--policies",
            str(demo.policies),
            "--now",
            NOW.isoformat(),
        ],
    )
    assert result.exit_code == 0, result.output
    counted = admin.requests()
    assert counted["writes"] == 0, counted
    assert counted["reads"] == demo.rerun.reads


def test_broken_record_is_flagged_and_the_others_go_ahead(demo: DemoRun) -> None:
    problems = {(p.account, p.rule) for p in demo.first.report.plan.problems}
    assert ("Willow Education", "records.invalid") in problems
    accounts = _client(demo).projects.get(ACCOUNTS_PROJECT)
    [broken] = accounts.issues.list(search="Willow Education", labels="account", get_all=True)
    assert "record::invalid" in broken.labels
    assert not any(label.startswith("health::") for label in broken.labels)
    coloured = accounts.issues.list(labels="account,health::red", get_all=True)
    assert {issue.title for issue in coloured} >= {"Borealis Bank"}


def test_golden_agenda_of_the_demo_west_team(demo: DemoRun) -> None:
    """The agenda the demo's first run opens for its west team, as of NOW: the book of
    `build_book`, its teams, the default policies and templates, the real plan."""
    [agenda] = [
        change
        for change in demo.first.report.plan.changes
        if isinstance(change, CreateIssue) and change.key == "agenda:west:2026-03-11"
    ]
    text = f"{agenda.title}\nassigned to: {', '.join(agenda.assignees)}\n\n{agenda.description}"
    path = GOLDEN / "agenda_demo_west.md"
    if os.environ.get("SALSATAM_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with SALSATAM_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")
    # Willow Education's record does not read: it is still on its team's agenda.
    assert "## Records to fix" in text
    assert "Willow Education" in text.split("## Records to fix")[1].split("\n## ")[0]


def test_hostile_confidential_issue_stays_inside(demo: DemoRun) -> None:
    client = _client(demo)
    hostile = [
        issue
        for issue in client.groups.get(CUSTOMERS_GROUP).issues.list(confidential=True, get_all=True)
        if issue.title == HOSTILE_TITLE
    ]
    assert len(hostile) == 1 and hostile[0].state == "opened"
    assert not any(label.startswith("health::") for label in hostile[0].labels)
    for issue in _non_confidential(client):
        assert LEAK not in issue.title and LEAK not in (issue.description or ""), issue.web_url
    accounts = client.projects.get(ACCOUNTS_PROJECT)
    for issue in accounts.issues.list(labels="salsatam", get_all=True):
        if not issue.confidential:
            for note in issue.notes.list(get_all=True):
                assert LEAK not in note.body, issue.web_url
    handoff = accounts.issues.list(labels="handoff", search="Fjord Insurance", get_all=True)[0]
    assert "(confidential)" in handoff.description
    assert "@all" not in handoff.description


def _client(run: DemoRun) -> gitlab.Gitlab:
    return gitlab.Gitlab(run.url, private_token=run.server.token)


def _non_confidential(client: gitlab.Gitlab) -> list[Any]:
    found: list[Any] = []
    for place in (client.groups.get(CUSTOMERS_GROUP), client.projects.get(ACCOUNTS_PROJECT)):
        found += place.issues.list(confidential=False, get_all=True, per_page=100)
    return found
