"""When boards are read: every place on the weekly boards run, only new collaboration
projects on the daily runs, and nothing a boards run doesn't need. Python-gitlab over HTTP
against the sandbox, default policies; requests counted by the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from triage.gitlab.apply import Outcome, apply_plan
from triage.gitlab.client import connect
from triage.gitlab.fetch import fetch_snapshot
from triage.plan import evaluate
from triage.policy.loader import PACKAGED, PolicySet, load_policies

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
HOME = "account-management/accounts"
DAILY = ("health", "collaboration", "issues")
STATUS = ["status::awaiting-team", "status::awaiting-customer"]


def record(name: str, project: str) -> dict[str, Any]:
    body = (
        f"{name}'s record.\n\n```yaml\narr: 100000\nrenewal: 2026-09-01\n"
        f"team:\n  tam: tom.tam\ncollaboration_project: {project}\n```\n"
    )
    return {
        "project": HOME,
        "title": name,
        "description": body,
        "labels": ["account", "segment::enterprise", "stage::adoption"],
        "author": "tom.tam",
        "created_at": "2025-06-02T09:00:00Z",
    }


BOOK: dict[str, Any] = {
    "users": [{"username": "tom.tam"}, {"username": "carl"}],
    "groups": [
        {"path": "account-management", "members": [{"username": "tom.tam", "access_level": 30}]},
        {"path": "customers"},
        {"path": "partners"},
    ],
    "projects": [{"path": HOME}, {"path": "customers/acme"}, {"path": "partners/initech"}],
    "issues": [
        record("Acme", "customers/acme"),
        record("Initech", "partners/initech"),
        {
            "project": "customers/acme",
            "title": "Runners are slow",
            "author": "carl",
            "created_at": "2026-03-01T10:00:00Z",
            "notes": [
                {"author": "carl", "body": "Any news?", "created_at": "2026-03-02T10:00:00Z"},
                {"author": "tom.tam", "body": "Soon", "created_at": "2026-03-03T10:00:00Z"},
            ],
        },
        {
            "project": "partners/initech",
            "title": "Kickoff",
            "author": "carl",
            "created_at": "2026-03-02T10:00:00Z",
        },
    ],
}


@pytest.fixture
def policies() -> PolicySet:
    return load_policies(PACKAGED / "policies", PACKAGED / "templates")


def run(sandbox: Any, policies: PolicySet, kinds: tuple[str, ...]) -> tuple[int, Outcome]:
    """One `salsatam apply --only <kinds>` at NOW: planned changes, what applying did."""
    sandbox.set_clock(NOW)
    conn = connect(sandbox.url, sandbox.token)
    snapshot = fetch_snapshot(conn, policies, kinds, None, NOW)
    plan = evaluate(snapshot, policies, NOW, kinds=kinds)
    return len(plan.changes), apply_plan(conn, plan, snapshot)


def boards_of(sandbox: Any, path: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for board in sandbox.gitlab().projects.get(path).boards.list(get_all=True):
        lists = sorted(board.lists.list(get_all=True), key=lambda x: x.position)
        found[board.name] = [x.label["name"] for x in lists]
    return found


def test_a_daily_run_gives_a_new_project_its_board_and_leaves_old_ones_unread(
    sandbox: Any, policies: PolicySet
) -> None:
    sandbox.set_clock(NOW - timedelta(days=90))
    sandbox.seed(BOOK)
    sandbox.set_clock(NOW - timedelta(days=2))
    sandbox.seed({"projects": [{"path": "customers/newco"}]})

    planned, outcome = run(sandbox, policies, DAILY)
    assert planned > 0 and outcome.failed == 0
    assert boards_of(sandbox, "customers/newco") == {"Customer issues": STATUS}
    assert boards_of(sandbox, "customers/acme") == {}  # the weekly boards run does those
    assert boards_of(sandbox, HOME) == {}

    sandbox.reset_requests()
    planned, outcome = run(sandbox, policies, DAILY)
    assert (planned, outcome.results) == (0, [])
    seen = sandbox.requests()
    assert seen["writes"] == 0
    assert seen["by_route"]["GET /projects/:id/boards"] == 1  # customers/newco only
    assert "GET /groups/:id/boards" not in seen["by_route"]


def test_a_project_is_new_for_new_project_days(sandbox: Any, policies: PolicySet) -> None:
    sandbox.set_clock(NOW - timedelta(days=policies.boards.new_project_days + 1))
    sandbox.seed(BOOK)
    sandbox.reset_requests()
    run(sandbox, policies, DAILY)
    assert "GET /projects/:id/boards" not in sandbox.requests()["by_route"]
    assert boards_of(sandbox, "customers/acme") == {}


def test_a_boards_run_reads_only_what_boards_need(sandbox: Any, policies: PolicySet) -> None:
    sandbox.seed(BOOK)
    run(sandbox, policies, ("boards",))
    assert boards_of(sandbox, "partners/initech") == {"Customer issues": STATUS}
    sandbox.reset_requests()
    planned, _ = run(sandbox, policies, ("boards",))
    assert planned == 0
    # The accounts project, its labels and records (they name partners/initech), the
    # customers group's projects, partners/initech; boards: the accounts project and both
    # collaboration projects, with their labels. No members, issues or notes.
    assert sandbox.requests()["by_route"] == {
        "GET /projects/:id": 2,
        "GET /projects/:id/labels": 3,
        "GET /projects/:id/issues": 1,
        "GET /groups/:id/projects": 1,
        "GET /projects/:id/boards": 3,
    }


def test_a_boards_run_evaluates_no_account_from_what_it_did_not_read(
    sandbox: Any, policies: PolicySet
) -> None:
    sandbox.seed(BOOK)
    conn = connect(sandbox.url, sandbox.token)
    snapshot = fetch_snapshot(conn, policies, ("boards",), None, NOW)
    assert [i.title for i in snapshot.account_issues] == ["Initech", "Acme"]
    assert snapshot.collaboration_issues == {"customers/acme": (), "partners/initech": ()}
    plan = evaluate(snapshot, policies, NOW, kinds=("boards",))
    assert plan.accounts == ()  # their facts would be computed from nothing
    daily = evaluate(fetch_snapshot(conn, policies, DAILY, None, NOW), policies, NOW, DAILY)
    assert sorted(a.name for a in daily.accounts) == ["Acme", "Initech"]
