"""`salsatam plan` and `apply` end to end: the CLI, python-gitlab over HTTP, the sandbox."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.e2e.cli import run, seeded
from triage.cli import main

pytestmark = pytest.mark.e2e

NOW = "2026-03-10T09:00:00+00:00"
HOME = "account-management/accounts"
RECORD = """The account record.

```yaml
arr: {arr}
renewal: 2026-06-01
industry: finance
team: {{sal: sam, sa: sara, tam: tom}}
collaboration_project: customers/{path}
```
"""
STAFF = [{"username": u, "access_level": 30} for u in ("sam", "sara", "tom")]


def account(name: str, path: str, arr: int) -> dict[str, Any]:
    return {
        "project": HOME,
        "title": name,
        "description": RECORD.format(arr=arr, path=path),
        "labels": ["account", "segment::enterprise", "stage::adoption"],
        "author": "sam",
        "created_at": "2026-01-05T10:00:00Z",
    }


SEED: dict[str, Any] = {
    "users": [{"username": u} for u in ("sam", "sara", "tom", "carol", "dave")],
    "groups": [{"path": "account-management", "members": STAFF}, {"path": "customers"}],
    "projects": [
        {"path": HOME},
        {"path": "customers/acme", "members": [{"username": "carol", "access_level": 20}]},
        {"path": "customers/globex", "members": [{"username": "dave", "access_level": 20}]},
    ],
    "issues": [
        account("Acme", "acme", 120000),
        account("Globex", "globex", 40000),
        {
            "project": "customers/acme",
            "title": "Runners are slow",
            "author": "carol",
            "created_at": "2026-03-02T10:00:00Z",
            "description": "please help",
        },
    ],
}


@pytest.fixture
def gitlab(sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The seeded sandbox, with salsatam pointed at it and a fixed clock."""
    clock = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    return seeded(sandbox, tmp_path, monkeypatch, clock=clock, seed=SEED)  # packaged policies


def salsatam(gitlab: Any, *args: str) -> Result:
    return run(gitlab, *args, now=NOW)


