"""Which of salsatam's own issues need their notes read for update requests (pure).

An open issue of a rule with `updates` (the health triage issue) has its notes read only
when, by the dates in its description (its creation, or `seen`: see `issue_memory`), a
request could be due under the account's cadence. The colour is the account record's
`health::` label (the shortest cadence of the rule without one), so this is known before
the account's facts are computed. After such a read the planner writes `seen` back, so
the notes are read at most once per cadence period, and a rerun with nothing changed
reads none.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from triage.kinds.issue_memory import read_state, request_may_be_due
from triage.kinds.issue_timing import update_every
from triage.policy.issues import IssueRule
from triage.records import Record, parse_record
from triage.snapshot import Issue, IssueRef, Snapshot

if TYPE_CHECKING:
    from triage.policy.loader import PolicySet


def requests_due(snapshot: Snapshot, policies: PolicySet, now: datetime) -> set[IssueRef]:
    issues = policies.issues
    rules = [r for r in issues.rules if r.updates is not None]
    if not issues.enabled or not rules or not snapshot.issues_read:
        return set()
    zone = ZoneInfo(policies.settings.timezone)
    today = now.astimezone(zone).date()
    records = {a.iid: a for a in snapshot.account_issues if a.is_open}
    wanted: set[IssueRef] = set()
    for issue in snapshot.salsatam_issues:
        if not issue.is_open or issue.key is None:
            continue
        for rule in rules:
            account = records.get(_account_iid(rule, issue.key) or -1)
            if account is None:
                continue
            record = parse_record(account.description).record or Record()
            every = _cadence(rule, account, record, today)
            if every is None or _snoozed(rule, record, today):
                continue
            if request_may_be_due(issue, read_state(issue.description), every, today, zone):
                wanted.add(issue.ref)
    return wanted


def _account_iid(rule: IssueRule, key: str) -> int | None:
    """The account iid in a key of `rule` (`<key>[:<trigger>]:<iid>[:<part>]`)."""
    if not key.startswith(rule.key + ":"):
        return None
    parts = key[len(rule.key) + 1 :].split(":")
    at = 1 if rule.triggers else 0
    return int(parts[at]) if len(parts) > at and parts[at].isdigit() else None


def _cadence(rule: IssueRule, account: Issue, record: Record, today: date) -> int | None:
    updates = rule.updates
    assert updates is not None
    colour = account.scoped("health")
    if colour is None:  # not labelled yet: the shortest cadence, to be safe
        days = [*updates.every_days.values(), *updates.renewal_soon_days.values()]
        return min(days, default=None)
    return update_every(updates, {"health": colour, "renewal": record.renewal}, today)


def _snoozed(rule: IssueRule, record: Record, today: date) -> bool:
    until = record.snooze.get(rule.name)
    return until is not None and today < until
