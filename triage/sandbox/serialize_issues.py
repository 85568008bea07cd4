"""GitLab's JSON shapes for issues, notes and resource events (related rows batch-loaded)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from triage.sandbox.serialize import Json, View, user_basic
from triage.sandbox.serialize_labels import label_basic
from triage.sandbox.store import Row, Store


def _in(ids: Sequence[Any]) -> str:
    return ",".join("?" for _ in ids) or "NULL"


def users_by_id(store: Store, ids: Sequence[Any]) -> dict[int, Row]:
    wanted = sorted({int(i) for i in ids if i is not None})
    rows = store.all(f"SELECT * FROM users WHERE id IN ({_in(wanted)})", wanted)
    return {int(row["id"]): row for row in rows}


def issues(view: View, rows: Sequence[Row]) -> list[Json]:
    """Serialize a page of issues with a handful of queries, whatever its size."""
    store = view.store
    ids = [row["id"] for row in rows]
    labels: dict[int, list[str]] = defaultdict(list)
    for item in store.all(
        f"SELECT il.issue_id, l.name FROM issue_labels il JOIN labels l ON l.id = il.label_id "
        f"WHERE il.issue_id IN ({_in(ids)})",
        ids,
    ):
        labels[item["issue_id"]].append(item["name"])
    assignees: dict[int, list[int]] = defaultdict(list)
    for item in store.all(
        f"SELECT issue_id, user_id FROM issue_assignees WHERE issue_id IN ({_in(ids)}) "
        f"ORDER BY position",
        ids,
    ):
        assignees[item["issue_id"]].append(item["user_id"])
    counts = {
        item["issue_id"]: item["n"]
        for item in store.all(
            f"SELECT issue_id, COUNT(*) AS n FROM notes WHERE system = 0 "
            f"AND issue_id IN ({_in(ids)}) GROUP BY issue_id",
            ids,
        )
    }
    project_ids = sorted({row["project_id"] for row in rows})
    paths = {
        item["id"]: item["full_path"]
        for item in store.all(
            f"SELECT id, full_path FROM projects WHERE id IN ({_in(project_ids)})", project_ids
        )
    }
    user_ids = [row["author_id"] for row in rows] + [row["closed_by_id"] for row in rows]
    user_ids += [user for users in assignees.values() for user in users]
    users = users_by_id(store, user_ids)
    return [
        _issue(
            view,
            row,
            sorted(labels[row["id"]]),
            [users[u] for u in assignees[row["id"]]],
            users,
            counts.get(row["id"], 0),
            paths[row["project_id"]],
        )
        for row in rows
    ]


def issue(view: View, row: Row) -> Json:
    return issues(view, [row])[0]


def _issue(
    view: View,
    row: Row,
    labels: list[str],
    assignees: list[Row],
    users: dict[int, Row],
    notes_count: int,
    path: str,
) -> Json:
    people = [user_basic(view, user) for user in assignees]
    closed_by = users.get(row["closed_by_id"]) if row["closed_by_id"] else None
    api = view.url(f"api/v4/projects/{row['project_id']}/issues/{row['iid']}")
    return {
        "id": row["id"],
        "iid": row["iid"],
        "project_id": row["project_id"],
        "title": row["title"],
        "description": row["description"],
        "state": row["state"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "closed_at": row["closed_at"],
        "closed_by": None if closed_by is None else user_basic(view, closed_by),
        "labels": labels,
        "milestone": None,
        "assignees": people,
        "author": user_basic(view, users[row["author_id"]]),
        "type": "ISSUE",
        "assignee": people[0] if people else None,
        "user_notes_count": notes_count,
        "merge_requests_count": 0,
        "upvotes": 0,
        "downvotes": 0,
        "due_date": row["due_date"],
        "confidential": bool(row["confidential"]),
        "discussion_locked": None
        if row["discussion_locked"] is None
        else bool(row["discussion_locked"]),
        "issue_type": "issue",
        "web_url": view.url(f"{path}/-/issues/{row['iid']}"),
        "time_stats": {
            "time_estimate": 0,
            "total_time_spent": 0,
            "human_time_estimate": None,
            "human_total_time_spent": None,
        },
        "task_completion_status": {"count": 0, "completed_count": 0},
        "has_tasks": False,
        "_links": {
            "self": api,
            "notes": f"{api}/notes",
            "award_emoji": f"{api}/award_emoji",
            "project": view.url(f"api/v4/projects/{row['project_id']}"),
            "closed_as_duplicate_of": None,
        },
        "references": {
            "short": f"#{row['iid']}",
            "relative": f"#{row['iid']}",
            "full": f"{path}#{row['iid']}",
        },
        "severity": "UNKNOWN",
        "moved_to_id": None,
        "imported": False,
        "imported_from": "none",
        "service_desk_reply_to": None,
    }


def note(view: View, row: Row, issue_row: Row, author: Row) -> Json:
    """The closed note object."""
    return {
        "id": row["id"],
        "type": None,
        "body": row["body"],
        "attachment": None,
        "author": user_basic(view, author),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "system": bool(row["system"]),
        "noteable_id": issue_row["id"],
        "noteable_type": "Issue",
        "noteable_iid": issue_row["iid"],
        "resolvable": False,
        "confidential": bool(row["internal"]),
        "internal": bool(row["internal"]),
    }


def label_event(view: View, row: Row, user: Row, label: Row | None) -> Json:
    return {
        "id": row["id"],
        "user": user_basic(view, user),
        "created_at": row["created_at"],
        "resource_type": "Issue",
        "resource_id": row["issue_id"],
        "label": None
        if label is None
        else {
            key: value
            for key, value in label_basic(label).items()
            if key in ("id", "name", "color", "description")
        },
        "action": row["action"],
    }


def state_event(view: View, row: Row, user: Row) -> Json:
    return {
        "id": row["id"],
        "user": user_basic(view, user),
        "created_at": row["created_at"],
        "resource_type": "Issue",
        "resource_id": row["issue_id"],
        "state": row["state"],
    }
