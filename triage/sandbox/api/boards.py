"""Issue boards of projects and groups, and their label lists.

List positions start at 0 and a move stays within 0..max. Group boards take the labels of
the group and its ancestors; on Free a group has at most one board, a project any number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response

from triage.sandbox.access import (
    REPORTER,
    find_group,
    find_project,
    group_level,
    project_level,
    require,
)
from triage.sandbox.context import Call, call, page_params, paginated, reply
from triage.sandbox.errors import ApiError, forbidden, missing
from triage.sandbox.labeling import PAID_TIERS, available_labels, group_labels
from triage.sandbox.pagination import page_of
from triage.sandbox.serialize_labels import board as board_json
from triage.sandbox.serialize_labels import board_list
from triage.sandbox.store import Row

blueprint = Blueprint("boards", __name__)
View = Callable[..., Any]


@dataclass(frozen=True)
class Place:
    """The project or group that owns boards."""

    column: str
    row: Row
    labels: list[Row]


def _place(current: Call, kind: str, ident: str, *, write: bool) -> Place:
    if kind == "projects":
        project = find_project(current.store, current.actor, ident)
        if write:
            require(project_level(current.store, current.actor, project), REPORTER)
        return Place("project_id", project, available_labels(current.store, project))
    group = find_group(current.store, current.actor, ident)
    if write:
        require(group_level(current.store, current.actor, group), REPORTER)
    return Place("group_id", group, group_labels(current.store, int(group["id"]), ancestors=True))


def route(rule: str, method: str) -> Callable[[View], View]:
    """Register a view under both `/projects/:id/boards...` and `/groups/:id/boards...`."""

    def register(view: View) -> View:
        for kind in ("projects", "groups"):
            blueprint.add_url_rule(
                f"/{kind}/<id:ident>/boards{rule}",
                f"{kind}_{view.__name__}",
                view,
                methods=[method],
                defaults={"kind": kind},
            )
        return view

    return register


def _boards(current: Call, place: Place) -> list[Row]:
    return current.store.all(
        f"SELECT * FROM boards WHERE {place.column} = ? ORDER BY id", [place.row["id"]]
    )


def _board(current: Call, place: Place, board_id: int) -> Row:
    row = current.store.one(
        f"SELECT * FROM boards WHERE id = ? AND {place.column} = ?", [board_id, place.row["id"]]
    )
    if row is None:
        raise ApiError(404, {"message": "404 Board Not Found"})
    return row


def _list(current: Call, board: Row, list_id: int) -> Row:
    row = current.store.one(
        "SELECT * FROM board_lists WHERE id = ? AND board_id = ?", [list_id, board["id"]]
    )
    if row is None:
        raise ApiError(404, {"message": "404 List Not Found"})
    return row


def _lists(current: Call, board: Row) -> list[Row]:
    return current.store.all(
        "SELECT * FROM board_lists WHERE board_id = ? ORDER BY position", [board["id"]]
    )


def _renumber(current: Call, rows: list[Row]) -> None:
    for index, row in enumerate(rows):
        current.store.update("board_lists", int(row["id"]), {"position": index})


@route("", "GET")
def list_boards(kind: str, ident: str) -> Response:
    current = call()
    rows = _boards(current, _place(current, kind, ident, write=False))
    page = page_params()
    items = [board_json(current.view, row) for row in page_of(rows, page)]
    return paginated(items, len(rows), page)


@route("/<int:board_id>", "GET")
def get_board(kind: str, ident: str, board_id: int) -> Response:
    current = call()
    place = _place(current, kind, ident, write=False)
    return reply(board_json(current.view, _board(current, place, board_id)))


@route("", "POST")
def post_board(kind: str, ident: str) -> Response:
    current = call()
    place = _place(current, kind, ident, write=True)
    name = current.params.text("name")
    if not name:
        raise missing("name")
    paid = current.store.settings.tier in PAID_TIERS
    if place.column == "group_id" and not paid and _boards(current, place):
        raise forbidden()
    board_id = current.store.insert(
        "boards",
        {place.column: place.row["id"], "name": name, "created_at": current.store.now_text()},
    )
    return reply(board_json(current.view, _board(current, place, board_id)), 201)


@route("/<int:board_id>", "PUT")
def put_board(kind: str, ident: str, board_id: int) -> Response:
    current = call()
    place = _place(current, kind, ident, write=True)
    board = _board(current, place, board_id)
    name = current.params.text("name")
    if name:
        current.store.update("boards", int(board["id"]), {"name": name})
    return reply(board_json(current.view, _board(current, place, board_id)))


@route("/<int:board_id>", "DELETE")
def delete_board(kind: str, ident: str, board_id: int) -> Response:
    current = call()
    board = _board(current, _place(current, kind, ident, write=True), board_id)
    current.store.run("DELETE FROM board_lists WHERE board_id = ?", [board["id"]])
    current.store.run("DELETE FROM boards WHERE id = ?", [board["id"]])
    return Response(status=204)


@route("/<int:board_id>/lists", "GET")
def list_lists(kind: str, ident: str, board_id: int) -> Response:
    current = call()
    board = _board(current, _place(current, kind, ident, write=False), board_id)
    rows = _lists(current, board)
    page = page_params()
    items = [board_list(current.view, row) for row in page_of(rows, page)]
    return paginated(items, len(rows), page)


@route("/<int:board_id>/lists/<int:list_id>", "GET")
def get_list(kind: str, ident: str, board_id: int, list_id: int) -> Response:
    current = call()
    board = _board(current, _place(current, kind, ident, write=False), board_id)
    return reply(board_list(current.view, _list(current, board, list_id)))


@route("/<int:board_id>/lists", "POST")
def post_list(kind: str, ident: str, board_id: int) -> Response:
    current = call()
    place = _place(current, kind, ident, write=True)
    board = _board(current, place, board_id)
    label_id = current.params.integer("label_id")
    if label_id is None:
        raise ApiError(
            400,
            {
                "error": "label_id, assignee_id, milestone_id, iteration_id are missing, "
                "exactly one parameter must be provided"
            },
        )
    if all(label["id"] != label_id for label in place.labels):
        raise ApiError(400, {"message": {"error": "Label not found!"}})
    lists = _lists(current, board)
    if any(row["label_id"] == label_id for row in lists):
        raise ApiError(400, {"message": {"error": "Label has already been taken"}})
    list_id = current.store.insert(
        "board_lists", {"board_id": board["id"], "label_id": label_id, "position": len(lists)}
    )
    return reply(board_list(current.view, _list(current, board, list_id)), 201)


@route("/<int:board_id>/lists/<int:list_id>", "PUT")
def put_list(kind: str, ident: str, board_id: int, list_id: int) -> Response:
    current = call()
    board = _board(current, _place(current, kind, ident, write=True), board_id)
    moved = _list(current, board, list_id)
    position = current.params.integer("position")
    if position is None:
        raise missing("position")
    others = [row for row in _lists(current, board) if row["id"] != moved["id"]]
    if not 0 <= position <= len(others):
        raise ApiError(400, {"message": {"error": "List could not be moved!"}})
    others.insert(position, moved)
    _renumber(current, others)
    return reply(board_list(current.view, _list(current, board, list_id)))


@route("/<int:board_id>/lists/<int:list_id>", "DELETE")
def delete_list(kind: str, ident: str, board_id: int, list_id: int) -> Response:
    current = call()
    board = _board(current, _place(current, kind, ident, write=True), board_id)
    _list(current, board, list_id)
    current.store.run("DELETE FROM board_lists WHERE id = ?", [list_id])
    _renumber(current, _lists(current, board))
    return Response(status=204)
