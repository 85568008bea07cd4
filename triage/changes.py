"""The changes a plan is made of.

Each change says what to write, why (a sentence a TAM can read), which policy rule asked for
it, and its idempotency key. The GitLab layer turns them into requests; reports render them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from triage.snapshot import IssueRef


@dataclass(frozen=True)
class Change:
    reason: str
    key: str
    rule: str

    def describe(self, dry_run: bool) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


def _verb(dry_run: bool, would: str, did: str) -> str:
    return f"would {would}" if dry_run else did


def _place(path: str, group: bool) -> str:
    return f"group {path}" if group else path


@dataclass(frozen=True)
class SetLabels(Change):
    issue: IssueRef
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()

    def describe(self, dry_run: bool) -> str:
        parts = [f"~{n}" for n in self.add] + [f"-~{n}" for n in self.remove]
        what = _verb(dry_run, "set", "set")
        return f"{what} {' '.join(parts)} on {self.issue}: {self.reason}"


@dataclass(frozen=True)
class UpdateDescription(Change):
    issue: IssueRef
    description: str
    confidential: bool = False  # written into a confidential issue: reports hide the text
    due_date: date | None = None  # also move the issue's due date (same update)

    def describe(self, dry_run: bool) -> str:
        what = _verb(dry_run, "update", "updated")
        due = f" and the due date ({self.due_date})" if self.due_date else ""
        return f"{what} the description{due} of {self.issue}: {self.reason}"


@dataclass(frozen=True)
class AddNote(Change):
    issue: IssueRef
    body: str  # carries the key marker
    confidential: bool = False  # posted on a confidential issue: reports hide the body

    def describe(self, dry_run: bool) -> str:
        return f"{_verb(dry_run, 'comment on', 'commented on')} {self.issue}: {self.reason}"


@dataclass(frozen=True)
class CreateIssue(Change):
    project: str  # full path of the project the issue goes into
    title: str
    description: str  # carries the key marker
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()  # usernames
    due_date: date | None = None
    confidential: bool = False
    link_to: IssueRef | None = None  # e.g. the account record

    def describe(self, dry_run: bool) -> str:
        what = _verb(dry_run, "open", "opened")
        return f'{what} "{self.title}" in {self.project}: {self.reason}'


@dataclass(frozen=True)
class CloseIssue(Change):
    issue: IssueRef
    note: str | None = None  # a closing note (with its key marker), posted first
    confidential: bool = False  # a confidential issue: reports hide the closing note

    def describe(self, dry_run: bool) -> str:
        return f"{_verb(dry_run, 'close', 'closed')} {self.issue}: {self.reason}"


@dataclass(frozen=True)
class LinkIssues(Change):
    source: IssueRef
    target: IssueRef

    def describe(self, dry_run: bool) -> str:
        what = _verb(dry_run, "link", "linked")
        return f"{what} {self.source} to {self.target}: {self.reason}"


@dataclass(frozen=True)
class CreateLabel(Change):
    project: str
    name: str
    color: str
    description: str = ""
    group: bool = False  # `project` is a group's full path

    def describe(self, dry_run: bool) -> str:
        what = _verb(dry_run, "create", "created")
        return f"{what} label ~{self.name} in {_place(self.project, self.group)}: {self.reason}"


@dataclass(frozen=True)
class CreateBoard(Change):
    project: str
    name: str
    group: bool = False  # `project` is a group's full path

    def describe(self, dry_run: bool) -> str:
        what = _verb(dry_run, "create", "created")
        return f'{what} board "{self.name}" in {_place(self.project, self.group)}: {self.reason}'


@dataclass(frozen=True)
class CreateBoardList(Change):
    project: str
    board: str
    label: str
    position: int  # where the list ends up (a new list lands last, then moves there)
    group: bool = False  # `project` is a group's full path

    def describe(self, dry_run: bool) -> str:
        what = _verb(dry_run, "add", "added")
        return (
            f'{what} list ~{self.label} to board "{self.board}" in '
            f"{_place(self.project, self.group)}: {self.reason}"
        )


@dataclass(frozen=True)
class MoveBoardList(Change):
    project: str
    board: str
    label: str
    position: int
    group: bool = False  # `project` is a group's full path

    def describe(self, dry_run: bool) -> str:
        what = _verb(dry_run, "move", "moved")
        return (
            f'{what} list ~{self.label} on board "{self.board}" in '
            f"{_place(self.project, self.group)} "
            f"to position {self.position}: {self.reason}"
        )


@dataclass(frozen=True)
class DeleteBoardList(Change):
    project: str
    board: str
    label: str
    group: bool = False  # `project` is a group's full path

    def describe(self, dry_run: bool) -> str:
        what = _verb(dry_run, "remove", "removed")
        return (
            f'{what} list ~{self.label} from board "{self.board}" in '
            f"{_place(self.project, self.group)}: {self.reason}"
        )


@dataclass(frozen=True)
class Problem:
    """Something a policy could not decide (bad record, missing fact, tier limit)."""

    account: str
    rule: str
    message: str
