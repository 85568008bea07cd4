"""Facts read from the account record and its labels. Missing data is None, never 0 or False."""

from __future__ import annotations

from datetime import date

from triage.account import FactValue
from triage.facts.registry import fact
from triage.records import Record
from triage.snapshot import Issue

fact("segment", "text", "enterprise or mid-market (segment:: label)")
fact("stage", "text", "the lifecycle stage (stage:: label)")
fact("arr", "number", "annual recurring revenue from the record")
fact("priority", "number", "the account's priority, 1 to 3, from the record")
fact(
    "cadence_priority",
    "number",
    "the priority meeting cadence follows: the record's, else health.yml's no_priority",
)
fact("industry", "text", "the customer's industry")
fact("renewal", "date", "the renewal date")
fact("days_to_renewal", "days", "days until the renewal date (negative once past)")
fact("pov_started", "date", "when the proof of value started")
fact("pov_completed", "date", "when the proof of value completed")
fact("pov_outcome", "text", "the proof of value's outcome")
fact("slack_channel", "text", "the shared Slack channel")
fact("collaboration_project", "text", "the full path of the collaboration project")
fact("onboarding_started", "date", "when onboarding started")
fact("days_in_onboarding", "days", "days since onboarding started")
fact("last_ebr", "date", "the last executive business review")
fact("days_since_last_ebr", "days", "days since the last executive business review")
fact("sentiment", "text", "the TAM's own read: green, yellow or red")
fact("sentiment_date", "date", "when the TAM last gave their read")
fact("sentiment_age_days", "days", "days since the TAM last gave their read")
fact("success_plan", "flag", "a success plan exists (false when the record says none)")
fact("stages_adopted", "list", "the DevOps stages the customer has adopted")
fact("sal", "text", "the Strategic Account Leader's username")
fact("ae", "text", "the Account Executive's username")
fact("sa", "text", "the Solutions Architect's username")
fact("tam", "text", "the Technical Account Manager's username")
fact("health", "text", "the computed health colour: green, yellow or red (None: no data)")

_NO_PLAN = ("none", "no", "n/a", "-")


def label_facts(issue: Issue) -> dict[str, FactValue]:
    return {"segment": issue.scoped("segment"), "stage": issue.scoped("stage")}


def _days(start: date | None, end: date) -> int | None:
    return (end - start).days if start is not None else None


def record_facts(record: Record, today: date) -> dict[str, FactValue]:
    sentiment = record.sentiment
    plan = record.success_plan
    return {
        "arr": record.arr,
        "priority": record.priority,
        "industry": record.industry,
        "renewal": record.renewal,
        "days_to_renewal": (record.renewal - today).days if record.renewal else None,
        "pov_started": record.pov.started,
        "pov_completed": record.pov.completed,
        "pov_outcome": record.pov.outcome,
        "slack_channel": record.slack_channel,
        "collaboration_project": record.collaboration_project,
        "onboarding_started": record.onboarding_started,
        "days_in_onboarding": _days(record.onboarding_started, today),
        "last_ebr": record.last_ebr,
        "days_since_last_ebr": _days(record.last_ebr, today),
        "sentiment": sentiment.color if sentiment else None,
        "sentiment_date": sentiment.date if sentiment else None,
        "sentiment_age_days": _days(sentiment.date, today) if sentiment else None,
        "success_plan": None if plan is None else plan.strip().lower() not in _NO_PLAN,
        "stages_adopted": record.stages_adopted or None,
        "sal": record.team.sal,
        "ae": record.team.ae,
        "sa": record.team.sa,
        "tam": record.team.tam,
    }
