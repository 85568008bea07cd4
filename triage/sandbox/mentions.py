"""Who GitLab would notify for `@user`, `@group` and `@all` written into issues and notes.

The sandbox sends nothing: it records each mention with the people it would reach, for the
admin API (`GET /-/sandbox/notifications`). Callers pass text with code removed (mentions in
code spans and blocks do nothing). Like GitLab, a mention reaches only people who can read
the issue (confidential issues: Reporter and above, the author, assignees), never the writer
themselves; `@all` reaches the project's members and works only for members of the project,
and not at all under the `gitlab-com` profile, where GitLab.com has it switched off.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, has_app_context

from triage.sandbox.access import GUEST, REPORTER, ancestor_ids, project_access
from triage.sandbox.store import Row, Store

_MENTION = re.compile(
    r"(?<![\w.+\-/@])@(?P<name>[A-Za-z0-9_][A-Za-z0-9_.\-]*(?:/[A-Za-z0-9_.\-]+)*)"
)


def mentioned(text: str) -> list[str]:
    """Mention names in order of first appearance, without a trailing full stop."""
    names: list[str] = []
    for match in _MENTION.finditer(text):
        name = match.group("name").rstrip(".")
        if name and name.lower() not in (seen.lower() for seen in names):
            names.append(name)
    return names


def _all_mention_disabled() -> bool:
    if not has_app_context():
        return False
    load = current_app.extensions.get("sandbox_load")
    return load is not None and load.settings.profile == "gitlab-com"


def can_read(store: Store, user: Row, project: Row, issue: Row) -> bool:
    """Whether `user` may read `issue`, as GitLab decides it for notifications."""
    if user["is_admin"]:
        return True
    level = project_access(store, int(user["id"]), project)
    if project["visibility"] == "private" and level < GUEST:
        return False
    if not issue["confidential"] or level >= REPORTER or issue["author_id"] == user["id"]:
        return True
    return (
        store.one(
            "SELECT 1 FROM issue_assignees WHERE issue_id = ? AND user_id = ?",
            [issue["id"], user["id"]],
        )
        is not None
    )


def _group_members(store: Store, group: Row) -> list[Row]:
    ids = ancestor_ids(store, int(group["id"]))
    marks = ",".join("?" for _ in ids)
    return store.all(
        f"SELECT DISTINCT u.* FROM members m JOIN users u ON u.id = m.user_id "
        f"WHERE m.source_type = 'Namespace' AND m.source_id IN ({marks})",
        ids,
    )


def _project_members(store: Store, project: Row) -> list[Row]:
    users = store.all("SELECT * FROM users WHERE state = 'active'")
    return [user for user in users if project_access(store, int(user["id"]), project) >= GUEST]


def _audience(store: Store, name: str, project: Row, author_id: int) -> list[Row] | None:
    """The people a mention addresses, or None when it names nobody GitLab knows."""
    if name.lower() == "all":
        if _all_mention_disabled() or project_access(store, author_id, project) < GUEST:
            return []
        return _project_members(store, project)
    user = store.one("SELECT * FROM users WHERE username = ? AND state = 'active'", [name])
    if user is not None:
        return [user]
    group = store.one("SELECT * FROM namespaces WHERE kind = 'group' AND full_path = ?", [name])
    return None if group is None else _group_members(store, group)


def record(
    store: Store, issue: Row, author_id: int, text: str, previous: str, note_id: int | None
) -> None:
    """Record the mentions that `text` adds to what `previous` already said."""
    before = {name.lower() for name in mentioned(previous)}
    project = store.one("SELECT * FROM projects WHERE id = ?", [issue["project_id"]])
    assert project is not None
    for name in mentioned(text):
        if name.lower() in before:
            continue
        audience = _audience(store, name, project, author_id)
        if audience is None:
            continue
        recipients = sorted(
            {
                str(user["username"])
                for user in audience
                if user["id"] != author_id and can_read(store, user, project, issue)
            }
        )
        store.insert(
            "notifications",
            {
                "mention": f"@{name}",
                "recipients": ",".join(recipients),
                "author_id": author_id,
                "issue_id": issue["id"],
                "note_id": note_id,
                "created_at": store.now_text(),
            },
        )


def listing(store: Store) -> list[dict[str, Any]]:
    """Every recorded mention, oldest first, for the admin API."""
    rows = store.all(
        "SELECT n.*, u.username AS author, p.full_path AS project, i.iid AS issue_iid "
        "FROM notifications n JOIN users u ON u.id = n.author_id "
        "JOIN issues i ON i.id = n.issue_id JOIN projects p ON p.id = i.project_id "
        "ORDER BY n.id"
    )
    return [
        {
            "id": row["id"],
            "mention": row["mention"],
            "recipients": [name for name in str(row["recipients"]).split(",") if name],
            "author": row["author"],
            "project": row["project"],
            "issue_iid": row["issue_iid"],
            "noteable": "note" if row["note_id"] else "issue",
            "note_id": row["note_id"],
            "created_at": row["created_at"],
        }
        for row in rows
    ]
