"""In-memory books of accounts for the issues kind, and a small GitLab stand-in that
applies a plan to salsatam's own issues, so reruns can be checked without HTTP."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import count
from typing import Any

import yaml

from triage.changes import AddNote, Change, CloseIssue, CreateIssue, SetLabels, UpdateDescription
from triage.plan import Plan, evaluate
from triage.policy.loader import PACKAGED, PolicySet, load_policies
from triage.policy.teams import Member, Team, TeamsPolicy
from triage.section import BotSection, section_text
from triage.snapshot import Issue, Label, Note, Project, Snapshot, User

ACCOUNTS = "account-management/accounts"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
TODAY = NOW.date()
STAFF = frozenset({"sam.sal", "sara.sa", "tom.tam", "ann.ae", "pia.sa", "paul.sa", "salsatam"})
BOT = User(99, "salsatam", "salsatam", bot=True)
CUSTOMER = User(90, "cora", "Cora (customer)")

_ids = count(5000)


@cache
def policies() -> PolicySet:
    return load_policies(PACKAGED / "policies", PACKAGED / "templates")


def premium() -> PolicySet:
    return policies().with_settings(tier="premium")


def with_issues(base: PolicySet | None = None, **settings: Any) -> PolicySet:
    """The default policies with issues.yml's top-level `settings` changed."""
    chosen = base or policies()
    return replace(chosen, issues=replace(chosen.issues, **settings))


def with_pool(pool: tuple[str, ...], base: PolicySet | None = None) -> PolicySet:
    """The default policies with one Mid-Market team drawing on `pool`."""
    team = Team(
        name="mm",
        members=(Member("ann.ae", "ae"), Member("tom.tam", "tam")),
        segment="mid-market",
        sa_pool=pool,
    )
    return replace(base or policies(), teams=TeamsPolicy((team,)))


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def record(
    iid: int = 12,
    name: str = "Northwind",
    labels: tuple[str, ...] = ("segment::enterprise", "stage::technical-win"),
    **fields: Any,
) -> Issue:
    """An account record issue; `fields` override the record block's keys (None drops one)."""
    block: dict[str, Any] = {
        "arr": 120000,
        "renewal": days(300),
        "priority": 1,
        "team": {"sal": "sam.sal", "sa": "sara.sa", "tam": "tom.tam"},
    }
    block.update(fields)
    block = {k: v for k, v in block.items() if v is not None}
    text = yaml.safe_dump(block, sort_keys=False)
    return Issue(
        id=1000 + iid,
        iid=iid,
        project_id=1,
        project_path=ACCOUNTS,
        title=name,
        description=f"The account record.\n\n```yaml\n{text}```\n",
        state="opened",
        labels=("account", *labels),
        author=User(2, "tom.tam"),
        created_at=NOW - timedelta(days=400),
        updated_at=NOW - timedelta(days=1),
        web_url=f"https://gitlab.example.com/{ACCOUNTS}/-/issues/{iid}",
    )


def coloured_since(issue: Issue, colour: str, since: date, previous: str = "red") -> Issue:
    """The record with salsatam's memory that its health has been `colour` since `since`
    (as the health kind writes it into the record's bot section)."""
    memory = BotSection(colour=colour, since=since, previous=previous)
    text = issue.description.rstrip("\n") + "\n\n" + section_text("", memory) + "\n"
    return replace(issue, description=text)


def customer_issue(
    project: str,
    iid: int,
    title: str = "A question",
    description: str = "",
    labels: tuple[str, ...] = (),
    confidential: bool = False,
    created: datetime | None = None,
    due: date | None = None,
) -> Issue:
    when = created or NOW - timedelta(days=3)
    return Issue(
        id=next(_ids),
        iid=iid,
        project_id=77,
        project_path=project,
        title=title,
        description=description,
        state="opened",
        labels=labels,
        author=CUSTOMER,
        created_at=when,
        updated_at=when,
        web_url=f"https://gitlab.example.com/{project}/-/issues/{iid}",
        confidential=confidential,
        due_date=due,
        notes=(),
    )


def meeting(project: str, iid: int, days_ago: int) -> Issue:
    """A meeting issue in a collaboration project (its due date is the meeting date)."""
    return customer_issue(project, iid, "Cadence call", labels=("meeting",), due=days(-days_ago))


