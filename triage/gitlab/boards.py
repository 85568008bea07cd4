"""Board changes: create boards and label lists, move and delete lists.

Boards are found by name and lists by label name, first in the snapshot, then by reading
the project's boards (one request, lists included) when the snapshot doesn't know them.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from triage.changes import Change, CreateBoard, CreateBoardList, DeleteBoardList, MoveBoardList
from triage.gitlab import convert
from triage.gitlab.client import Connection, project_path
from triage.gitlab.creates import create_once
from triage.gitlab.errors import GitLabError
from triage.snapshot import Board, BoardList, Snapshot


class BoardWriter:
    """Applies board changes, keeping what it learns about boards and labels."""

    def __init__(self, conn: Connection, snapshot: Snapshot) -> None:
        self.conn = conn
        self.boards: dict[str, dict[str, Board]] = {}
        self.label_ids: dict[tuple[str, str], int] = {}
        home = snapshot.accounts_project
        for project in (home, *snapshot.projects.values()):
            if project.boards is not None:
                self.boards[project.path] = {b.name: b for b in project.boards}
        for label in snapshot.labels.values():
            if label.id:
                self.label_ids[(home.path, label.name)] = label.id

    def apply(self, change: Change) -> str:
        if isinstance(change, CreateBoard):
            return self.create_board(change)
        if isinstance(change, CreateBoardList):
            return self.create_list(change)
        if isinstance(change, MoveBoardList):
            return self.move_list(change)
        if isinstance(change, DeleteBoardList):
            return self.delete_list(change)
        raise TypeError(type(change).__name__)  # pragma: no cover

    def _path(self, project: str) -> str:
        return f"{project_path(project)}/boards"

    def _read(self, project: str) -> dict[str, Board]:
        listed = self.conn.list(self._path(project))
        self.boards[project] = {b.name: b for b in map(convert.board, listed)}
        return self.boards[project]

    def board(self, project: str, name: str, reread: bool = False) -> Board:
        known = self.boards.get(project)
        if known is None or name not in known or reread:
            known = self._read(project)
        if name not in known:
            raise GitLabError(f'no board "{name}" in {project}', 404)
        return known[name]

    def label_id(self, project: str, name: str) -> int:
        if (project, name) not in self.label_ids:
            found = self.conn.get(f"{project_path(project)}/labels/{quote(name, safe='')}")
            self.label_ids[(project, name)] = int(found["id"])
        return self.label_ids[(project, name)]

    def create_board(self, change: CreateBoard) -> str:
        created, found = create_once(
            lambda: self.conn.post(self._path(change.project), {"name": change.name}),
            lambda: self._find_board(change.project, change.name),
        )
        self.boards.setdefault(change.project, {})[change.name] = convert.board(created)
        return "found after an unanswered request" if found else "created"

    def _find_board(self, project: str, name: str) -> dict[str, object] | None:
        for item in self.conn.list(self._path(project)):
            if item.get("name") == name:
                return item
        return None

    def create_list(self, change: CreateBoardList) -> str:
        board = self.board(change.project, change.board)
        path = f"{self._path(change.project)}/{board.id}/lists"
        label_id = self.label_id(change.project, change.label)
        created, found = create_once(
            lambda: self.conn.post(path, {"label_id": label_id}),
            lambda: self._find_list(path, change.label),
        )
        position = int(created.get("position") or 0)
        if position != change.position:
            self.conn.put(f"{path}/{created['id']}", {"position": change.position})
            self.boards[change.project].pop(change.board, None)  # positions moved: read again
        else:
            added = BoardList(int(created["id"]), change.label, position)
            self.boards[change.project][change.board] = replace(board, lists=(*board.lists, added))
        return "found after an unanswered request" if found else "created"

    def _find_list(self, path: str, label: str) -> dict[str, object] | None:
        for item in self.conn.list(path):
            if (item.get("label") or {}).get("name") == label:
                return item
        return None

    def _list(self, project: str, board_name: str, label: str) -> tuple[Board, BoardList | None]:
        board = self.board(project, board_name)
        found = next((x for x in board.lists if x.label == label), None)
        if found is None:
            board = self.board(project, board_name, reread=True)
            found = next((x for x in board.lists if x.label == label), None)
        return board, found

    def move_list(self, change: MoveBoardList) -> str:
        board, found = self._list(change.project, change.board, change.label)
        if found is None:
            raise GitLabError(f'no list ~{change.label} on board "{change.board}"', 404)
        path = f"{self._path(change.project)}/{board.id}/lists/{found.id}"
        self.conn.put(path, {"position": change.position})
        self.boards[change.project].pop(change.board, None)
        return "moved"

    def delete_list(self, change: DeleteBoardList) -> str:
        board, found = self._list(change.project, change.board, change.label)
        if found is None:
            return "already gone"
        try:
            self.conn.delete(f"{self._path(change.project)}/{board.id}/lists/{found.id}")
        except GitLabError as exc:
            if not exc.not_found:
                raise
            return "already gone"
        self.boards[change.project].pop(change.board, None)
        return "removed"
