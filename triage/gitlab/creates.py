"""Creates that are never sent twice blindly.

When a POST fails without a clear answer (a 5xx, a timeout, a dropped connection), GitLab
may have committed it. Before sending it again, look for what it would have created: an
issue by the key marker in its description, a note by the marker in its body. Labels and
issue links answer 409 when they exist already, which counts as done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from triage.gitlab.client import Connection, project_path
from triage.gitlab.errors import GitLabError
from triage.snapshot import IssueRef, find_key

ATTEMPTS = 3
SALSATAM_LABEL = "salsatam"

Found = dict[str, Any] | None


def create_once(
    post: Callable[[], dict[str, Any]], look_up: Callable[[], Found]
) -> tuple[dict[str, Any], bool]:
    """POST, and after an unclear failure look up before posting again.

    Returns the object and whether it was found (True) rather than created (False).
    """
    for attempt in range(ATTEMPTS):
        try:
            return post(), False
        except GitLabError as exc:
            if not exc.outcome_unknown or attempt == ATTEMPTS - 1:
                raise
        found = look_up()
        if found is not None:
            return found, True
    raise AssertionError("unreachable")  # pragma: no cover


def issue_path(ref: IssueRef) -> str:
    return f"{project_path(ref.project)}/issues/{ref.iid}"


def find_issue(conn: Connection, project: str, key: str, labelled: bool) -> Found:
    """The issue in `project` whose description carries `key`, if any."""
    query: dict[str, Any] = {"search": key, "in": "description", "state": "all"}
    if labelled:
        query["labels"] = SALSATAM_LABEL
    for item in conn.list(f"{project_path(project)}/issues", get_all=False, **query):
        if find_key(item.get("description")) == key:
            return item
    return None


def create_issue(
    conn: Connection, project: str, key: str, data: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    labelled = SALSATAM_LABEL in str(data.get("labels", "")).split(",")
    return create_once(
        lambda: conn.post(f"{project_path(project)}/issues", data),
        lambda: find_issue(conn, project, key, labelled),
    )


def find_note(conn: Connection, issue: IssueRef, key: str) -> Found:
    """The newest notes of the issue (one page) searched for the key marker."""
    listed = conn.list(
        f"{issue_path(issue)}/notes", get_all=False, sort="desc", order_by="created_at"
    )
    return next((n for n in listed if find_key(n.get("body")) == key), None)


def create_note(conn: Connection, issue: IssueRef, body: str, key: str) -> tuple[Any, bool]:
    marker_key = find_key(body) or key
    return create_once(
        lambda: conn.post(f"{issue_path(issue)}/notes", {"body": body}),
        lambda: find_note(conn, issue, marker_key),
    )


def create_existing_ok(conn: Connection, path: str, data: dict[str, Any]) -> Found:
    """POST something GitLab refuses with 409 when it exists: the new object, or None if
    it existed already."""
    for attempt in range(ATTEMPTS):
        try:
            return conn.post(path, data)
        except GitLabError as exc:
            if exc.conflict:
                return None
            if not exc.outcome_unknown or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def link_issues(conn: Connection, source: IssueRef, target: IssueRef, target_id: int | str) -> bool:
    """Link `source` to `target` (relates_to). True if they were linked already."""
    data = {"target_project_id": target_id, "target_issue_iid": target.iid}
    return create_existing_ok(conn, f"{issue_path(source)}/links", data) is None


def create_label(conn: Connection, project: str, data: dict[str, Any]) -> Found:
    """Create a project label: the new label, or None if one of that name exists."""
    return create_existing_ok(conn, f"{project_path(project)}/labels", data)
