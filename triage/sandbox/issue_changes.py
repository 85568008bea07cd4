"""Creating and editing issues with GitLab's side effects (labels, events, system notes)."""

from __future__ import annotations

from triage.sandbox import permissions, quick_action_run, quick_actions, system_notes, text
from triage.sandbox.access import OWNER, REPORTER, project_level
from triage.sandbox.context import Call
from triage.sandbox.errors import ApiError, forbidden, missing
from triage.sandbox.labeling import (
    PAID_TIERS,
    exclusive,
    issue_label_rows,
    resolve,
    set_issue_labels,
)
from triage.sandbox.params import Params, split_names
from triage.sandbox.store import Row, format_time

UPDATE_FIELDS = (
    "assignee_id",
    "assignee_ids",
    "confidential",
    "created_at",
    "description",
    "discussion_locked",
    "due_date",
    "labels",
    "add_labels",
    "remove_labels",
    "milestone_id",
    "state_event",
    "title",
    "issue_type",
    "updated_at",
)


def may_backdate(call: Call, project: Row) -> bool:
    """created_at/updated_at are honoured for administrators and owners only."""
    return call.actor.is_admin or project_level(call.store, call.actor, project) >= OWNER


def _stamp(call: Call, project: Row, name: str) -> str:
    moment = call.params.moment(name)
    if moment is not None and may_backdate(call, project):
        return format_time(moment)
    return call.store.now_text()


def _assignee_ids(call: Call, params: Params) -> list[int] | None:
    if params.has("assignee_ids"):
        ids = params.integers("assignee_ids") or []
    elif params.has("assignee_id"):
        single = params.integer("assignee_id")
        ids = [single] if single else []
    else:
        return None
    known = [i for i in ids if i and call.store.one("SELECT id FROM users WHERE id = ?", [i])]
    unique = list(dict.fromkeys(known))
    return unique if call.store.settings.tier in PAID_TIERS else unique[:1]


def create_issue(call: Call, project: Row) -> Row:
    params, store = call.params, call.store
    user = call.actor.require_user()
    title = params.text("title")
    if not title or not title.strip():
        raise missing("title")
    level = project_level(store, call.actor, project)
    permissions.drop_metadata(call, level)
    created_at = _stamp(call, project, "created_at")
    typed = quick_actions.parse(params.text("description"))
    iid = (
        int(
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
            "title": title,
            "description": typed.text,
            "author_id": user["id"],
            "created_at": created_at,
            "updated_at": created_at,
            "due_date": params.day("due_date"),
            "confidential": int(bool(params.boolean("confidential"))),
        },
    )
    issue = _issue(call, issue_id)
    names = (params.names("labels") or []) + (params.names("add_labels") or [])
    labels = resolve(store, project, names, create=level >= REPORTER)
    set_issue_labels(
        store, issue_id, user["id"], exclusive(labels, store.settings.tier), created_at
    )
    assignees = _assignee_ids(call, params)
    if assignees:
        _set_assignees(call, issue, assignees, created_at)
    if typed.commands:
        quick_action_run.run(
            call, project, _issue(call, issue_id), typed.commands, created_at, new=True
        )
    text.process(store, issue, user["id"], issue["description"])
    store.run("UPDATE projects SET last_activity_at = ? WHERE id = ?", [created_at, project["id"]])
    return _issue(call, issue_id)


def _issue(call: Call, issue_id: int) -> Row:
    row = call.store.one("SELECT * FROM issues WHERE id = ?", [issue_id])
    assert row is not None
    return row


def _set_assignees(call: Call, issue: Row, user_ids: list[int], at: str) -> bool:
    store = call.store
    before = [
        row["user_id"]
        for row in store.all(
            "SELECT user_id FROM issue_assignees WHERE issue_id = ? ORDER BY position",
            [issue["id"]],
        )
    ]
    if before == user_ids:
        return False
    store.run("DELETE FROM issue_assignees WHERE issue_id = ?", [issue["id"]])
    for position, user_id in enumerate(user_ids):
        store.insert(
            "issue_assignees", {"issue_id": issue["id"], "user_id": user_id, "position": position}
        )
    names = {row["id"]: row["username"] for row in store.all("SELECT id, username FROM users")}
    added = [names[u] for u in user_ids if u not in before]
    removed = [names[u] for u in before if u not in user_ids]
    if added or removed:
        system_notes.add(
            store, issue, call.actor.id, system_notes.assignees_body(added, removed), at
        )
    return True


