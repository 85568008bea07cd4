"""Loading a seed (users, groups, projects, labels, issues, notes, boards) into the store.

Seeding writes straight through the store: no quick actions, no system notes, timestamps as
given. The format is documented in docs/sandbox.md.
"""

from __future__ import annotations

from typing import Any

from triage.sandbox.api.groups import create_group
from triage.sandbox.api.members import add_member
from triage.sandbox.api.projects import create_project
from triage.sandbox.api.users import create_token, create_user
from triage.sandbox.labeling import (
    available_labels,
    create_project_label,
    find_label,
    group_labels,
)
from triage.sandbox.store import ALL_SCOPES, Row, Store, format_time, parse_time

USER_SCOPES = ("api", "read_api", "read_user")


class SeedError(ValueError):
    """A seed that cannot be loaded; the message names the offending entry."""


def _time(value: Any, default: str) -> str:
    if value is None or value == "":
        return default
    return format_time(parse_time(str(value)))


def _user(store: Store, username: str, where: str) -> Row:
    row = store.one("SELECT * FROM users WHERE username = ?", [username])
    if row is None:
        raise SeedError(f"{where}: unknown user {username!r}")
    return row


def _namespace(store: Store, path: str, where: str) -> Row:
    row = store.one("SELECT * FROM namespaces WHERE full_path = ?", [path])
    if row is None:
        raise SeedError(f"{where}: unknown namespace {path!r}")
    return row


def _project(store: Store, path: str, where: str) -> Row:
    row = store.one("SELECT * FROM projects WHERE full_path = ?", [path])
    if row is None:
        raise SeedError(f"{where}: unknown project {path!r}")
    return row


def load_seed(store: Store, seed: dict[str, Any]) -> dict[str, Any]:
    """Load `seed` in one transaction; answers the ids and tokens tests need. A seed that
    cannot be loaded raises SeedError, and nothing of it is kept."""
    if not isinstance(seed, dict):
        raise SeedError("a seed is a mapping (users, groups, projects...)")
    try:
        return _load(store, seed)
    except SeedError:
        raise
    except KeyError as error:
        raise SeedError(f"an entry has no {error}") from error
    except (TypeError, ValueError, AttributeError) as error:
        raise SeedError(f"an entry does not read: {error}") from error


def _load(store: Store, seed: dict[str, Any]) -> dict[str, Any]:
    with store.transaction():
        result: dict[str, Any] = {
            "users": {},
            "groups": {},
            "projects": {},
            "issues": {},
            "issue_refs": [],
            "boards": {},
        }
        for entry in seed.get("users", []):
            result["users"][entry["username"]] = _seed_user(store, entry)
        for entry in seed.get("groups", []):
            result["groups"][entry["path"]] = _seed_group(store, entry)
        for entry in seed.get("group_labels", []):
            group = _namespace(store, entry["group"], "group_labels")
            _group_label(store, group, entry)
        for entry in seed.get("projects", []):
            result["projects"][entry["path"]] = _seed_project(store, entry)
        for index, entry in enumerate(seed.get("issues", [])):
            ref, issue_id = _seed_issue(store, entry, f"issues[{index}]")
            result["issues"][ref] = issue_id
            result["issue_refs"].append(ref)
        for entry in seed.get("boards", []):
            board_id = _seed_board(store, entry)
            owner = entry.get("project") or entry.get("group")
            result["boards"][f"{owner}:{entry['name']}"] = board_id
        return result


def _seed_user(store: Store, entry: dict[str, Any]) -> dict[str, Any]:
    username = str(entry["username"])
    row = store.one("SELECT * FROM users WHERE username = ?", [username])
    admin = bool(entry.get("admin"))
    if row is None:
        row = create_user(
            store,
            username,
            str(entry.get("name") or username),
            str(entry.get("email") or f"{username}@example.com"),
            admin=admin,
            bot=bool(entry.get("bot")),
        )
    token = f"token-{username}"
    if store.one("SELECT id FROM tokens WHERE token = ?", [token]) is None:
        create_token(
            store,
            int(row["id"]),
            "seed",
            list(ALL_SCOPES if admin else USER_SCOPES),
            None,
            token=token,
        )
    return {"id": row["id"], "token": token}


def _members(
    store: Store, source_type: str, source_id: int, entries: list[dict[str, Any]], where: str
) -> None:
    for entry in entries:
        user = _user(store, str(entry["username"]), where)
        store.run(
            "DELETE FROM members WHERE source_type = ? AND source_id = ? AND user_id = ?",
            [source_type, source_id, user["id"]],
        )
        add_member(
            store, source_type, source_id, int(user["id"]), int(entry.get("access_level", 30))
        )


def _group_label(store: Store, group: Row, entry: dict[str, Any]) -> None:
    if (
        store.one(
            "SELECT id FROM labels WHERE group_id = ? AND name = ?", [group["id"], entry["name"]]
        )
        is None
    ):
        store.insert(
            "labels",
            {
                "group_id": group["id"],
                "name": entry["name"],
                "color": entry.get("color", "#6699cc"),
                "description": entry.get("description"),
                "created_at": store.now_text(),
            },
        )


