"""Boards: every place on a boards run, only the new collaboration projects otherwise.
Every board list comes with its boards.

When the boards kind runs (`scheduled`):

- the accounts project: its boards (1 request);
- its parent group, when a declared board says `group: true`: the group's boards and
  labels (2 requests);
- each collaboration project: its boards and the names of the labels it can use,
  inherited ones included (2 requests each, +p past 100 labels).

Any other run reads only the collaboration projects `BoardsPolicy.projects_due` calls new
(created in the last `new_project_days` days; 2 requests each), so a new customer gets its
board on the first run that sees the project, and the older projects cost nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from triage.gitlab import convert
from triage.gitlab.client import Connection, group_path, project_path
from triage.gitlab.errors import GitLabError
from triage.snapshot import Board, Project, Snapshot


def with_boards(
    conn: Connection, snapshot: Snapshot, policies: Any, *, scheduled: bool
) -> Snapshot:
    """The snapshot with the boards a run reads (see the module docstring)."""
    policy = getattr(policies, "boards", None)
    if policy is None or not policy.enabled:
        return snapshot
    if scheduled:
        snapshot = _accounts_boards(conn, snapshot, policy)
    due = policy.projects_due(snapshot.projects.values(), snapshot.fetched_at, scheduled)
    projects = dict(snapshot.projects)
    for path in due:
        try:
            projects[path] = _project_boards(conn, projects[path])
        except GitLabError as exc:
            # A daily run leaves it to the boards run to report; the project's issues
            # were read, so it is not unreachable for the other kinds.
            if scheduled:
                snapshot.unreachable[path] = str(exc)
    return replace(snapshot, projects=projects)


def _accounts_boards(conn: Connection, snapshot: Snapshot, policy: Any) -> Snapshot:
    """The accounts project's boards, and its group's when a group board is declared."""
    accounts = snapshot.accounts_project
    home = replace(accounts, boards=_boards(conn, project_path(accounts.id)))
    snapshot = replace(snapshot, accounts_project=home)
    group = accounts.path.rpartition("/")[0]
    if group and any(spec.group for spec in policy.accounts_project):
        snapshot = replace(
            snapshot,
            group_boards=_boards(conn, group_path(group)),
            group_labels=_label_names(conn, group_path(group)),
        )
    return snapshot


def _boards(conn: Connection, path: str) -> tuple[Board, ...]:
    return tuple(map(convert.board, conn.list(f"{path}/boards")))


def _label_names(conn: Connection, path: str, **query: Any) -> frozenset[str]:
    return frozenset(str(x["name"]) for x in conn.list(f"{path}/labels", **query))


def _project_boards(conn: Connection, project: Project) -> Project:
    path = project_path(project.id)
    return replace(
        project,
        boards=_boards(conn, path),
        labels=_label_names(conn, path, include_ancestor_groups="true"),
    )
