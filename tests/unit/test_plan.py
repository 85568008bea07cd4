"""Evaluation: which kinds run, catalog labels, order, and which kind made each change."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from triage.changes import (
    AddNote,
    CreateBoard,
    CreateBoardList,
    CreateIssue,
    CreateLabel,
    MoveBoardList,
    Problem,
    SetLabels,
    UpdateDescription,
)
from triage.plan import Plan, evaluate, kind_of, ordered
from triage.policy.loader import PACKAGED, PolicySet, load_policies
from triage.snapshot import Issue, IssueRef, Label, Project, Snapshot, User

NOW = datetime(2026, 3, 10, 9, tzinfo=UTC)
HOME = "account-management/accounts"
SAM = User(1, "sam")


@pytest.fixture(scope="module")
def policies() -> PolicySet:
    return load_policies(PACKAGED / "policies", PACKAGED / "templates")


def record(iid: int, title: str, *labels: str) -> Issue:
    return Issue(
        id=100 + iid,
        iid=iid,
        project_id=1,
        project_path=HOME,
        title=title,
        description="```yaml\narr: 1000\n```\n",
        state="opened",
        labels=("account", *labels),
        author=SAM,
        created_at=NOW,
        updated_at=NOW,
    )


def snapshot(*issues: Issue, labels: tuple[str, ...] = ()) -> Snapshot:
    return Snapshot(
        fetched_at=NOW,
        accounts_project=Project(1, HOME),
        staff=frozenset({"sam"}),
        account_issues=issues,
        labels={name: Label(name, "#000000") for name in labels},
    )


def test_records_alone_create_no_labels(policies: PolicySet) -> None:
    plan = evaluate(snapshot(record(1, "Acme")), policies, NOW, kinds=())
    assert plan.kinds == ()
    assert not [c for c in plan.changes if isinstance(c, CreateLabel)]


def test_catalog_labels_missing_from_the_project_are_created(policies: PolicySet) -> None:
    present = tuple(name for name in policies.labels.labels if name != "health::red")
    plan = evaluate(snapshot(labels=present), policies, NOW, kinds=("collaboration",))
    assert plan.kinds == ("collaboration",)
    assert plan.changes == [
        CreateLabel(
            reason="listed in labels.yml but missing from the project",
            key="label:health::red",
            rule="labels.catalog",
            project=HOME,
            name="health::red",
            color="#dd2b0e",
            description="Account at risk (set by salsatam, see the record)",
        )
    ]
    assert plan.kind_of(plan.changes[0]) == "labels"


def test_a_catalog_label_renamed_in_gitlab_is_reported_not_created_again(
    policies: PolicySet,
) -> None:
    spec = policies.labels.labels["reminder"]
    present = {name: Label(name, "#000000") for name in policies.labels.labels}
    del present["reminder"]
    present["reminders"] = Label("reminders", spec.color, spec.description)
    snap = dataclasses.replace(snapshot(), labels=present)
    plan = evaluate(snap, policies, NOW, kinds=("collaboration",))
    assert plan.changes == []
    assert [(p.rule, p.message) for p in plan.problems] == [
        (
            "labels.catalog",
            "label ~reminder was renamed to ~reminders in GitLab: rename it in labels.yml "
            f"too, or rename it back (in {HOME}); it is not created again",
        )
    ]


def test_disabled_kinds_do_not_run(policies: PolicySet) -> None:
    quiet = dataclasses.replace(
        policies, health=dataclasses.replace(policies.health, enabled=False)
    )
    plan = evaluate(snapshot(record(1, "Acme")), quiet, NOW, kinds=("health", "collaboration"))
    assert plan.kinds == ("collaboration",)


def test_account_limits_the_accounts_evaluated(policies: PolicySet) -> None:
    both = snapshot(record(1, "Acme"), record(2, "Globex"))
    plan = evaluate(both, policies, NOW, kinds=("health",), account="globex")
    assert [a.name for a in plan.accounts] == ["Globex"]
    touched = {str(getattr(c, "issue", "")) for c in plan.changes if plan.kind_of(c) == "health"}
    assert touched == {f"{HOME}#2"}


def test_evaluation_is_deterministic(policies: PolicySet) -> None:
    book = snapshot(record(2, "Globex"), record(10, "Initech"), record(1, "Acme"))
    first = evaluate(book, policies, NOW)
    assert first.changes == evaluate(book, policies, NOW).changes
    assert first.problems == evaluate(book, policies, NOW).problems


def test_boards_read_for_new_projects_are_kept_without_the_boards_kind(
    policies: PolicySet,
) -> None:
    present = tuple(policies.labels.labels)
    base = snapshot(labels=present)
    home = dataclasses.replace(base.accounts_project, boards=())  # read, but not by this run
    projects = {
        "customers/new": Project(2, "customers/new", boards=(), labels=frozenset(present)),
        "customers/old": Project(3, "customers/old"),  # boards not read
    }
    snap = dataclasses.replace(base, accounts_project=home, projects=projects)
    plan = evaluate(snap, policies, NOW, kinds=("health",))
    assert plan.kinds == ("health",)
    boards = [c for c in plan.changes if isinstance(c, (CreateBoard, CreateBoardList))]
    assert {(type(c).__name__, c.project) for c in boards} == {
        ("CreateBoard", "customers/new"),
        ("CreateBoardList", "customers/new"),
    }
    assert {plan.kind_of(c) for c in boards} == {"boards"}

    off = dataclasses.replace(policies, boards=dataclasses.replace(policies.boards, enabled=False))
    assert not evaluate(snap, off, NOW, kinds=("health",)).changes


def ref(iid: int) -> IssueRef:
    return IssueRef(HOME, iid)


def test_changes_are_ordered_by_phase_then_target_and_board_lists_keep_their_order() -> None:
    changes = [
        MoveBoardList("r", "b:2", "boards.lists", HOME, "B", "x", 0),
        SetLabels("r", "h:10", "health.colour", ref(10), add=("health::red",)),
        CreateBoardList("r", "b:1", "boards.lists", HOME, "B", "y", 1),
        UpdateDescription("r", "d:9", "health.colour", ref(9), "text"),
        AddNote("r", "n:9", "health.note", ref(9), "body"),
        CreateBoard("r", "b:0", "boards.board", HOME, "B"),
        SetLabels("r", "h:9", "health.colour", ref(9), add=("health::red",)),
        CreateIssue("r", "i:1", "issues.handoff", HOME, "Handoff", "text"),
        CreateLabel("r", "label:x", "labels.catalog", HOME, "x", "#000000"),
    ]
    assert [c.key for c in ordered(changes)] == [
        "label:x",
        "i:1",
        "n:9",
        "d:9",
        "h:9",
        "h:10",
        "b:0",
        "b:2",
        "b:1",
    ]


def test_kind_of_reads_the_rule_when_the_plan_does_not_know() -> None:
    assert kind_of(SetLabels("r", "k", "health.colour", ref(1))) == "health"
    assert kind_of(Problem("Acme", "records", "bad block")) == "records"
    assert kind_of(SetLabels("r", "k", "handoff", ref(1))) == "other"
    plan = Plan(NOW, ())
    plan.extend([SetLabels("r", "k", "handoff", ref(1))], [], kind="issues")
    assert plan.kind_of(plan.changes[0]) == "issues"
