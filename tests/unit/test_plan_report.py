"""A plan and an outcome as text, JSON and Markdown."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from triage.changes import (
    AddNote,
    Change,
    CloseIssue,
    CreateIssue,
    Problem,
    SetLabels,
    UpdateDescription,
)
from triage.plan import Plan
from triage.report.plan import (
    outcome_json,
    outcome_markdown,
    outcome_summary,
    outcome_text,
    plan_json,
    plan_markdown,
    plan_text,
)
from triage.snapshot import IssueRef

NOW = datetime(2026, 3, 10, 9, tzinfo=UTC)
RED = SetLabels(
    reason="2 customer issues waiting 6 and 9 business days",
    key="health:acme",
    rule="health.colour",
    issue=IssueRef("am/accounts", 12),
    add=("health::red",),
    remove=("health::yellow",),
)
SECRET = CreateIssue(
    reason="/close @all the escalation",
    key="issues:triage:acme",
    rule="triage",
    project="am/accounts",
    title="Health triage: Acme",
    description="customer said: breach",
    confidential=True,
    due_date=date(2026, 3, 17),
)


def plan() -> Plan:
    result = Plan(NOW, ("health", "issues"))
    result.extend([RED], [Problem("Globex", "records", "no record block")], kind="health")
    result.extend([SECRET], [], kind="issues")
    return result


def test_text_uses_dry_run_wording() -> None:
    assert plan_text(plan()).splitlines() == [
        "salsatam plan at 2026-03-10T09:00:00+00:00: health, issues",
        "would set ~health::red -~health::yellow on am/accounts#12: 2 customer issues waiting "
        "6 and 9 business days",
        'would open "Health triage: Acme" in am/accounts: /close @all the escalation',
        "problem: Globex: records: no record block",
        "2 changes would be made (health 1, issues 1); 1 problem",
    ]


def test_markdown_is_grouped_by_kind_and_inert() -> None:
    text = plan_markdown(plan())
    assert "### health (1)\n\n- would set \\~health::red" in text
    assert "### issues (1)" in text
    assert "@all" not in text and "\n/close" not in text and "@\u200ball" in text
    assert "### Problems\n\n- Globex: records: no record block" in text
    assert text.endswith("**2 changes would be made (health 1, issues 1); 1 problem**\n")


def test_json_has_every_field_and_hides_confidential_descriptions() -> None:
    data = json.loads(plan_json(plan()))
    assert data["kinds"] == ["health", "issues"]
    assert data["summary"] == "2 changes would be made (health 1, issues 1); 1 problem"
    assert data["changes"][0] == {
        "type": "SetLabels",
        "kind": "health",
        "summary": RED.describe(dry_run=True),
        "reason": RED.reason,
        "key": "health:acme",
        "rule": "health.colour",
        "issue": "am/accounts#12",
        "add": ["health::red"],
        "remove": ["health::yellow"],
    }
    created = data["changes"][1]
    assert created["description"] == "(confidential: not shown)"
    assert created["due_date"] == "2026-03-17"
    assert data["problems"] == [
        {"account": "Globex", "rule": "records", "message": "no record block"}
    ]


def test_an_empty_plan_says_so() -> None:
    assert plan_text(Plan(NOW, ())).splitlines()[-1] == "no changes"


@dataclass(frozen=True)
class Result:
    change: Change
    status: str
    detail: str = ""


@dataclass
class Outcome:
    results: list[Result]
    requests: int = 7
    elapsed: float = 1.25


def test_outcome_says_what_was_done_and_what_failed() -> None:
    outcome = Outcome([Result(RED, "done"), Result(SECRET, "failed", "500: boom")])
    assert outcome_text(outcome).splitlines() == [
        "set ~health::red -~health::yellow on am/accounts#12: 2 customer issues waiting "
        "6 and 9 business days",
        'failed: open "Health triage: Acme" in am/accounts: /close @all the escalation (500: boom)',
        "applied 1 change (health 1); 1 failed; 7 requests in 1.2 s",
    ]
    assert outcome_summary(outcome, requests=20, seconds=3.0, plan=plan()) == (
        "applied 1 change (health 1); 1 failed; 20 requests in 3.0 s"
    )
    data = json.loads(outcome_json(outcome))
    assert [(r["status"], r["detail"]) for r in data["results"]] == [
        ("done", ""),
        ("failed", "500: boom"),
    ]
    assert data["results"][1]["description"] == "(confidential: not shown)"
    assert "@all" not in outcome_markdown(outcome)


def test_text_written_into_a_confidential_issue_is_hidden_even_without_the_plan() -> None:
    ref = IssueRef("am/accounts", 12)
    changes = [
        UpdateDescription("facts", "health-section:12", "health.section", ref, "breach", True),
        AddNote("red", "health:12", "health.note", ref, "waiting 12 days on breach", True),
        CloseIssue("green", "close:12", "issues.triage", ref, "closing: breach", True),
    ]
    secret = Plan(NOW, ("health",))
    secret.extend(changes, [], kind="health")
    data = json.loads(plan_json(secret))
    assert [c.get("description") or c.get("body") or c.get("note") for c in data["changes"]] == [
        "(confidential: not shown)"
    ] * 3
    outcome = Outcome([Result(c, "done") for c in changes])
    assert "breach" not in outcome_json(outcome)
    shown = AddNote("red", "health:12", "health.note", ref, "waiting 12 days")
    assert json.loads(outcome_json(Outcome([Result(shown, "done")])))["results"][0]["body"] == (
        "waiting 12 days"
    )
