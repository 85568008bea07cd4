"""`boards.yml`: the triage boards salsatam keeps current.

Boards are declared for the accounts project (or, with `group: true`, its group) and once
for every collaboration project. Each board is a name and its label lists in order; every
list is a label from labels.yml. With `exact: true` lists nobody declared are removed;
otherwise lists a person added stay where they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from triage.policy.parsing import KeyPath, ParseContext

if TYPE_CHECKING:
    from triage.snapshot import Project


def _board_schema(title: str, group: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "lists": {
            "type": "array",
            "description": "Label names from labels.yml, one list each, left to right.",
            "minItems": 1,
            "items": {"type": "string", "minLength": 1},
        },
        "exact": {
            "type": "boolean",
            "description": "Remove lists that are not declared (default false: keep them).",
        },
    }
    if group:
        properties["group"] = {
            "type": "boolean",
            "description": "A board of the accounts project's group (group labels only).",
        }
    return {
        "type": "object",
        "title": title,
        "additionalProperties": False,
        "required": ["name", "lists"],
        "properties": properties,
    }


SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "boards.yml: triage boards kept current",
    "additionalProperties": False,
    "properties": {
        "enabled": {"type": "boolean"},
        "accounts_project": {
            "type": "array",
            "description": "Boards of the accounts project (or its group).",
            "items": _board_schema("a board of the accounts project", group=True),
        },
        "collaboration_projects": {
            "type": "array",
            "description": "Boards every collaboration project gets.",
            "items": _board_schema("a board of each collaboration project", group=False),
        },
        "new_project_days": {
            "type": "integer",
            "minimum": 0,
            "description": "A collaboration project this many days old or younger counts as "
            "new: runs without the boards kind read the boards of just those and keep them "
            "current, so a new customer gets its board on the first run.",
        },
    },
}


@dataclass(frozen=True)
class BoardSpec:
    """One declared board: its name, its label lists in order, and how strict it is."""

    name: str
    lists: tuple[str, ...]
    exact: bool = False
    group: bool = False  # in the accounts project's group instead of the project

    @property
    def rule(self) -> str:
        return f"boards:{self.name}"


@dataclass(frozen=True)
class BoardsPolicy:
    enabled: bool = True
    accounts_project: tuple[BoardSpec, ...] = ()
    collaboration_projects: tuple[BoardSpec, ...] = ()
    new_project_days: int = 7

    def projects_due(
        self, projects: Iterable[Project], now: datetime, scheduled: bool
    ) -> tuple[str, ...]:
        """Collaboration projects whose boards a run reads: all of them when the boards
        kind runs (`scheduled`), else only those created in the last `new_project_days`
        days (their boards are then kept current by that run)."""
        if not self.enabled or not self.collaboration_projects:
            return ()
        recent = now - timedelta(days=self.new_project_days)
        return tuple(
            sorted(
                p.path
                for p in projects
                if scheduled or (p.created_at is not None and p.created_at >= recent)
            )
        )


def parse(data: Mapping[str, Any], ctx: ParseContext) -> BoardsPolicy:
    """The typed policy; unknown labels, repeated lists and repeated names are problems."""
    return BoardsPolicy(
        enabled=bool(data.get("enabled", True)),
        accounts_project=_boards(data.get("accounts_project", ()), ctx, "accounts_project"),
        collaboration_projects=_boards(
            data.get("collaboration_projects", ()), ctx, "collaboration_projects"
        ),
        new_project_days=int(data.get("new_project_days", BoardsPolicy.new_project_days)),
    )


def _boards(items: Any, ctx: ParseContext, section: str) -> tuple[BoardSpec, ...]:
    boards: list[BoardSpec] = []
    for index, entry in enumerate(items):
        board = _board(entry, ctx, (section, index))
        if any(b.name == board.name and b.group == board.group for b in boards):
            ctx.problem((section, index, "name"), f"board '{board.name}' is declared twice")
            continue
        boards.append(board)
    return tuple(boards)


def _board(entry: Mapping[str, Any], ctx: ParseContext, path: KeyPath) -> BoardSpec:
    lists: list[str] = []
    for index, name in enumerate(entry["lists"]):
        where = (*path, "lists", index)
        if name in lists:
            ctx.problem(where, f"label '{name}' has a list on this board already")
            continue
        lists.append(ctx.label(where, name))
    return BoardSpec(
        name=str(entry["name"]).strip(),
        lists=tuple(lists),
        exact=bool(entry.get("exact", False)),
        group=bool(entry.get("group", False)),
    )
