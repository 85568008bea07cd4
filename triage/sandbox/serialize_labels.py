"""GitLab's JSON shapes for project labels, group labels, boards and board lists."""

from __future__ import annotations

from triage.sandbox.serialize import Json, View, project_identity
from triage.sandbox.store import Row


def text_color(color: str) -> str:
    """GitLab picks dark text on light label colours and white text on dark ones."""
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    try:
        red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "#FFFFFF"
    return "#1F1E24" if red + green + blue > 500 else "#FFFFFF"


def _counts(view: View, label: Row, project_ids: list[int]) -> Json:
    if not project_ids:
        return {"open_issues_count": 0, "closed_issues_count": 0, "open_merge_requests_count": 0}
    marks = ",".join("?" for _ in project_ids)
    rows = view.store.all(
        f"SELECT i.state, COUNT(*) AS n FROM issue_labels il JOIN issues i ON i.id = il.issue_id "
        f"WHERE il.label_id = ? AND i.project_id IN ({marks}) GROUP BY i.state",
        [label["id"], *project_ids],
    )
    by_state = {row["state"]: row["n"] for row in rows}
    return {
        "open_issues_count": by_state.get("opened", 0),
        "closed_issues_count": by_state.get("closed", 0),
        "open_merge_requests_count": 0,
    }


def project_label(view: View, label: Row, *, project_ids: list[int], counts: bool) -> Json:
    """A label as a project sees it (its own labels and its groups' labels)."""
    result: Json = {
        "id": label["id"],
        "name": label["name"],
        "description": label["description"],
        "description_html": _html(label["description"]),
        "text_color": text_color(label["color"]),
        "color": label["color"],
        "subscribed": False,
        "priority": label["priority"] if label["project_id"] is not None else None,
        "is_project_label": label["project_id"] is not None,
    }
    if counts:
        result.update(_counts(view, label, project_ids))
    return result


def group_label(view: View, label: Row, *, project_ids: list[int], counts: bool) -> Json:
    """The closed group label object of `GET /groups/:id/labels`."""
    result: Json = {
        "id": label["id"],
        "name": label["name"],
        "color": label["color"],
        "text_color": text_color(label["color"]),
        "description": label["description"],
        "subscribed": False,
        "priority": None,
    }
    if counts:
        result.update(_counts(view, label, project_ids))
    return result


def _html(text: str | None) -> str:
    if not text:
        return ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<p dir="auto">{escaped}</p>'


def label_basic(label: Row) -> Json:
    return {
        "id": label["id"],
        "name": label["name"],
        "color": label["color"],
        "description": label["description"],
        "text_color": text_color(label["color"]),
        "description_html": _html(label["description"]),
    }


def board_list(view: View, row: Row) -> Json:
    label = view.store.one("SELECT * FROM labels WHERE id = ?", [row["label_id"]])
    return {
        "id": row["id"],
        "label": None if label is None else label_basic(label),
        "position": row["position"],
        "max_issue_count": 0,
        "max_issue_weight": 0,
        "limit_metric": None,
    }


def board(view: View, row: Row) -> Json:
    lists = view.store.all(
        "SELECT * FROM board_lists WHERE board_id = ? ORDER BY position", [row["id"]]
    )
    project = None
    if row["project_id"] is not None:
        project_row = view.store.one("SELECT * FROM projects WHERE id = ?", [row["project_id"]])
        project = None if project_row is None else project_identity(view, project_row)
    group = None
    if row["group_id"] is not None:
        group_row = view.store.one("SELECT * FROM namespaces WHERE id = ?", [row["group_id"]])
        if group_row is not None:
            group = {
                "id": group_row["id"],
                "name": group_row["name"],
                "web_url": view.url(f"groups/{group_row['full_path']}"),
            }
    return {
        "id": row["id"],
        "name": row["name"],
        "hide_backlog_list": False,
        "hide_closed_list": False,
        "project": project,
        "group": group,
        "milestone": None,
        "assignee": None,
        "labels": [],
        "weight": None,
        "lists": [board_list(view, item) for item in lists],
    }