def update_issue(call: Call, project: Row, issue: Row) -> Row:
    params, store = call.params, call.store
    if not any(params.has(name) for name in UPDATE_FIELDS):
        raise ApiError(
            400,
            {
                "error": ", ".join(UPDATE_FIELDS[:-1]) + " are missing, at least "
                "one parameter must be provided"
            },
        )
    user = call.actor.require_user()
    level = project_level(store, call.actor, project)
    if level < REPORTER and issue["author_id"] != user["id"]:
        raise forbidden()
    permissions.drop_metadata(call, level)
    now = _stamp(call, project, "updated_at")
    typed = quick_actions.parse_param(params, "description", previous=issue["description"])
    changed = _update_fields(call, issue, now)
    changed |= _update_labels(call, project, issue, level, now)
    assignees = _assignee_ids(call, params)
    if assignees is not None:
        changed |= _set_assignees(call, issue, assignees, now)
    changed |= _update_state(call, issue, now)
    if typed.commands:
        fresh = _issue(call, issue["id"])
        changed |= quick_action_run.run(call, project, fresh, typed.commands, now).changed
    if changed:
        store.run("UPDATE issues SET updated_at = ? WHERE id = ?", [now, issue["id"]])
        store.run("UPDATE projects SET last_activity_at = ? WHERE id = ?", [now, project["id"]])
    return _issue(call, issue["id"])


def _update_fields(call: Call, issue: Row, now: str) -> bool:
    params, store = call.params, call.store
    changes: dict[str, object] = {}
    notes: list[str] = []
    title = params.text("title")
    if title is not None and title != issue["title"]:
        if not title.strip():
            raise missing("title")
        changes["title"] = title
        notes.append(system_notes.title_body(issue["title"], title))
    if params.has("description") and params.text("description") != issue["description"]:
        changes["description"] = params.text("description")
        notes.append("changed the description")
    if params.has("due_date") and params.day("due_date") != issue["due_date"]:
        changes["due_date"] = params.day("due_date")
        notes.append(system_notes.due_date_body(params.day("due_date")))
    confidential = params.boolean("confidential")
    if confidential is not None and confidential != bool(issue["confidential"]):
        changes["confidential"] = int(confidential)
        notes.append(system_notes.confidential_body(confidential))
    locked = params.boolean("discussion_locked")
    if locked is not None and locked != issue["discussion_locked"]:
        changes["discussion_locked"] = int(locked)
    store.update("issues", int(issue["id"]), changes)
    for body in notes:
        system_notes.add(store, issue, call.actor.id, body, now)
    if "description" in changes:
        text.process(
            store, issue, call.actor.id, params.text("description"), previous=issue["description"]
        )
    return bool(changes)


def _update_labels(call: Call, project: Row, issue: Row, level: int, now: str) -> bool:
    params, store = call.params, call.store
    if not any(params.has(name) for name in ("labels", "add_labels", "remove_labels")):
        return False
    create = level >= REPORTER
    current = issue_label_rows(store, int(issue["id"]))
    if params.has("labels"):
        current = resolve(store, project, params.names("labels") or [], create=create)
    added = resolve(store, project, params.names("add_labels") or [], create=create)
    removed = set(split_names(params.raw("remove_labels")))
    wanted = [label for label in current if label["id"] not in {a["id"] for a in added}]
    wanted = [label for label in [*wanted, *added] if label["name"] not in removed]
    return set_issue_labels(
        store, int(issue["id"]), call.actor.id, exclusive(wanted, store.settings.tier), now
    )


def _update_state(call: Call, issue: Row, now: str) -> bool:
    event = call.params.text("state_event")
    if event not in (None, "close", "reopen"):
        raise ApiError(400, {"error": "state_event does not have a valid value"})
    if event == "close" and issue["state"] == "opened":
        values = {"state": "closed", "closed_at": now, "closed_by_id": call.actor.id}
        state = "closed"
    elif event == "reopen" and issue["state"] == "closed":
        values = {"state": "opened", "closed_at": None, "closed_by_id": None}
        state = "reopened"
    else:
        return False
    call.store.update("issues", int(issue["id"]), values)
    call.store.insert(
        "state_events",
        {"issue_id": issue["id"], "user_id": call.actor.id, "state": state, "created_at": now},
    )
    return True