def test_plan_says_what_would_change_and_writes_nothing(gitlab: Any) -> None:
    result = salsatam(gitlab, "plan", "--format", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["now"] == NOW
    assert plan["kinds"] == ["health", "collaboration", "issues", "agenda", "boards"]
    assert plan["accounts"] == 2
    kinds = {change["kind"] for change in plan["changes"]}
    assert {"labels", "health", "collaboration", "boards"} <= kinds
    labels = {c["name"]: c for c in plan["changes"] if c["kind"] == "labels"}
    assert labels["health::red"]["type"] == "CreateLabel"
    assert (labels["health::red"]["project"], labels["health::red"]["color"]) == (HOME, "#dd2b0e")
    assert all(c["summary"].startswith("would ") for c in plan["changes"])
    assert gitlab.requests()["writes"] == 0


def test_plan_as_text_and_markdown(gitlab: Any, tmp_path: Path) -> None:
    text = salsatam(gitlab, "plan")
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert lines[0] == f"salsatam plan at {NOW}: health, collaboration, issues, agenda, boards"
    assert (
        "would set ~status::awaiting-team on customers/acme#1: "
        "the customer spoke last: the account team's turn"
    ) in lines
    assert lines[-1].startswith(f"{len(lines) - 2} changes would be made (labels ")
    markdown = salsatam(gitlab, "plan", "--format", "markdown", "--output", "plan.md")
    assert markdown.exit_code == 0, markdown.output
    written = (tmp_path / "plan.md").read_text()
    assert written.startswith("## salsatam plan\n\nEvaluated at 2026-03-10T09:00:00+00:00 for 2 ")
    assert "### labels (" in written


def test_apply_then_nothing_left_to_do(gitlab: Any, tmp_path: Path) -> None:
    first = salsatam(gitlab, "apply", "--report", "out")
    assert first.exit_code == 0, first.output
    assert "set ~status::awaiting-team on customers/acme#1" in first.stdout
    assert first.stderr.splitlines()[-1].startswith("applied ")
    outcome = json.loads((tmp_path / "out" / "outcome.json").read_text())
    assert {r["status"] for r in outcome["results"]} == {"done"}
    gitlab.reset_requests()
    second = salsatam(gitlab, "apply")
    assert second.exit_code == 0, second.output
    assert second.stdout == ""
    assert second.stderr.startswith("applied 0 changes; 0 failed; ")
    assert gitlab.requests()["writes"] == 0


def test_only_and_account_limit_the_run(gitlab: Any) -> None:
    result = salsatam(gitlab, "plan", "--format", "json", "--only", "health", "--account", "Globex")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["kinds"] == ["health"]
    assert plan["accounts"] == 1
    touched = {c.get("issue") for c in plan["changes"] if c["kind"] == "health"}
    assert touched == {f"{HOME}#2"}


def test_the_token_never_shows(gitlab: Any, tmp_path: Path) -> None:
    token = gitlab.token
    outputs = []
    for args in (
        ["plan", "--format", "json", "--output", "plan.json", "--verbose"],
        ["apply", "--report", "out", "--verbose"],
    ):
        result = salsatam(gitlab, *args, "--token", token)
        assert result.exit_code == 0, result.output
        outputs += [result.stdout, result.stderr, (tmp_path / "debug.log").read_text()]
    outputs += [p.read_text() for p in tmp_path.rglob("*") if p.is_file()]
    assert outputs and all(token not in text for text in outputs)


def test_a_rejected_token_is_a_clear_error_and_stays_secret(gitlab: Any, tmp_path: Path) -> None:
    wrong = "glpat-not-the-right-one-1234"
    result = salsatam(gitlab, "plan", "--token", wrong, "--verbose")
    assert result.exit_code == 2
    assert "the token was rejected (401)" in result.stderr
    log = (tmp_path / "debug.log").read_text()
    assert all(wrong not in text for text in (result.stdout, result.stderr, log))


def test_an_unknown_accounts_project_is_a_setting_to_fix(gitlab: Any) -> None:
    result = salsatam(gitlab, "plan", "--accounts-project", "nobody/nothing")
    assert result.exit_code == 2
    assert result.stderr == (
        "salsatam: accounts project 'nobody/nothing' not found, or not visible to this "
        "token: check accounts_project (or --accounts-project) and that salsatam's user is "
        "a member of it\n"
    )


def test_an_unknown_customers_group_is_a_setting_to_fix(gitlab: Any) -> None:
    result = salsatam(gitlab, "apply", "--customers-group", "nobody")
    assert result.exit_code == 2
    assert result.stderr.startswith("salsatam: customers group 'nobody' not found, or not ")
    assert gitlab.requests()["writes"] == 0


def test_a_gitlab_nobody_answers_at_is_a_setting_to_fix(
    gitlab: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from triage.gitlab import client, retry

    monkeypatch.setattr(client, "call_reading", lambda _backoff, read: retry.call_reading(0, read))
    args = ["plan", "--now", NOW, "--url", "http://127.0.0.1:1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr == (
        "salsatam: cannot reach GitLab at http://127.0.0.1:1: connection refused\n"
    )


def test_an_account_without_a_record_is_an_option_to_fix(gitlab: Any) -> None:
    result = salsatam(gitlab, "apply", "--account", "Nope Inc")
    assert result.exit_code == 2
    assert result.stderr == (
        "salsatam: no open account record titled 'Nope Inc' in account-management/accounts "
        "(--account takes the record issue's exact title)\n"
    )
    assert gitlab.requests()["writes"] == 0
    assert salsatam(gitlab, "plan", "--account", "Acm").exit_code == 2  # exact titles only


def test_verbose_shows_each_request_on_stderr_without_the_token(gitlab: Any) -> None:
    result = salsatam(gitlab, "plan", "--verbose", "--token", gitlab.token)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    requests = [line for line in lines if line.startswith("GET /api/v4/")]
    assert len(requests) == gitlab.requests()["total"], lines
    assert re.fullmatch(
        r"GET /api/v4/projects/account-management%2Faccounts 200 \d+\.\d{3}s", requests[0]
    )
    assert gitlab.token not in result.stderr
    quiet = salsatam(gitlab, "plan")
    assert not [line for line in quiet.stderr.splitlines() if line.startswith("GET ")]
