"""What the plan does beyond colours, as the report lists it: the issues it opens, the customer
issues waiting for the team, and the problems. Confidential issues appear by reference only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from triage.account import Account
from triage.changes import Change, CloseIssue, CreateIssue, Problem, SetLabels, UpdateDescription
from triage.plan import kind_of
from triage.snapshot import Issue, IssueRef

AWAITING_TEAM = "status::awaiting-team"
NO_ACCOUNT = "—"
AGENDA = "agenda"  # the policy kind that opens account-team meeting agendas


@dataclass(frozen=True)
class ActionRow:
    """An issue the plan opens: a handoff, an engagement issue, a reminder, an agenda."""

    account: str
    what: str  # the issue title, or a neutral description when confidential
    rule: str
    project: str
    due: date | None
    reason: str
    kind: str = ""  # the policy kind that opens it: issues, agenda, …
    owner: str = ""  # the assignees' usernames, comma-separated
    overdue: bool = False  # its due date has passed
    opens: bool = True  # False: an issue salsatam opened earlier, still open
    url: str = ""  # an open issue's address; empty for a confidential one or a new issue


@dataclass(frozen=True)
class WaitingRow:
    """A customer issue in a collaboration project that waits for the team."""

    account: str
    what: str
    url: str  # empty for a confidential issue
    idle_days: int  # days since the issue was last updated
    # Business days it has waited for the team, as the health measure counts them (None:
    # the wait is not known, e.g. an issue only this run labels as waiting).
    waited: int | None = None


def confidential_name(ref: object) -> str:
    """How the report names an account whose record issue is confidential."""
    return f"confidential account {ref}"


def shown_name(issue: Issue) -> str:
    """An issue as a report may name it: its title, unless it is confidential."""
    return f"confidential issue {issue.ref}" if issue.confidential else issue.title


def actions(
    changes: Iterable[Change],
    names: Mapping[str, str],
    accounts: Iterable[Account] = (),
    kind_of: Callable[[Change], str] = kind_of,
    today: date = date.min,
) -> tuple[ActionRow, ...]:
    """The issues the plan opens, by due date; `names` maps record references to names.

    Reasons name accounts by title: the title of a confidential record in `accounts` is
    replaced by the name the report gives it. `kind_of` tells which policy kind opens each.
    """
    secret = {
        a.issue.title: names.get(str(a.issue.ref), confidential_name(a.issue.ref))
        for a in accounts
        if a.issue.confidential and a.issue.title
    }
    rows = [
        ActionRow(
            account=names.get(str(change.link_to), NO_ACCOUNT) if change.link_to else NO_ACCOUNT,
            what="confidential issue" if change.confidential else _hidden(change.title, secret),
            rule=change.rule,
            project=change.project,
            due=change.due_date,
            reason=_hidden(change.reason, secret),
            kind=kind_of(change),
            owner=", ".join(change.assignees),
            overdue=change.due_date is not None and change.due_date < today,
        )
        for change in changes
        if isinstance(change, CreateIssue)
    ]
    # A reason starts with the account's name, which has a column of its own.
    rows = [replace(row, reason=row.reason.removeprefix(f"{row.account}: ")) for row in rows]
    return tuple(sorted(rows, key=_action_order))


def still_open(
    issues: Iterable[Issue],
    names: Mapping[str, str],
    accounts: Iterable[Account],
    today: date,
    changes: Iterable[Change] = (),
) -> tuple[ActionRow, ...]:
    """salsatam's issues still open (handoffs, engagement, reminders, triage), by due date.

    Agendas are left out (they have a list of their own), and so are the issues the plan
    closes. An issue's account comes from its key (`<rule>[:<trigger>]:<account iid>[:…]`);
    one of an account outside the plan is left out. A confidential issue is named by
    reference only, without its address.
    """
    by_iid = {a.issue.iid: names.get(str(a.issue.ref), a.name) for a in accounts}
    closing = {c.issue for c in changes if isinstance(c, CloseIssue)}
    moved = {
        c.issue: c.due_date
        for c in changes
        if isinstance(c, UpdateDescription) and c.due_date is not None
    }
    rows = []
    for issue in issues:
        key = issue.key or ""
        if not issue.is_open or issue.ref in closing or key.startswith(f"{AGENDA}:"):
            continue
        account = _account_of(key, by_iid)
        if account is None:
            continue
        due = moved.get(issue.ref, issue.due_date)
        rows.append(
            ActionRow(
                account=account,
                what=shown_name(issue),
                rule=key.split(":", 1)[0],
                project=issue.project_path,
                due=due,
                reason=f"open since {issue.created_at.date().isoformat()}",
                kind="",
                owner=", ".join(u.username for u in issue.assignees),
                overdue=due is not None and due < today,
                opens=False,
                url="" if issue.confidential else issue.web_url,
            )
        )
    return tuple(sorted(rows, key=_action_order))


def _account_of(key: str, by_iid: Mapping[int, str]) -> str | None:
    """The name of the account a key names (NO_ACCOUNT: none), None: one outside the plan.

    The account's iid is the key's last part (a rule fired once) or the one before it (a
    period, date or occurrence follows): of two numbers, the first is the iid.
    """
    parts = key.split(":")[1:]
    numbers = [int(p) for p in parts[-2:] if p.isdigit()]
    if not numbers:
        return NO_ACCOUNT
    for iid in numbers:
        if iid in by_iid:
            return by_iid[iid]
    return None


def _action_order(row: ActionRow) -> tuple[date, str, str]:
    return (row.due or date.max, row.account.casefold(), row.what)


def _hidden(text: str, secret: Mapping[str, str]) -> str:
    for title in sorted(secret, key=len, reverse=True):
        text = text.replace(title, secret[title])
    return text


def waiting(
    accounts: Iterable[Account],
    names: Mapping[str, str],
    now: datetime,
    changes: Iterable[Change] = (),
) -> tuple[WaitingRow, ...]:
    """Open collaboration issues waiting for the team, longest wait first.

    The wait is in business days, as health counts it; an issue whose wait is not known
    (only this run labels it) comes after, longest idle first.

    The plan's label changes count: an issue this run labels as waiting for the team is
    waiting (the first run of a book labels them all), one it relabels is no longer.
    """
    relabelled: dict[IssueRef, bool] = {}
    for change in changes:
        if isinstance(change, SetLabels):
            if AWAITING_TEAM in change.add:
                relabelled[change.issue] = True
            elif AWAITING_TEAM in change.remove:
                relabelled[change.issue] = False
    found = [
        WaitingRow(
            account=names[str(account.issue.ref)],
            what=shown_name(issue),
            url="" if issue.confidential else issue.web_url,
            idle_days=max(0, (now - issue.updated_at).days),
            waited=account.waits.get(issue.ref),
        )
        for account in accounts
        for issue in account.collaboration_issues
        if issue.is_open and relabelled.get(issue.ref, issue.has_label(AWAITING_TEAM))
    ]
    return tuple(sorted(found, key=_wait_order))


def _wait_order(row: WaitingRow) -> tuple[bool, int, int, str, str]:
    waited = -1 if row.waited is None else row.waited
    return (row.waited is None, -waited, -row.idle_days, row.account.casefold(), row.what)


def problems(
    found: Iterable[Problem], accounts: Iterable[Account], names: Mapping[str, str]
) -> tuple[tuple[str, str, str], ...]:
    """(account, rule, message), with a confidential account's title replaced."""
    # Problems name accounts by title; a confidential title must never win a collision.
    by_title: dict[str, str] = {}
    for account in accounts:
        title = account.issue.title
        if account.issue.confidential or title not in by_title:
            by_title[title] = names[str(account.issue.ref)]
    rows = {(by_title.get(p.account, p.account), p.rule, p.message) for p in found}
    return tuple(sorted(rows, key=lambda p: (p[0].casefold(), p[1], p[2])))
