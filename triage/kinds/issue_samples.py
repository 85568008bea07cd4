"""A fixed sample account, and the template contexts it gives for every issue rule.

`salsatam validate` renders each template the issues policy uses with these contexts, so a
misspelt variable fails there rather than in a scheduled run; the golden files of the
templates are rendered from them too. The contexts come from the same builder as the real
ones (`issue_context`), so they cannot drift apart.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from triage.account import Account
from triage.facts.capacity import TamLoad
from triage.health import HealthResult
from triage.kinds.issue_context import Firing, TriggerLine, issue_context
from triage.kinds.issue_words import pick
from triage.policy.conditions import FactEnv, HasLabel
from triage.policy.issues import IssueRule, IssuesPolicy
from triage.records import Pov, Record, Sentiment, Team
from triage.section import BotSection
from triage.snapshot import Issue, Project, User

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ACCOUNTS = "account-management/accounts"
CUSTOMER_PROJECT = "customers/northwind"
STAFF = User(2, "tom.tam", "Tom Tam")
CUSTOMER = User(90, "cora.customer", "Cora Customer")


def sample_record() -> Record:
    return Record(
        arr=120000,
        renewal=date(2026, 6, 30),
        industry="Logistics",
        team=Team(sal="sam.sal", sa="sara.sa", tam="tom.tam"),
        collaboration_project=CUSTOMER_PROJECT,
        slack_channel="#ext-northwind",
        pov=Pov(date(2026, 1, 12), date(2026, 2, 20), "won: pipelines 3x faster"),
        onboarding_started=date(2026, 2, 9),
        last_ebr=date(2025, 3, 20),
        priority=1,
        sentiment=Sentiment("yellow", date(2026, 2, 27)),
        success_plan="https://docs.example.com/northwind-success-plan",
        stages_adopted=("create", "verify"),
        extra={
            "champion": {"name": "Dana Lee", "title": "Head of Platform"},
            "economic_buyer": "Ravi Patel (CTO)",
            "command_plan": {
                "reason_to_buy": "Consolidate four CI tools into one platform",
                "outcomes": ["Release weekly instead of monthly", "Pass the SOC 2 audit"],
                "pain_points": ["Slow, flaky pipelines"],
            },
            "architecture": "GitLab Dedicated, runners on their Kubernetes clusters",
            "stages_evaluated": ["create", "verify", "secure"],
            "open_questions": ["Migration of 400 Jenkins jobs"],
        },
    )


def sample_customer_issues(titles: tuple[str, ...] = ()) -> tuple[Issue, ...]:
    """Open issues in the sample collaboration project (one confidential)."""
    given = titles or ("Runner autoscaling question", "Upgrade plan to 18.x")
    issues = [
        _customer_issue(10 + n, title, f"Details: {title}", confidential=False)
        for n, title in enumerate(given)
    ]
    issues.append(_customer_issue(30, "Secret outage at Northwind", "private", confidential=True))
    return tuple(issues)


def _customer_issue(iid: int, title: str, description: str, confidential: bool) -> Issue:
    created = NOW - timedelta(days=40 - iid)
    return Issue(
        id=5000 + iid,
        iid=iid,
        project_id=77,
        project_path=CUSTOMER_PROJECT,
        title=title,
        description=description,
        state="opened",
        labels=("status::awaiting-team",) if iid % 2 == 0 else ("escalation::high",),
        author=CUSTOMER,
        created_at=created,
        updated_at=created,
        web_url=f"https://gitlab.example.com/{CUSTOMER_PROJECT}/-/issues/{iid}",
        confidential=confidential,
    )


def sample_account(customer_issues: tuple[Issue, ...] | None = None) -> Account:
    record = sample_record()
    issue = Issue(
        id=1012,
        iid=12,
        project_id=1,
        project_path=ACCOUNTS,
        title="Northwind Logistics",
        description="(the record)",
        state="opened",
        labels=("account", "segment::enterprise", "stage::technical-win", "health::yellow"),
        author=STAFF,
        created_at=NOW - timedelta(days=300),
        updated_at=NOW - timedelta(days=1),
        web_url=f"https://gitlab.example.com/{ACCOUNTS}/-/issues/12",
    )
    project = Project(
        77, CUSTOMER_PROJECT, "Northwind", f"https://gitlab.example.com/{CUSTOMER_PROJECT}"
    )
    facts: dict[str, Any] = {
        "segment": "enterprise",
        "stage": "technical-win",
        "arr": record.arr,
        "priority": record.priority,
        "cadence_priority": record.priority,
        "industry": record.industry,
        "renewal": record.renewal,
        "days_to_renewal": (date(2026, 6, 30) - TODAY).days,
        "days_in_onboarding": (TODAY - date(2026, 2, 9)).days,
        "last_ebr": record.last_ebr,
        "days_since_last_ebr": (TODAY - date(2025, 3, 20)).days,
        "last_meeting": TODAY - timedelta(days=19),
        "days_since_last_meeting": 19,
        "health": "yellow",
        "issues_waiting": 2,
    }
    issues = sample_customer_issues() if customer_issues is None else customer_issues
    return Account(issue, record, (), project, issues, facts, SAMPLE_HEALTH)


SAMPLE_HEALTH = HealthResult(
    colour="yellow",
    score=62,
    measures=(),
    overrides=(),
    stale=False,
    pinned=False,
    pinned_colour=None,
    previous="green",
    since=date(2026, 2, 24),
    reasons=(
        "2 customer issues waiting 6 and 9 business days for a reply",
        "no cadence call for 19 days (priority 1: yellow after 14)",
    ),
    profile=None,
    memory=BotSection(),
)
SAMPLE_LOAD = TamLoad(
    "tom.tam",
    tuple(f"Account {n}" for n in range(22)),
    9,
    4,
    3,
    ("22 accounts (limit 20)", "4 onboardings at once (limit 3)"),
)


def sample_firing(rule: IssueRule, closing: str | None = None, triggers: int = 1) -> Firing:
    """A sample firing of `rule` (for its first `triggers` triggers, sharing one issue)."""
    trigger = rule.triggers[0] if rule.triggers else None
    account = sample_account()
    facts = {**account.facts, "account": account.name}
    env = FactEnv(facts, frozenset(account.issue.labels), NOW, TODAY)
    why = pick((*(trigger.why if trigger else ()), *rule.why), env)
    lines = tuple(
        TriggerLine(
            t.name,
            t.says,
            pick((*t.why, *rule.why), env) or t.says,
            t.when.name if isinstance(t.when, HasLabel) else None,
        )
        for t in rule.triggers[:triggers]
    )
    return Firing(
        rule=rule.name,
        says=rule.says,
        trigger=trigger.name if trigger else None,
        trigger_says=trigger.says if trigger else None,
        trigger_label=trigger.when.name if trigger and isinstance(trigger.when, HasLabel) else None,
        reasons=("labelled ~segment::enterprise", "arr 120,000 ≥ 50,000"),
        assignees=("sara.sa",),
        mentions=("tom.tam",),
        due_date=TODAY + timedelta(days=14),
        today=TODAY,
        period="2026-06-30",
        update_every_days=7,
        closing_reason=closing,
        why=why or "Labelled segment::enterprise, and arr 120,000 ≥ 50,000.",
        triggers=lines,
    )


def sample_contexts(policy: IssuesPolicy) -> dict[str, dict[str, Any]]:
    """A context for every template the policy's rules use (issues, closing and update notes)."""
    account = sample_account()
    contexts: dict[str, dict[str, Any]] = {}
    for rule in policy.rules:
        contexts.setdefault(rule.template, issue_context(account, sample_firing(rule), SAMPLE_LOAD))
        closing = sample_firing(rule, "Closed: the label expansion was taken off the record.")
        issue = account.issue
        contexts.setdefault(rule.closing_note, issue_context(account, closing, SAMPLE_LOAD, issue))
        if rule.combine == "open":
            later = issue_context(account, sample_firing(rule, triggers=2), SAMPLE_LOAD, issue)
            contexts.setdefault(rule.trigger_note, later)
        if rule.updates is not None:
            update = issue_context(account, sample_firing(rule), SAMPLE_LOAD, issue)
            contexts.setdefault(rule.updates.template, update)
            if rule.updates.colour_template is not None:
                contexts.setdefault(rule.updates.colour_template, update)
    return contexts
