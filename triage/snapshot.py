"""The immutable picture of GitLab that policies are evaluated against.

The GitLab layer (`triage.gitlab`) builds a `Snapshot` from API responses; everything else
only reads it. Unit tests build snapshots in memory with the same types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

KEY_MARKER = re.compile(r"<!-- salsatam:key=([A-Za-z0-9_.:/@#=+-]+) -->")


def marker(key: str) -> str:
    """The hidden HTML comment that carries an idempotency key inside a description or note."""
    return f"<!-- salsatam:key={key} -->"


def find_key(text: str | None) -> str | None:
    """The idempotency key hidden in a description or note body, if any."""
    if not text:
        return None
    found = KEY_MARKER.search(text)
    return found.group(1) if found else None


@dataclass(frozen=True)
class User:
    id: int
    username: str
    name: str = ""
    bot: bool = False


@dataclass(frozen=True)
class Note:
    id: int
    author: User
    body: str
    created_at: datetime
    system: bool = False
    internal: bool = False

    @property
    def key(self) -> str | None:
        return find_key(self.body)


@dataclass(frozen=True)
class IssueRef:
    """Where an issue lives: full project path and iid (`acme/accounts#12`)."""

    project: str
    iid: int

    def __str__(self) -> str:
        return f"{self.project}#{self.iid}"


@dataclass(frozen=True)
class Issue:
    id: int
    iid: int
    project_id: int
    project_path: str
    title: str
    description: str
    state: str  # "opened" | "closed"
    labels: tuple[str, ...]
    author: User
    created_at: datetime
    updated_at: datetime
    web_url: str = ""
    assignees: tuple[User, ...] = ()
    closed_at: datetime | None = None
    due_date: date | None = None
    confidential: bool = False
    user_notes_count: int = 0
    # None: notes were not fetched (not needed); () : fetched, none there.
    notes: tuple[Note, ...] | None = None

    @property
    def ref(self) -> IssueRef:
        return IssueRef(self.project_path, self.iid)

    @property
    def is_open(self) -> bool:
        return self.state == "opened"

    @property
    def key(self) -> str | None:
        return find_key(self.description)

    def has_label(self, name: str) -> bool:
        return name in self.labels

    def scoped(self, scope: str) -> str | None:
        """The value of the scoped label `scope::value` on this issue, if any."""
        prefix = scope + "::"
        for label in self.labels:
            if label.startswith(prefix) and "::" not in label[len(prefix) :]:
                return label[len(prefix) :]
        return None


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    description: str = ""
    id: int = 0


@dataclass(frozen=True)
class BoardList:
    id: int
    label: str
    position: int
    # The label's description as the board response shows it (None: not known). A list
    # whose label was renamed keeps it, which is how the boards kind recognises it.
    label_description: str | None = None


@dataclass(frozen=True)
class Board:
    id: int
    name: str
    lists: tuple[BoardList, ...] = ()


@dataclass(frozen=True)
class Project:
    id: int
    path: str  # full path, e.g. "customers/acme"
    name: str = ""
    web_url: str = ""
    # Boards of the project, when the boards kind fetched them (None: not fetched).
    boards: tuple[Board, ...] | None = None
    # Names of the labels usable in the project, inherited ones included (None: not
    # fetched; the boards kind then creates a missing list's label, 409 meaning done).
    labels: frozenset[str] | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    """Everything the enabled policies need, fetched once."""

    fetched_at: datetime
    accounts_project: Project
    # Usernames of the accounts project's members (direct and inherited): the staff.
    staff: frozenset[str]
    # Open issues labelled `account` in the accounts project (a closed record is a finished
    # account: not read).
    account_issues: tuple[Issue, ...]
    # Issues salsatam opened earlier (label `salsatam`), in any project it writes to.
    salsatam_issues: tuple[Issue, ...] = ()
    # Collaboration projects by full path, and their issues.
    projects: dict[str, Project] = field(default_factory=dict)
    collaboration_issues: dict[str, tuple[Issue, ...]] = field(default_factory=dict)
    # Projects that could not be read (path -> reason): named in records, or holding agendas.
    unreachable: dict[str, str] = field(default_factory=dict)
    # Labels that exist in the accounts project (including inherited group labels).
    labels: dict[str, Label] = field(default_factory=dict)
    # Users known by username (staff and the people records name).
    users: dict[str, User] = field(default_factory=dict)
    # Boards and label names of the accounts project's parent group, when boards declared
    # with `group: true` need them (None: not fetched).
    group_boards: tuple[Board, ...] | None = None
    group_labels: frozenset[str] | None = None
    # False when only boards were asked for: the records were read (they name projects)
    # but not the members, collaboration issues, notes or salsatam's issues, so no
    # account's facts can be computed from this snapshot.
    issues_read: bool = True

    def issue_by_key(self) -> dict[str, Issue]:
        """salsatam's own issues indexed by their idempotency key."""
        return {i.key: i for i in self.salsatam_issues if i.key}

    def is_staff(self, user: User) -> bool:
        return user.username in self.staff
