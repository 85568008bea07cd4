"""Whose turn it is on collaboration issues, and which notes are worth reading.

Staff are the accounts project's members; everyone else is a customer. Bots (GitLab's bot
users and `settings.bots`), system notes and internal notes never count as a reply. An open
issue is waiting for the team when the last message (the last counted note, or the issue
itself when there is none) is a customer's; the wait started with the first customer
message since the team last spoke.

Reading notes costs one request per issue, so salsatam remembers, in the record's bot
section (`triage.section.BotSection`):

- `evaluated`: a watermark W. Every issue with `updated_at <= W` was accounted for when the
  section was last written, and its status label still says whose turn it is.
- `relabelled`: the issues whose status label salsatam changed in that run, with their user
  notes count. salsatam's own label write moves `updated_at` past W; an issue in this map
  whose notes count is unchanged only moved because of that write (or an edit that is no
  message) and needs no reading.
- `waiting`: when each issue waiting for the team started waiting, so the wait is known
  without reading notes again.

So notes are read for an open issue with notes only when the account has no memory yet, the
issue has no (or both) status labels, it waits without a known start, or it was updated
after W other than by salsatam's own label write. W moves (to the newest `updated_at` seen)
only when such an unexplained update was seen; a rerun with nothing changed therefore reads
no notes, computes the same memory, and writes nothing. Membership changes (a customer who
becomes staff) are picked up when the issue is next updated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from triage.policy.collaboration import CollaborationPolicy
from triage.policy.model import Settings
from triage.records import parse_record
from triage.section import BotSection
from triage.snapshot import Issue, IssueRef, Snapshot, User

if TYPE_CHECKING:
    from triage.policy.loader import PolicySet

Role = Literal["staff", "customer", "bot"]
Status = Literal["team", "customer"]  # whose turn: the team's (awaiting-team) or not


@dataclass(frozen=True)
class People:
    staff: frozenset[str]
    bots: frozenset[str]

    @classmethod
    def of(cls, snapshot: Snapshot, settings: Settings) -> People:
        return cls(frozenset(snapshot.staff), frozenset(settings.bots))

    def role(self, user: User) -> Role:
        if user.bot or user.username in self.bots:
            return "bot"
        return "staff" if user.username in self.staff else "customer"


@dataclass(frozen=True)
class Turn:
    """Whose turn it is on one open collaboration issue."""

    issue: Issue
    status: Status | None  # None: unknown (notes not read, no status label)
    since: datetime | None  # when the customer started waiting (status "team")
    relabel: bool  # the status label on the issue is not the one `status` asks for


def messages(
    issue: Issue, people: People, policy: CollaborationPolicy
) -> list[tuple[User, datetime]]:
    """The issue and its counted notes, oldest first; None-safe for unread notes."""
    found = [(issue.author, issue.created_at)]
    for note in sorted(issue.notes or (), key=lambda n: (n.created_at, n.id)):
        if note.system or (note.internal and not policy.internal_notes_reply):
            continue
        found.append((note.author, note.created_at))
    return [(user, at) for user, at in found if people.role(user) != "bot"]


def _from_messages(
    said: list[tuple[User, datetime]], people: People
) -> tuple[Status, datetime | None]:
    since: datetime | None = None
    for user, at in reversed(said):
        if people.role(user) != "customer":
            break
        since = at
    return ("team", since) if since is not None else ("customer", None)


def turn(
    issue: Issue,
    people: People,
    policy: CollaborationPolicy,
    memory: BotSection | None,
) -> Turn:
    labels = {policy.awaiting_team, policy.awaiting_customer} & set(issue.labels)
    if issue.notes is not None or issue.user_notes_count == 0:
        status, since = _from_messages(messages(issue, people, policy), people)
    elif labels == {policy.awaiting_team}:
        remembered = memory.waiting.get(issue.iid) if memory else None
        status, since = "team", remembered or issue.updated_at
    elif labels == {policy.awaiting_customer}:
        status, since = "customer", None
    else:
        return Turn(issue, None, None, False)
    wanted = policy.awaiting_team if status == "team" else policy.awaiting_customer
    return Turn(issue, status, since, labels != {wanted})


def _explained(issue: Issue, memory: BotSection) -> bool:
    """Updated after the watermark only by salsatam's own status label write."""
    return memory.relabelled.get(issue.iid) == issue.user_notes_count


