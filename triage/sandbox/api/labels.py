"""Project labels and group labels: list, get, create, update (both URL forms), delete."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Blueprint, Response

from triage.sandbox.access import (
    REPORTER,
    descendant_ids,
    find_group,
    find_project,
    group_level,
    project_level,
    require,
)
from triage.sandbox.context import Call, call, page_params, paginated, reply
from triage.sandbox.errors import ApiError, conflict, missing, validation
from triage.sandbox.labeling import available_labels, create_project_label, group_labels
from triage.sandbox.pagination import page_of
from triage.sandbox.serialize_labels import group_label, project_label
from triage.sandbox.store import Row, Store

blueprint = Blueprint("labels", __name__)
_COLOR = re.compile(r"^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
UPDATE_FIELDS = ("new_name", "color", "description", "priority")
# GitLab also takes CSS colour names; the basic ones are stored as their hex value.
CSS_COLORS = {
    "black": "#000000", "silver": "#c0c0c0", "gray": "#808080", "grey": "#808080",
    "white": "#ffffff", "maroon": "#800000", "red": "#ff0000", "purple": "#800080",
    "fuchsia": "#ff00ff", "green": "#008000", "lime": "#00ff00", "olive": "#808000",
    "yellow": "#ffff00", "navy": "#000080", "blue": "#0000ff", "teal": "#008080",
    "aqua": "#00ffff", "orange": "#ffa500",
}  # fmt: skip


def _label_not_found() -> ApiError:
    return ApiError(404, {"message": "404 Label Not Found"})


def _checked(name: str | None, color: str | None) -> str | None:
    """Validate a label's name and colour; answers the colour as stored."""
    errors: dict[str, list[str]] = {}
    if name is not None and ("," in name or not name.strip()):
        errors["title"] = ["is invalid"]
    if color is not None:
        color = CSS_COLORS.get(color.strip().lower(), color.strip())
        if not _COLOR.match(color):
            errors["color"] = ["must be a valid color code"]
    if errors:
        raise validation(errors)
    return color


def _find(labels: list[Row], ident: str | None) -> Row:
    for label in labels:
        if ident is not None and (str(label["id"]) == ident or label["name"] == ident):
            return label
    raise _label_not_found()


def _edit(current: Call, label: Row, taken: list[Row]) -> Row:
    params = current.params
    if not any(params.has(name) for name in UPDATE_FIELDS):
        raise ApiError(
            400,
            {
                "error": "new_name, color, description, priority are missing, "
                "at least one parameter must be provided"
            },
        )
    new_name = params.text("new_name")
    color = _checked(new_name, params.text("color"))
    if new_name and any(
        other["name"] == new_name and other["id"] != label["id"] for other in taken
    ):
        raise validation({"title": ["has already been taken"]})
    values: dict[str, object] = {}
    if new_name:
        values["name"] = new_name
    if color:
        values["color"] = color
    if params.has("description"):
        values["description"] = params.text("description")
    if params.has("priority") and label["project_id"] is not None:
        values["priority"] = params.integer("priority")
    current.store.update("labels", int(label["id"]), values)
    row = current.store.one("SELECT * FROM labels WHERE id = ?", [label["id"]])
    assert row is not None
    return row


def _listed(current: Call, labels: list[Row], view: Callable[[Row], dict[str, object]]) -> Response:
    """One page of the labels whose name holds the `search` parameter (all without one)."""
    search = (current.params.text("search") or "").lower()
    labels = [label for label in labels if search in str(label["name"]).lower()]
    page = page_params()
    return paginated([view(label) for label in page_of(labels, page)], len(labels), page)


def _new_label(current: Call, taken: list[Row]) -> tuple[str, str]:
    """The name and colour (as stored) of a label to create, none of `taken` named alike."""
    params = current.params
    name, color = params.text("name"), params.text("color")
    if not name:
        raise missing("name")
    if not color:
        raise missing("color")
    color = _checked(name, color) or color
    if any(label["name"] == name for label in taken):
        raise conflict("Label already exists")
    return name, color


def delete_label(store: Store, label: Row) -> None:
    store.run("DELETE FROM issue_labels WHERE label_id = ?", [label["id"]])
    store.run("DELETE FROM board_lists WHERE label_id = ?", [label["id"]])
    store.run("DELETE FROM labels WHERE id = ?", [label["id"]])


# -- project labels ---------------------------------------------------------------------
def _project(current: Call, ident: str, *, write: bool) -> Row:
    project = find_project(current.store, current.actor, ident)
    if write:
        require(project_level(current.store, current.actor, project), REPORTER)
    return project


def _project_view(current: Call, project: Row, label: Row) -> dict[str, object]:
    return project_label(
        current.view,
        label,
        project_ids=[int(project["id"])],
        counts=bool(current.params.boolean("with_counts")),
    )


def _own_project_labels(current: Call, project: Row) -> list[Row]:
    """The project's own labels, without those of its groups."""
    return [
        label
        for label in available_labels(current.store, project)
        if label["project_id"] is not None
    ]


