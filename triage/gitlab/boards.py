"""Board changes: create boards and label lists, move and delete lists, in a project or
(`group=True`) a group.

Boards are found by name and lists by label name in the place's boards as they are now:
read once per place and run (one request, lists included) before the first change there,
so a board or list that exists already is never created twice. A new list lands last;
when the plan wants it elsewhere it is moved (one more PUT).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import quote

from triage.changes import Change, CreateBoard, CreateBoardList, DeleteBoardList, MoveBoardList
from triage.gitlab import convert
from triage.gitlab.client import Connection, group_path, project_path
from triage.gitlab.creates import DETAILS, create_once
from triage.gitlab.errors import Blocked, GitLabError
from triage.snapshot import Board, BoardList, Snapshot

BoardChange = CreateBoard | CreateBoardList | MoveBoardList | DeleteBoardList


def base(path: str, group: bool) -> str:
    """The API path of a project or group: `/projects/a%2Fb` or `/groups/a`."""
    return group_path(path) if group else project_path(path)


class BoardWriter:
    """Applies board changes, keeping what it learns about boards and labels."""

    def __init__(self, conn: Connection, snapshot: Snapshot) -> None:
        self.conn = conn
        self.boards: dict[str, dict[str, Board]] = {}
        self.label_ids: dict[tuple[str, str], int] = {}
        # boards and labels (by place and name) whose creation failed in this run, and why
        self.failed: dict[tuple[str, str], str] = {}
        home = snapshot.accounts_project
        for label in snapshot.labels.values():
            if label.id:
                self.label_ids[(project_path(home.path), label.name)] = label.id

    def apply(self, change: Change) -> str:
        assert isinstance(change, BoardChange)
        place = base(change.project, change.group)
        if isinstance(change, CreateBoard):
            return self.create_board(place, change.name)
        if isinstance(change, CreateBoardList):
            return self.create_list(place, change)
        if isinstance(change, MoveBoardList):
            return self.move_list(place, change)
        return self.delete_list(place, change)

    def _read(self, place: str) -> dict[str, Board]:
        listed = self.conn.list(f"{place}/boards")
        self.boards[place] = {b.name: b for b in map(convert.board, listed)}
        return self.boards[place]

    def label_failed(self, project: str, group: bool, name: str, reason: str) -> None:
        """A label's creation failed: board lists for it are skipped, not failed again."""
        self.failed[(base(project, group), f"~{name}")] = reason

    def board(self, place: str, name: str, reread: bool = False) -> Board:
        known = self.boards.get(place)
        if (known is None or name not in known) and (place, name) in self.failed:
            raise Blocked(f'board "{name}" was not created ({self.failed[(place, name)]})')
        if known is None or name not in known or reread:
            known = self._read(place)
        if name not in known:
            raise GitLabError(f'no board "{name}"', 404)
        return known[name]

    def label_id(self, place: str, name: str) -> int:
        if (place, f"~{name}") in self.failed and (place, name) not in self.label_ids:
            reason = self.failed[(place, f"~{name}")]
            raise Blocked(f"label ~{name} was not created ({reason})")
        if (place, name) not in self.label_ids:
            found = self.conn.get(f"{place}/labels/{quote(name, safe='')}")
            self.label_ids[(place, name)] = int(found["id"])
        return self.label_ids[(place, name)]

    def create_board(self, place: str, name: str) -> str:
        try:
            known = self.boards[place] if place in self.boards else self._read(place)
            created, how = create_once(
                lambda: self.conn.post(f"{place}/boards", {"name": name}),
                lambda: _named(self.conn.list(f"{place}/boards"), name),
                first=lambda: {"id": known[name].id} if name in known else None,
            )
        except GitLabError as exc:
            self.failed[(place, name)] = str(exc)
            raise
        if how != "exists":
            known[name] = convert.board(created)
        return DETAILS[how]

    def create_list(self, place: str, change: CreateBoardList) -> str:
        board = self.board(place, change.board)
        if any(x.label == change.label for x in board.lists):
            return DETAILS["exists"]
        path = f"{place}/boards/{board.id}/lists"
        label_id = self.label_id(place, change.label)
        created, how = create_once(
            lambda: self.conn.post(path, {"label_id": label_id}),
            lambda: _with_label(self.conn.list(path), change.label),
            first=lambda: None,
        )
        position = int(created.get("position") or 0)
        if position != change.position:
            self.conn.put(f"{path}/{created['id']}", {"position": change.position})
            self.boards[place].pop(change.board, None)  # positions shifted: read again
        else:
            added = BoardList(int(created["id"]), change.label, position)
            self.boards[place][change.board] = replace(board, lists=(*board.lists, added))
        return DETAILS[how]

    def _list(self, place: str, board_name: str, label: str) -> tuple[Board, BoardList | None]:
        board = self.board(place, board_name)
        found = next((x for x in board.lists if x.label == label), None)
        if found is None:
            board = self.board(place, board_name, reread=True)
            found = next((x for x in board.lists if x.label == label), None)
        return board, found

    def move_list(self, place: str, change: MoveBoardList) -> str:
        board, found = self._list(place, change.board, change.label)
        if found is None:
            raise GitLabError(f'no list ~{change.label} on board "{change.board}"', 404)
        path = f"{place}/boards/{board.id}/lists/{found.id}"
        self.conn.put(path, {"position": change.position})
        self.boards[place].pop(change.board, None)  # positions shifted: read again
        return "moved"

    def delete_list(self, place: str, change: DeleteBoardList) -> str:
        board, found = self._list(place, change.board, change.label)
        if found is None:
            return "already gone"
        try:
            self.conn.delete(f"{place}/boards/{board.id}/lists/{found.id}")
        except GitLabError as exc:
            if not exc.not_found:
                raise
            return "already gone"
        self.boards[place].pop(change.board, None)
        return "removed"


def _named(items: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    return next((item for item in items if item.get("name") == name), None)


def _with_label(items: list[dict[str, Any]], label: str) -> dict[str, Any] | None:
    return next((item for item in items if (item.get("label") or {}).get("name") == label), None)
