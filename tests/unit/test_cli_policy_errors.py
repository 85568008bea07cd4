"""A bad policy stops validate, plan and apply with file:line:col, exit 2, and no request."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from triage.cli import main
from triage.policy.loader import PACKAGED

RULE = """\
rules:
  - name: handoff
    says: time for the handoff
    when: {label: account}
    template: handoff.md.j2
    title: Handoff
    key: handoff
    per: once
"""
CASES = {
    "unknown key": (
        "salsatam.yml",
        "accounts_project: am/accounts\ncustomers_group: customers\ntimzone: UTC\n",
        "policies/salsatam.yml:3:1: unknown key 'timzone'",
    ),
    "wrong type": (
        "salsatam.yml",
        "accounts_project: am/accounts\ncustomers_group: customers\nbots: {a: 1}\n",
        "policies/salsatam.yml:3:1: 'bots' must be a list, got a mapping",
    ),
    "YAML syntax error": (
        "labels.yml",
        "labels:\n  - {name: account, color: '#ffffff'\n",
        "policies/labels.yml:3:1: YAML syntax error: expected ',' or '}', but got "
        "'<stream end>' (while parsing a flow mapping)",
    ),
    "unknown fact": (
        "issues.yml",
        "tam_qualifying: {fact: wibble, gt: 3}\n",
        "policies/issues.yml:1:18: unknown fact 'wibble'",
    ),
    "unknown label": (
        "issues.yml",
        "tam_qualifying:\n  any:\n    - label: nope\n",
        "policies/issues.yml:3:7: unknown label 'nope' (not in labels.yml)",
    ),
    "unknown template": (
        "issues.yml",
        RULE.replace("handoff.md.j2", "handof.md.j2"),
        "policies/issues.yml:5:5: unknown template 'handof.md.j2' (no such file in templates)",
    ),
    "bad date": (
        "issues.yml",
        "tam_qualifying: {fact: renewal, after: 2026-02-30}\n",
        "policies/issues.yml:1:33: 'after' must be a date (YYYY-MM-DD) or now±Nd, got '2026-02-30'",
    ),
}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, labels and templates from the packaged defaults, as the working dir."""
    (tmp_path / "policies").mkdir()
    for name in ("salsatam.yml", "labels.yml"):
        shutil.copy(PACKAGED / "policies" / name, tmp_path / "policies" / name)
    shutil.copytree(PACKAGED / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, **env: str) -> Any:
    return CliRunner().invoke(main, list(args), env=env or None)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", ["validate", "plan", "apply"])
def test_bad_policy_exits_2_with_its_place_and_contacts_nothing(
    workdir: Path, sandbox: Any, command: str, case: str
) -> None:
    file, text, expected = CASES[case]
    (workdir / "policies" / file).write_text(text)
    sandbox.reset_requests()
    connection = ["--url", sandbox.url, "--token", sandbox.token]
    result = run(command, *([] if command == "validate" else connection))
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        expected,
        "salsatam: 1 policy problem(s); nothing was done",
    ]
    assert result.stdout == ""
    assert sandbox.requests()["total"] == 0


def test_the_rule_used_above_is_valid(workdir: Path) -> None:
    (workdir / "policies" / "issues.yml").write_text(RULE)
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("policies/ and templates/ are valid: ")


def test_missing_token_is_a_clear_error(workdir: Path) -> None:
    result = run("plan", "--url", "http://127.0.0.1:9")
    assert result.exit_code == 2
    assert result.stderr == (
        "salsatam: no GitLab token: set SALSATAM_TOKEN (a masked CI/CD variable) or pass --token\n"
    )


def test_missing_url_is_a_clear_error(workdir: Path) -> None:
    result = run("apply", "--token", "a-token")
    assert result.exit_code == 2
    assert "no GitLab URL: pass --url, set SALSATAM_URL" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "health,wibble"], "unknown kind 'wibble'; use health, collaboration"),
        (["--now", "2026-03-10T09:00"], "has no UTC offset"),
        (["--now", "someday"], "'someday' is not an ISO date or date-time"),
    ],
)
def test_bad_options_exit_2(workdir: Path, args: list[str], message: str) -> None:
    result = run("plan", *args)
    assert result.exit_code == 2
    assert message in result.stderr
