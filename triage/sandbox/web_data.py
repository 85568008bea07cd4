"""What the sandbox's web view shows, read straight from the store as an administrator sees it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from triage.sandbox.access import descendant_ids
from triage.sandbox.serialize_labels import text_color
from triage.sandbox.store import Row, Store, parse_time

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
DEFAULT_COLOUR = "#6699cc"


@dataclass(frozen=True)
class Chip:
    """A label as a coloured chip; `scope` is set for scoped labels (`health::red`)."""

    name: str
    color: str
    text_color: str
    scope: str = ""
    value: str = ""


@dataclass
class IssueItem:
    row: Row
    path: str  # the project's full path
    labels: list[Chip] = field(default_factory=list)
    assignees: list[Row] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.path}#{self.row['iid']}"

    @property
    def href(self) -> str:
        return f"/{self.path}/-/issues/{self.row['iid']}"


def chip(label: Row) -> Chip:
    colour = str(label["color"] or "")
    colour = colour if _COLOUR.fullmatch(colour) else DEFAULT_COLOUR
    name = str(label["name"])
    scope, _, value = name.rpartition("::")
    return Chip(name, colour, text_color(colour), scope, value if scope else "")


def when(text: str | None) -> str:
    """`2026-03-10 06:00 UTC` from a stored timestamp."""
    if not text:
        return ""
    try:
        return parse_time(text).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return text


def project(store: Store, path: str) -> Row | None:
    return store.one("SELECT * FROM projects WHERE full_path = ?", [path])


def group(store: Store, path: str) -> Row | None:
    return store.one("SELECT * FROM namespaces WHERE kind = 'group' AND full_path = ?", [path])


def user(store: Store, username: str) -> Row | None:
    return store.one("SELECT * FROM users WHERE username = ?", [username])


def groups(store: Store) -> list[Row]:
    return store.all("SELECT * FROM namespaces WHERE kind = 'group' ORDER BY full_path")


def projects(store: Store, namespace_ids: list[int] | None = None) -> list[Row]:
    if namespace_ids is None:
        return store.all("SELECT * FROM projects ORDER BY full_path")
    marks = ", ".join("?" for _ in namespace_ids) or "NULL"
    return store.all(
        f"SELECT * FROM projects WHERE namespace_id IN ({marks}) ORDER BY full_path",
        namespace_ids,
    )


def subgroups(store: Store, group_id: int) -> list[Row]:
    return store.all(
        "SELECT * FROM namespaces WHERE kind = 'group' AND parent_id = ? ORDER BY full_path",
        [group_id],
    )


def _labels_of(store: Store, issue_ids: list[int]) -> dict[int, list[Chip]]:
    found: dict[int, list[Chip]] = {issue_id: [] for issue_id in issue_ids}
    if not issue_ids:
        return found
    marks = ", ".join("?" for _ in issue_ids)
    rows = store.all(
        "SELECT il.issue_id, l.name, l.color FROM issue_labels il "
        f"JOIN labels l ON l.id = il.label_id WHERE il.issue_id IN ({marks}) ORDER BY l.name",
        issue_ids,
    )
    for row in rows:
        found[row["issue_id"]].append(chip(row))
    return found


def _assignees_of(store: Store, issue_ids: list[int]) -> dict[int, list[Row]]:
    found: dict[int, list[Row]] = {issue_id: [] for issue_id in issue_ids}
    if not issue_ids:
        return found
    marks = ", ".join("?" for _ in issue_ids)
    rows = store.all(
        "SELECT a.issue_id, u.* FROM issue_assignees a JOIN users u ON u.id = a.user_id "
        f"WHERE a.issue_id IN ({marks}) ORDER BY a.position",
        issue_ids,
    )
    for row in rows:
        found[row["issue_id"]].append(row)
    return found


def items(store: Store, rows: list[Row]) -> list[IssueItem]:
    """Issues with their labels, assignees and project path, in the order given."""
    ids = [int(row["id"]) for row in rows]
    labels = _labels_of(store, ids)
    assignees = _assignees_of(store, ids)
    paths = {row["id"]: row["full_path"] for row in store.all("SELECT id, full_path FROM projects")}
    return [
        IssueItem(row, paths.get(row["project_id"], "?"), labels[row["id"]], assignees[row["id"]])
        for row in rows
    ]


def project_issues(store: Store, project_id: int) -> list[IssueItem]:
    rows = store.all(
        "SELECT * FROM issues WHERE project_id = ? ORDER BY state = 'opened' DESC, iid DESC",
        [project_id],
    )
    return items(store, rows)


def issue(store: Store, project_id: int, iid: int) -> IssueItem | None:
    row = store.one("SELECT * FROM issues WHERE project_id = ? AND iid = ?", [project_id, iid])
    return None if row is None else items(store, [row])[0]


def users_by_id(store: Store) -> dict[int, Row]:
    return {int(row["id"]): row for row in store.all("SELECT * FROM users")}


def notes(store: Store, issue_id: int) -> list[Row]:
    return store.all("SELECT * FROM notes WHERE issue_id = ? ORDER BY created_at, id", [issue_id])


def links(store: Store, issue_id: int) -> list[tuple[str, IssueItem]]:
    """(how this issue relates to the other one, the other one), oldest link first."""
    rows = store.all(
        "SELECT * FROM issue_links WHERE source_issue_id = ? OR target_issue_id = ? "
        "ORDER BY created_at, id",
        [issue_id, issue_id],
    )
    found: list[tuple[str, IssueItem]] = []
    for link in rows:
        outgoing = link["source_issue_id"] == issue_id
        other_id = link["target_issue_id"] if outgoing else link["source_issue_id"]
        other = store.one("SELECT * FROM issues WHERE id = ?", [other_id])
        if other is None:
            continue
        kind = str(link["link_type"])
        if kind == "blocks" and not outgoing:
            kind = "is_blocked_by"
        elif kind == "is_blocked_by" and not outgoing:
            kind = "blocks"
        found.append((kind.replace("_", " "), items(store, [other])[0]))
    return found


@dataclass
class Column:
    label: Chip
    issues: list[IssueItem]


@dataclass
class Board:
    row: Row
    columns: list[Column]


def boards(
    store: Store, *, project_id: int | None = None, group_id: int | None = None
) -> list[Board]:
    """A project's or a group's boards, each list with the open issues carrying its label."""
    if project_id is not None:
        rows = store.all("SELECT * FROM boards WHERE project_id = ? ORDER BY id", [project_id])
        project_ids = [project_id]
    else:
        rows = store.all("SELECT * FROM boards WHERE group_id = ? ORDER BY id", [group_id])
        namespaces = descendant_ids(store, int(group_id or 0))
        project_ids = [int(row["id"]) for row in projects(store, namespaces)]
    return [_board(store, row, project_ids) for row in rows]


def _board(store: Store, row: Row, project_ids: list[int]) -> Board:
    lists = store.all(
        "SELECT bl.position, l.* FROM board_lists bl JOIN labels l ON l.id = bl.label_id "
        "WHERE bl.board_id = ? ORDER BY bl.position, bl.id",
        [row["id"]],
    )
    marks = ", ".join("?" for _ in project_ids) or "NULL"
    columns = []
    for label in lists:
        issues = store.all(
            "SELECT i.* FROM issues i JOIN issue_labels il ON il.issue_id = i.id "
            f"WHERE i.state = 'opened' AND i.project_id IN ({marks}) AND il.label_id = ? "
            "ORDER BY i.created_at, i.id",
            [*project_ids, label["id"]],
        )
        columns.append(Column(chip(label), items(store, issues)))
    return Board(row, columns)


def namespace(store: Store, namespace_id: int) -> Row | None:
    return store.one("SELECT * FROM namespaces WHERE id = ?", [namespace_id])
