"""Apply a plan: write its changes to GitLab, one result per change.

Order: labels first (issues and lists use them), then new issues (and their links), notes,
one update per issue (labels, description and closing merged into one PUT, after the
issue's notes), issue links, boards. A change that fails is reported and the run goes on;
a change that depends on a failed one is skipped: an issue whose note could not be posted
is not updated either, so the next run plans the note and the update again (a label
already set would otherwise leave the note unposted for good).

A 403 `insufficient_scope` (a `read_api` token) stops the run at once: every other write
would fail the same way (`ScopeError`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from triage.changes import (
    AddNote,
    Change,
    CloseIssue,
    CreateBoard,
    CreateBoardList,
    CreateIssue,
    CreateLabel,
    DeleteBoardList,
    LinkIssues,
    MoveBoardList,
)
from triage.gitlab.boards import BoardWriter, base
from triage.gitlab.client import Connection
from triage.gitlab.creates import (
    DETAILS,
    SALSATAM_LABEL,
    create_issue,
    create_label,
    create_note,
    issue_path,
    link_issues,
    recent_issues,
)
from triage.gitlab.errors import Blocked, GitLabError, SettingsError
from triage.gitlab.updates import IssueUpdate, issue_updates, scope_of
from triage.plan import Plan
from triage.snapshot import Issue, IssueRef, Snapshot

Status = Literal["done", "failed", "skipped"]
DROPPED_LABELS = "GitLab dropped the labels: does the user have the Reporter role?"
NOTE_FIRST = "not changed because its note could not be posted; the next run tries again"


class ScopeError(SettingsError):
    """The token may read but not write (scope `read_api`): apply stopped (exit 2)."""

    def __init__(self, done: int) -> None:
        super().__init__(
            "the token has read_api only: apply needs a token with the api scope; "
            f"{done} change{'s were' if done != 1 else ' was'} made before",
            403,
        )


class _Stop(Exception):
    """Raised inside a run at the first insufficient_scope answer."""


def _stop_if_scope(exc: GitLabError) -> None:
    if exc.insufficient_scope:
        raise _Stop from None
BOARD_CHANGES = (CreateBoard, CreateBoardList, MoveBoardList, DeleteBoardList)


@dataclass(frozen=True)
class ChangeResult:
    change: Change
    status: Status
    detail: str = ""


@dataclass
class Outcome:
    results: list[ChangeResult] = field(default_factory=list)
    requests: int = 0
    elapsed: float = 0.0

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.status == "failed")

    @property
    def done(self) -> int:
        return sum(1 for r in self.results if r.status == "done")


class _Run:
    def __init__(
        self,
        conn: Connection,
        snapshot: Snapshot,
        progress: Callable[[ChangeResult], None] | None,
    ) -> None:
        self.conn = conn
        self.snapshot = snapshot
        self.progress = progress
        self.outcome = Outcome()
        self.issues: dict[IssueRef, Issue] = {i.ref: i for i in _all_issues(snapshot)}
        self.user_ids: dict[str, int | None] = {
            name: u.id for name, u in snapshot.users.items() if u.id
        }
        self.failed_notes: dict[IssueRef, str] = {}  # closing notes that failed
        self.unposted: set[IssueRef] = set()  # issues with a note (AddNote) that failed
        # salsatam's newest issues per project by key, read before the first create there
        self.recent: dict[str, dict[str, dict[str, Any]]] = {}
        self.boards = BoardWriter(conn, snapshot)

    def report(self, change: Change, status: Status, detail: str) -> None:
        result = ChangeResult(change, status, detail)
        self.outcome.results.append(result)
        if self.progress is not None:
            self.progress(result)

    def project_id(self, path: str) -> int | str:
        if path == self.snapshot.accounts_project.path:
            return self.snapshot.accounts_project.id
        known = self.snapshot.projects.get(path)
        return known.id if known and known.id else path

    def user_id(self, username: str) -> int | None:
        if username not in self.user_ids:
            found = self.conn.list("/users", get_all=False, username=username)
            self.user_ids[username] = int(found[0]["id"]) if found else None
        return self.user_ids[username]

    def apply(self, change: Change) -> None:
        """Apply one change that is not part of an issue update, and report it."""
        if isinstance(change, CloseIssue):
            self.post_closing_note(change)
            return
        try:
            detail = self.write(change)
        except GitLabError as exc:
            _stop_if_scope(exc)
            if isinstance(change, AddNote):
                self.unposted.add(change.issue)
            if isinstance(change, CreateLabel):
                self.boards.label_failed(change.project, change.group, change.name, str(exc))
            # a follow-on of an earlier failure is skipped, with that failure as the reason
            self.report(change, "skipped" if isinstance(exc, Blocked) else "failed", str(exc))
            return
        self.report(change, "done", detail)

    def write(self, change: Change) -> str:
        if isinstance(change, CreateLabel):
            return self.create_label(change)
        if isinstance(change, CreateIssue):
            return self.create_issue(change)
        if isinstance(change, AddNote):
            return self.add_note(change.issue, change.body, change.key)
        if isinstance(change, LinkIssues):
            return self.link(change)
        return self.boards.apply(change)

    def post_closing_note(self, change: CloseIssue) -> None:
        """Post the note a close comes with; the close reports with the issue's update."""
        if change.note:
            try:
                self.add_note(change.issue, change.note, change.key)
            except GitLabError as exc:
                _stop_if_scope(exc)
                self.failed_notes[change.issue] = str(exc)

    # -- changes ------------------------------------------------------------------------

    def create_label(self, change: CreateLabel) -> str:
        data = {"name": change.name, "color": change.color, "description": change.description}
        place = base(change.project, change.group)
        created = create_label(self.conn, place, data)
        if created is None:
            return "exists already"
        self.boards.label_ids[(place, change.name)] = int(created["id"])
        return "created"

    def create_issue(self, change: CreateIssue) -> str:
        data, missing = self._issue_data(change)
        if change.project not in self.recent:
            self.recent[change.project] = recent_issues(self.conn, change.project)
        known = self.recent[change.project]
        created, how = create_issue(self.conn, change.project, change.key, data, known)
        ref = IssueRef(change.project, int(created["iid"]))
        detail = f"{DETAILS[how]}: {ref}"
        if _dropped(data["labels"].split(","), created.get("labels")):
            # A Guest's labels are dropped without a word: without `salsatam` no run finds
            # the issue by its key again.
            raise GitLabError(f"{detail}, but {DROPPED_LABELS}")
        if change.link_to is not None:
            target_id = self.project_id(change.link_to.project)
            try:
                link_issues(self.conn, ref, change.link_to, target_id)
            except GitLabError as exc:
                _stop_if_scope(exc)
                raise GitLabError(f"{detail}, but linking it failed: {exc}") from None
        if missing:
            detail += f" (unknown assignees: {', '.join(missing)})"
        return detail

    def _issue_data(self, change: CreateIssue) -> tuple[dict[str, Any], list[str]]:
        data: dict[str, Any] = {"title": change.title, "description": change.description}
        # The label is how the next run (and a lookup after a lost answer) finds it.
        labels = dict.fromkeys([*change.labels, SALSATAM_LABEL])
        data["labels"] = ",".join(labels)
        ids = {name: self.user_id(name) for name in change.assignees}
        if change.assignees:
            data["assignee_ids"] = [i for i in ids.values() if i is not None]
        if change.due_date is not None:
            data["due_date"] = change.due_date.isoformat()
        if change.confidential:
            data["confidential"] = True
        return data, [name for name, i in ids.items() if i is None]

    def add_note(self, issue: IssueRef, body: str, key: str) -> str:
        _, how = create_note(self.conn, issue, body, key)
        return "commented" if how == "created" else DETAILS[how]

    def update(self, update: IssueUpdate) -> None:
        if update.close and update.issue in self.failed_notes:
            reason = self.failed_notes[update.issue]
            for change in update.changes:
                self.report(change, "failed", f"the closing note failed: {reason}")
            return
        if update.issue in self.unposted:
            for change in update.changes:
                self.report(change, "skipped", NOTE_FIRST)
            return
        current = self.issues.get(update.issue)
        data = update.payload(current.labels if current else ())
        try:
            self.conn.put(issue_path(update.issue), data)
        except GitLabError as exc:
            _stop_if_scope(exc)
            for change in update.changes:
                self.report(change, "failed", str(exc))
            return
        together = f" (one update with {len(update.changes)} changes)"
        for change in update.changes:
            self.report(change, "done", "updated" + (together if len(update.changes) > 1 else ""))

    def link(self, change: LinkIssues) -> str:
        target_id = self.project_id(change.target.project)
        existed = link_issues(self.conn, change.source, change.target, target_id)
        return "linked already" if existed else "linked"


