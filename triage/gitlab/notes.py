"""Notes, read only for the issues whose facts depend on them.

`triage.facts.notes_needed(snapshot, policies, now)` names those issues (an issue whose
status label is current keeps it without its notes being read again). Each issue costs
one request per 100 notes, oldest first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from triage.gitlab import convert
from triage.gitlab.client import Connection, project_path
from triage.snapshot import Issue, IssueRef, Note, Snapshot

NotesSelector = Callable[[Snapshot, Any, datetime], Iterable[IssueRef]]


def notes_needed(snapshot: Snapshot, policies: Any, now: datetime) -> set[IssueRef]:
    # Imported here: the facts package imports the policy kinds, which are not needed to
    # fetch a snapshot for the other commands.
    from triage.facts import notes_needed as needed

    return set(needed(snapshot, policies, now))


def issue_notes(conn: Connection, issue: Issue, bots: tuple[str, ...]) -> tuple[Note, ...]:
    path = f"{project_path(issue.project_id)}/issues/{issue.iid}/notes"
    listed = conn.list(path, sort="asc", order_by="created_at")
    return tuple(convert.note(n, bots) for n in listed)


def fetch_notes(
    conn: Connection,
    snapshot: Snapshot,
    policies: Any,
    now: datetime,
    remember: Callable[..., None],
    select: NotesSelector | None = None,
) -> Snapshot:
    """The snapshot with notes filled in on the issues that need them (`select`, by
    default `triage.facts.notes_needed`)."""
    wanted = set((select or notes_needed)(snapshot, policies, now))
    if not wanted:
        return snapshot
    bots = tuple(policies.settings.bots)
    cache: dict[IssueRef, tuple[Note, ...]] = {}

    def filled(issue: Issue) -> Issue:
        if issue.ref not in wanted:
            return issue
        if issue.ref not in cache:
            cache[issue.ref] = issue_notes(conn, issue, bots)
            remember(*(n.author for n in cache[issue.ref]))
        return replace(issue, notes=cache[issue.ref])

    def all_filled(issues: tuple[Issue, ...]) -> tuple[Issue, ...]:
        return tuple(filled(i) for i in issues)

    return replace(
        snapshot,
        account_issues=all_filled(snapshot.account_issues),
        salsatam_issues=all_filled(snapshot.salsatam_issues),
        collaboration_issues={p: all_filled(i) for p, i in snapshot.collaboration_issues.items()},
    )
