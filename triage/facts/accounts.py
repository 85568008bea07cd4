"""Accounts as policies see them: record parsed, collaboration issues mapped, facts, health."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from triage.account import Account, FactValue
from triage.facts.calendar import local_date
from triage.facts.collaboration import (
    collaboration_facts,
    first_meeting_since,
    issue_waits,
    missing_facts,
)
from triage.facts.conversation import People, customer_activity, remember, turn
from triage.facts.record import label_facts, record_facts
from triage.health import evaluate_health, unchanged_health
from triage.records import parse_record
from triage.section import BotSection
from triage.snapshot import Issue, IssueRef, Snapshot

if TYPE_CHECKING:
    from triage.policy.loader import PolicySet


def build_accounts(snapshot: Snapshot, policies: PolicySet, now: datetime) -> tuple[Account, ...]:
    """Every open account record, parsed, with its facts and health (closed records are
    former accounts and are left alone)."""
    people = People.of(snapshot, policies.settings)
    return tuple(
        build_account(issue, snapshot, policies, now, people)
        for issue in snapshot.account_issues
        if issue.is_open
    )


def _reachable(snapshot: Snapshot, path: str | None) -> bool:
    if not path or path in snapshot.unreachable:
        return False
    return path in snapshot.projects or path in snapshot.collaboration_issues


def build_account(
    issue: Issue, snapshot: Snapshot, policies: PolicySet, now: datetime, people: People
) -> Account:
    parsed = parse_record(issue.description)
    facts: dict[str, FactValue] = {**label_facts(issue), "health": None}
    record = parsed.record
    if record is None:
        return Account(issue, None, parsed.problems, None, (), facts)
    settings, health = policies.settings, policies.health
    today = local_date(now, settings)
    facts.update(record_facts(record, today))
    # Meetings follow the priority; without one, the same as the health measure's thresholds.
    facts["cadence_priority"] = record.priority or health.no_priority
    path = record.collaboration_project
    project = snapshot.projects.get(path) if path else None
    issues: tuple[Issue, ...] = ()
    waits: dict[IssueRef, int] = {}
    if _reachable(snapshot, path):
        assert path is not None
        issues = snapshot.collaboration_issues.get(path, ())
        memory = parsed.bot if parsed.bot and parsed.bot.project == path else None
        turns = [turn(i, people, policies.collaboration, memory) for i in issues if i.is_open]
        waits = issue_waits(turns, now, settings)
        seen = customer_activity(issues, people, policies.collaboration)
        horizon = now - timedelta(days=health.participants_days)
        kept = remember(parsed.bot, path, issues, turns, seen, horizon)
        facts.update(collaboration_facts(project, issues, turns, kept, now, settings, health))
        started = record.onboarding_started
        facts["first_meeting_in_onboarding"] = first_meeting_since(issues, started, today, settings)
    elif path is not None:
        # A project the record names but that can't be read (a wrong path, no access):
        # judging on the rest would turn the account green on the TAM's read alone.
        facts.update(missing_facts())
        why = f"the collaboration project {path} can't be read (missing, or no access)"
        unjudged = unchanged_health(parsed.bot, issue.labels, why)
        return Account(issue, record, (), project, issues, facts, unjudged)
    else:
        facts.update(missing_facts())
        kept = parsed.bot or _empty()
    result = evaluate_health(facts, health, issue.labels, kept, parsed.bot, today)
    facts["health"] = result.colour
    return Account(issue, record, (), project, issues, facts, result, waits)


def _empty() -> BotSection:
    return BotSection()
