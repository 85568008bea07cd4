"""apply_plan against the sandbox: exactly the writes a plan needs, and no duplicates when
GitLab's answers are lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from triage.changes import (
    AddNote,
    Change,
    CloseIssue,
    CreateBoard,
    CreateBoardList,
    CreateIssue,
    CreateLabel,
    DeleteBoardList,
    LinkIssues,
    MoveBoardList,
    SetLabels,
    UpdateDescription,
)
from triage.gitlab.apply import ChangeResult, apply_plan
from triage.gitlab.client import Connection, connect
from triage.gitlab.fetch import fetch_snapshot
from triage.plan import Plan
from triage.policy.health import HealthPolicy
from triage.policy.model import Settings
from triage.snapshot import IssueRef, Snapshot, marker

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
HOME = "account-management/accounts"
ACME = IssueRef(HOME, 1)
GLOBEX = IssueRef(HOME, 2)
HANDOFF = IssueRef(HOME, 3)
SEED: dict[str, Any] = {
    "users": [{"username": "ana"}, {"username": "sam"}],
    "groups": [{"path": "account-management"}, {"path": "customers"}],
    "projects": [
        {"path": HOME, "members": [{"username": "ana", "access_level": 40}],
         "labels": [{"name": n} for n in ("account", "salsatam", "health::green",
                                          "health::yellow", "handoff")]},
        {"path": "customers/acme"},
    ],
    "issues": [
        {"project": HOME, "title": "Acme", "labels": ["account", "health::green"],
         "description": "Acme's record"},
        {"project": HOME, "title": "Globex", "labels": ["account"], "description": "Globex"},
        {"project": HOME, "title": "Handoff: Globex", "labels": ["salsatam", "handoff"],
         "description": "handoff " + marker("handoff:globex")},
        {"project": "customers/acme", "title": "Kickoff"},
    ],
}


@dataclass(frozen=True)
class Policies:
    settings: Settings
    health: HealthPolicy = field(default_factory=HealthPolicy)


POLICIES = Policies(Settings(None, HOME, "customers"))


def why(key: str) -> dict[str, str]:
    return {"reason": "test", "key": key, "rule": "test"}


def hand_built_plan() -> Plan:
    changes: list[Change] = [
        CreateLabel(**why("label:red"), project=HOME, name="health::red", color="#dd2b0e"),
        CreateLabel(**why("label:green"), project=HOME, name="health::green", color="#108548"),
        SetLabels(**why("health:acme"), issue=ACME, add=("health::yellow",)),
        AddNote(**why("note:acme"), issue=ACME, body="Yellow now. " + marker("note:acme")),
        UpdateDescription(**why("record:acme"), issue=ACME, description="Acme's record, v2"),
        CreateIssue(**why("engagement:acme"), project=HOME, title="Engagement: Acme",
                    description="Hello " + marker("engagement:acme"), labels=("salsatam",),
                    assignees=("ana",), due_date=date(2026, 3, 20), link_to=ACME),
        SetLabels(**why("tam:globex"), issue=GLOBEX, add=("health::red",)),
        CloseIssue(**why("close:handoff"), issue=HANDOFF,
                   note="Done. " + marker("close:handoff")),
        LinkIssues(**why("link"), source=GLOBEX, target=IssueRef("customers/acme", 1)),
    ]
    return Plan(now=NOW, kinds=("health",), changes=changes)


def prepare(sandbox: Any) -> tuple[Connection, Snapshot]:
    sandbox.seed(SEED)
    conn = connect(sandbox.url, sandbox.token, read_backoff=0)
    snapshot = fetch_snapshot(conn, POLICIES, (), None, NOW, notes_needed=lambda *_: set())
    sandbox.reset_requests()
    return conn, snapshot


def writes_by_route(sandbox: Any) -> dict[str, int]:
    return {r: n for r, n in sandbox.requests()["by_route"].items() if not r.startswith("GET")}


def test_a_plan_makes_exactly_its_writes_with_one_update_per_issue(sandbox: Any) -> None:
    conn, snapshot = prepare(sandbox)
    seen: list[ChangeResult] = []
    outcome = apply_plan(conn, hand_built_plan(), snapshot, seen.append)

    assert [(r.status, r.detail) for r in outcome.results if r.status != "done"] == []
    assert seen == outcome.results and len(outcome.results) == 9
    assert outcome.failed == 0 and outcome.requests == sandbox.requests()["total"]
    assert writes_by_route(sandbox) == {
        "POST /projects/:id/labels": 2,  # health::green answers 409: exists
        "POST /projects/:id/issues": 1,
        "POST /projects/:id/issues/:issue_iid/links": 2,
        "POST /projects/:id/issues/:issue_iid/notes": 2,
        "PUT /projects/:id/issues/:issue_iid": 3,  # Acme (labels + description), Globex, close
    }
    details = {r.change.key: r.detail for r in outcome.results}
    assert details["label:green"] == "exists already"
    assert details["engagement:acme"] == f"created: {HOME}#4"
    assert details["health:acme"] == details["record:acme"] == "updated (one update with 2 changes)"

    project = sandbox.gitlab().projects.get(HOME)
    acme = project.issues.get(1)
    assert acme.labels == ["account", "health::yellow"]  # green removed on Free as well
    assert acme.description == "Acme's record, v2"
    assert [n.body for n in acme.notes.list(get_all=True) if not n.system] == [
        "Yellow now. " + marker("note:acme")]
    created = project.issues.get(4)
    assert created.labels == ["salsatam"] and created.due_date == "2026-03-20"
    assert [a["username"] for a in created.assignees] == ["ana"]
    assert [link.iid for link in created.links.list()] == [1]
    assert project.issues.get(3).state == "closed"
    assert project.labels.get("health::red").color == "#dd2b0e"


def test_the_same_plan_again_creates_nothing_twice(sandbox: Any) -> None:
    conn, snapshot = prepare(sandbox)
    apply_plan(conn, hand_built_plan(), snapshot)
    sandbox.reset_requests()
    again = apply_plan(conn, hand_built_plan(), snapshot)

    assert again.failed == 0
    posts = {r: n for r, n in writes_by_route(sandbox).items() if r.startswith("POST")}
    # labels and links answer 409; issue and notes are found before posting
    assert posts == {
        "POST /projects/:id/labels": 2,
        "POST /projects/:id/issues/:issue_iid/links": 2,
    }
    assert_no_duplicates(sandbox)


def assert_no_duplicates(sandbox: Any) -> None:
    project = sandbox.gitlab().projects.get(HOME)
    issues = project.issues.list(get_all=True, state="all")
    assert sorted(i.title for i in issues) == ["Acme", "Engagement: Acme", "Globex",
                                               "Handoff: Globex"]
    for iid in (1, 3):
        bodies = [n.body for n in project.issues.get(iid).notes.list(get_all=True)
                  if not n.system]
        assert len(bodies) == len(set(bodies)) == 1
    names = [label.name for label in project.labels.list(get_all=True)]
    assert len(names) == len(set(names))
    assert [link.iid for link in project.issues.get(4).links.list()] == [1]


def test_lost_answers_on_every_create_leave_no_duplicates(sandbox: Any) -> None:
    conn, snapshot = prepare(sandbox)
    sandbox.set_lost_response_rate(1.0, seed=1, scope="creates")
    first = apply_plan(conn, hand_built_plan(), snapshot)
    second = apply_plan(conn, hand_built_plan(), snapshot)

    found = {r.change.key: r.detail for r in first.results}
    assert found["engagement:acme"].startswith("found after an unanswered request")
    assert found["note:acme"] == "found after an unanswered request"
    assert first.failed == 0 and second.failed == 0
    assert_no_duplicates(sandbox)


def test_lost_answers_on_updates_are_retried_and_creates_are_not(sandbox: Any) -> None:
    conn, snapshot = prepare(sandbox)
    sandbox.set_lost_response_rate(0.4, seed=3, scope="writes")
    first = apply_plan(conn, hand_built_plan(), snapshot)
    assert [(r.change.key, r.detail) for r in first.results if r.status != "done"] == []
    by_route = sandbox.requests()["by_route"]
    assert by_route["PUT /projects/:id/issues/:issue_iid"] > 3  # some were sent again
    assert by_route["POST /projects/:id/issues"] == 1  # a create never is
    assert_no_duplicates(sandbox)
    acme = sandbox.gitlab().projects.get(HOME).issues.get(1)
    assert (acme.labels, acme.description) == (["account", "health::yellow"], "Acme's record, v2")


def test_boards_and_lists_are_created_once_even_when_answers_are_lost(sandbox: Any) -> None:
    conn, snapshot = prepare(sandbox)
    board = {"project": HOME, "board": "Health"}
    plan = Plan(now=NOW, kinds=("boards",), changes=[
        CreateBoard(**why("board"), project=HOME, name="Health"),
        CreateBoardList(**why("l1"), **board, label="health::yellow", position=0),
        CreateBoardList(**why("l2"), **board, label="health::green", position=0),
        CreateBoardList(**why("l3"), **board, label="handoff", position=2),
    ])
    sandbox.set_lost_response_rate(1.0, seed=1, scope="creates")
    first = apply_plan(conn, plan, snapshot)
    second = apply_plan(conn, plan, snapshot)
    assert first.failed == second.failed == 0
    assert {r.detail for r in second.results} == {"exists already"}
    sandbox.set_lost_response_rate(0.0)
    edits = Plan(now=NOW, kinds=("boards",), changes=[
        MoveBoardList(**why("m"), **board, label="handoff", position=0),
        DeleteBoardList(**why("d"), **board, label="health::yellow"),
        DeleteBoardList(**why("d2"), **board, label="health::red"),
    ])
    done = apply_plan(conn, edits, snapshot)
    assert [r.detail for r in done.results] == ["moved", "removed", "already gone"]

    boards = sandbox.gitlab().projects.get(HOME).boards.list(get_all=True)
    assert [b.name for b in boards] == ["Health"]
    lists = sorted(boards[0].lists.list(get_all=True), key=lambda x: x.position)
    assert [x.label["name"] for x in lists] == ["handoff", "health::green"]


def test_a_failing_change_is_reported_and_the_run_goes_on(sandbox: Any) -> None:
    conn, snapshot = prepare(sandbox)
    plan = Plan(now=NOW, kinds=("health",), changes=[
        SetLabels(**why("missing"), issue=IssueRef(HOME, 99), add=("health::red",)),
        AddNote(**why("nowhere"), issue=IssueRef("customers/gone", 1), body="x"),
        SetLabels(**why("ok"), issue=GLOBEX, add=("health::red",)),
    ])
    outcome = apply_plan(conn, plan, snapshot)
    assert [(r.change.key, r.status) for r in outcome.results] == [
        ("nowhere", "failed"), ("missing", "failed"), ("ok", "done")]
    assert outcome.failed == 2
    assert "404" in outcome.results[0].detail
    assert sandbox.gitlab().projects.get(HOME).issues.get(2).labels == ["account", "health::red"]
