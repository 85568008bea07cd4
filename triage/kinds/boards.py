"""Boards kind: keep the declared triage boards and their lists current (pure).

For every place with fetched boards (the accounts project, its group, each collaboration
project) and every board declared for it: create the board when missing, remove lists that
must go (with `exact`, every list not declared), move the declared lists into order with
the fewest moves, then add the missing ones where they belong. Collaboration projects and
the group also get the labels their lists need; the accounts project's labels are the
engine's job (it creates the whole catalog there).

A declared label that is missing from a place but lives there under another name (a label
with its description) was renamed in GitLab: that is reported as a problem, the renamed
label's list stands in for the declared one, and neither the label nor its list is created
again, so the issues carrying the new name stay on the board.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
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
                _add(board_changes(place, spec, catalog), changes, problems)
    group_specs = [spec for spec in policy.accounts_project if spec.group]
    if group_specs and snapshot.group_boards is not None:
        _add(_group(snapshot, group_specs, tier, catalog), changes, problems)
    for path in sorted(snapshot.projects):
        project = snapshot.projects[path]
        if project.boards is None or path == home.path:
            continue
        place = Place(path, project.boards, labels=project.labels)
        for spec in policy.collaboration_projects:
            _add(board_changes(place, spec, catalog), changes, problems)
    return changes, problems


def _add(
    found: tuple[list[Change], list[Problem]], changes: list[Change], problems: list[Problem]
) -> None:
    changes += found[0]
    problems += [p for p in found[1] if p not in problems]


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
        _add(board_changes(place, spec, catalog), changes, problems)
    return changes, problems


def _one_group_board(spec: BoardSpec, group: str, names: list[str]) -> str:
    return (
        f'board "{spec.name}" not created in group {group}: GitLab Free allows one group '
        f'board and the group has "{names[0]}" (project boards are unlimited)'
    )


def board_changes(
    place: Place, spec: BoardSpec, catalog: LabelCatalog
) -> tuple[list[Change], list[Problem]]:
    """What brings one board of one place to its declaration, and the renamed labels."""
    board = _find(place.boards, spec.name)
    lists = sorted(board.lists, key=lambda x: (x.position, x.id)) if board else []
    current = [x.label for x in lists]
    described = {x.label: x.label_description for x in lists}
    renamed = _renamed(current, described, place, spec, catalog)  # declared -> its new name
    problems = [
        _renamed_problem(place, spec, old, new, new in current) for old, new in renamed.items()
    ]
    # A renamed label's list stands in for the declared one; a renamed label with no list
    # gets none until the names agree again.
    stand_in = {new: old for old, new in renamed.items()}
    view = [stand_in.get(x, x) for x in current]
    declared = tuple(x for x in spec.lists if x in view or x not in renamed)
    removed = [x for x in view if x not in declared and spec.exact]
    deletes, moves, creates = arrange(view, declared, removed)
    actual = {old: new for old, new in renamed.items() if new in current}
    made = _Maker(place, spec)
    changes: list[Change] = [made.label(x, catalog) for x, _ in creates if _needs_label(place, x)]
    if board is None:
        changes.append(made.board())
    changes += [made.delete(label) for label in deletes]
    changes += [made.move(actual.get(label, label), position) for label, position in moves]
    changes += [made.create(label, position) for label, position in creates]
    return changes, problems


def renamed_message(old: str, new: str) -> str:
    """What to do about a catalog label renamed in GitLab."""
    return (
        f"label ~{old} was renamed to ~{new} in GitLab: rename it in labels.yml too, "
        "or rename it back"
    )


def _renamed_problem(place: Place, spec: BoardSpec, old: str, new: str, listed: bool) -> Problem:
    where = f"group {place.path}" if place.group else place.path
    until = (
        f'board "{spec.name}" keeps the list of ~{new} until then'
        if listed
        else f'board "{spec.name}" gets no list of ~{old} until then'
    )
    return Problem("", spec.rule, f"{renamed_message(old, new)} (in {where}); {until}")


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
    """Declared labels missing from the place that live on under another name -> that name.

    The other name is recognised by the declared label's description: first among the
    board's lists (the list of a renamed label stays on the board, showing the new name),
    then among the place's labels when their descriptions are known.
    """
    missing = [x for x in spec.lists if _absent(place, x, current)]
    known: dict[str, str] = {x: d for x, d in described.items() if d}
    for name, text in (place.descriptions or {}).items():
        known.setdefault(name, text)
    return renamed_labels(missing, catalog, known, taken=spec.lists)


def renamed_labels(
    missing: Iterable[str],
    catalog: LabelCatalog,
    descriptions: Mapping[str, str],
    taken: Collection[str] = (),
) -> dict[str, str]:
    """Catalog labels missing from a place -> the label there that has their description
    under another name (one that neither the catalog nor `taken` declares)."""
    found: dict[str, str] = {}
    for name in missing:
        entry = catalog.get(name)
        if entry is None or not entry.description:
            continue
        others = [
            label
            for label, text in descriptions.items()
            if text == entry.description
            and label not in taken
            and catalog.get(label) is None
            and label not in found.values()
        ]
        if others:
            found[name] = others[0]
    return found


def _absent(place: Place, name: str, current: list[str]) -> bool:
    """Whether a declared label is missing from the place (from the board, when the
    place's labels are not known)."""
    if place.labels is not None:
        return name not in place.labels
    if place.descriptions is not None:
        return name not in place.descriptions
    return name not in current


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

    def delete(self, label: str) -> DeleteBoardList:
        return DeleteBoardList(
            reason="not declared in boards.yml and the board is exact",
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

    def create(self, label: str, position: int) -> CreateBoardList:
        return CreateBoardList(
            reason=f"declared in boards.yml at position {self.spec.lists.index(label)}",
            key=f"{self.key}:list:{label}",
            rule=self.spec.rule,
            project=self.place.path,
            board=self.spec.name,
            label=label,
            position=position,
            group=self.place.group,
        )
