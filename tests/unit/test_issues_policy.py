"""issues.yml: the default loads, and mistakes are named with their place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from triage.policy.errors import PolicyError
from triage.policy.issues import IssuesPolicy
from triage.policy.loader import PACKAGED, load_policies
from triage.policy.templates import check_templates

KINDS = {"issues": "triage.policy.issues"}
RULE = """\
rules:
  - name: renewal-review
    says: renewal review
    when: {fact: renewal, within_next_days: 120}
    template: renewal-review.md.j2
    title: "Renewal review: {account}"
    labels: [reminder]
    assign: [seller, tam]
    key: "reminder:renewal"
    per: renewal
"""


@pytest.fixture
def policies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(PACKAGED / "policies", tmp_path / "policies")
    shutil.copytree(PACKAGED / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "policies"


def problems(directory: Path, text: str) -> list[str]:
    (directory / "issues.yml").write_text(text)
    with pytest.raises(PolicyError) as caught:
        load_policies(directory, directory.parent / "templates", kinds=KINDS)
    return [str(p) for p in caught.value.problems]


def test_the_default_rules_load_and_their_templates_render(policies: Path) -> None:
    loaded = load_policies(policies, policies.parent / "templates", kinds=KINDS)
    issues = loaded.issues
    assert isinstance(issues, IssuesPolicy)
    assert [r.name for r in issues.rules][:3] == ["handoff", "tam-before-sale", "sa-after-sale"]
    check = check_templates(loaded, kinds=KINDS)
    assert check.problems == []
    # With the colour-change note of triage and the later-trigger note of TAM engagement.
    assert check.rendered == 12


def test_a_valid_rule_loads(policies: Path) -> None:
    (policies / "issues.yml").write_text(RULE)
    loaded = load_policies(policies, policies.parent / "templates", kinds=KINDS)
    [rule] = loaded.issues.rules
    assert (rule.per, rule.close_when_resolved, rule.roles("enterprise")) == (
        "renewal",
        True,
        ("seller", "tam"),
    )


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "per: renewal",
            "per: fortnightly",
            "policies/issues.yml:10:5: 'per' must be one of "
            "once, occurrence, week, two-weeks, month, quarter, year or a date fact, "
            "got 'fortnightly'",
        ),
        (
            "per: renewal",
            "per: arr",
            "policies/issues.yml:10:5: 'per' must be one of once, "
            "occurrence, week, two-weeks, month, quarter, year or a date fact, got 'arr'",
        ),
        (
            "{account}",
            "{acount}",
            "policies/issues.yml:6:5: unknown title field '{acount}' "
            "(known: {account}, {trigger}, {period}, {due})",
        ),
        (
            "[reminder]",
            "[remind-me]",
            "policies/issues.yml:7:14: unknown label 'remind-me' (not in labels.yml)",
        ),
        (
            "renewal-review.md.j2",
            "renewal.md.j2",
            "policies/issues.yml:5:5: unknown template 'renewal.md.j2' (no such file in templates)",
        ),
        (
            "[seller, tam]",
            "[seller, cto]",
            "policies/issues.yml:8:22: 'assign[1]' must be one of "
            "sal, ae, seller, sa, tam, got 'cto'",
        ),
    ],
)
def test_mistakes_name_their_place(policies: Path, old: str, new: str, problem: str) -> None:
    found = problems(policies, RULE.replace(old, new))
    assert len(found) == 1
    assert found[0].split(": ", 1)[0] == problem.split(": ", 1)[0]
    assert found[0].split(": ", 1)[1].startswith(problem.split(": ", 1)[1][:30])


def test_two_rules_may_not_share_a_key(policies: Path) -> None:
    twice = RULE + RULE.split("rules:\n", 1)[1].replace("name: renewal-review", "name: other")
    assert problems(policies, twice) == [
        "policies/issues.yml:18:5: key 'reminder:renewal' is used by another rule"
    ]
