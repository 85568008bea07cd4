"""Read the Snapshot every policy kind evaluates, in as few requests as GitLab allows.

Requests for a full run (each list is 100 per page; `+p` = one more per extra page):

- accounts project: 1; its members (direct and inherited): 1+p; its labels with the
  ancestor groups' labels: 1+p; open account issues: 1+p;
- salsatam's own issues in every state (so nothing is ever opened twice): 1+p in the
  accounts project and in each other project where a team keeps its agendas;
- customers group: its projects with subgroups, without shared ones: 1+p; its issues in two
  group-wide lists: open ones 1+p and closed ones updated in the health policy's
  `history_days` (120 by default) 1+p;
- a collaboration project a record names outside the customers group: 3 (project, open
  issues, closed issues updated in `history_days`); one that can't be read lands in
  `Snapshot.unreachable`;
- notes: 1+p for each issue `triage.facts.notes_needed` names, oldest first;
- boards: see `board_reads.py` (every place when the boards kind runs, else only the new
  collaboration projects).

When the boards kind runs alone, members, issues other than the records, and notes are not
read: boards need the projects, the labels and the records (which name projects outside
the customers group), nothing else.

Closed account issues are not read: a closed record is a finished account and policies
leave it alone. With `account` set only that account's record (searched by title, matched
exactly) and its collaboration project are read, plus salsatam's own issues.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from triage.gitlab import convert
from triage.gitlab.access import remember_members
from triage.gitlab.board_reads import with_boards
from triage.gitlab.client import Connection, group_path, project_path
from triage.gitlab.errors import GitLabError, SettingsError
from triage.gitlab.notes import NotesSelector, fetch_notes
from triage.policy.health import HealthPolicy
from triage.policy.model import Settings
from triage.policy.teams import agenda_projects
from triage.snapshot import Issue, Project, Snapshot, User

ACCOUNT_LABEL = "account"
SALSATAM_LABEL = "salsatam"


class Policies(Protocol):
    """What fetching needs from the loaded policies."""

    @property
    def settings(self) -> Settings: ...

    @property
    def health(self) -> HealthPolicy: ...


class _Reader:
    """One fetch: the connection, the settings and the users seen so far."""

    def __init__(self, conn: Connection, settings: Settings, history: timedelta) -> None:
        self.conn = conn
        self.bots = settings.bots
        self.history = history  # closed issues are read when updated this recently
        self.users: dict[str, User] = {}

    def issues(self, path: str, **query: Any) -> list[Issue]:
        found = [convert.issue(d, self.bots) for d in self.conn.list(path, **query)]
        for item in found:
            self.remember(item.author, *item.assignees)
        return found

    def remember(self, *users: User) -> None:
        for user in users:
            if user.username:
                self.users.setdefault(user.username, user)


def fetch_snapshot(
    conn: Connection,
    policies: Policies,
    kinds: tuple[str, ...],
    account: str | None,
    now: datetime,
    *,
    notes_needed: NotesSelector | None = None,
) -> Snapshot:
    """Read what the policies of `kinds` need; `notes_needed` picks the issues whose notes
    are read (default: `triage.facts.notes_needed`)."""
    settings = policies.settings
    reader = _Reader(conn, settings, timedelta(days=policies.health.history_days))
    issues_needed = set(kinds) != {"boards"}
    accounts = convert.project(_accounts_project(conn, settings.accounts_project))
    home = project_path(accounts.id)
    members = _members(reader, home) if issues_needed else []
    labels = {lab.name: lab for lab in map(convert.label, _labels(conn, home))}
    records = _account_issues(reader, home, account)
    if account is not None and not records:
        raise SettingsError(
            f"no open account record titled '{account}' in {settings.accounts_project} "
            "(--account takes the record issue's exact title)"
        )
    unreachable: dict[str, str] = {}
    own = _own_issues(reader, policies, accounts, unreachable) if issues_needed else []
    projects, collab = _collaboration(
        reader, settings, records, account, now, unreachable, issues_needed
    )
    snapshot = Snapshot(
        fetched_at=now,
        accounts_project=accounts,
        staff=frozenset(m.username for m in members),
        account_issues=tuple(records),
        salsatam_issues=_unique(own),
        projects=projects,
        collaboration_issues=collab,
        unreachable=unreachable,
        labels=labels,
        users=reader.users,
        issues_read=issues_needed,
    )
    if issues_needed:
        snapshot = fetch_notes(conn, snapshot, policies, now, reader.remember, notes_needed)
    snapshot = replace(snapshot, users=dict(reader.users))
    return with_boards(conn, snapshot, policies, scheduled="boards" in kinds)


def _accounts_project(conn: Connection, path: str) -> dict[str, Any]:
    """The accounts project: the run's first request, so it also tells whether GitLab
    answers at all. A wrong path or URL is a setting to fix (`SettingsError`)."""
    try:
        return conn.get(project_path(path))
    except GitLabError as exc:
        if exc.not_found:
            raise SettingsError(
                f"accounts project '{path}' not found, or not visible to this token: check "
                "accounts_project (or --accounts-project) and that salsatam's user is a "
                "member of it",
                exc.status,
            ) from None
        if exc.status is None:
            raise SettingsError(f"cannot reach GitLab at {conn.url}: {exc.message}") from None
        raise


def _members(reader: _Reader, home: str) -> list[User]:
    bots = reader.bots
    listed = reader.conn.list(f"{home}/members/all")
    remember_members(reader.conn, home, listed)  # the roles `access.py` checks
    members = [convert.user(m, bots) for m in listed]
    reader.remember(*members)
    return members


def _own_issues(
    reader: _Reader, policies: Policies, accounts: Project, unreachable: dict[str, str]
) -> list[Issue]:
    """salsatam's issues, every state, in the accounts project and every agenda project
    (one that can't be read lands in `unreachable`; opening an agenda there fails too)."""
    query = {"labels": SALSATAM_LABEL, "state": "all"}
    found = reader.issues(f"{project_path(accounts.id)}/issues", **query)
    home = {accounts.path, policies.settings.accounts_project}
    for path in sorted(agenda_projects(policies) - home):
        try:
            found += reader.issues(f"{project_path(path)}/issues", **query)
        except GitLabError as exc:
            if exc.status not in (401, 403, 404):
                raise
            unreachable[path] = str(exc)
    return found


def _labels(conn: Connection, home: str) -> list[dict[str, Any]]:
    return conn.list(f"{home}/labels", include_ancestor_groups="true")


def _account_issues(reader: _Reader, home: str, account: str | None) -> list[Issue]:
    if account is None:
        return reader.issues(f"{home}/issues", labels=ACCOUNT_LABEL, state="opened")
    found = reader.issues(
        f"{home}/issues", labels=ACCOUNT_LABEL, state="opened", search=account, **{"in": "title"}
    )
    return [i for i in found if i.title == account]


def _collaboration(
    reader: _Reader,
    settings: Settings,
    records: list[Issue],
    account: str | None,
    now: datetime,
    unreachable: dict[str, str],
    issues_needed: bool = True,
) -> tuple[dict[str, Project], dict[str, tuple[Issue, ...]]]:
    """Collaboration projects and (when `issues_needed`) their issues."""
    projects: dict[str, Project] = {}
    issues: dict[str, list[Issue]] = {}
    if account is None:
        group = group_path(settings.customers_group)
        try:
            listed = reader.conn.list(
                f"{group}/projects", include_subgroups="true", with_shared="false"
            )
        except GitLabError as exc:
            if not exc.not_found:
                raise
            raise SettingsError(
                f"customers group '{settings.customers_group}' not found, or not visible to "
                "this token: check customers_group (or --customers-group) and that "
                "salsatam's user is a member of it",
                exc.status,
            ) from None
        projects = {p.path: p for p in map(convert.project, listed)}
        issues = {path: [] for path in projects}
        found = _issue_lists(reader, f"{group}/issues", now) if issues_needed else []
        for item in found:
            issues.setdefault(item.project_path, []).append(item)
    for path in _record_projects(records):
        if path not in projects:
            _read_project(reader, path, now, projects, issues, unreachable, issues_needed)
    return projects, {path: _unique(found) for path, found in issues.items()}


def _issue_lists(reader: _Reader, path: str, now: datetime) -> list[Issue]:
    since = (now - reader.history).isoformat()
    return reader.issues(path, state="opened") + reader.issues(
        path, state="closed", updated_after=since
    )


def _read_project(
    reader: _Reader,
    path: str,
    now: datetime,
    projects: dict[str, Project],
    issues: dict[str, list[Issue]],
    unreachable: dict[str, str],
    issues_needed: bool = True,
) -> None:
    try:
        found = convert.project(reader.conn.get(project_path(path)))
        listed = (
            _issue_lists(reader, f"{project_path(found.id)}/issues", now) if issues_needed else []
        )
    except GitLabError as exc:
        if exc.status not in (401, 403, 404):
            raise
        unreachable[path] = str(exc)
        return
    projects[path] = found
    issues[path] = listed


def _record_projects(records: Iterable[Issue]) -> list[str]:
    """Collaboration project paths named in the account records, in order."""
    try:
        from triage.records import parse_record  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # records parsing not available: no projects named
        return []
    found: list[str] = []
    for item in records:
        record = parse_record(item.description).record
        path = getattr(record, "collaboration_project", None)
        if isinstance(path, str) and path and path not in found:
            found.append(path)
    return found


def _unique(issues: Iterable[Issue]) -> tuple[Issue, ...]:
    seen: dict[int, Issue] = {}
    for item in issues:
        seen.setdefault(item.id, item)
    return tuple(seen.values())
