"""`salsatam report --html DIR --plan-json FILE`: the page from a saved plan, without GitLab."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import builders
from tests.builders import NOW
from triage.account import Account
from triage.cli import main
from triage.records import Record, Team
from triage.report.plan import plan_json
from triage.snapshot import User


def _account(iid: int, name: str, colour: str, *, confidential: bool = False) -> Account:
    issue = builders.open_issue(
        iid,
        name,
        "account",
        "stage::adoption",
        issue_id=iid,
        author=User(1, "bot"),
        created=NOW - timedelta(days=30),
        updated=NOW,
        web_url="",
        confidential=confidential,
    )
    health = builders.health_result(colour, f"account {iid} is {colour}", score=80)
    record = Record(arr=50_000, renewal=date(2027, 3, 1), team=Team(tam="tina"))
    return builders.account(issue, record, health)


def _plan_file(tmp_path: Path, *accounts: Account) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(plan_json(builders.plan(*accounts)))
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["report", *args], env={"SALSATAM_TOKEN": None})
    return result.exit_code, result.stdout, result.stderr


def test_builds_the_page_from_a_saved_plan_without_a_token(tmp_path: Path) -> None:
    plan = _plan_file(tmp_path, _account(1, "Acme", "red"), _account(2, "Globex", "green"))
    code, out, err = _run("--html", str(tmp_path / "public"), "--plan-json", str(plan))
    assert (code, out) == (0, "")
    assert err.strip() == f"report written to {tmp_path / 'public' / 'index.html'}"
    html = (tmp_path / "public" / "index.html").read_text()
    assert "account 1 is red" in html and "account 2 is green" in html
    assert "Acme" in html and "Globex" in html
    assert (tmp_path / "public" / "report.json").is_file()


def test_the_saved_plan_never_holds_a_confidential_title(tmp_path: Path) -> None:
    plan = _plan_file(tmp_path, _account(1, "Umbrella Secret", "red", confidential=True))
    saved = json.loads(plan.read_text())
    assert "Umbrella" not in json.dumps(saved["portfolio"])
    _run("--html", str(tmp_path / "out"), "--plan-json", str(plan))
    html = (tmp_path / "out" / "index.html").read_text()
    assert "Umbrella" not in html
    assert "confidential account am/accounts#1" in html


def test_compares_with_the_report_already_in_the_directory(tmp_path: Path) -> None:
    out = tmp_path / "public"
    first = _plan_file(tmp_path, _account(1, "Acme", "green"))
    assert _run("--html", str(out), "--plan-json", str(first))[0] == 0
    second = _plan_file(tmp_path, _account(1, "Acme", "red"))
    assert _run("--html", str(out), "--plan-json", str(second))[0] == 0
    assert "▼ was green" in (out / "index.html").read_text()


def test_a_plan_without_a_portfolio_is_a_usage_error(tmp_path: Path) -> None:
    old = tmp_path / "old-plan.json"
    old.write_text(json.dumps({"now": NOW.isoformat(), "changes": [], "problems": []}))
    code, _, err = _run("--html", str(tmp_path / "out"), "--plan-json", str(old))
    assert code == 2
    assert err.strip() == (
        f"salsatam: {old}: not a salsatam-portfolio version 1 document; "
        "make it with `salsatam plan --format json --output FILE`"
    )
    assert not (tmp_path / "out").exists()


def test_a_file_that_is_not_json_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text("## salsatam plan\n")
    code, _, err = _run("--html", str(tmp_path / "out"), "--plan-json", str(bad))
    assert code == 2
    assert err.startswith(f"salsatam: {bad}: not readable as JSON:")


def test_report_is_listed_in_the_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "report" in result.output


def test_reading_gitlab_needs_a_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the packaged default policies
    code, _, err = _run("--html", "out", "--url", "https://gitlab.example.com")
    assert code == 2
    assert err.strip() == (
        "salsatam: no GitLab token: set SALSATAM_TOKEN (a masked CI/CD variable) or pass --token"
    )
    assert not (tmp_path / "out").exists()