def _seed_group(store: Store, entry: dict[str, Any]) -> int:
    path = str(entry["path"])
    row = store.one("SELECT * FROM namespaces WHERE full_path = ?", [path])
    if row is None:
        parent_path, _, own = path.rpartition("/")
        parent = _namespace(store, parent_path, f"group {path}") if parent_path else None
        row = create_group(
            store,
            str(entry.get("name") or own),
            own,
            parent,
            str(entry.get("visibility") or "private"),
            str(entry.get("description") or ""),
        )
    _members(store, "Namespace", int(row["id"]), entry.get("members", []), f"group {path}")
    for label in entry.get("labels", []):
        _group_label(store, row, label)
    return int(row["id"])


def _seed_project(store: Store, entry: dict[str, Any]) -> int:
    path = str(entry["path"])
    row = store.one("SELECT * FROM projects WHERE full_path = ?", [path])
    if row is None:
        parent_path, _, own = path.rpartition("/")
        namespace = _namespace(store, parent_path, f"project {path}")
        row = create_project(
            store,
            namespace,
            str(entry.get("name") or own),
            own,
            str(entry.get("visibility") or "private"),
            entry.get("description"),
        )
        if entry.get("created_at"):  # a project with a past, like an issue's created_at
            when = _time(entry["created_at"], store.now_text())
            store.run("UPDATE projects SET created_at = ? WHERE id = ?", [when, row["id"]])
    _members(store, "Project", int(row["id"]), entry.get("members", []), f"project {path}")
    for label in entry.get("labels", []):
        if find_label(store, row, label["name"]) is None:
            create_project_label(
                store,
                row,
                label["name"],
                label.get("color", "#6699cc"),
                label.get("description"),
                label.get("priority"),
            )
    for share in entry.get("shared_with", []):
        group = _namespace(store, share["group"], f"project {path}")
        store.insert(
            "project_group_links",
            {
                "project_id": row["id"],
                "group_id": group["id"],
                "access_level": int(share.get("access_level", 30)),
            },
        )
    return int(row["id"])


def _seed_issue(store: Store, entry: dict[str, Any], where: str) -> tuple[str, int]:
    project = _project(store, str(entry["project"]), where)
    author = _user(store, str(entry.get("author", "root")), where)
    created_at = _time(entry.get("created_at"), store.now_text())
    state = str(entry.get("state", "opened"))
    closed_at = _time(entry.get("closed_at"), created_at) if state == "closed" else None
    iid = (
        entry.get("iid")
        or int(
            store.scalar(
                "SELECT COALESCE(MAX(iid), 0) FROM issues WHERE project_id = ?", [project["id"]]
            )
        )
        + 1
    )
    issue_id = store.insert(
        "issues",
        {
            "iid": iid,
            "project_id": project["id"],
            "title": entry["title"],
            "description": entry.get("description"),
            "state": state,
            "author_id": author["id"],
            "created_at": created_at,
            "updated_at": created_at,
            "closed_at": closed_at,
            "closed_by_id": author["id"] if closed_at else None,
            "due_date": str(entry["due_date"]) if entry.get("due_date") else None,
            "confidential": int(bool(entry.get("confidential"))),
        },
    )
    for name in entry.get("labels", []):
        label = find_label(store, project, name) or create_project_label(store, project, name)
        store.insert("issue_labels", {"issue_id": issue_id, "label_id": label["id"]})
        store.insert(
            "label_events",
            {
                "issue_id": issue_id,
                "user_id": author["id"],
                "label_id": label["id"],
                "action": "add",
                "created_at": created_at,
            },
        )
    for position, username in enumerate(entry.get("assignees", [])):
        store.insert(
            "issue_assignees",
            {
                "issue_id": issue_id,
                "position": position,
                "user_id": _user(store, username, where)["id"],
            },
        )
    latest = max(created_at, closed_at or created_at)
    for note in entry.get("notes", []):
        at = _time(note.get("created_at"), created_at)
        latest = max(latest, at)
        store.insert(
            "notes",
            {
                "issue_id": issue_id,
                "body": note["body"],
                "created_at": at,
                "author_id": _user(store, str(note.get("author", "root")), where)["id"],
                "updated_at": at,
                "system": int(bool(note.get("system"))),
                "internal": int(bool(note.get("internal"))),
            },
        )
    updated_at = _time(entry.get("updated_at"), latest)
    store.update("issues", issue_id, {"updated_at": updated_at})
    return f"{project['full_path']}#{iid}", issue_id


def _seed_board(store: Store, entry: dict[str, Any]) -> int:
    """A project board (`project:`) or a group board (`group:`, group labels only)."""
    if entry.get("group"):
        group = _namespace(store, str(entry["group"]), "boards")
        owner = {"group_id": group["id"]}
        labels = group_labels(store, int(group["id"]), ancestors=True)
    else:
        project = _project(store, str(entry["project"]), "boards")
        owner = {"project_id": project["id"]}
        labels = available_labels(store, project)
    board_id = store.insert(
        "boards", {**owner, "name": entry["name"], "created_at": store.now_text()}
    )
    # Project labels shadow group labels of the same name.
    ordered = sorted(labels, key=lambda label: label.get("project_id") is not None)
    by_name = {str(label["name"]): label for label in ordered}
    for position, name in enumerate(entry.get("lists", [])):
        if name not in by_name:
            raise SeedError(f"board {entry['name']}: unknown label {name!r}")
        store.insert(
            "board_lists",
            {"board_id": board_id, "label_id": by_name[name]["id"], "position": position},
        )
    return board_id
