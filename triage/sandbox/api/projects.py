"""Projects: create in a namespace, get, list, and share with a group."""

from __future__ import annotations

from flask import Blueprint, Response, request

from triage.sandbox import keyset
from triage.sandbox.access import (
    ACCESS_LEVELS,
    DEVELOPER,
    MAINTAINER,
    find_group,
    find_project,
    group_level,
    project_level,
    require,
)
from triage.sandbox.api.groups import VISIBILITIES
from triage.sandbox.context import Call, call, page_params, paginated, reply
from triage.sandbox.errors import ApiError, forbidden, not_found
from triage.sandbox.pagination import page_of
from triage.sandbox.serialize import listed_project, project
from triage.sandbox.store import Row, Store

blueprint = Blueprint("projects", __name__)
PROJECT_ORDERS = {
    "id": "id",
    "name": "name",
    "path": "path",
    "created_at": "created_at",
    "updated_at": "last_activity_at",
    "last_activity_at": "last_activity_at",
    "similarity": "id",
    "star_count": "id",
}


def create_project(
    store: Store,
    namespace: Row,
    name: str,
    path: str,
    visibility: str,
    description: str | None = None,
    creator_id: int | None = None,
) -> Row:
    full_path = f"{namespace['full_path']}/{path}"
    errors: dict[str, list[str]] = {}
    if store.one(
        "SELECT id FROM projects WHERE namespace_id = ? AND name = ?", [namespace["id"], name]
    ):
        errors["name"] = ["has already been taken"]
    if store.one("SELECT id FROM projects WHERE full_path = ?", [full_path]):
        errors["path"] = ["has already been taken"]
    if errors:
        raise ApiError(400, {"message": errors})
    now = store.now_text()
    project_id = store.insert(
        "projects",
        {
            "namespace_id": namespace["id"],
            "name": name,
            "path": path,
            "full_path": full_path,
            "description": description,
            "visibility": visibility,
            "creator_id": creator_id,
            "created_at": now,
            "last_activity_at": now,
        },
    )
    row = store.one("SELECT * FROM projects WHERE id = ?", [project_id])
    assert row is not None
    return row


@blueprint.get("/projects")
def list_projects() -> Response:
    current = call()
    params = current.params
    key = params.text("order_by") or "created_at"
    if key not in PROJECT_ORDERS:
        raise ApiError(400, {"error": "order_by does not have a valid value"})
    descending = params.descending()
    # Anonymous callers get the simple shape whatever they ask (GitLab's present_projects).
    simple = bool(params.boolean("simple")) or current.actor.user is None
    use_keyset = keyset.wanted(params.values)
    if use_keyset and key != "id":
        raise ApiError(
            405, {"message": "Keyset pagination is not yet available for this type of request"}
        )
    rows = current.store.all("SELECT * FROM projects")
    rows = [row for row in rows if _listed(current, row)]
    rows.sort(
        key=lambda row: (row[PROJECT_ORDERS[key]], row["id"]),
        reverse=descending,
    )
    page = page_params()
    if use_keyset:
        return _keyset_page(current, rows, page.per_page, simple)
    items = [listed_project(current.view, row, simple=simple) for row in page_of(rows, page)]
    return paginated(items, len(rows), page)


def _listed(current: Call, row: Row) -> bool:
    params = current.params
    search = (params.text("search") or "").lower()
    if search not in str(row["name"]).lower() and search not in str(row["path"]).lower():
        return False
    if params.integer("id_after") is not None and row["id"] <= (params.integer("id_after") or 0):
        return False
    if params.integer("id_before") is not None and row["id"] >= (params.integer("id_before") or 0):
        return False
    if params.boolean("membership") and project_level(current.store, current.actor, row) < 10:
        return False
    try:
        find_project(current.store, current.actor, row["id"])
    except ApiError:
        return False
    return True


