"""Boards kind: keep the declared triage boards and their lists current (pure).

For every place with fetched boards (the accounts project, its group, each collaboration
project) and every board declared for it: create the board when missing, remove lists that
must go (a renamed label's list; with `exact`, every list not declared), move the declared
lists into order with the fewest moves, then add the missing ones where they belong.
Collaboration projects and the group also get the labels their lists need; the accounts
project's labels are the engine's job (it creates the whole catalog there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from triage.changes import (
    Change,
    CreateBoard,
    CreateBoardList,
    CreateLabel,
    DeleteBoardList,
    MoveBoardList,
    Problem,
)
from triage.policy.boards import BoardSpec, BoardsPolicy
from triage.policy.model import LabelCatalog, Tier
from triage.snapshot import Board, Snapshot

if TYPE_CHECKING:
    from triage.plan import Context


@dataclass(frozen=True)
class Place:
    """Where boards live: a project or a group, with what is known of its labels."""

    path: str
    boards: tuple[Board, ...]
    group: bool = False
    labels: frozenset[str] | None = None  # None: not known
    descriptions: Mapping[str, str] | None = None  # label name -> description, if known
    creates_labels: bool = True  # False in the accounts project: the engine creates those

    @property
    def key(self) -> str:
        return f"group:{self.path}" if self.group else self.path


def evaluate(ctx: Context) -> tuple[list[Change], list[Problem]]:
    policies = ctx.policies
    return reconcile(ctx.snapshot, policies.boards, policies.settings.tier, policies.labels)


def evaluate_projects(ctx: Context) -> tuple[list[Change], list[Problem]]:
    """Only the collaboration projects whose boards were read: what a run without the
    boards kind does for the new ones. The accounts project and its group wait for the
    boards run."""
    snapshot = ctx.snapshot
    home = replace(snapshot.accounts_project, boards=None)
    only = replace(snapshot, accounts_project=home, group_boards=None, group_labels=None)
    return evaluate(replace(ctx, snapshot=only))


def reconcile(
    snapshot: Snapshot, policy: BoardsPolicy, tier: Tier, catalog: LabelCatalog
) -> tuple[list[Change], list[Problem]]:
    """Changes that bring every fetched place's boards to the policy; tier limits as problems."""
    changes: list[Change] = []
    problems: list[Problem] = []
    home = snapshot.accounts_project
    if home.boards is not None:
        descriptions = {name: label.description for name, label in snapshot.labels.items()}
        place = Place(home.path, home.boards, descriptions=descriptions, creates_labels=False)
        for spec in policy.accounts_project:
            if not spec.group:
                changes += board_changes(place, spec, catalog)
    group_specs = [spec for spec in policy.accounts_project if spec.group]
    if group_specs and snapshot.group_boards is not None:
        group_changes, problems = _group(snapshot, group_specs, tier, catalog)
        changes += group_changes
    for path in sorted(snapshot.projects):
        project = snapshot.projects[path]
        if project.boards is None or path == home.path:
            continue
        place = Place(path, project.boards, labels=project.labels)
        for spec in policy.collaboration_projects:
            changes += board_changes(place, spec, catalog)
    return changes, problems


def _group(
    snapshot: Snapshot, specs: list[BoardSpec], tier: Tier, catalog: LabelCatalog
) -> tuple[list[Change], list[Problem]]:
    path, _, _ = snapshot.accounts_project.path.rpartition("/")
    boards = snapshot.group_boards or ()
    if not path:
        return [], [Problem("", s.rule, "the accounts project is in no group") for s in specs]
    place = Place(path, boards, group=True, labels=snapshot.group_labels)
    changes: list[Change] = []
    problems: list[Problem] = []
    names = [b.name for b in boards]
    for spec in specs:
        if _find(boards, spec.name) is None and tier == "free" and names:
            problems.append(Problem("", spec.rule, _one_group_board(spec, path, names)))
            continue
        if spec.name not in names:
            names.append(spec.name)
        changes += board_changes(place, spec, catalog)
    return changes, problems


def _one_group_board(spec: BoardSpec, group: str, names: list[str]) -> str:
    return (
        f'board "{spec.name}" not created in group {group}: GitLab Free allows one group '
        f'board and the group has "{names[0]}" (project boards are unlimited)'
    )


def board_changes(place: Place, spec: BoardSpec, catalog: LabelCatalog) -> list[Change]:
    """What brings one board of one place to its declaration."""
    board = _find(place.boards, spec.name)
    lists = sorted(board.lists, key=lambda x: (x.position, x.id)) if board else []
    current = [x.label for x in lists]
    described = {x.label: x.label_description for x in lists}
    renamed = _renamed(current, described, place, spec, catalog)
    removed = [x for x in current if x not in spec.lists and (spec.exact or x in renamed)]
    deletes, moves, creates = arrange(current, spec.lists, removed)
    made = _Maker(place, spec)
    changes: list[Change] = [made.label(x, catalog) for x, _ in creates if _needs_label(place, x)]
    if board is None:
        changes.append(made.board())
    changes += [made.delete(label, renamed.get(label)) for label in deletes]
    changes += [made.move(label, position) for label, position in moves]
    back = {new: old for old, new in renamed.items()}
    changes += [made.create(label, position, back.get(label)) for label, position in creates]
    return changes


