"""What the plan does beyond colours, as the report lists it: the issues it opens, the customer
issues waiting for the team, and the problems. Confidential issues appear by reference only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from triage.account import Account
from triage.changes import Change, CreateIssue, Problem, SetLabels
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


@dataclass(frozen=True)
class WaitingRow:
    """A customer issue in a collaboration project that waits for the team."""

    account: str
    what: str
    url: str  # empty for a confidential issue
    idle_days: int  # days since the issue was last updated


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
        )
        for change in changes
        if isinstance(change, CreateIssue)
    ]
    # A reason starts with the account's name, which has a column of its own.
    rows = [replace(row, reason=row.reason.removeprefix(f"{row.account}: ")) for row in rows]
    return tuple(sorted(rows, key=lambda a: (a.due or date.max, a.account.casefold(), a.what)))


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
    """Open collaboration issues waiting for the team, longest idle first.

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
        )
        for account in accounts
        for issue in account.collaboration_issues
        if issue.is_open and relabelled.get(issue.ref, issue.has_label(AWAITING_TEAM))
    ]
    return tuple(sorted(found, key=lambda w: (-w.idle_days, w.account.casefold(), w.what)))


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