def _dropped(sent: list[str], answered: Any) -> bool:
    """True when the created issue lacks a label it was sent (one of a scope counts as
    present when another of that scope won, as paid tiers keep one per scope)."""
    if not isinstance(answered, list):
        return False
    got = {str(name) for name in answered}
    scopes = {scope_of(name) for name in got} - {None}
    return any(name not in got and scope_of(name) not in scopes for name in sent if name)


def _all_issues(snapshot: Snapshot) -> list[Issue]:
    issues = list(snapshot.account_issues) + list(snapshot.salsatam_issues)
    for listed in snapshot.collaboration_issues.values():
        issues.extend(listed)
    return issues


def apply_plan(
    conn: Connection,
    plan: Plan,
    snapshot: Snapshot,
    progress: Callable[[ChangeResult], None] | None = None,
) -> Outcome:
    started, requests_before = time.monotonic(), conn.requests
    run = _Run(conn, snapshot, progress)
    changes = plan.changes
    try:
        _apply_all(run, changes)
    except _Stop:
        raise ScopeError(run.outcome.done) from None
    _report_unknown(run, changes)
    run.outcome.requests = conn.requests - requests_before
    run.outcome.elapsed = time.monotonic() - started
    return run.outcome


def _apply_all(run: _Run, changes: list[Change]) -> None:
    for phase in (CreateLabel, CreateIssue, AddNote, CloseIssue):
        for change in changes:
            if isinstance(change, phase):
                run.apply(change)
    for update in issue_updates(changes).values():
        run.update(update)
    for later in (LinkIssues, BOARD_CHANGES):
        for change in changes:
            if isinstance(change, later):
                run.apply(change)


def _report_unknown(run: _Run, changes: list[Change]) -> None:
    handled = {id(r.change) for r in run.outcome.results}
    for change in changes:
        if id(change) not in handled:
            run.report(change, "skipped", f"{type(change).__name__} is not applied")
