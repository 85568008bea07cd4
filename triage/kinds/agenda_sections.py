"""The sections of an agenda, each a list of rows built from one team's accounts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from triage.account import Account
from triage.changes import Change, CreateIssue
from triage.kinds.agenda_view import AccountRow, CapacityRow, OpenIssueRow
from triage.policy.agenda import AgendaPolicy
from triage.policy.teams import Team, TeamsPolicy
from triage.records import record_block
from triage.snapshot import Issue

NEW_CUSTOMER = ("closed-won", "onboarding")
CHURNED = "churned"


def team_accounts(team: Team, accounts: Iterable[Account]) -> list[Account]:
    """The team's open, valid, not churned accounts, in the team's order."""
    mine = [a for a in accounts if a.issue.is_open and a.stage != CHURNED and team.includes(a)]
    if team.sort == "renewal":
        return sorted(mine, key=_by_renewal)
    return sorted(mine, key=_by_arr)


def records_to_fix(team: Team, teams: TeamsPolicy, accounts: Iterable[Account]) -> list[AccountRow]:
    """The open, not churned accounts whose record does not read, so no team can claim them
    by their record: those whose record block (else description) or assignees name one of
    the team's members, and those that name no member of any team, for every team of their
    segment. Shown by reference and title (reference only when confidential)."""
    rows: list[AccountRow] = []
    for account in accounts:
        if account.valid or not account.issue.is_open or account.stage == CHURNED:
            continue
        named = _named(account, {u for t in teams.teams for u in t.usernames})
        if named & set(team.usernames) or (not named and _segment_fits(team, account)):
            name = None if account.issue.confidential else account.name
            rows.append(AccountRow(str(account.issue.ref), name))
    return sorted(rows, key=lambda r: _iid(r.ref))


def _named(account: Account, usernames: set[str]) -> set[str]:
    """The usernames of `usernames` that an unreadable record's issue names."""
    issue = account.issue
    text = record_block(issue.description or "") or issue.description or ""
    found = {u.username for u in issue.assignees} & usernames
    for name in usernames - found:
        if re.search(rf"(?<![\w.@-])@?{re.escape(name)}(?![\w-]|\.\w)", text):
            found.add(name)
    return found


def _segment_fits(team: Team, account: Account) -> bool:
    return not team.segment or not account.segment or team.segment == account.segment


def _iid(ref: str) -> int:
    tail = ref.rpartition("#")[2]
    return int(tail) if tail.isdigit() else 0


def _by_arr(account: Account) -> tuple[Any, ...]:
    arr = account.record.arr if account.record else None
    return (arr is None, -(arr or 0), account.name.lower(), account.issue.iid)


def _by_renewal(account: Account) -> tuple[Any, ...]:
    renewal = account.record.renewal if account.record else None
    return (renewal is None, renewal or date.max, *_by_arr(account))


def health_of(account: Account) -> tuple[str | None, tuple[str, ...]]:
    """The account's colour and, when it is not green, why."""
    if account.health is not None:
        colour = account.health.colour
        reasons = tuple(account.health.reasons) if colour != "green" else ()
        return colour, reasons
    fact = account.facts.get("health")
    return (fact if isinstance(fact, str) else None), ()


def needs_discussion(account: Account) -> bool:
    return health_of(account)[0] in ("yellow", "red")


def row(account: Account, **details: Any) -> AccountRow:
    """The account's row; a confidential record is shown by its reference only."""
    ref = str(account.issue.ref)
    if account.issue.confidential:
        return AccountRow(ref, in_rotation=bool(details.get("in_rotation")))
    record = account.record
    colour, reasons = health_of(account)
    base = AccountRow(
        ref=ref,
        name=account.name,
        stage=account.stage,
        health=colour,
        reasons=reasons,
        arr=record.arr if record else None,
        renewal=record.renewal if record else None,
    )
    return replace(base, **details)


def prospects(accounts: Sequence[Account], today: date) -> list[AccountRow]:
    return [
        row(a, pov=pov_status(a, today), next_step=_next_step(a)) for a in accounts if a.pre_sale
    ]


def pov_status(account: Account, today: date) -> str:
    pov = account.record.pov if account.record else None
    if pov is None or (pov.started is None and pov.completed is None):
        return "not started"
    if pov.completed is not None:
        outcome = f": {pov.outcome}" if pov.outcome else ""
        return f"completed {pov.completed.isoformat()}{outcome}"
    assert pov.started is not None
    return f"started {pov.started.isoformat()} (day {(today - pov.started).days})"


def _next_step(account: Account) -> str | None:
    value = account.record.extra.get("next_step") if account.record else None
    return str(value) if value not in (None, "") else None


def customers(accounts: Sequence[Account]) -> list[Account]:
    return [a for a in accounts if not a.pre_sale]


def renewals(accounts: Sequence[Account], today: date, days: int) -> list[AccountRow]:
    due: list[tuple[date, AccountRow]] = []
    for account in customers(accounts):
        renewal = account.record.renewal if account.record else None
        if renewal is not None and 0 <= (renewal - today).days <= days:
            due.append((renewal, row(account, days_left=(renewal - today).days)))
    return [r for _, r in sorted(due, key=lambda pair: pair[0])]


def onboarding(accounts: Sequence[Account], today: date) -> list[AccountRow]:
    rows: list[AccountRow] = []
    for account in accounts:
        if account.stage not in NEW_CUSTOMER:
            continue
        started = account.record.onboarding_started if account.record else None
        day = (today - started).days if started else None
        rows.append(row(account, onboarding_started=started, onboarding_day=day))
    return rows


