"""Issues: project, group and global lists with GitLab's filters; get, create, edit, delete."""

from __future__ import annotations

from flask import Blueprint, Response, request

from triage.sandbox import issue_query, keyset
from triage.sandbox.access import (
    OWNER,
    REPORTER,
    descendant_ids,
    find_group,
    find_project,
    project_level,
    require,
)
from triage.sandbox.context import Call, call, page_params, paginated, reply
from triage.sandbox.errors import ApiError
from triage.sandbox.issue_changes import create_issue, update_issue
from triage.sandbox.serialize_issues import issue as issue_json
from triage.sandbox.serialize_issues import issues as issues_json
from triage.sandbox.store import Row

blueprint = Blueprint("issues", __name__)


def issue_not_found() -> ApiError:
    return ApiError(404, {"message": "404 Issue Not Found"})


def can_see(current: Call, project: Row, issue: Row) -> bool:
    if not issue["confidential"] or current.actor.is_admin:
        return True
    if current.actor.user is None:
        return False
    if project_level(current.store, current.actor, project) >= REPORTER:
        return True
    if issue["author_id"] == current.actor.id:
        return True
    return (
        current.store.one(
            "SELECT 1 FROM issue_assignees WHERE issue_id = ? AND user_id = ?",
            [issue["id"], current.actor.id],
        )
        is not None
    )


def find_issue(current: Call, project_ident: str, iid: int) -> tuple[Row, Row]:
    """The project and its issue `iid`, if the actor may see both (else 404)."""
    project = find_project(current.store, current.actor, project_ident)
    issue = current.store.one(
        "SELECT * FROM issues WHERE project_id = ? AND iid = ?", [project["id"], iid]
    )
    if issue is None or not can_see(current, project, issue):
        raise issue_not_found()
    return project, issue


def _readable(current: Call, rows: list[Row]) -> list[Row]:
    found = []
    for row in rows:
        try:
            found.append(find_project(current.store, current.actor, row["id"]))
        except ApiError:
            continue
    return found


def _listing(current: Call, projects: list[Row], *, keyset_allowed: bool = False) -> Response:
    query = issue_query.build(current, projects)
    page = page_params()
    order = current.params.text("order_by") or "created_at"
    if keyset_allowed and keyset.wanted(current.params.values) and order in keyset.ISSUE_COLUMNS:
        return _keyset_listing(current, query, page.per_page, order)
    total = int(
        current.store.scalar(f"SELECT COUNT(*) FROM issues i WHERE {query.where()}", query.values)
    )
    rows = current.store.all(
        f"SELECT i.* FROM issues i WHERE {query.where()} "
        f"ORDER BY {issue_query.order_by(current.params)} LIMIT ? OFFSET ?",
        [*query.values, page.per_page, page.offset],
    )
    items = issues_json(current.view, rows)
    if current.params.boolean("with_labels_details"):
        _label_details(current, rows, items)
    return paginated(items, total, page)


def _keyset_listing(
    current: Call, query: issue_query.IssueQuery, per_page: int, order: str
) -> Response:
    column = keyset.ISSUE_COLUMNS[order]
    descending = current.params.descending()
    cursor = current.params.text("cursor")
    if cursor:
        clause, values = keyset.after(column, descending, keyset.decode(cursor))
        query.add(clause, *values)
    direction = "DESC" if descending else "ASC"
    rows = current.store.all(
        f"SELECT i.* FROM issues i WHERE {query.where()} "
        f"ORDER BY {column} {direction}, i.id {direction} LIMIT ?",
        [*query.values, per_page + 1],
    )
    response = reply(issues_json(current.view, rows[:per_page]))
    response.headers["X-Per-Page"] = str(per_page)
    if len(rows) > per_page:
        last = rows[per_page - 1]
        value = last[column.removeprefix("i.")]
        token = keyset.encode({"value": value, "id": last["id"]})
        response.headers["Link"] = keyset.next_link(
            request, {"cursor": token, "per_page": str(per_page)}, drop=("page",)
        )
    return response