@blueprint.get("/projects/<id:project_id>/labels")
def list_project_labels(project_id: str) -> Response:
    current = call()
    project = _project(current, project_id, write=False)
    labels = available_labels(current.store, project)
    if current.params.boolean("include_ancestor_groups") is False:
        labels = [label for label in labels if label["project_id"] is not None]
    return _listed(current, labels, lambda label: _project_view(current, project, label))


@blueprint.get("/projects/<id:project_id>/labels/<label_id>")
def get_project_label(project_id: str, label_id: str) -> Response:
    current = call()
    project = _project(current, project_id, write=False)
    return reply(
        _project_view(current, project, _find(available_labels(current.store, project), label_id))
    )


@blueprint.post("/projects/<id:project_id>/labels")
def post_project_label(project_id: str) -> Response:
    current = call()
    project = _project(current, project_id, write=True)
    name, color = _new_label(current, available_labels(current.store, project))
    params = current.params
    label = create_project_label(
        current.store, project, name, color, params.text("description"), params.integer("priority")
    )
    return reply(_project_view(current, project, label), 201)


@blueprint.put("/projects/<id:project_id>/labels")
@blueprint.put("/projects/<id:project_id>/labels/<label_id>")
def put_project_label(project_id: str, label_id: str | None = None) -> Response:
    current = call()
    project = _project(current, project_id, write=True)
    own = _own_project_labels(current, project)
    label = _find(own, label_id or current.params.text("label_id") or current.params.text("name"))
    return reply(
        _project_view(
            current, project, _edit(current, label, available_labels(current.store, project))
        )
    )


@blueprint.delete("/projects/<id:project_id>/labels")
@blueprint.delete("/projects/<id:project_id>/labels/<label_id>")
def delete_project_label(project_id: str, label_id: str | None = None) -> Response:
    current = call()
    project = _project(current, project_id, write=True)
    own = _own_project_labels(current, project)
    delete_label(current.store, _find(own, label_id or current.params.text("name")))
    return Response(status=204)


# -- group labels -----------------------------------------------------------------------
def _group(current: Call, ident: str, *, write: bool) -> Row:
    group = find_group(current.store, current.actor, ident)
    if write:
        require(group_level(current.store, current.actor, group), REPORTER)
    return group


def _group_view(current: Call, group: Row, label: Row) -> dict[str, object]:
    ids = descendant_ids(current.store, int(group["id"]))
    marks = ",".join("?" for _ in ids)
    projects = [
        int(row["id"])
        for row in current.store.all(
            f"SELECT id FROM projects WHERE namespace_id IN ({marks})", ids
        )
    ]
    return group_label(
        current.view,
        label,
        project_ids=projects,
        counts=bool(current.params.boolean("with_counts")),
    )


@blueprint.get("/groups/<id:group_id>/labels")
def list_group_labels(group_id: str) -> Response:
    current = call()
    group = _group(current, group_id, write=False)
    ancestors = current.params.boolean("include_ancestor_groups") is not False
    labels = group_labels(current.store, int(group["id"]), ancestors=ancestors)
    return _listed(current, labels, lambda label: _group_view(current, group, label))


@blueprint.get("/groups/<id:group_id>/labels/<label_id>")
def get_group_label(group_id: str, label_id: str) -> Response:
    current = call()
    group = _group(current, group_id, write=False)
    labels = group_labels(current.store, int(group["id"]), ancestors=True)
    return reply(_group_view(current, group, _find(labels, label_id)))


@blueprint.post("/groups/<id:group_id>/labels")
def post_group_label(group_id: str) -> Response:
    current = call()
    group = _group(current, group_id, write=True)
    name, color = _new_label(current, group_labels(current.store, int(group["id"]), ancestors=True))
    params = current.params
    label_id = current.store.insert(
        "labels",
        {
            "group_id": group["id"],
            "name": name,
            "color": color,
            "description": params.text("description"),
            "created_at": current.store.now_text(),
        },
    )
    label = current.store.one("SELECT * FROM labels WHERE id = ?", [label_id])
    assert label is not None
    return reply(_group_view(current, group, label), 201)


@blueprint.put("/groups/<id:group_id>/labels")
@blueprint.put("/groups/<id:group_id>/labels/<label_id>")
def put_group_label(group_id: str, label_id: str | None = None) -> Response:
    current = call()
    group = _group(current, group_id, write=True)
    own = group_labels(current.store, int(group["id"]), ancestors=False)
    label = _find(own, label_id or current.params.text("name"))
    return reply(_group_view(current, group, _edit(current, label, own)))


@blueprint.delete("/groups/<id:group_id>/labels")
@blueprint.delete("/groups/<id:group_id>/labels/<label_id>")
def delete_group_label(group_id: str, label_id: str | None = None) -> Response:
    current = call()
    group = _group(current, group_id, write=True)
    own = group_labels(current.store, int(group["id"]), ancestors=False)
    delete_label(current.store, _find(own, label_id or current.params.text("name")))
    return Response(status=204)