def growth(accounts: Sequence[Account], today: date, policy: AgendaPolicy) -> list[AccountRow]:
    rows: list[AccountRow] = []
    recent = today - timedelta(days=policy.new_prospect_days)
    for account in accounts:
        signals = [label for label in policy.growth_labels if account.issue.has_label(label)]
        if account.pre_sale and account.issue.created_at.date() >= recent:
            signals.append("new prospect")
        if signals:
            rows.append(row(account, signals=tuple(signals)))
    return rows


def sows(accounts: Sequence[Account], policy: AgendaPolicy) -> list[AccountRow]:
    rows: list[AccountRow] = []
    for account in accounts:
        found = tuple(label for label in policy.sow_labels if account.issue.has_label(label))
        if found:
            rows.append(row(account, signals=found))
    return rows


def ebrs(
    issues: Iterable[Issue],
    planned: Iterable[Change],
    accounts: Sequence[Account],
    today: date,
    key: str,
) -> list[AccountRow]:
    """The team's accounts with an EBR preparation issue (the issue rule keyed `key`) open,
    or opening in this run, in the team's order: the EBRs that rule says are due. Each is
    due when its issue is (the earliest, when there are several)."""
    due: dict[int, date | None] = {}
    for account in accounts:
        found = [i.due_date for i in issues if _ebr_issue(i, key) and _about(i, account)]
        found += [
            c.due_date
            for c in planned
            if isinstance(c, CreateIssue) and _family(c.key, key) and c.link_to == account.issue.ref
        ]
        if found:
            dates = [d for d in found if d is not None]
            due[account.issue.iid] = min(dates) if dates else None
    rows: list[AccountRow] = []
    for account in accounts:
        if account.issue.iid not in due:
            continue
        when = due[account.issue.iid]
        last = account.record.last_ebr if account.record else None
        rows.append(row(account, last_ebr=last, ebr_due=when, overdue=_overdue(when, today)))
    return rows


def _ebr_issue(issue: Issue, key: str) -> bool:
    return issue.is_open and _family(issue.key, key)


def _family(found: str | None, key: str) -> bool:
    """Whether an issue key belongs to the rule keyed `key` (`<key>:...`)."""
    return found is not None and found.startswith(key + ":")


def open_issues(
    issues: Iterable[Issue], accounts: Sequence[Account], labels: Sequence[str], today: date
) -> list[tuple[OpenIssueRow, Account]]:
    """salsatam's open handoff, engagement, triage and reminder issues about the team's
    accounts."""
    found: list[tuple[OpenIssueRow, Account]] = []
    for issue in issues:
        kind = next((label for label in labels if issue.has_label(label)), None)
        if kind is None or not issue.is_open:
            continue
        account = next((a for a in accounts if _about(issue, a)), None)
        if account is None:
            continue
        found.append((_issue_row(issue, kind, account, today), account))
    return sorted(found, key=lambda pair: (labels.index(pair[0].kind), pair[0].ref))


def opening_issues(
    planned: Iterable[Change], accounts: Sequence[Account], labels: Sequence[str], today: date
) -> list[tuple[OpenIssueRow, Account]]:
    """The handoff, engagement, triage and reminder issues this run opens about the team's
    accounts."""
    found: list[tuple[OpenIssueRow, Account]] = []
    for change in planned:
        if not isinstance(change, CreateIssue) or change.link_to is None:
            continue
        kind = next((label for label in labels if label in change.labels), None)
        account = next((a for a in accounts if a.issue.ref == change.link_to), None)
        if kind is None or account is None:
            continue
        row = OpenIssueRow(
            ref="",
            kind=kind,
            title=None if change.confidential else change.title,
            account=str(account.issue.ref),
            assignee=change.assignees[0] if change.assignees else None,
            due_date=change.due_date,
            overdue=_overdue(change.due_date, today),
            new=True,
        )
        found.append((row, account))
    return sorted(found, key=lambda pair: (labels.index(pair[0].kind), pair[0].title or ""))


def _about(issue: Issue, account: Account) -> bool:
    """Whether an issue refers to the account's record (full or, in its project, short)."""
    record = account.issue
    text = issue.description or ""
    full = re.escape(str(record.ref)) + r"(?!\d)"
    if re.search(full, text):
        return True
    if issue.project_path == record.project_path:
        return re.search(rf"(?<![\w/])#{record.iid}(?!\d)", text) is not None
    return False


def _overdue(due: date | None, today: date) -> bool:
    return due is not None and due < today


def _issue_row(issue: Issue, kind: str, account: Account, today: date) -> OpenIssueRow:
    assignee = issue.assignees[0].username if issue.assignees else None
    return OpenIssueRow(
        ref=str(issue.ref),
        kind=kind,
        title=None if issue.confidential else issue.title,
        account=str(account.issue.ref),
        assignee=assignee,
        due_date=issue.due_date,
        overdue=_overdue(issue.due_date, today),
    )


def capacity(team: Team, loads: Mapping[str, Any]) -> list[CapacityRow]:
    """The team's TAMs whose book breaks a capacity limit (`triage.facts.capacity`)."""
    rows: list[CapacityRow] = []
    for member in team.members:
        load = loads.get(member.username)
        if member.role == "tam" and load is not None and load.reasons:
            rows.append(CapacityRow(member.username, load.size, tuple(load.reasons)))
    return rows
