"""Project issue boards and their label lists (positions from 0, moves within 0..max)."""

from __future__ import annotations

from flask import Blueprint, Response

from triage.sandbox.access import REPORTER, find_project, project_level, require
from triage.sandbox.context import Call, call, page_params, paginated, reply
from triage.sandbox.errors import ApiError, missing
from triage.sandbox.labeling import available_labels
from triage.sandbox.pagination import page_of
from triage.sandbox.serialize_labels import board as board_json
from triage.sandbox.serialize_labels import board_list
from triage.sandbox.store import Row

blueprint = Blueprint("boards", __name__)
BOARDS = "/projects/<path:project_id>/boards"
BOARD = f"{BOARDS}/<int:board_id>"
LISTS = f"{BOARD}/lists"


def _project(current: Call, ident: str, *, write: bool) -> Row:
    project = find_project(current.store, current.actor, ident)
    if write:
        require(project_level(current.store, current.actor, project), REPORTER)
    return project


def _board(current: Call, project: Row, board_id: int) -> Row:
    row = current.store.one("SELECT * FROM boards WHERE id = ? AND project_id = ?",
                            [board_id, project["id"]])
    if row is None:
        raise ApiError(404, {"message": "404 Board Not Found"})
    return row


def _list(current: Call, board: Row, list_id: int) -> Row:
    row = current.store.one("SELECT * FROM board_lists WHERE id = ? AND board_id = ?",
                            [list_id, board["id"]])
    if row is None:
        raise ApiError(404, {"message": "404 List Not Found"})
    return row


def _lists(current: Call, board: Row) -> list[Row]:
    return current.store.all("SELECT * FROM board_lists WHERE board_id = ? ORDER BY position",
                             [board["id"]])


@blueprint.get(BOARDS)
def list_boards(project_id: str) -> Response:
    current = call()
    project = _project(current, project_id, write=False)
    rows = current.store.all("SELECT * FROM boards WHERE project_id = ? ORDER BY id",
                             [project["id"]])
    page = page_params()
    return paginated([board_json(current.view, row) for row in page_of(rows, page)], len(rows),
                     page)


@blueprint.get(BOARD)
def get_board(project_id: str, board_id: int) -> Response:
    current = call()
    project = _project(current, project_id, write=False)
    return reply(board_json(current.view, _board(current, project, board_id)))


@blueprint.post(BOARDS)
def post_board(project_id: str) -> Response:
    current = call()
    project = _project(current, project_id, write=True)
    name = current.params.text("name")
    if not name:
        raise missing("name")
    board_id = current.store.insert("boards", {"project_id": project["id"], "name": name,
                                               "created_at": current.store.now_text()})
    return reply(board_json(current.view, _board(current, project, board_id)), 201)


@blueprint.put(BOARD)
def put_board(project_id: str, board_id: int) -> Response:
    current = call()
    project = _project(current, project_id, write=True)
    board = _board(current, project, board_id)
    name = current.params.text("name")
    if name:
        current.store.update("boards", int(board["id"]), {"name": name})
    return reply(board_json(current.view, _board(current, project, board_id)))


@blueprint.delete(BOARD)
def delete_board(project_id: str, board_id: int) -> Response:
    current = call()
    project = _project(current, project_id, write=True)
    board = _board(current, project, board_id)
    current.store.run("DELETE FROM board_lists WHERE board_id = ?", [board["id"]])
    current.store.run("DELETE FROM boards WHERE id = ?", [board["id"]])
    return Response(status=204)


@blueprint.get(LISTS)
def list_lists(project_id: str, board_id: int) -> Response:
    current = call()
    board = _board(current, _project(current, project_id, write=False), board_id)
    rows = _lists(current, board)
    page = page_params()
    return paginated([board_list(current.view, row) for row in page_of(rows, page)], len(rows),
                     page)


@blueprint.get(f"{LISTS}/<int:list_id>")
def get_list(project_id: str, board_id: int, list_id: int) -> Response:
    current = call()
    board = _board(current, _project(current, project_id, write=False), board_id)
    return reply(board_list(current.view, _list(current, board, list_id)))


@blueprint.post(LISTS)
def post_list(project_id: str, board_id: int) -> Response:
    current = call()
    project = _project(current, project_id, write=True)
    board = _board(current, project, board_id)
    label_id = current.params.integer("label_id")
    if label_id is None:
        raise ApiError(400, {"error": "label_id, assignee_id, milestone_id, iteration_id are "
                             "missing, exactly one parameter must be provided"})
    if all(label["id"] != label_id for label in available_labels(current.store, project)):
        raise ApiError(400, {"message": "Label not found"})
    lists = _lists(current, board)
    if any(row["label_id"] == label_id for row in lists):
        raise ApiError(400, {"message": ["Label has already been taken"]})
    list_id = current.store.insert("board_lists", {"board_id": board["id"], "label_id": label_id,
                                                   "position": len(lists)})
    return reply(board_list(current.view, _list(current, board, list_id)), 201)


@blueprint.put(f"{LISTS}/<int:list_id>")
def put_list(project_id: str, board_id: int, list_id: int) -> Response:
    current = call()
    board = _board(current, _project(current, project_id, write=True), board_id)
    moved = _list(current, board, list_id)
    position = current.params.integer("position")
    if position is None:
        raise missing("position")
    others = [row for row in _lists(current, board) if row["id"] != moved["id"]]
    if not 0 <= position <= len(others):
        raise ApiError(400, {"message": {"error": "List could not be moved!"}})
    others.insert(position, moved)
    for index, row in enumerate(others):
        current.store.update("board_lists", int(row["id"]), {"position": index})
    return reply(board_list(current.view, _list(current, board, list_id)))


@blueprint.delete(f"{LISTS}/<int:list_id>")
def delete_list(project_id: str, board_id: int, list_id: int) -> Response:
    current = call()
    board = _board(current, _project(current, project_id, write=True), board_id)
    _list(current, board, list_id)
    current.store.run("DELETE FROM board_lists WHERE id = ?", [list_id])
    for index, row in enumerate(_lists(current, board)):
        current.store.update("board_lists", int(row["id"]), {"position": index})
    return Response(status=204)
