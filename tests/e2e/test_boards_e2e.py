"""Boards end to end: python-gitlab over HTTP against the sandbox, default policies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import gitlab
import pytest
import requests

from triage.gitlab.apply import Outcome, apply_plan
from triage.gitlab.client import Connection, connect
from triage.gitlab.fetch import fetch_snapshot
from triage.plan import evaluate
from triage.policy.loader import PACKAGED, PolicySet, load_policies
from triage.sandbox.app import SandboxConfig
from triage.sandbox.server import SandboxServer

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
HOME = "account-management/accounts"
ACME = "customers/acme"
STATUS = ("status::awaiting-team", "status::awaiting-customer")
SEED: dict[str, Any] = {
    "groups": [{"path": "account-management"}, {"path": "customers"}],
    "projects": [{"path": HOME}, {"path": ACME}],
}
DECLARED = {
    "Account health": ["health::red", "health::yellow", "health::green"],
    "Handoffs and engagement": ["handoff", "engagement", "reminder", "triage"],
    "Lifecycle": [
        f"stage::{s}"
        for s in (
            "prospect",
            "discovery",
            "pov",
            "technical-win",
            "closed-won",
            "onboarding",
            "adoption",
            "churned",
        )
    ],
}


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(seed_data=SEED)) as running:
        yield running


@pytest.fixture
def policies() -> PolicySet:
    return load_policies(PACKAGED / "policies", PACKAGED / "templates")


def run(server: SandboxServer, policies: PolicySet) -> tuple[int, Outcome]:
    """One `salsatam apply --only boards`: planned changes and what applying them did."""
    conn: Connection = connect(server.url, server.token)
    snapshot = fetch_snapshot(conn, policies, ("boards",), None, NOW)
    plan = evaluate(snapshot, policies, NOW, kinds=("boards",))
    return len(plan.changes), apply_plan(conn, plan, snapshot)


def writes(server: SandboxServer) -> int:
    seen = requests.get(f"{server.url}/-/sandbox/requests", timeout=10).json()
    return int(seen["writes"])


def boards_of(server: SandboxServer, path: str) -> dict[str, list[str]]:
    gl = gitlab.Gitlab(server.url, private_token=server.token)
    project = gl.projects.get(path)
    found: dict[str, list[str]] = {}
    for board in project.boards.list(get_all=True):
        lists = sorted(board.lists.list(get_all=True), key=lambda x: x.position)
        found[board.name] = [x.label["name"] for x in lists]
    return found


def test_from_nothing_to_the_declared_boards_then_a_rerun_writes_nothing(
    server: SandboxServer, policies: PolicySet
) -> None:
    planned, outcome = run(server, policies)
    assert planned > 0 and outcome.failed == 0
    assert boards_of(server, HOME) == DECLARED
    assert boards_of(server, ACME) == {"Customer issues": list(STATUS)}
    before = writes(server)
    planned, outcome = run(server, policies)
    assert (planned, outcome.results) == (0, [])
    assert writes(server) == before


def test_hand_edits_are_undone_and_hand_added_lists_stay(
    server: SandboxServer, policies: PolicySet
) -> None:
    run(server, policies)
    gl = gitlab.Gitlab(server.url, private_token=server.token)
    project = gl.projects.get(HOME)
    health = next(b for b in project.boards.list(get_all=True) if b.name == "Account health")
    lists = {x.label["name"]: x for x in health.lists.list(get_all=True)}
    lists["health::yellow"].delete()
    green = health.lists.get(lists["health::green"].id)
    green.position = 0
    green.save()
    health.lists.create({"label_id": project.labels.get("meeting").id})
    _, outcome = run(server, policies)
    assert outcome.failed == 0
    assert [r.change.describe(dry_run=False).partition(": ")[0] for r in outcome.results] == [
        f'moved list ~health::red on board "Account health" in {HOME} to position 0',
        f'added list ~health::yellow to board "Account health" in {HOME}',
    ]
    assert boards_of(server, HOME)["Account health"] == [
        "health::red",
        "health::yellow",
        "health::green",
        "meeting",
    ]
    assert run(server, policies)[0] == 0


def test_a_renamed_label_is_reported_and_its_list_and_issues_stay(
    server: SandboxServer, policies: PolicySet
) -> None:
    run(server, policies)
    gl = gitlab.Gitlab(server.url, private_token=server.token)
    acme = gl.projects.get(ACME)
    acme.issues.create({"title": "Waiting on us", "labels": "status::awaiting-team"})
    label = acme.labels.get("status::awaiting-team")
    label.new_name = "waiting-on-us"
    label.save()
    assert boards_of(server, ACME) == {"Customer issues": ["waiting-on-us", STATUS[1]]}
    conn = connect(server.url, server.token)
    snapshot = fetch_snapshot(conn, policies, ("boards",), None, NOW)
    plan = evaluate(snapshot, policies, NOW, kinds=("boards",))
    assert plan.changes == []
    assert [p.message for p in plan.problems] == [
        "label ~status::awaiting-team was renamed to ~waiting-on-us in GitLab: rename it in "
        f'labels.yml too, or rename it back (in {ACME}); board "Customer issues" keeps the '
        "list of ~waiting-on-us until then"
    ]
    writes, outcome = run(server, policies)
    assert (writes, outcome.failed) == (0, 0)
    assert boards_of(server, ACME) == {"Customer issues": ["waiting-on-us", STATUS[1]]}
    names = [x.name for x in acme.labels.list(get_all=True, include_ancestor_groups=False)]
    assert "status::awaiting-team" not in names
    [issue] = acme.issues.list(get_all=True)
    assert issue.labels == ["waiting-on-us"]


def test_labels_inherited_from_the_customers_group_are_not_duplicated(
    policies: PolicySet,
) -> None:
    status = [{"name": name, "color": "#e9be74"} for name in STATUS]
    seed = {
        **SEED,
        "groups": [{"path": "account-management"}, {"path": "customers", "labels": status}],
    }
    with SandboxServer(SandboxConfig(seed_data=seed)) as server:
        _, outcome = run(server, policies)
        assert outcome.failed == 0
        assert boards_of(server, ACME) == {"Customer issues": list(STATUS)}
        gl = gitlab.Gitlab(server.url, private_token=server.token)
        own = gl.projects.get(ACME).labels.list(get_all=True, include_ancestor_groups=False)
        assert [x.name for x in own] == []