def _keyset_page(current: Call, rows: list[Row], per_page: int, simple: bool) -> Response:
    response = reply([listed_project(current.view, row, simple=simple) for row in rows[:per_page]])
    response.headers["X-Per-Page"] = str(per_page)
    if len(rows) > per_page:
        descending = current.params.descending()
        bound = "id_before" if descending else "id_after"
        response.headers["Link"] = keyset.next_link(
            request,
            {bound: str(rows[per_page - 1]["id"]), "per_page": str(per_page)},
            drop=("page", "id_after", "id_before"),
        )
    return response


@blueprint.post("/projects")
def post_project() -> Response:
    current = call()
    user = current.actor.require_user()
    params = current.params
    name, path = params.text("name"), params.text("path")
    if not name and not path:
        raise ApiError(
            400, {"error": "name, path are missing, at least one parameter must be provided"}
        )
    namespace_ident = params.text("namespace_id") or params.text("namespace")
    namespace: Row | None
    if namespace_ident:
        namespace = find_group(current.store, current.actor, namespace_ident)
        require(group_level(current.store, current.actor, namespace), DEVELOPER)
    else:
        namespace = current.store.one(
            "SELECT * FROM namespaces WHERE id = ?", [user["namespace_id"]]
        )
    if namespace is None:
        raise not_found("Namespace")
    visibility = params.text("visibility") or "private"
    if visibility not in VISIBILITIES:
        raise ApiError(400, {"error": "visibility does not have a valid value"})
    row = create_project(
        current.store,
        namespace,
        str(name or path),
        str(path or str(name).lower().replace(" ", "-")),
        visibility,
        params.text("description"),
        int(user["id"]),
    )
    return reply(project(current.view, row), 201)


@blueprint.get("/projects/<id:project_id>")
def get_project(project_id: str) -> Response:
    current = call()
    row = find_project(current.store, current.actor, project_id)
    result = project(current.view, row)
    level = project_level(current.store, current.actor, row)
    result["permissions"] = {
        "project_access": {"access_level": level, "notification_level": 3} if level else None,
        "group_access": None,
    }
    return reply(result)


@blueprint.post("/projects/<id:project_id>/share")
def share(project_id: str) -> Response:
    current = call()
    row = find_project(current.store, current.actor, project_id)
    require(project_level(current.store, current.actor, row), MAINTAINER)
    params = current.params
    absent = [name for name in ("group_id", "group_access") if not params.has(name)]
    if absent:
        raise ApiError(400, {"error": ", ".join(f"{name} is missing" for name in absent)})
    target = find_group(current.store, current.actor, str(params.integer("group_id")))
    access = params.integer("group_access")
    if access not in ACCESS_LEVELS:
        raise ApiError(400, {"error": "group_access does not have a valid value"})
    if current.store.one(
        "SELECT 1 FROM project_group_links WHERE project_id = ? AND group_id = ?",
        [row["id"], target["id"]],
    ):
        raise ApiError(409, {"message": "Group already shared with this group"})
    current.store.insert(
        "project_group_links",
        {"project_id": row["id"], "group_id": target["id"], "access_level": access},
    )
    return reply(
        {
            "id": target["id"],
            "project_id": row["id"],
            "group_id": target["id"],
            "group_access": access,
            "expires_at": params.day("expires_at"),
        },
        201,
    )


@blueprint.delete("/projects/<id:project_id>/share/<int:group_id>")
def unshare(project_id: str, group_id: int) -> Response:
    current = call()
    row = find_project(current.store, current.actor, project_id)
    if project_level(current.store, current.actor, row) < MAINTAINER:
        raise forbidden()
    if not current.store.one(
        "SELECT 1 FROM project_group_links WHERE project_id = ? AND group_id = ?",
        [row["id"], group_id],
    ):
        raise not_found("Group Link")
    current.store.run(
        "DELETE FROM project_group_links WHERE project_id = ? AND group_id = ?",
        [row["id"], group_id],
    )
    return Response(status=204)
