"""Boards, read only when the boards kind runs; every board list comes with its boards.

- the accounts project: its boards (1 request);
- its parent group, when a declared board says `group: true`: the group's boards and
  labels (2 requests);
- each collaboration project the boards policy says is due: its boards and the names of
  the labels it can use, inherited ones included (2 requests each, +p past 100 labels).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from triage.gitlab import convert
from triage.gitlab.client import Connection, group_path, project_path
from triage.gitlab.errors import GitLabError
from triage.snapshot import Board, Project, Snapshot


def with_boards(conn: Connection, snapshot: Snapshot, policies: Any) -> Snapshot:
    policy = getattr(policies, "boards", None)
    accounts = snapshot.accounts_project
    home = replace(accounts, boards=_boards(conn, project_path(accounts.id)))
    snapshot = replace(snapshot, accounts_project=home)
    group = accounts.path.rpartition("/")[0]
    if group and any(spec.group for spec in getattr(policy, "accounts_project", ())):
        snapshot = replace(
            snapshot,
            group_boards=_boards(conn, group_path(group)),
            group_labels=_label_names(conn, group_path(group)),
        )
    due = (
        policy.projects_due(snapshot.projects.values(), snapshot.fetched_at, True) if policy else ()
    )
    projects = dict(snapshot.projects)
    for path in due:
        try:
            projects[path] = _project_boards(conn, projects[path])
        except GitLabError as exc:
            snapshot.unreachable[path] = str(exc)
    return replace(snapshot, projects=projects)


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
