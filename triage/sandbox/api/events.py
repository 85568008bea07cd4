"""Resource label events and resource state events of an issue."""

from __future__ import annotations

from flask import Blueprint, Response

from triage.sandbox.api.issues import find_issue
from triage.sandbox.context import call, page_params, paginated, reply
from triage.sandbox.errors import ApiError
from triage.sandbox.pagination import page_of
from triage.sandbox.serialize_issues import label_event, state_event, users_by_id

blueprint = Blueprint("events", __name__)
ROUTE = "/projects/<id:project_id>/issues/<int:issue_iid>"


def _label_events(project_id: str, issue_iid: int) -> list[dict[str, object]]:
    current = call()
    _, issue = find_issue(current, project_id, issue_iid)
    rows = current.store.all(
        "SELECT * FROM label_events WHERE issue_id = ? ORDER BY id", [issue["id"]]
    )
    users = users_by_id(current.store, [row["user_id"] for row in rows])
    labels = {label["id"]: label for label in current.store.all("SELECT * FROM labels")}
    return [
        label_event(current.view, row, users[row["user_id"]], labels.get(row["label_id"]))
        for row in rows
    ]


def _state_events(project_id: str, issue_iid: int) -> list[dict[str, object]]:
    current = call()
    _, issue = find_issue(current, project_id, issue_iid)
    rows = current.store.all(
        "SELECT * FROM state_events WHERE issue_id = ? ORDER BY id", [issue["id"]]
    )
    users = users_by_id(current.store, [row["user_id"] for row in rows])
    return [state_event(current.view, row, users[row["user_id"]]) for row in rows]


@blueprint.get(f"{ROUTE}/resource_label_events")
def list_label_events(project_id: str, issue_iid: int) -> Response:
    events = _label_events(project_id, issue_iid)
    page = page_params()
    return paginated(page_of(events, page), len(events), page)


@blueprint.get(f"{ROUTE}/resource_label_events/<int:event_id>")
def get_label_event(project_id: str, issue_iid: int, event_id: int) -> Response:
    for event in _label_events(project_id, issue_iid):
        if event["id"] == event_id:
            return reply(event)
    raise ApiError(404, {"message": "404 Not found"})


@blueprint.get(f"{ROUTE}/resource_state_events")
def list_state_events(project_id: str, issue_iid: int) -> Response:
    events = _state_events(project_id, issue_iid)
    page = page_params()
    return paginated(page_of(events, page), len(events), page)


@blueprint.get(f"{ROUTE}/resource_state_events/<int:event_id>")
def get_state_event(project_id: str, issue_iid: int, event_id: int) -> Response:
    for event in _state_events(project_id, issue_iid):
        if event["id"] == event_id:
            return reply(event)
    raise ApiError(404, {"message": "404 Not found"})
