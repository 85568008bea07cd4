"""Notes on issues: list (sort, order_by), get, create, edit, delete."""

from __future__ import annotations

from flask import Blueprint, Response

from triage.sandbox import quick_action_run, quick_actions, text
from triage.sandbox.access import MAINTAINER, REPORTER, project_level
from triage.sandbox.api.issues import find_issue
from triage.sandbox.context import Call, call, page_params, paginated, reply
from triage.sandbox.errors import ApiError, forbidden, missing
from triage.sandbox.issue_changes import may_backdate
from triage.sandbox.pagination import page_of
from triage.sandbox.serialize_issues import note as note_json
from triage.sandbox.serialize_issues import users_by_id
from triage.sandbox.store import Row, format_time

blueprint = Blueprint("notes", __name__)
ROUTE = "/projects/<id:project_id>/issues/<int:issue_iid>/notes"


def _note(current: Call, issue: Row, note_id: int) -> Row:
    row = current.store.one(
        "SELECT * FROM notes WHERE id = ? AND issue_id = ?", [note_id, issue["id"]]
    )
    if row is None:
        raise ApiError(404, {"message": "404 Note Not Found"})
    return row


def _json(current: Call, issue: Row, row: Row) -> dict[str, object]:
    author = users_by_id(current.store, [row["author_id"]])[int(row["author_id"])]
    return note_json(current.view, row, issue, author)


@blueprint.get(ROUTE)
def list_notes(project_id: str, issue_iid: int) -> Response:
    current = call()
    project, issue = find_issue(current, project_id, issue_iid)
    key = current.params.text("order_by") or "created_at"
    if key not in ("created_at", "updated_at"):
        raise ApiError(400, {"error": "order_by does not have a valid value"})
    direction = "DESC" if current.params.descending() else "ASC"
    internal = (
        ""
        if project_level(current.store, current.actor, project) >= REPORTER
        else "AND internal = 0"
    )
    rows = current.store.all(
        f"SELECT * FROM notes WHERE issue_id = ? {internal} "
        f"ORDER BY {key} {direction}, id {direction}",
        [issue["id"]],
    )
    page = page_params()
    shown = page_of(rows, page)
    authors = users_by_id(current.store, [row["author_id"] for row in shown])
    items = [note_json(current.view, row, issue, authors[row["author_id"]]) for row in shown]
    return paginated(items, len(rows), page)


@blueprint.get(f"{ROUTE}/<int:note_id>")
def get_note(project_id: str, issue_iid: int, note_id: int) -> Response:
    current = call()
    project, issue = find_issue(current, project_id, issue_iid)
    row = _note(current, issue, note_id)
    if row["internal"] and project_level(current.store, current.actor, project) < REPORTER:
        raise ApiError(404, {"message": "404 Note Not Found"})
    return reply(_json(current, issue, row))


@blueprint.post(ROUTE)
def post_note(project_id: str, issue_iid: int) -> Response:
    current = call()
    project, issue = find_issue(current, project_id, issue_iid)
    user = current.actor.require_user()
    body = current.params.text("body")
    if not body:
        raise missing("body")
    internal = bool(current.params.boolean("internal") or current.params.boolean("confidential"))
    if internal and project_level(current.store, current.actor, project) < REPORTER:
        raise forbidden()
    now = current.store.now_text()
    moment = current.params.moment("created_at")
    created_at = format_time(moment) if moment and may_backdate(current, project) else now
    typed = quick_actions.parse(body)
    if typed.commands and not (typed.text or "").strip():
        outcome = quick_action_run.run(current, project, issue, typed.commands, now)
        return reply(outcome.answer(), 202)
    body = str(typed.text)
    note_id = current.store.insert(
        "notes",
        {
            "issue_id": issue["id"],
            "author_id": user["id"],
            "body": body,
            "system": 0,
            "internal": int(internal),
            "created_at": created_at,
            "updated_at": created_at,
        },
    )
    current.store.run("UPDATE issues SET updated_at = ? WHERE id = ?", [now, issue["id"]])
    current.store.run("UPDATE projects SET last_activity_at = ? WHERE id = ?", [now, project["id"]])
    text.process(current.store, issue, int(user["id"]), body, note_id=note_id)
    if typed.commands:
        quick_action_run.run(
            current, project, find_issue(current, project_id, issue_iid)[1], typed.commands, now
        )
    return reply(_json(current, issue, _note(current, issue, note_id)), 201)


@blueprint.put(f"{ROUTE}/<int:note_id>")
def put_note(project_id: str, issue_iid: int, note_id: int) -> Response:
    current = call()
    _, issue = find_issue(current, project_id, issue_iid)
    row = _note(current, issue, note_id)
    if row["system"] or (row["author_id"] != current.actor.id and not current.actor.is_admin):
        raise forbidden()
    body = current.params.text("body")
    if body is None and current.params.boolean("confidential") is None:
        raise missing("body")
    now = current.store.now_text()
    if body is not None and body != row["body"]:
        current.store.update("notes", note_id, {"body": body, "updated_at": now})
        current.store.run("UPDATE issues SET updated_at = ? WHERE id = ?", [now, issue["id"]])
        text.process(current.store, issue, current.actor.id, body, previous=row["body"])
    return reply(_json(current, issue, _note(current, issue, note_id)))


@blueprint.delete(f"{ROUTE}/<int:note_id>")
def delete_note(project_id: str, issue_iid: int, note_id: int) -> Response:
    current = call()
    project, issue = find_issue(current, project_id, issue_iid)
    row = _note(current, issue, note_id)
    level = project_level(current.store, current.actor, project)
    if row["system"] or (row["author_id"] != current.actor.id and level < MAINTAINER):
        raise forbidden()
    current.store.run("DELETE FROM notes WHERE id = ?", [note_id])
    current.store.run(
        "UPDATE issues SET updated_at = ? WHERE id = ?", [current.store.now_text(), issue["id"]]
    )
    return Response(status=204)