def _label_details(current: Call, rows: list[Row], items: list[dict[str, object]]) -> None:
    from triage.sandbox.labeling import issue_label_rows
    from triage.sandbox.serialize_labels import label_basic

    for row, item in zip(rows, items, strict=True):
        labels = sorted(
            issue_label_rows(current.store, int(row["id"])), key=lambda label: str(label["name"])
        )
        item["labels"] = [label_basic(label) for label in labels]


@blueprint.get("/projects/<id:project_id>/issues")
def project_issues(project_id: str) -> Response:
    current = call()
    _list_params(current, "all")
    project = find_project(current.store, current.actor, project_id)
    return _listing(current, [project], keyset_allowed=True)


@blueprint.get("/groups/<id:group_id>/issues")
def group_issues(group_id: str) -> Response:
    current = call()
    _list_params(current, "all")
    group = find_group(current.store, current.actor, group_id)
    ids = descendant_ids(current.store, int(group["id"]))
    marks = ",".join("?" for _ in ids)
    projects = current.store.all(f"SELECT * FROM projects WHERE namespace_id IN ({marks})", ids)
    return _listing(current, _readable(current, projects))


@blueprint.get("/issues")
def all_issues() -> Response:
    current = call()
    current.actor.require_user()
    _list_params(current, "created_by_me")
    projects = _readable(current, current.store.all("SELECT * FROM projects"))
    return _listing(current, projects)


SCOPES = ("created-by-me", "assigned-to-me", "created_by_me", "assigned_to_me", "all")


def _list_params(current: Call, default: str) -> None:
    """Check the enumerated parameters first (Grape does, before the endpoint runs) and apply
    `scope`: issues the caller created or is assigned, or all (anonymous: none of theirs)."""
    issue_query.order_by(current.params)
    scope = current.params.choice("scope", SCOPES, default).replace("-", "_")
    user_id = current.actor.user["id"] if current.actor.user else -1
    if scope == "created_by_me":
        current.params.values.setdefault("author_id", user_id)
    elif scope == "assigned_to_me":
        current.params.values.setdefault("assignee_id", user_id)


@blueprint.get("/issues/<int:issue_id>")
def issue_by_id(issue_id: int) -> Response:
    current = call()
    current.actor.require_user()
    if not current.actor.is_admin:
        raise ApiError(403, {"message": "403 Forbidden"})
    issue = current.store.one("SELECT * FROM issues WHERE id = ?", [issue_id])
    if issue is None:
        raise issue_not_found()
    return reply(issue_json(current.view, issue))


@blueprint.get("/projects/<id:project_id>/issues/<int:issue_iid>")
def get_issue(project_id: str, issue_iid: int) -> Response:
    current = call()
    _, issue = find_issue(current, project_id, issue_iid)
    result = issue_json(current.view, issue)
    result["subscribed"] = False
    return reply(result)


@blueprint.post("/projects/<id:project_id>/issues")
def post_issue(project_id: str) -> Response:
    current = call()
    project = find_project(current.store, current.actor, project_id)
    return reply(issue_json(current.view, create_issue(current, project)), 201)


@blueprint.put("/projects/<id:project_id>/issues/<int:issue_iid>")
def put_issue(project_id: str, issue_iid: int) -> Response:
    current = call()
    project, issue = find_issue(current, project_id, issue_iid)
    return reply(issue_json(current.view, update_issue(current, project, issue)))


@blueprint.delete("/projects/<id:project_id>/issues/<int:issue_iid>")
def delete_issue(project_id: str, issue_iid: int) -> Response:
    current = call()
    project, issue = find_issue(current, project_id, issue_iid)
    require(project_level(current.store, current.actor, project), OWNER)
    store = current.store
    for table, column in (
        ("issue_labels", "issue_id"),
        ("issue_assignees", "issue_id"),
        ("notes", "issue_id"),
        ("label_events", "issue_id"),
        ("state_events", "issue_id"),
        ("issue_links", "source_issue_id"),
        ("issue_links", "target_issue_id"),
    ):
        store.run(f"DELETE FROM {table} WHERE {column} = ?", [issue["id"]])
    store.run("DELETE FROM issues WHERE id = ?", [issue["id"]])
    return Response(status=204)
