"""Facts read from an account's collaboration project: waits, escalations, engagement.

All of them are None when the project is missing or unreachable (`collaboration_missing`).

Closed issues are read back `history_days` (the health policy's history window): a meeting
or a customer message older than that is not seen. So "none seen" is itself a fact: no
meeting in the last N days, where N is the window, or the project's age when the project is
younger (when an issue is older than the project, the project was imported or moved and its
age says nothing: the window applies). `days_since_last_meeting` and
`days_since_customer_activity` are then N (at least N days) and `last_meeting` /
`last_customer_activity` stay None. Only a project with no issue at all that is not known
to be older than the window (a brand-new one) has no engagement facts: nothing has
happened in it yet to judge by.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from triage.account import FactValue
from triage.facts.calendar import business_days_since, local_date
from triage.facts.conversation import Turn
from triage.facts.registry import fact
from triage.policy.health import SEVERITIES, HealthPolicy
from triage.policy.model import Settings
from triage.section import BotSection
from triage.snapshot import Issue, IssueRef, Project

fact(
    "collaboration_missing",
    "flag",
    "the record names no collaboration project, or it can't be read",
)
fact("issues_waiting", "number", "open customer issues waiting for the team's reply")
fact("oldest_wait_business_days", "number", "business days the longest-waiting customer has waited")
fact("oldest_wait_since", "date", "when the longest-waiting customer started waiting")
fact("waiting_business_days", "list", "business days each waiting issue has waited, shortest first")
for _severity in SEVERITIES:
    fact(f"escalations_open_{_severity}", "number", f"open escalation::{_severity} issues")
fact("escalations_closed_recent", "number", "critical/high escalations closed in the last days")
fact("last_customer_activity", "date", "the customer's latest issue or comment")
fact("days_since_customer_activity", "days", "days since the customer's latest issue or comment")
fact("last_meeting", "date", "the latest meeting (issue labelled meeting: due date, else created)")
fact("days_since_last_meeting", "days", "days since the latest meeting")
fact(
    "first_meeting_in_onboarding",
    "date",
    "the first meeting held since onboarding started (the first engagement)",
)
fact("customer_participants_90d", "number", "customers who opened or commented on issues lately")
fact("oldest_p1_opened", "date", "when the oldest open priority::1 issue was opened")
fact("oldest_p1_days", "days", "age in days of the oldest open priority::1 issue")
fact(
    "history_days",
    "days",
    "how far back the collaboration project was read: the history window, or the project's "
    "age when younger",
)
fact(
    "collaboration_started",
    "date",
    "when the collaboration project was created (None: unknown, or it holds older issues)",
)

COLLABORATION_FACTS = (
    "issues_waiting",
    "oldest_wait_business_days",
    "oldest_wait_since",
    "waiting_business_days",
    *(f"escalations_open_{s}" for s in SEVERITIES),
    "escalations_closed_recent",
    "last_customer_activity",
    "days_since_customer_activity",
    "last_meeting",
    "days_since_last_meeting",
    "first_meeting_in_onboarding",
    "customer_participants_90d",
    "oldest_p1_opened",
    "oldest_p1_days",
    "history_days",
    "collaboration_started",
)


def missing_facts() -> dict[str, FactValue]:
    return {"collaboration_missing": True, **dict.fromkeys(COLLABORATION_FACTS)}


def collaboration_facts(
    project: Project | None,
    issues: tuple[Issue, ...],
    turns: Iterable[Turn],
    memory: BotSection,
    now: datetime,
    settings: Settings,
    policy: HealthPolicy,
) -> dict[str, FactValue]:
    today = local_date(now, settings)
    started = _started(project, issues, settings)
    window = policy.history_days
    if started is not None:
        window = max(0, min(window, (today - started).days))
    # No issue at all in a project not known to be older than the window: brand new,
    # nothing to judge the engagement by yet.
    unused = not issues and (started is None or window < policy.history_days)
    engagement = (
        dict.fromkeys(
            (
                "last_customer_activity",
                "days_since_customer_activity",
                "customer_participants_90d",
                "last_meeting",
                "days_since_last_meeting",
            )
        )
        if unused
        else {
            **_activity(memory, today, settings, window),
            **_meetings(issues, today, settings, window),
        }
    )
    return {
        "collaboration_missing": False,
        "history_days": window,
        "collaboration_started": started,
        **_waits(turns, now, settings),
        **_escalations(issues, now, policy),
        **engagement,
        **_priority_one(issues, today, settings),
    }


def _started(project: Project | None, issues: tuple[Issue, ...], settings: Settings) -> date | None:
    """When the project was created; None when unknown, or when an issue is older than the
    project (an imported or moved project keeps its issues' dates: its age says nothing)."""
    if project is None or project.created_at is None:
        return None
    if any(i.created_at < project.created_at for i in issues):
        return None
    return local_date(project.created_at, settings)


def issue_waits(turns: Iterable[Turn], now: datetime, settings: Settings) -> dict[IssueRef, int]:
    """Business days each issue waiting for the team has waited (the `waiting` measure's)."""
    return {
        t.issue.ref: business_days_since(t.since, now, settings)
        for t in turns
        if t.status == "team" and t.since is not None
    }


def _waits(turns: Iterable[Turn], now: datetime, settings: Settings) -> dict[str, FactValue]:
    starts = sorted(t.since for t in turns if t.status == "team" and t.since is not None)
    waits = sorted(business_days_since(s, now, settings) for s in starts)
    return {
        "issues_waiting": len(starts),
        "oldest_wait_business_days": waits[-1] if waits else None,
        "oldest_wait_since": local_date(starts[0], settings) if starts else None,
        "waiting_business_days": tuple(str(w) for w in waits) if waits else None,
    }


def _escalations(
    issues: tuple[Issue, ...], now: datetime, policy: HealthPolicy
) -> dict[str, FactValue]:
    rule = policy.escalations
    recent = now - timedelta(days=rule.recent_days)
    found: dict[str, FactValue] = {}
    for severity in SEVERITIES:
        found[f"escalations_open_{severity}"] = sum(
            1 for i in issues if i.is_open and i.scoped("escalation") == severity
        )
    found["escalations_closed_recent"] = sum(
        1
        for i in issues
        if not i.is_open
        and i.scoped("escalation") in rule.yellow_closed
        and i.closed_at is not None
        and i.closed_at >= recent
    )
    return found


def _activity(
    memory: BotSection, today: date, settings: Settings, window: int
) -> dict[str, FactValue]:
    """None seen (the memory holds none either): none in the window, at least `window` days."""
    last = local_date(memory.activity, settings) if memory.activity else None
    return {
        "last_customer_activity": last,
        "days_since_customer_activity": (today - last).days if last else window,
        "customer_participants_90d": len(memory.participants),
    }


def meeting_dates(issues: Iterable[Issue], settings: Settings) -> list[date]:
    """When each meeting was (is) held: an issue labelled meeting, its due date else creation."""
    return [
        i.due_date or local_date(i.created_at, settings) for i in issues if i.has_label("meeting")
    ]


def held_meetings(issues: Iterable[Issue], today: date, settings: Settings) -> list[date]:
    """The meetings already held: dated before today, or today when the issue is closed (a
    meeting due today is held once its issue is closed, or tomorrow; a later one is not)."""
    meetings = [i for i in issues if i.has_label("meeting")]
    return [
        d
        for i, d in zip(meetings, meeting_dates(meetings, settings), strict=True)
        if d < today or (d == today and not i.is_open)
    ]


def first_meeting_since(
    issues: Iterable[Issue], start: date | None, today: date, settings: Settings
) -> date | None:
    """The first meeting held on or after `start` (`held_meetings`)."""
    if start is None:
        return None
    held = [d for d in held_meetings(issues, today, settings) if start <= d]
    return min(held) if held else None


def _meetings(
    issues: tuple[Issue, ...], today: date, settings: Settings, window: int
) -> dict[str, FactValue]:
    """None seen: none in the window (older closed issues are not read), at least `window`."""
    held = held_meetings(issues, today, settings)
    last = max(held) if held else None
    return {
        "last_meeting": last,
        "days_since_last_meeting": (today - last).days if last else window,
    }


def _priority_one(
    issues: tuple[Issue, ...], today: date, settings: Settings
) -> dict[str, FactValue]:
    opened = [
        local_date(i.created_at, settings)
        for i in issues
        if i.is_open and i.scoped("priority") == "1"
    ]
    first = min(opened) if opened else None
    return {
        "oldest_p1_opened": first,
        "oldest_p1_days": (today - first).days if first else None,
    }
