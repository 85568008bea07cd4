"""Groups: create (top-level or subgroup), get, list, subgroups, and a group's projects."""

from __future__ import annotations

from flask import Blueprint, Response, request

from triage.sandbox.access import (
    MAINTAINER,
    OWNER,
    descendant_ids,
    find_group,
    find_project,
    group_level,
    require,
)
from triage.sandbox.context import Call, call, page_params, paginated, reply
from triage.sandbox.errors import ApiError
from triage.sandbox.pagination import page_of
from triage.sandbox.serialize import group, listed_project, project
from triage.sandbox.store import Row, Store

blueprint = Blueprint("groups", __name__)
VISIBILITIES = ("private", "internal", "public")


def create_group(
    store: Store,
    name: str,
    path: str,
    parent: Row | None,
    visibility: str,
    description: str = "",
    owner_id: int | None = None,
) -> Row:
    full_path = f"{parent['full_path']}/{path}" if parent else path
    if store.one("SELECT id FROM namespaces WHERE full_path = ?", [full_path]):
        raise ApiError(400, {"message": 'Failed to save group {:path=>["has already been taken"]}'})
    now = store.now_text()
    group_id = store.insert(
        "namespaces",
        {
            "kind": "group",
            "name": name,
            "path": path,
            "full_path": full_path,
            "parent_id": None if parent is None else parent["id"],
            "visibility": visibility,
            "description": description,
            "created_at": now,
        },
    )
    if owner_id is not None:
        store.insert(
            "members",
            {
                "source_type": "Namespace",
                "source_id": group_id,
                "user_id": owner_id,
                "access_level": OWNER,
                "created_at": now,
                "created_by_id": owner_id,
            },
        )
    row = store.one("SELECT * FROM namespaces WHERE id = ?", [group_id])
    assert row is not None
    return row


def visible_groups(current: Call, rows: list[Row]) -> list[Row]:
    found = []
    for row in rows:
        try:
            find_group(current.store, current.actor, row["id"])
        except ApiError:
            continue
        found.append(row)
    return found


@blueprint.get("/groups")
def list_groups() -> Response:
    current = call()
    params = current.params
    key = params.choice("order_by", ("name", "path", "id", "similarity"), "name")
    descending = params.descending(default="asc")
    rows = current.store.all("SELECT * FROM namespaces WHERE kind = 'group'")
    column = "name" if key == "similarity" else key
    rows.sort(key=lambda row: (row[column], row["id"]), reverse=descending)
    if params.boolean("top_level_only"):
        rows = [row for row in rows if row["parent_id"] is None]
    search = (params.text("search") or "").lower()
    rows = [
        row
        for row in visible_groups(current, rows)
        if search in str(row["name"]).lower() or search in str(row["path"]).lower()
    ]
    page = page_params()
    return paginated([group(current.view, row) for row in page_of(rows, page)], len(rows), page)


@blueprint.post("/groups")
def post_group() -> Response:
    current = call()
    user = current.actor.require_user()
    params = current.params
    absent = [name for name in ("name", "path") if not params.text(name)]
    if absent:
        raise ApiError(400, {"error": ", ".join(f"{name} is missing" for name in absent)})
    parent = None
    if params.integer("parent_id"):
        parent = find_group(current.store, current.actor, str(params.integer("parent_id")))
        require(group_level(current.store, current.actor, parent), MAINTAINER)
    visibility = params.text("visibility") or (parent["visibility"] if parent else "private")
    if visibility not in VISIBILITIES:
        raise ApiError(400, {"error": "visibility does not have a valid value"})
    row = create_group(
        current.store,
        str(params.text("name")),
        str(params.text("path")),
        parent,
        visibility,
        params.text("description") or "",
        int(user["id"]),
    )
    return reply(group(current.view, row), 201)


@blueprint.get("/groups/<id:group_id>")
def get_group(group_id: str) -> Response:
    current = call()
    row = find_group(current.store, current.actor, group_id)
    result = group(current.view, row)
    if current.params.boolean("with_projects") is not False:
        projects = current.store.all(
            "SELECT * FROM projects WHERE namespace_id = ? ORDER BY id LIMIT 100", [row["id"]]
        )
        result["projects"] = [project(current.view, item) for item in _readable(current, projects)]
        result["shared_projects"] = []
    return reply(result)


@blueprint.get("/groups/<id:group_id>/subgroups")
@blueprint.get("/groups/<id:group_id>/descendant_groups")
def subgroups(group_id: str) -> Response:
    current = call()
    row = find_group(current.store, current.actor, group_id)
    if request.path.endswith("/descendant_groups"):
        ids = descendant_ids(current.store, int(row["id"]))[1:]
        marks = ",".join("?" for _ in ids) or "NULL"
        rows = current.store.all(
            f"SELECT * FROM namespaces WHERE id IN ({marks}) ORDER BY name", ids
        )
    else:
        rows = current.store.all(
            "SELECT * FROM namespaces WHERE parent_id = ? ORDER BY name", [row["id"]]
        )
    rows = visible_groups(current, rows)
    page = page_params()
    return paginated([group(current.view, item) for item in page_of(rows, page)], len(rows), page)


def _readable(current: Call, rows: list[Row]) -> list[Row]:
    found = []
    for row in rows:
        try:
            find_project(current.store, current.actor, row["id"])
        except ApiError:
            continue
        found.append(row)
    return found


GROUP_PROJECT_ORDERS = (
    "id",
    "name",
    "path",
    "created_at",
    "updated_at",
    "last_activity_at",
    "similarity",
    "star_count",
)


@blueprint.get("/groups/<id:group_id>/projects")
def group_projects(group_id: str) -> Response:
    current = call()
    params = current.params
    key = params.choice("order_by", GROUP_PROJECT_ORDERS, "created_at")
    descending = params.descending()
    simple = bool(params.boolean("simple"))
    row = find_group(current.store, current.actor, group_id)
    ids = (
        descendant_ids(current.store, int(row["id"]))
        if params.boolean("include_subgroups")
        else [int(row["id"])]
    )
    marks = ",".join("?" for _ in ids)
    sql = f"SELECT * FROM projects WHERE namespace_id IN ({marks})"
    values: list[object] = list(ids)
    if params.boolean("with_shared") is not False:
        sql += " OR id IN (SELECT project_id FROM project_group_links WHERE group_id = ?)"
        values.append(row["id"])
    rows = _readable(current, current.store.all(sql, values))
    search = (params.text("search") or "").lower()
    rows = [
        item
        for item in rows
        if search in str(item["name"]).lower() or search in str(item["path"]).lower()
    ]
    column = {"updated_at": "last_activity_at", "similarity": "id", "star_count": "id"}.get(
        key, key
    )
    rows.sort(key=lambda item: (item[column], item["id"]), reverse=descending)
    page = page_params()
    items = [listed_project(current.view, item, simple=simple) for item in page_of(rows, page)]
    return paginated(items, len(rows), page)