def unexplained(issue: Issue, memory: BotSection | None) -> bool:
    """Changed since the account was last evaluated, by someone else than salsatam."""
    if memory is None or memory.evaluated is None:
        return True
    return issue.updated_at > memory.evaluated and not _explained(issue, memory)


def needs_notes(issue: Issue, memory: BotSection | None, policy: CollaborationPolicy) -> bool:
    if not issue.is_open or issue.user_notes_count == 0:
        return False
    labels = {policy.awaiting_team, policy.awaiting_customer} & set(issue.labels)
    if len(labels) != 1 or unexplained(issue, memory):
        return True
    assert memory is not None  # unexplained() is true without memory
    return policy.awaiting_team in labels and issue.iid not in memory.waiting


def memory_for(description: str, project: str | None) -> BotSection | None:
    """The record's memory, if it is about this collaboration project."""
    section = parse_record(description).bot
    if section is None or section.project != project:
        return None
    return section


def notes_needed(snapshot: Snapshot, policies: PolicySet, now: datetime) -> set[IssueRef]:
    """The collaboration issues whose notes must be fetched for this evaluation."""
    wanted: set[IssueRef] = set()
    for record_issue in snapshot.account_issues:
        if not record_issue.is_open:
            continue
        record = parse_record(record_issue.description).record
        path = record.collaboration_project if record else None
        if path is None or path in snapshot.unreachable:
            continue
        memory = memory_for(record_issue.description, path)
        for issue in snapshot.collaboration_issues.get(path, ()):
            if needs_notes(issue, memory, policies.collaboration):
                wanted.add(issue.ref)
    return wanted


def customer_activity(
    issues: Iterable[Issue], people: People, policy: CollaborationPolicy
) -> dict[str, datetime]:
    """Each customer's latest issue or counted note among `issues` (notes only if read)."""
    seen: dict[str, datetime] = {}
    for issue in issues:
        for user, at in messages(issue, people, policy):
            if people.role(user) != "customer":
                continue
            if user.username not in seen or at > seen[user.username]:
                seen[user.username] = at
    return seen


def remember(
    section: BotSection | None,
    project: str,
    issues: tuple[Issue, ...],
    turns: Iterable[Turn],
    seen: Mapping[str, datetime],
    horizon: datetime,
) -> BotSection:
    """The memory to keep after this evaluation (health fields are filled by health).

    `section` is the record's bot section as found; its conversation memory only counts if
    it is about `project` (the record may have moved to another collaboration project).
    """
    turns = list(turns)
    relabelled = {t.issue.iid: t.issue.user_notes_count for t in turns if t.relabel}
    memory = section if section is not None and section.project == project else None
    fresh = BotSection(project=project)
    if section is not None:
        fresh = replace(section, project=project, evaluated=None, relabelled={}, waiting={})
        fresh = replace(fresh, participants={}, activity=None)
    base = memory or fresh
    evaluated = base.evaluated
    if memory is None or any(unexplained(i, memory) for i in issues):
        times = [i.updated_at for i in issues] + ([evaluated] if evaluated else [])
        evaluated = max(times) if times else None
    else:
        relabelled = {**memory.relabelled, **relabelled}
    participants = dict(base.participants)
    for user, at in seen.items():
        participants[user] = max(at, participants.get(user, at))
    latest = max(
        [*participants.values(), *([base.activity] if base.activity else [])], default=None
    )
    return replace(
        base,
        project=project,
        evaluated=evaluated,
        relabelled=relabelled,
        waiting={t.issue.iid: t.since for t in turns if t.status == "team" and t.since},
        participants={u: at for u, at in participants.items() if at >= horizon},
        activity=latest,
    )
