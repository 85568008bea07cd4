"""Issue links: `relates_to` on every tier, `blocks` / `is_blocked_by` on paid tiers."""

from __future__ import annotations

from flask import Blueprint, Response

from triage.sandbox import system_notes
from triage.sandbox.access import find_project
from triage.sandbox.api.issues import can_see, find_issue
from triage.sandbox.context import Call, call, reply
from triage.sandbox.errors import ApiError, missing
from triage.sandbox.labeling import PAID_TIERS
from triage.sandbox.serialize_issues import issue as issue_json
from triage.sandbox.serialize_issues import issues as issues_json
from triage.sandbox.store import Row

blueprint = Blueprint("links", __name__)
ROUTE = "/projects/<id:project_id>/issues/<int:issue_iid>/links"
REVERSED = {"relates_to": "relates_to", "blocks": "is_blocked_by", "is_blocked_by": "blocks"}
NOTE_TEXT = {
    "relates_to": "marked this issue as related to",
    "blocks": "marked this issue as blocking",
    "is_blocked_by": "marked this issue as blocked by",
}


def _issue(current: Call, issue_id: int) -> Row:
    row = current.store.one("SELECT * FROM issues WHERE id = ?", [issue_id])
    assert row is not None
    return row


def _pair(current: Call, link: Row) -> dict[str, object]:
    return {
        "source_issue": issue_json(current.view, _issue(current, link["source_issue_id"])),
        "target_issue": issue_json(current.view, _issue(current, link["target_issue_id"])),
        "link_type": link["link_type"],
        "link_created_at": link["created_at"],
        "link_updated_at": link["updated_at"],
    }


def _links_of(current: Call, issue: Row) -> list[Row]:
    return current.store.all(
        "SELECT * FROM issue_links WHERE source_issue_id = ? OR "
        "target_issue_id = ? ORDER BY created_at, id",
        [issue["id"], issue["id"]],
    )


@blueprint.get(ROUTE)
def list_links(project_id: str, issue_iid: int) -> Response:
    current = call()
    _, issue = find_issue(current, project_id, issue_iid)
    result = []
    for link in _links_of(current, issue):
        outgoing = link["source_issue_id"] == issue["id"]
        other = _issue(current, link["target_issue_id"] if outgoing else link["source_issue_id"])
        other_project = current.store.one(
            "SELECT * FROM projects WHERE id = ?", [other["project_id"]]
        )
        assert other_project is not None
        if not can_see(current, other_project, other):
            continue
        item = issues_json(current.view, [other])[0]
        item.update(
            {
                "issue_link_id": link["id"],
                "link_type": link["link_type"] if outgoing else REVERSED[link["link_type"]],
                "link_created_at": link["created_at"],
                "link_updated_at": link["updated_at"],
            }
        )
        result.append(item)
    return reply(result)


@blueprint.get(f"{ROUTE}/<int:link_id>")
def get_link(project_id: str, issue_iid: int, link_id: int) -> Response:
    current = call()
    _, issue = find_issue(current, project_id, issue_iid)
    for link in _links_of(current, issue):
        if link["id"] == link_id:
            return reply(_pair(current, link))
    raise ApiError(404, {"message": "404 Not found"})


@blueprint.post(ROUTE)
def post_link(project_id: str, issue_iid: int) -> Response:
    current = call()
    _, issue = find_issue(current, project_id, issue_iid)
    params = current.params
    if not params.has("target_project_id"):
        raise missing("target_project_id")
    if not params.has("target_issue_iid"):
        raise missing("target_issue_iid")
    find_project(current.store, current.actor, str(params.text("target_project_id")))
    _, target = find_issue(
        current, str(params.text("target_project_id")), int(params.integer("target_issue_iid") or 0)
    )
    link_type = params.text("link_type") or "relates_to"
    if link_type not in REVERSED:
        raise ApiError(400, {"error": "link_type does not have a valid value"})
    if link_type != "relates_to" and current.store.settings.tier not in PAID_TIERS:
        raise ApiError(403, {"message": "Blocked issues not available for current license"})
    if target["id"] == issue["id"]:
        raise ApiError(400, {"message": "Cannot link issue to itself"})
    if any(
        {link["source_issue_id"], link["target_issue_id"]} == {issue["id"], target["id"]}
        for link in _links_of(current, issue)
    ):
        raise ApiError(409, {"message": "Issue(s) already assigned"})
    source, other, kind = (
        (target, issue, "blocks") if link_type == "is_blocked_by" else (issue, target, link_type)
    )
    now = current.store.now_text()
    link_id = current.store.insert(
        "issue_links",
        {
            "source_issue_id": source["id"],
            "target_issue_id": other["id"],
            "link_type": kind,
            "created_at": now,
            "updated_at": now,
        },
    )
    author = current.actor.id
    system_notes.add(
        current.store,
        source,
        author,
        f"{NOTE_TEXT[kind]} {system_notes.reference(current.store, other, source)}",
    )
    system_notes.add(
        current.store,
        other,
        author,
        f"{NOTE_TEXT[REVERSED[kind]]} {system_notes.reference(current.store, source, other)}",
    )
    link = current.store.one("SELECT * FROM issue_links WHERE id = ?", [link_id])
    assert link is not None
    pair = _pair(current, link)
    return reply({key: pair[key] for key in ("source_issue", "target_issue", "link_type")}, 201)


@blueprint.delete(f"{ROUTE}/<int:link_id>")
def delete_link(project_id: str, issue_iid: int, link_id: int) -> Response:
    current = call()
    _, issue = find_issue(current, project_id, issue_iid)
    for link in _links_of(current, issue):
        if link["id"] == link_id:
            pair = _pair(current, link)
            current.store.run("DELETE FROM issue_links WHERE id = ?", [link_id])
            source = _issue(current, link["source_issue_id"])
            target = _issue(current, link["target_issue_id"])
            for one, other in ((source, target), (target, source)):
                system_notes.add(
                    current.store,
                    one,
                    current.actor.id,
                    "removed the relation "
                    f"with {system_notes.reference(current.store, other, one)}",
                )
            return reply({key: pair[key] for key in ("source_issue", "target_issue", "link_type")})
    raise ApiError(404, {"message": "404 Not found"})