def arrange(
    current: list[str], declared: tuple[str, ...], removed: Iterable[str]
) -> tuple[list[str], list[tuple[str, int]], list[tuple[str, int]]]:
    """Deletions, then moves (fewest), then creations that put `declared` in order.

    Positions are list indexes at the time of each step, as GitLab reads them: a moved list
    lands at that index and the lists in between shift by one. Lists nobody declared keep
    their place relative to each other.
    """
    deletes = [label for label in current if label in set(removed)]
    order = [label for label in current if label not in deletes]
    rank = {label: i for i, label in enumerate(declared)}
    settled = set(_longest_in_order([x for x in order if x in rank], rank))
    moves: list[tuple[str, int]] = []
    for label in declared:
        if label in order and label not in settled:
            order.remove(label)
            moves.append((label, _insert(order, label, declared, settled)))
    settled = set(order)
    creates = [(x, _insert(order, x, declared, settled)) for x in declared if x not in order]
    return deletes, moves, creates


def _insert(order: list[str], label: str, declared: tuple[str, ...], settled: set[str]) -> int:
    """Put `label` right after its nearest settled declared predecessor (else right before
    its nearest settled successor, else last), so the settled lists stay in declared order."""
    index = declared.index(label)
    settled.add(label)
    before = [x for x in declared[:index] if x in settled and x in order]
    after = [x for x in declared[index + 1 :] if x in settled and x in order]
    if before:
        position = order.index(before[-1]) + 1
    elif after:
        position = order.index(after[0])
    else:
        position = len(order)
    order.insert(position, label)
    return position


def _longest_in_order(labels: list[str], rank: Mapping[str, int]) -> list[str]:
    """The longest subsequence of `labels` already in declared order: these stay put."""
    best: list[list[str]] = []
    for i, label in enumerate(labels):
        fits = [best[j] for j in range(i) if rank[labels[j]] < rank[label]]
        best.append([*max(fits, key=len, default=[]), label])
    return max(best, key=len, default=[])


def _renamed(
    current: list[str],
    described: Mapping[str, str | None],
    place: Place,
    spec: BoardSpec,
    catalog: LabelCatalog,
) -> dict[str, str]:
    """Lists whose label is a declared label renamed (same description) -> declared name."""
    wanted: dict[str, str] = {}
    for name in spec.lists:
        entry = catalog.get(name)
        if name not in current and entry is not None and entry.description:
            wanted.setdefault(entry.description, name)
    found: dict[str, str] = {}
    for label in current:
        text = described.get(label)
        if text is None and place.descriptions is not None:
            text = place.descriptions.get(label)
        declared = wanted.pop(text, None) if label not in spec.lists and text else None
        if declared is not None:
            found[label] = declared
    return found


def _needs_label(place: Place, name: str) -> bool:
    return place.creates_labels and (place.labels is None or name not in place.labels)


def _find(boards: Iterable[Board], name: str) -> Board | None:
    return min((b for b in boards if b.name == name), key=lambda b: b.id, default=None)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "board"


@dataclass(frozen=True)
class _Maker:
    """Builds one board's changes with their keys and reasons."""

    place: Place
    spec: BoardSpec

    @property
    def key(self) -> str:
        return f"board:{self.place.key}:{_slug(self.spec.name)}"

    def _lists(self) -> str:
        return ", ".join(f"~{x}" for x in self.spec.lists)

    def label(self, name: str, catalog: LabelCatalog) -> CreateLabel:
        entry = catalog.get(name)
        return CreateLabel(
            reason=f'board "{self.spec.name}" has a list for it',
            key=f"label:{self.place.key}:{name}",
            rule=self.spec.rule,
            project=self.place.path,
            name=name,
            color=entry.color if entry else "#6699cc",
            description=entry.description if entry else "",
            group=self.place.group,
        )

    def board(self) -> CreateBoard:
        return CreateBoard(
            reason=f"boards.yml declares it with lists {self._lists()}",
            key=self.key,
            rule=self.spec.rule,
            project=self.place.path,
            name=self.spec.name,
            group=self.place.group,
        )

    def delete(self, label: str, renamed: str | None) -> DeleteBoardList:
        if renamed is not None:
            reason = f"~{label} is ~{renamed} renamed; the board lists ~{renamed}"
        else:
            reason = "not declared in boards.yml and the board is exact"
        return DeleteBoardList(
            reason=reason,
            key=f"{self.key}:delete:{label}",
            rule=self.spec.rule,
            project=self.place.path,
            board=self.spec.name,
            label=label,
            group=self.place.group,
        )

    def move(self, label: str, position: int) -> MoveBoardList:
        return MoveBoardList(
            reason=f"declared order: {self._lists()}",
            key=f"{self.key}:move:{label}:{position}",
            rule=self.spec.rule,
            project=self.place.path,
            board=self.spec.name,
            label=label,
            position=position,
            group=self.place.group,
        )

    def create(self, label: str, position: int, replaces: str | None) -> CreateBoardList:
        if replaces is not None:
            reason = f"replaces the list of ~{replaces} (a renamed ~{label})"
        else:
            reason = f"declared in boards.yml at position {self.spec.lists.index(label)}"
        return CreateBoardList(
            reason=reason,
            key=f"{self.key}:list:{label}",
            rule=self.spec.rule,
            project=self.place.path,
            board=self.spec.name,
            label=label,
            position=position,
            group=self.place.group,
        )
