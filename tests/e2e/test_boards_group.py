"""Group boards end to end (`group: true` in boards.yml): python-gitlab over HTTP against
the sandbox. The boards and the labels their lists need go to the accounts project's
group; GitLab Free allows one group board, Premium any number."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from triage.gitlab.apply import Outcome, apply_plan
from triage.gitlab.client import connect
from triage.gitlab.fetch import fetch_snapshot
from triage.plan import Plan, evaluate
from triage.policy.loader import PACKAGED, PolicySet, load_policies

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
GROUP = "account-management"
HOME = f"{GROUP}/accounts"
BOARDS = """\
accounts_project:
  - name: Account health
    lists: ["health::red", "health::yellow", "health::green"]
  - name: Escalations
    lists: ["escalation::critical", "escalation::high"]
    group: true
  - name: Priorities
    lists: ["priority::1", "priority::2"]
    group: true
collaboration_projects:
  - name: Customer issues
    lists: ["status::awaiting-team", "status::awaiting-customer"]
"""
SEED: dict[str, Any] = {
    "groups": [{"path": GROUP}, {"path": "customers"}],
    "projects": [{"path": HOME}, {"path": "customers/acme"}],
}
ESCALATIONS = ["escalation::critical", "escalation::high"]
PRIORITIES = ["priority::1", "priority::2"]


def policies_for(tmp_path: Path, tier: str) -> PolicySet:
    directory = tmp_path / "policies"
    shutil.copytree(PACKAGED / "policies", directory)
    (directory / "boards.yml").write_text(BOARDS, encoding="utf-8")
    settings = directory / "salsatam.yml"
    text = settings.read_text(encoding="utf-8").replace("tier: free", f"tier: {tier}")
    settings.write_text(text, encoding="utf-8")
    return load_policies(directory, PACKAGED / "templates")


def run(sandbox: Any, policies: PolicySet) -> tuple[Plan, Outcome]:
    """One `salsatam apply --only boards`: the plan and what applying it did."""
    conn = connect(sandbox.url, sandbox.token)
    snapshot = fetch_snapshot(conn, policies, ("boards",), None, NOW)
    plan = evaluate(snapshot, policies, NOW, kinds=("boards",))
    return plan, apply_plan(conn, plan, snapshot)


def group_boards(sandbox: Any) -> dict[str, list[str]]:
    group = sandbox.gitlab().groups.get(GROUP)
    found: dict[str, list[str]] = {}
    for board in group.boards.list(get_all=True):
        lists = sorted(board.lists.list(get_all=True), key=lambda x: x.position)
        found[board.name] = [x.label["name"] for x in lists]
    return found


def group_labels(sandbox: Any) -> list[str]:
    group = sandbox.gitlab().groups.get(GROUP)
    return sorted(x.name for x in group.labels.list(get_all=True))


def project_boards(sandbox: Any, path: str) -> list[str]:
    return sorted(b.name for b in sandbox.gitlab().projects.get(path).boards.list(get_all=True))


def test_on_free_one_group_board_is_made_the_second_is_a_problem_and_the_rest_converges(
    sandbox: Any, tmp_path: Path
) -> None:
    sandbox.seed(SEED)
    policies = policies_for(tmp_path, "free")
    sandbox.reset_requests()
    plan, outcome = run(sandbox, policies)
    assert outcome.failed == 0
    created = sandbox.requests()["by_route"]
    assert created["POST /groups/:id/boards"] == 1
    assert created["POST /groups/:id/boards/:board_id/lists"] == 2
    assert created["POST /groups/:id/labels"] == 2  # not again in the project: inherited
    assert [r.detail for r in outcome.results if r.detail != "created"] == []
    assert group_boards(sandbox) == {"Escalations": ESCALATIONS}
    assert group_labels(sandbox) == ESCALATIONS
    assert project_boards(sandbox, HOME) == ["Account health"]
    assert project_boards(sandbox, "customers/acme") == ["Customer issues"]
    assert [p.message for p in plan.problems] == [
        f'board "Priorities" not created in group {GROUP}: GitLab Free allows one group '
        'board and the group has "Escalations" (project boards are unlimited)'
    ]

    sandbox.reset_requests()
    plan, outcome = run(sandbox, policies)
    assert (plan.changes, outcome.results) == ([], [])
    assert len(plan.problems) == 1  # still reported, still not attempted
    seen = sandbox.requests()
    assert seen["writes"] == 0
    assert seen["by_route"]["GET /groups/:id/boards"] == 1
    assert seen["by_route"]["GET /groups/:id/labels"] == 1


def test_on_premium_every_group_board_is_made_and_a_rerun_writes_nothing(
    sandbox: Any, tmp_path: Path
) -> None:
    sandbox.seed(SEED)
    sandbox.set_tier("premium")
    policies = policies_for(tmp_path, "premium")
    plan, outcome = run(sandbox, policies)
    assert outcome.failed == 0 and plan.problems == []
    assert group_boards(sandbox) == {"Escalations": ESCALATIONS, "Priorities": PRIORITIES}
    assert group_labels(sandbox) == sorted(ESCALATIONS + PRIORITIES)
    assert project_boards(sandbox, HOME) == ["Account health"]

    sandbox.reset_requests()
    plan, outcome = run(sandbox, policies)
    assert (plan.changes, outcome.results, plan.problems) == ([], [], [])
    assert sandbox.requests()["writes"] == 0


def test_a_group_board_edited_by_hand_is_put_back(sandbox: Any, tmp_path: Path) -> None:
    sandbox.seed(SEED)
    policies = policies_for(tmp_path, "free")
    run(sandbox, policies)
    group = sandbox.gitlab().groups.get(GROUP)
    [board] = group.boards.list(get_all=True)
    lists = {x.label["name"]: x for x in board.lists.list(get_all=True)}
    high = board.lists.get(lists["escalation::high"].id)
    high.position = 0
    high.save()

    _, outcome = run(sandbox, policies)
    assert outcome.failed == 0
    assert [r.change.describe(dry_run=False).partition(": ")[0] for r in outcome.results] == [
        f'moved list ~escalation::critical on board "Escalations" in group {GROUP} to position 0'
    ]
    assert group_boards(sandbox) == {"Escalations": ESCALATIONS}
    assert run(sandbox, policies)[0].changes == []