def book(
    *records: Issue,
    salsatam: tuple[Issue, ...] = (),
    collaboration: dict[str, tuple[Issue, ...]] | None = None,
) -> Snapshot:
    issues = collaboration or {}
    return Snapshot(
        fetched_at=NOW,
        accounts_project=Project(1, ACCOUNTS, "Accounts"),
        staff=STAFF,
        account_issues=records,
        salsatam_issues=salsatam,
        projects={
            path: Project(70 + n, path, path, f"https://gitlab.example.com/{path}")
            for n, path in enumerate(issues)
        },
        collaboration_issues=issues,
        labels={n: Label(n, spec.color) for n, spec in policies().labels.labels.items()},
    )


def plan(snapshot: Snapshot, now: datetime = NOW, policy_set: PolicySet | None = None) -> Plan:
    return evaluate(snapshot, policy_set or policies(), now, kinds=("issues",))


def creates(result: Plan, rule: str | None = None) -> list[CreateIssue]:
    found = [c for c in result.changes if isinstance(c, CreateIssue)]
    return [c for c in found if rule is None or c.rule == rule]


def closes(result: Plan) -> list[CloseIssue]:
    return [c for c in result.changes if isinstance(c, CloseIssue)]


def notes(result: Plan) -> list[AddNote]:
    return [c for c in result.changes if isinstance(c, AddNote)]


def apply(snapshot: Snapshot, changes: list[Change], now: datetime = NOW) -> Snapshot:
    """The snapshot after GitLab applied `changes` to salsatam's issues (a stand-in for
    the GitLab layer, which the end-to-end tests exercise for real)."""
    issues = {i.key: i for i in snapshot.salsatam_issues}
    by_ref = {str(i.ref): k for k, i in issues.items()}
    for change in changes:
        if isinstance(change, CreateIssue):
            issue = _created(change, now, len(issues) + 1)
            issues[change.key] = issue
            by_ref[str(issue.ref)] = change.key
        elif isinstance(change, CloseIssue | SetLabels | AddNote | UpdateDescription):
            key = by_ref[str(change.issue)]
            issues[key] = _updated(issues[key], change, now)
    return replace(snapshot, salsatam_issues=tuple(issues.values()))


def _created(change: CreateIssue, now: datetime, iid: int) -> Issue:
    return Issue(
        id=next(_ids),
        iid=900 + iid,
        project_id=1,
        project_path=change.project,
        title=change.title,
        description=change.description,
        state="opened",
        labels=change.labels,
        author=BOT,
        created_at=now,
        updated_at=now,
        assignees=tuple(User(100 + n, u) for n, u in enumerate(change.assignees)),
        due_date=change.due_date,
        confidential=change.confidential,
        notes=(),
    )


def _updated(issue: Issue, change: Change, now: datetime) -> Issue:
    if isinstance(change, CloseIssue):
        posted = (Note(next(_ids), BOT, change.note, now),) if change.note else ()
        return replace(
            issue,
            state="closed",
            closed_at=now,
            updated_at=now,
            notes=(*(issue.notes or ()), *posted),
        )
    if isinstance(change, UpdateDescription):
        due = change.due_date or issue.due_date
        return replace(issue, description=change.description, due_date=due, updated_at=now)
    if isinstance(change, SetLabels):
        labels = tuple(n for n in issue.labels if n not in change.remove) + change.add
        return replace(issue, labels=labels, updated_at=now)
    assert isinstance(change, AddNote)
    note = Note(next(_ids), BOT, change.body, now)
    return replace(issue, notes=(*(issue.notes or ()), note), updated_at=now)


def closed_by_person(snapshot: Snapshot, key: str, now: datetime = NOW) -> Snapshot:
    """A person closed salsatam's issue with `key`."""
    issues = tuple(
        replace(i, state="closed", closed_at=now, updated_at=now) if i.key == key else i
        for i in snapshot.salsatam_issues
    )
    return replace(snapshot, salsatam_issues=issues)


def with_records(snapshot: Snapshot, *records: Issue) -> Snapshot:
    return replace(snapshot, account_issues=records)
