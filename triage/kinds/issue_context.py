"""What issue and note templates see: one context shape for every template.

Values are plain data; the templates print them through `triage.render`, which keeps
every plain string inert. Customer-written text (collaboration issue titles and
descriptions) is passed as it is and neutralised there; a confidential issue's title and
description are never passed at all, only its reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from triage.account import Account, FactValue
from triage.facts.capacity import TamLoad
from triage.records import Record
from triage.snapshot import Issue

MAX_CUSTOMER_ISSUES = 15
SUMMARY_CHARS = 200
PEOPLE = ("champion", "economic_buyer", "decision_maker")
COMMAND_PLAN = ("reason_to_buy", "outcomes", "pain_points", "metrics")


@dataclass(frozen=True)
class TriggerLine:
    """One trigger an issue or note is written for, and why it fires."""

    name: str
    says: str
    why: str
    label: str | None = None  # the record label the trigger is, if it is one


@dataclass(frozen=True)
class Superseder:
    """The issue of another rule that makes this one moot (ref None: opened in this run)."""

    says: str  # what the other rule is, in the team's words
    title: str
    ref: str | None = None


@dataclass(frozen=True)
class Firing:
    """Why and for whom an issue or note is written."""

    rule: str
    says: str
    trigger: str | None
    trigger_says: str | None
    reasons: tuple[str, ...]
    assignees: tuple[str, ...]
    mentions: tuple[str, ...]
    due_date: date | None
    today: date
    period: str | None = None
    update_every_days: int | None = None
    closing_reason: str | None = None  # the closing note's sentence
    why: str = ""  # why the rule fires, in the team's words
    pooled_sa: str | None = None  # the SA picked from the Mid-Market pool, if any
    trigger_label: str | None = None  # the record label the trigger is, if it is one
    # When the rule's own date had passed already when the issue opened: that date, and how
    # it is counted ("120 days before renewal"); `due_date` is then a few days from today.
    ideal_due_date: date | None = None
    due_rule: str | None = None
    # Every trigger the issue or note is written for (several when they share one issue).
    triggers: tuple[TriggerLine, ...] = ()
    superseded_by: Superseder | None = None  # for a closing note: what replaces the issue


def issue_context(
    account: Account,
    firing: Firing,
    load: TamLoad | None,
    issue: Issue | None = None,
    staff: frozenset[str] | None = None,
) -> dict[str, Any]:
    """The template context for one account and one firing rule.

    `staff` (the accounts project's members) are the only usernames `mention` pings.
    """
    record = account.record or Record()
    return {
        "account": _account(account),
        "team": _team(record),
        "roles": _roles(account, record, firing.pooled_sa),
        "staff": sorted(staff) if staff is not None else None,
        "rule": {
            "name": firing.rule,
            "says": firing.says,
            "trigger": firing.trigger,
            "trigger_says": firing.trigger_says,
            "trigger_label": firing.trigger_label,
            "period": firing.period,
        },
        "reasons": list(firing.reasons),
        "why": firing.why,
        "triggers": [
            {"name": t.name, "says": t.says, "why": t.why, "label": t.label}
            for t in firing.triggers
        ],
        "assignees": list(firing.assignees),
        "mentions": list(firing.mentions),
        "due_date": firing.due_date,
        "ideal_due_date": firing.ideal_due_date,
        "due_rule": firing.due_rule,
        "today": firing.today,
        "record": _record(record),
        "people": {name: _text(record.extra.get(name)) for name in PEOPLE},
        "command_plan": _command_plan(record.extra.get("command_plan")),
        "technical": _technical(record),
        "collaboration": _collaboration(account),
        "capacity": _capacity(load),
        "health": _health(account),
        "update_every_days": firing.update_every_days,
        "closing_reason": firing.closing_reason,
        "superseded_by": _superseder(firing.superseded_by),
        "issue": {"ref": str(issue.ref), "title": issue.title} if issue else None,
    }


def _superseder(superseder: Superseder | None) -> dict[str, Any] | None:
    if superseder is None:
        return None
    return {"says": superseder.says, "title": superseder.title, "ref": superseder.ref}


def _account(account: Account) -> dict[str, Any]:
    facts: Mapping[str, FactValue] = account.facts
    return {
        "name": account.name,
        "ref": str(account.issue.ref),
        "url": account.issue.web_url,
        "segment": account.segment,
        "stage": account.stage,
        "health": facts.get("health"),
        "arr": facts.get("arr"),
        "renewal": facts.get("renewal"),
        "days_to_renewal": facts.get("days_to_renewal"),
        "industry": facts.get("industry"),
        "priority": facts.get("priority"),
        "last_meeting": facts.get("last_meeting"),  # None: none in the history window
        "days_since_last_meeting": facts.get("days_since_last_meeting"),
        "days_in_onboarding": facts.get("days_in_onboarding"),
        "days_since_last_ebr": facts.get("days_since_last_ebr"),
        "issues_waiting": facts.get("issues_waiting"),
    }


def _team(record: Record) -> dict[str, str | None]:
    team = record.team
    return {"sal": team.sal, "ae": team.ae, "sa": team.sa, "tam": team.tam, "seller": team.seller}


def _roles(account: Account, record: Record, pooled_sa: str | None) -> dict[str, Any]:
    """The account's roles in words: who sells (SAL or AE) and which SA works with it.

    Mid-Market teams are AE + TAM, with an SA only when the record names one or the pool
    gave one; Enterprise teams always have an SA role, named in the record or not.
    """
    team = record.team
    mid_market = account.segment == "mid-market" or bool(team.ae and not team.sal)
    sa = team.sa or pooled_sa
    return {
        "seller": "AE" if mid_market else "SAL",
        "sa": sa,
        "sa_pooled": bool(pooled_sa and not team.sa),
        "has_sa": bool(sa) or not mid_market,
        "mid_market": mid_market,
    }


def _record(record: Record) -> dict[str, Any]:
    sentiment = record.sentiment
    return {
        "arr": record.arr,
        "renewal": record.renewal,
        "industry": record.industry,
        "pov": {
            "started": record.pov.started,
            "completed": record.pov.completed,
            "outcome": record.pov.outcome,
        },
        "slack_channel": record.slack_channel,
        "collaboration_project": record.collaboration_project,
        "onboarding_started": record.onboarding_started,
        "last_ebr": record.last_ebr,
        "priority": record.priority,
        "sentiment": {"color": sentiment.color, "date": sentiment.date} if sentiment else None,
        "success_plan": record.success_plan,
        "stages_adopted": list(record.stages_adopted),
    }


def _text(value: Any) -> str | None:
    """A record value as one line: a name, "name (title)", or a list joined by commas."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, Mapping):
        parts = [str(v) for v in value.values() if v not in (None, "")]
        return f"{parts[0]} ({', '.join(parts[1:])})" if len(parts) > 1 else "".join(parts)
    if isinstance(value, list | tuple):
        return ", ".join(t for t in (_text(v) for v in value) if t) or None
    return str(value)


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [t for t in (_text(v) for v in value) if t]
    text = _text(value)
    return [text] if text else []


def _command_plan(value: Any) -> dict[str, list[str]]:
    plan = value if isinstance(value, Mapping) else {}
    return {part: _lines(plan.get(part)) for part in COMMAND_PLAN}


def _technical(record: Record) -> dict[str, Any]:
    extra = record.extra
    return {
        "usage": _text(extra.get("usage")),
        "architecture": _text(extra.get("architecture")),
        "stages_evaluated": _lines(extra.get("stages_evaluated")),
        "stages_adopted": list(record.stages_adopted),
        "open_questions": _lines(extra.get("open_questions")),
    }


def _collaboration(account: Account) -> dict[str, Any] | None:
    project = account.collaboration
    path = account.record.collaboration_project if account.record else None
    if project is None and path is None:
        return None
    open_issues = sorted(
        (i for i in account.collaboration_issues if i.is_open),
        key=lambda i: (i.updated_at, i.iid),
        reverse=True,
    )
    shown = open_issues[:MAX_CUSTOMER_ISSUES]
    return {
        "path": project.path if project else path,
        "url": project.web_url if project else "",
        "reachable": project is not None,
        "open_issues": len(open_issues),
        "issues": [_customer_issue(i) for i in shown],
        "more": len(open_issues) - len(shown),
    }


def _customer_issue(issue: Issue) -> dict[str, Any]:
    secret = issue.confidential
    summary = " ".join(issue.description.split())[:SUMMARY_CHARS] if not secret else None
    return {
        "ref": str(issue.ref),
        "url": issue.web_url,
        "confidential": secret,
        "title": None if secret else issue.title,
        "summary": summary or None,
        "status": issue.scoped("status"),
        "escalation": issue.scoped("escalation"),
    }


def _health(account: Account) -> dict[str, Any] | None:
    result = account.health
    if result is None or result.colour is None:
        return None
    return {
        "colour": result.colour,
        "score": result.score,
        "since": result.since,
        "reasons": list(result.reasons),
    }


def _capacity(load: TamLoad | None) -> dict[str, Any] | None:
    if load is None:
        return None
    return {
        "tam": load.tam,
        "accounts": load.size,
        "priority_1": load.priority_1,
        "onboardings": load.onboardings,
        "red": load.red,
        "over_committed": load.over_committed,
        "reasons": list(load.reasons),
    }
