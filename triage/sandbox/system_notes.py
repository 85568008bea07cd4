"""System notes GitLab writes on issues (assignments, cross-references, links, edits)."""

from __future__ import annotations

from datetime import date

from triage.sandbox.store import Row, Store


def add(store: Store, issue: Row, author_id: int, body: str, at: str | None = None) -> int:
    """Write a system note and touch the issue, as any note does."""
    moment = at or store.now_text()
    note_id = store.insert(
        "notes",
        {
            "issue_id": issue["id"],
            "author_id": author_id,
            "body": body,
            "system": 1,
            "internal": 0,
            "created_at": moment,
            "updated_at": moment,
        },
    )
    store.run("UPDATE issues SET updated_at = ? WHERE id = ?", [moment, issue["id"]])
    return note_id


def sentence(items: list[str]) -> str:
    """Rails' to_sentence: `a`, `a and b`, `a, b, and c`."""
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])}, and {items[-1]}"


def assignees_body(added: list[str], removed: list[str]) -> str:
    parts = []
    if added:
        parts.append("assigned to " + sentence([f"@{name}" for name in added]))
    if removed:
        parts.append("unassigned " + sentence([f"@{name}" for name in removed]))
    return " and ".join(parts)


def reference(store: Store, issue: Row, seen_from: Row) -> str:
    """`#5` within the same project, `group/project#5` from another one."""
    if issue["project_id"] == seen_from["project_id"]:
        return f"#{issue['iid']}"
    path = store.scalar("SELECT full_path FROM projects WHERE id = ?", [issue["project_id"]])
    return f"{path}#{issue['iid']}"


def due_date_body(value: str | None) -> str:
    if value is None:
        return "removed due date"
    day = date.fromisoformat(value)
    return f"changed due date to {day:%B} {day.day}, {day.year}"


def title_body(old: str, new: str) -> str:
    return f"changed title from **{old}** to **{new}**"


def confidential_body(confidential: bool) -> str:
    return "made the issue confidential" if confidential else "made the issue visible to everyone"
