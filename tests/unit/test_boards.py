"""Boards kind on in-memory snapshots: from nothing, hand edits, renames, order, tiers."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime
from itertools import permutations

import pytest

from triage.changes import (
    Change,
    CreateBoard,
    CreateBoardList,
    CreateLabel,
    DeleteBoardList,
    MoveBoardList,
    Problem,
)
from triage.kinds.boards import arrange, reconcile
from triage.policy.boards import BoardSpec, BoardsPolicy
from triage.policy.model import LabelCatalog, LabelSpec, Tier
from triage.snapshot import Board, BoardList, Label, Project, Snapshot

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
HOME = "account-management/accounts"
ACME = "customers/acme"
HEALTH = ("health::red", "health::yellow", "health::green")
STATUS = ("status::awaiting-team", "status::awaiting-customer")
CATALOG = LabelCatalog(
    {
        "health::red": LabelSpec("health::red", "#dd2b0e", "Account at risk"),
        "health::yellow": LabelSpec("health::yellow", "#c17d10", "Account at some risk"),
        "health::green": LabelSpec("health::green", "#108548", "Healthy account"),
        "status::awaiting-team": LabelSpec("status::awaiting-team", "#e9be74", "Team's turn"),
        "status::awaiting-customer": LabelSpec(
            "status::awaiting-customer", "#c3e6cd", "Their turn"
        ),
        "handoff": LabelSpec("handoff", "#6e49cb", "SA to TAM account handoff"),
    }
)
POLICY = BoardsPolicy(
    accounts_project=(BoardSpec("Account health", HEALTH),),
    collaboration_projects=(BoardSpec("Customer issues", STATUS),),
)


def board(name: str, *labels: str, board_id: int = 1) -> Board:
    lists = tuple(BoardList(board_id * 100 + i, label, i) for i, label in enumerate(labels))
    return Board(board_id, name, lists)


def snapshot(
    home_boards: tuple[Board, ...] | None = (),
    acme_boards: tuple[Board, ...] | None = (),
    acme_labels: frozenset[str] | None = frozenset(),
    group_boards: tuple[Board, ...] | None = None,
) -> Snapshot:
    labels = {
        name: Label(name, spec.color, spec.description) for name, spec in CATALOG.labels.items()
    }
    return Snapshot(
        fetched_at=NOW,
        accounts_project=Project(1, HOME, boards=home_boards),
        staff=frozenset(),
        account_issues=(),
        projects={ACME: Project(2, ACME, boards=acme_boards, labels=acme_labels)},
        labels=labels,
        group_boards=group_boards,
        group_labels=frozenset(HEALTH) if group_boards is not None else None,
    )


def plan(
    snap: Snapshot, policy: BoardsPolicy = POLICY, tier: Tier = "free"
) -> tuple[list[Change], list[Problem]]:
    return reconcile(snap, policy, tier, CATALOG)


def lines(changes: list[Change]) -> list[str]:
    return [change.describe(dry_run=True) for change in changes]


# What GitLab does with each change, so that a second run sees the result.


def _renumber(lists: list[BoardList]) -> tuple[BoardList, ...]:
    return tuple(replace(x, position=i) for i, x in enumerate(lists))


def _apply_one(boards: dict[str, list[BoardList]], change: Change) -> None:
    if isinstance(change, CreateBoard):
        assert change.name not in boards
        boards[change.name] = []
    elif isinstance(change, CreateBoardList):
        lists = boards[change.board]
        assert change.label not in [x.label for x in lists]
        assert 0 <= change.position <= len(lists)
        lists.insert(change.position, BoardList(1000 + len(lists), change.label, 0))
    elif isinstance(change, MoveBoardList):
        lists = boards[change.board]
        moved = next(x for x in lists if x.label == change.label)
        lists.remove(moved)
        assert 0 <= change.position <= len(lists)
        lists.insert(change.position, moved)
    elif isinstance(change, DeleteBoardList):
        lists = boards[change.board]
        lists.remove(next(x for x in lists if x.label == change.label))


def gitlab(snap: Snapshot, changes: list[Change]) -> Snapshot:
    """The snapshot after GitLab applied `changes` in order."""
    places = {HOME: snap.accounts_project, **snap.projects}
    updated: dict[str, Project] = {}
    for path, project in places.items():
        boards = {b.name: sorted(b.lists, key=lambda x: x.position) for b in project.boards or ()}
        labels = set(project.labels or ())
        for change in changes:
            if getattr(change, "project", None) == path and not getattr(change, "group", False):
                _apply_one(boards, change)
                if isinstance(change, CreateLabel):
                    labels.add(change.name)
        new = tuple(
            Board(i + 1, name, _renumber(lists)) for i, (name, lists) in enumerate(boards.items())
        )
        known = frozenset(labels) if project.labels is not None else None
        updated[path] = replace(
            project, boards=new if project.boards is not None else None, labels=known
        )
    group = {b.name: sorted(b.lists, key=lambda x: x.position) for b in snap.group_boards or ()}
    for change in changes:
        if getattr(change, "group", False) and not isinstance(change, CreateLabel):
            _apply_one(group, change)
    group_boards = tuple(Board(i + 1, n, _renumber(x)) for i, (n, x) in enumerate(group.items()))
    return replace(
        snap,
        accounts_project=updated.pop(HOME),
        projects=updated,
        group_boards=group_boards if snap.group_boards is not None else None,
    )


def converges(snap: Snapshot, policy: BoardsPolicy = POLICY, tier: Tier = "free") -> Snapshot:
    changes, _ = plan(snap, policy, tier)
    after = gitlab(snap, changes)
    assert plan(after, policy, tier) == ([], plan(snap, policy, tier)[1])
    return after


def labels_of(snap: Snapshot, path: str, name: str) -> list[str]:
    project = snap.accounts_project if path == HOME else snap.projects[path]
    found = next(b for b in project.boards or () if b.name == name)
    return [x.label for x in sorted(found.lists, key=lambda x: x.position)]


def test_from_nothing_every_declared_board_is_created_with_its_lists_and_labels() -> None:
    changes, problems = plan(snapshot())
    assert problems == []
    assert lines(changes) == [
        f'would create board "Account health" in {HOME}: boards.yml declares it with lists '
        "~health::red, ~health::yellow, ~health::green",
        f'would add list ~health::red to board "Account health" in {HOME}: '
        "declared in boards.yml at position 0",
        f'would add list ~health::yellow to board "Account health" in {HOME}: '
        "declared in boards.yml at position 1",
        f'would add list ~health::green to board "Account health" in {HOME}: '
        "declared in boards.yml at position 2",
        f'would create label ~status::awaiting-team in {ACME}: board "Customer issues" has a '
        "list for it",
        f'would create label ~status::awaiting-customer in {ACME}: board "Customer issues" has a '
        "list for it",
        f'would create board "Customer issues" in {ACME}: boards.yml declares it with lists '
        "~status::awaiting-team, ~status::awaiting-customer",
        f'would add list ~status::awaiting-team to board "Customer issues" in {ACME}: '
        "declared in boards.yml at position 0",
        f'would add list ~status::awaiting-customer to board "Customer issues" in {ACME}: '
        "declared in boards.yml at position 1",
    ]
    assert [c.key for c in changes] == [
        f"board:{HOME}:account-health",
        f"board:{HOME}:account-health:list:health::red",
        f"board:{HOME}:account-health:list:health::yellow",
        f"board:{HOME}:account-health:list:health::green",
        f"label:{ACME}:status::awaiting-team",
        f"label:{ACME}:status::awaiting-customer",
        f"board:{ACME}:customer-issues",
        f"board:{ACME}:customer-issues:list:status::awaiting-team",
        f"board:{ACME}:customer-issues:list:status::awaiting-customer",
    ]
    label = changes[4]
    assert isinstance(label, CreateLabel)
    assert (label.project, label.color, label.description) == (ACME, "#e9be74", "Team's turn")
    after = converges(snapshot())
    assert labels_of(after, HOME, "Account health") == list(HEALTH)
    assert labels_of(after, ACME, "Customer issues") == list(STATUS)


def test_the_same_snapshot_gives_the_same_plan() -> None:
    assert plan(snapshot()) == plan(snapshot())


def test_labels_the_project_has_are_not_created_again() -> None:
    changes, _ = plan(snapshot(acme_labels=frozenset(STATUS)))
    assert not [c for c in changes if isinstance(c, CreateLabel)]


def test_unknown_labels_are_created_only_for_missing_lists() -> None:
    acme = (board("Customer issues", "status::awaiting-team"),)
    changes, _ = plan(snapshot(home_boards=None, acme_boards=acme, acme_labels=None))
    assert [(type(c).__name__, c.key) for c in changes] == [
        ("CreateLabel", f"label:{ACME}:status::awaiting-customer"),
        ("CreateBoardList", f"board:{ACME}:customer-issues:list:status::awaiting-customer"),
    ]


def test_boards_not_fetched_are_left_alone() -> None:
    assert plan(snapshot(home_boards=None, acme_boards=None)) == ([], [])


def test_a_list_deleted_by_hand_comes_back_in_its_place() -> None:
    snap = snapshot(
        home_boards=(board("Account health", "health::red", "health::green"),), acme_boards=None
    )
    changes, _ = plan(snap)
    assert lines(changes) == [
        f'would add list ~health::yellow to board "Account health" in {HOME}: '
        "declared in boards.yml at position 1"
    ]
    assert labels_of(converges(snap), HOME, "Account health") == list(HEALTH)


def test_a_list_added_by_hand_stays() -> None:
    lists = ("health::red", "handoff", "health::yellow", "health::green")
    snap = snapshot(home_boards=(board("Account health", *lists),), acme_boards=None)
    assert plan(snap) == ([], [])


def test_a_list_added_by_hand_goes_when_the_board_is_exact() -> None:
    policy = BoardsPolicy(accounts_project=(BoardSpec("Account health", HEALTH, exact=True),))
    lists = ("health::red", "handoff", "health::yellow", "health::green")
    snap = snapshot(home_boards=(board("Account health", *lists),), acme_boards=None)
    changes, _ = plan(snap, policy)
    assert lines(changes) == [
        f'would remove list ~handoff from board "Account health" in {HOME}: '
        "not declared in boards.yml and the board is exact"
    ]
    assert labels_of(converges(snap, policy), HOME, "Account health") == list(HEALTH)


def renamed_home(*lists: str) -> Snapshot:
    """The accounts project after ~health::red was renamed ~health::critical in GitLab."""
    snap = snapshot(home_boards=(board("Account health", *lists),), acme_boards=None)
    labels = {
        **snap.labels,
        "health::critical": Label("health::critical", "#dd2b0e", "Account at risk"),
    }
    del labels["health::red"]
    return replace(snap, labels=labels)


def test_a_renamed_label_is_reported_and_its_list_kept() -> None:
    snap = renamed_home("health::critical", "health::yellow", "health::green")
    changes, problems = plan(snap)
    assert changes == []
    assert problems == [
        Problem(
            "",
            "boards:Account health",
            "label ~health::red was renamed to ~health::critical in GitLab: rename it in "
            f'labels.yml too, or rename it back (in {HOME}); board "Account health" keeps '
            "the list of ~health::critical until then",
        )
    ]


def test_a_renamed_labels_list_still_takes_the_declared_place() -> None:
    snap = renamed_home("health::yellow", "health::green", "health::critical")
    changes, problems = plan(snap)
    assert lines(changes) == [
        f'would move list ~health::critical on board "Account health" in {HOME} to position 0: '
        "declared order: ~health::red, ~health::yellow, ~health::green"
    ]
    assert len(problems) == 1
    after = gitlab(snap, changes)
    assert labels_of(after, HOME, "Account health") == [
        "health::critical",
        "health::yellow",
        "health::green",
    ]
    assert plan(after)[0] == []


def test_a_renamed_label_without_a_list_gets_none_and_the_rest_are_added() -> None:
    snap = renamed_home()
    changes, problems = plan(snap)
    assert [(type(c).__name__, getattr(c, "label", None)) for c in changes] == [
        ("CreateBoardList", "health::yellow"),
        ("CreateBoardList", "health::green"),
    ]
    [problem] = problems
    assert problem.message.endswith(
        'board "Account health" gets no list of ~health::red until then'
    )


def test_an_exact_board_keeps_the_renamed_labels_list() -> None:
    policy = BoardsPolicy(accounts_project=(BoardSpec("Account health", HEALTH, exact=True),))
    snap = renamed_home("health::critical", "handoff", "health::yellow", "health::green")
    changes, problems = plan(snap, policy)
    assert [(type(c).__name__, getattr(c, "label", None)) for c in changes] == [
        ("DeleteBoardList", "handoff")
    ]
    assert len(problems) == 1


def test_a_renamed_label_is_recognised_from_the_board_list_itself() -> None:
    lists = (
        BoardList(1, "waiting-on-us", 0, label_description="Team's turn"),
        BoardList(2, "status::awaiting-customer", 1, label_description="Their turn"),
    )
    snap = snapshot(
        home_boards=None,
        acme_boards=(Board(7, "Customer issues", lists),),
        acme_labels=frozenset({"waiting-on-us", "status::awaiting-customer"}),
    )
    changes, problems = plan(snap)
    assert changes == []
    assert [p.message for p in problems] == [
        "label ~status::awaiting-team was renamed to ~waiting-on-us in GitLab: rename it in "
        f'labels.yml too, or rename it back (in {ACME}); board "Customer issues" keeps the '
        "list of ~waiting-on-us until then"
    ]


def test_a_label_with_the_declared_description_is_no_rename_while_the_declared_one_exists() -> None:
    lists = (BoardList(1, "waiting-on-us", 0, label_description="Team's turn"),)
    snap = snapshot(
        home_boards=None,
        acme_boards=(Board(7, "Customer issues", lists),),
        acme_labels=frozenset({"waiting-on-us", *STATUS}),
    )
    changes, problems = plan(snap)
    assert problems == []
    assert [getattr(c, "label", None) for c in changes] == list(STATUS)


def test_a_label_someone_else_uses_with_another_description_is_a_hand_added_list() -> None:
    lists = (BoardList(1, "waiting", 0, label_description="something else"),)
    snap = snapshot(
        home_boards=None,
        acme_boards=(Board(7, "Customer issues", lists),),
        acme_labels=frozenset(STATUS),
    )
    changes, _ = plan(snap)
    assert [type(c).__name__ for c in changes] == ["CreateBoardList", "CreateBoardList"]
    assert labels_of(converges(snap), ACME, "Customer issues") == ["waiting", *STATUS]


def test_lists_out_of_order_are_moved_with_the_fewest_moves() -> None:
    snap = snapshot(
        home_boards=(board("Account health", "health::yellow", "health::green", "health::red"),),
        acme_boards=None,
    )
    changes, _ = plan(snap)
    assert lines(changes) == [
        f'would move list ~health::red on board "Account health" in {HOME} to position 0: '
        "declared order: ~health::red, ~health::yellow, ~health::green"
    ]
    reversed_board = board("Account health", "health::green", "health::yellow", "health::red")
    changes, _ = plan(replace(snap, accounts_project=Project(1, HOME, boards=(reversed_board,))))
    assert [(c.label, c.position) for c in changes if isinstance(c, MoveBoardList)] == [
        ("health::red", 0),
        ("health::yellow", 1),
    ]


def _longest_in_order(order: list[str], declared: list[str]) -> int:
    ranks = [declared.index(x) for x in order if x in declared]
    best: list[int] = []
    for i, rank in enumerate(ranks):
        best.append(1 + max((best[j] for j in range(i) if ranks[j] < rank), default=0))
    return max(best, default=0)


@pytest.mark.parametrize("current", list(permutations(["a", "b", "c", "d", "x"])))
def test_every_order_is_fixed_with_as_many_moves_as_lists_out_of_order(
    current: tuple[str, ...],
) -> None:
    declared = ("a", "b", "c", "d")
    deletes, moves, creates = arrange(list(current), declared, ())
    assert (deletes, creates) == ([], [])
    assert len(moves) == len(declared) - _longest_in_order(list(current), list(declared))
    order = list(current)
    for label, position in moves:
        order.remove(label)
        order.insert(position, label)
    assert [x for x in order if x != "x"] == list(declared)


def test_random_boards_converge_in_one_run() -> None:
    rng = random.Random(8)
    labels = [*HEALTH, "handoff", "meeting", "triage"]
    for _ in range(200):
        picked = rng.sample(labels, rng.randint(0, len(labels)))
        exact = rng.random() < 0.5
        policy = BoardsPolicy(accounts_project=(BoardSpec("Account health", HEALTH, exact=exact),))
        snap = snapshot(home_boards=(board("Account health", *picked),), acme_boards=None)
        after = converges(snap, policy)
        final = labels_of(after, HOME, "Account health")
        assert [x for x in final if x in HEALTH] == list(HEALTH)
        kept = [x for x in picked if x not in HEALTH]
        assert [x for x in final if x not in HEALTH] == ([] if exact else kept)


def test_free_creates_one_group_board_and_reports_the_others() -> None:
    policy = BoardsPolicy(
        accounts_project=(
            BoardSpec("Account health", HEALTH, group=True),
            BoardSpec("Escalations", ("health::red",), group=True),
        )
    )
    snap = snapshot(home_boards=None, acme_boards=None, group_boards=())
    changes, problems = plan(snap, policy, "free")
    assert lines(changes)[:2] == [
        'would create board "Account health" in group account-management: boards.yml declares '
        "it with lists ~health::red, ~health::yellow, ~health::green",
        'would add list ~health::red to board "Account health" in group account-management: '
        "declared in boards.yml at position 0",
    ]
    assert all(getattr(c, "group", False) for c in changes) and len(changes) == 4
    assert problems == [
        Problem(
            "",
            "boards:Escalations",
            'board "Escalations" not created in group account-management: GitLab Free allows one '
            'group board and the group has "Account health" (project boards are unlimited)',
        )
    ]
    after = converges(snap, policy, "free")
    assert [b.name for b in after.group_boards or ()] == ["Account health"]


def test_premium_creates_every_group_board() -> None:
    policy = BoardsPolicy(
        accounts_project=(
            BoardSpec("Account health", HEALTH, group=True),
            BoardSpec("Escalations", ("health::red",), group=True),
        )
    )
    snap = snapshot(
        home_boards=None, acme_boards=None, group_boards=(board("Development", board_id=3),)
    )
    changes, problems = plan(snap, policy, "premium")
    assert problems == []
    assert [c.name for c in changes if isinstance(c, CreateBoard)] == [
        "Account health",
        "Escalations",
    ]
    after = converges(snap, policy, "premium")
    assert [b.name for b in after.group_boards or ()] == [
        "Development",
        "Account health",
        "Escalations",
    ]


def test_free_keeps_the_group_board_it_has_current() -> None:
    policy = BoardsPolicy(accounts_project=(BoardSpec("Account health", HEALTH, group=True),))
    existing = (
        board("Account health", "health::green", board_id=3),
        board("Development", board_id=4),
    )
    snap = snapshot(home_boards=None, acme_boards=None, group_boards=existing)
    changes, problems = plan(snap, policy, "free")
    assert problems == []
    assert [
        (type(c).__name__, getattr(c, "label", ""), getattr(c, "position", -1)) for c in changes
    ] == [
        ("CreateBoardList", "health::red", 0),
        ("CreateBoardList", "health::yellow", 1),
    ]


def test_group_labels_the_group_lacks_are_created_there() -> None:
    policy = BoardsPolicy(accounts_project=(BoardSpec("Handoffs", ("handoff",), group=True),))
    snap = snapshot(home_boards=None, acme_boards=None, group_boards=())
    changes, _ = plan(snap, policy)
    assert lines(changes)[0] == (
        "would create label ~handoff in group account-management: "
        'board "Handoffs" has a list for it'
    )


def test_new_collaboration_projects_are_due_every_run_others_on_the_schedule() -> None:
    old = Project(3, "customers/old", created_at=datetime(2024, 1, 1, tzinfo=UTC))
    new = Project(4, "customers/new", created_at=datetime(2025, 3, 5, tzinfo=UTC))
    unknown = Project(5, "customers/unknown")
    projects = [unknown, old, new]
    assert POLICY.projects_due(projects, NOW, scheduled=False) == ("customers/new",)
    assert POLICY.projects_due(projects, NOW, scheduled=True) == (
        "customers/new",
        "customers/old",
        "customers/unknown",
    )
    assert BoardsPolicy().projects_due(projects, NOW, scheduled=True) == ()
    disabled = replace(POLICY, enabled=False)
    assert disabled.projects_due(projects, NOW, scheduled=True) == ()
