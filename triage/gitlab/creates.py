"""Creates that are never sent twice blindly.

Before a create, look for what it would create: salsatam's newest issues in the project
(one request per project and run) for an issue's key, the issue's newest notes for a
note's key. When a POST then fails without a clear answer (a 5xx, a timeout, a dropped
connection), GitLab may have committed it: look again (issues by `search=<key>`, whatever
their labels) before sending it again. Labels and issue links answer 409 when they exist,
which counts as done, so they are retried like reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from triage.gitlab.client import Connection, project_path
from triage.gitlab.errors import GitLabError
from triage.snapshot import IssueRef, find_key

ATTEMPTS = 3
SALSATAM_LABEL = "salsatam"

Found = dict[str, Any] | None
Created = Literal["created", "exists", "found"]
DETAILS: dict[Created, str] = {
    "created": "created",
    "exists": "exists already",
    "found": "found after an unanswered request",
}


def create_once(
    post: Callable[[], dict[str, Any]],
    look_up: Callable[[], Found],
    first: Callable[[], Found] | None = None,
) -> tuple[dict[str, Any], Created]:
    """Look up (`first`, else `look_up`), POST if missing, and after an unclear failure
    look up again before posting again. Returns the object and how it came to be."""
    existing = (first or look_up)()
    if existing is not None:
        return existing, "exists"
    for attempt in range(ATTEMPTS):
        try:
            return post(), "created"
        except GitLabError as exc:
            if not exc.outcome_unknown or attempt == ATTEMPTS - 1:
                raise
        found = look_up()
        if found is not None:
            return found, "found"
    raise AssertionError("unreachable")  # pragma: no cover


def issue_path(ref: IssueRef) -> str:
    return f"{project_path(ref.project)}/issues/{ref.iid}"


def recent_issues(conn: Connection, project: str) -> dict[str, dict[str, Any]]:
    """salsatam's newest issues in `project` (one page, any state) by key."""
    listed = conn.list(
        f"{project_path(project)}/issues",
        get_all=False,
        labels=SALSATAM_LABEL,
        state="all",
        order_by="created_at",
        sort="desc",
    )
    return {key: item for item in listed if (key := find_key(item.get("description")))}


def find_issue(conn: Connection, project: str, key: str) -> Found:
    """The issue in `project` whose description carries `key`, if any, whatever its
    labels: a create GitLab committed without them (a Guest's) is found too."""
    query = {"search": key, "in": "title,description", "state": "all"}
    for item in conn.list(f"{project_path(project)}/issues", get_all=False, **query):
        if find_key(item.get("description")) == key:
            return item
    return None


def create_issue(
    conn: Connection,
    project: str,
    key: str,
    data: dict[str, Any],
    known: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any], Created]:
    """Create a salsatam issue (labelled `salsatam`) unless `known` (key -> issue) has it."""
    created, how = create_once(
        lambda: conn.post(f"{project_path(project)}/issues", data),
        lambda: find_issue(conn, project, key),
        first=lambda: known.get(key),
    )
    known[key] = created
    return created, how


def find_note(conn: Connection, issue: IssueRef, key: str) -> Found:
    """The issue's note carrying `key` among its newest 100 notes, if any."""
    listed = conn.list(
        f"{issue_path(issue)}/notes", get_all=False, sort="desc", order_by="created_at"
    )
    return next((n for n in listed if find_key(n.get("body")) == key), None)


def create_note(
    conn: Connection, issue: IssueRef, body: str, key: str
) -> tuple[dict[str, Any], Created]:
    marker_key = find_key(body) or key
    return create_once(
        lambda: conn.post(f"{issue_path(issue)}/notes", {"body": body}),
        lambda: find_note(conn, issue, marker_key),
    )


def create_existing_ok(conn: Connection, path: str, data: dict[str, Any]) -> Found:
    """POST something GitLab refuses with 409 when it exists: the new object, or None if
    it existed already. Sending it again can't duplicate it, so transient failures are
    retried as reads are (5 attempts, exponential back-off); a repeat after a lost answer
    answers 409, which is done."""
    try:
        return conn.post(path, data, repeatable=True)
    except GitLabError as exc:
        if exc.conflict:
            return None
        raise


def link_issues(conn: Connection, source: IssueRef, target: IssueRef, target_id: int | str) -> bool:
    """Link `source` to `target` (relates_to). True if they were linked already."""
    data = {"target_project_id": target_id, "target_issue_iid": target.iid}
    return create_existing_ok(conn, f"{issue_path(source)}/links", data) is None


def create_label(conn: Connection, place: str, data: dict[str, Any]) -> Found:
    """Create a label in a project or group (`place`: its API path): the new label, or
    None if one of that name exists."""
    return create_existing_ok(conn, f"{place}/labels", data)
