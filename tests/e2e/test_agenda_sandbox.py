"""Agendas end to end: python-gitlab over HTTP against the sandbox, default policies plus
one team. Opening, rerunning (no writes), carrying an item over, closing the previous."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from triage.gitlab.apply import Outcome, apply_plan
from triage.gitlab.client import connect
from triage.gitlab.fetch import fetch_snapshot
from triage.plan import evaluate
from triage.policy.loader import PACKAGED, PolicySet, load_policies

pytestmark = pytest.mark.e2e

HOME = "account-management/accounts"
STAFF = ("sam.sal", "sara.sa", "tom.tam")
TEAMS = """\
teams:
  - name: east
    title: East Enterprise
    members:
      - {username: sam.sal, role: sal}
      - {username: sara.sa, role: sa}
      - {username: tom.tam, role: tam}
    meeting: {cadence: weekly, weekday: tue, time: "15:00", timezone: UTC}
"""


def record(arr: int, stage: str, name: str) -> dict[str, Any]:
    body = (
        f"Account record.\n\n```yaml\narr: {arr}\nrenewal: 2026-05-01\n"
        "team:\n  sal: sam.sal\n  sa: sara.sa\n  tam: tom.tam\n```\n"
    )
    labels = ["account", "segment::enterprise", f"stage::{stage}"]
    return {
        "project": HOME,
        "title": name,
        "description": body,
        "labels": labels,
        "author": "tom.tam",
        "created_at": "2025-06-02T09:00:00Z",
    }


SEED: dict[str, Any] = {
    "users": [{"username": u} for u in STAFF],
    "groups": [
        {
            "path": "account-management",
            "members": [{"username": u, "access_level": 30} for u in STAFF],
        },
        {"path": "customers"},
    ],
    "projects": [{"path": HOME}],
    "issues": [
        record(240000, "adoption", "Acme"),
        record(90000, "pov", "Initech"),
    ],
}


@pytest.fixture
def policies(tmp_path: Path) -> PolicySet:
    directory = tmp_path / "policies"
    shutil.copytree(PACKAGED / "policies", directory)
    (directory / "teams.yml").write_text(TEAMS, encoding="utf-8")
    return load_policies(directory, PACKAGED / "templates")


def run(sandbox: Any, policies: PolicySet, now: datetime) -> tuple[int, Outcome]:
    """One `salsatam apply --only agenda` at `now`: planned changes, what applying did."""
    sandbox.set_clock(now)
    conn = connect(sandbox.url, sandbox.token)
    snapshot = fetch_snapshot(conn, policies, ("agenda",), None, now)
    plan = evaluate(snapshot, policies, now, kinds=("agenda",))
    return len(plan.changes), apply_plan(conn, plan, snapshot)


def agendas(sandbox: Any) -> list[Any]:
    project = sandbox.gitlab().projects.get(HOME)
    found = project.issues.list(labels="agenda", state="all", get_all=True)
    return sorted(found, key=lambda i: i.iid)


def test_an_agenda_opens_once_and_a_rerun_writes_nothing(sandbox: Any, policies: PolicySet) -> None:
    sandbox.seed(SEED)
    planned, outcome = run(sandbox, policies, datetime(2026, 3, 7, 8, 0, tzinfo=UTC))
    assert planned > 0 and not outcome.failed
    [agenda] = agendas(sandbox)
    assert agenda.title == "Account-team meeting: East Enterprise, Tuesday 2026-03-10"
    assert set(agenda.labels) == {"salsatam", "agenda"}
    assert agenda.due_date == "2026-03-10"
    assert [a["username"] for a in agenda.assignees] == ["sam.sal"]
    assert f"{HOME}#1 Acme" in agenda.description
    assert f"{HOME}#2 Initech" in agenda.description

    sandbox.reset_requests()
    planned, _ = run(sandbox, policies, datetime(2026, 3, 7, 18, 0, tzinfo=UTC))
    assert planned == 0
    assert sandbox.requests()["writes"] == 0


def test_the_next_agenda_carries_items_and_closes_the_previous(
    sandbox: Any, policies: PolicySet
) -> None:
    sandbox.seed(SEED)
    run(sandbox, policies, datetime(2026, 3, 7, 8, 0, tzinfo=UTC))
    [first] = agendas(sandbox)
    first.description += "- [ ] @tom.tam send the EBR deck\n- [x] @sara.sa done\n"
    first.save()

    _, outcome = run(sandbox, policies, datetime(2026, 3, 14, 8, 0, tzinfo=UTC))
    assert not outcome.failed
    previous, second = agendas(sandbox)
    assert previous.state == "closed"
    [note] = [n for n in previous.notes.list(get_all=True) if not n.system]
    assert "Tuesday 2026-03-17" in note.body
    assert "Unchecked action items carry over" in note.body
    assert f"- [ ] @tom.tam send the EBR deck (from {HOME}#{first.iid})" in second.description
    assert "done" not in second.description
    assert [a["username"] for a in second.assignees] == ["sara.sa"]
    linked = [link.iid for link in second.links.list(get_all=True)]
    assert linked == [first.iid]

    sandbox.reset_requests()
    planned, _ = run(sandbox, policies, datetime(2026, 3, 15, 8, 0, tzinfo=UTC))
    assert planned == 0
    assert sandbox.requests()["writes"] == 0


def kept_in(tmp_path: Path, project: str) -> PolicySet:
    """The policies with the team's agendas kept in `project`."""
    directory = tmp_path / "policies"
    shutil.copytree(PACKAGED / "policies", directory)
    teams = TEAMS + f"    agenda_project: {project}\n"
    (directory / "teams.yml").write_text(teams, encoding="utf-8")
    return load_policies(directory, PACKAGED / "templates")


def test_an_agenda_kept_in_another_project_is_not_opened_again(
    sandbox: Any, tmp_path: Path
) -> None:
    meetings = "account-management/meetings"
    policies = kept_in(tmp_path, meetings)
    sandbox.seed({**SEED, "projects": [{"path": HOME}, {"path": meetings}]})
    planned, outcome = run(sandbox, policies, datetime(2026, 3, 7, 8, 0, tzinfo=UTC))
    assert planned > 0 and not outcome.failed
    found = sandbox.gitlab().projects.get(meetings).issues.list(labels="agenda", get_all=True)
    assert [a.title for a in found] == ["Account-team meeting: East Enterprise, Tuesday 2026-03-10"]

    sandbox.reset_requests()
    planned, _ = run(sandbox, policies, datetime(2026, 3, 7, 18, 0, tzinfo=UTC))
    assert planned == 0
    assert sandbox.requests()["writes"] == 0
    assert agendas(sandbox) == []  # none in the accounts project


def test_an_agenda_project_that_cannot_be_read_is_a_problem(sandbox: Any, tmp_path: Path) -> None:
    policies = kept_in(tmp_path, "account-management/gone")
    sandbox.seed(SEED)
    now = datetime(2026, 3, 7, 8, 0, tzinfo=UTC)
    sandbox.set_clock(now)
    conn = connect(sandbox.url, sandbox.token)
    snapshot = fetch_snapshot(conn, policies, ("agenda",), None, now)
    plan = evaluate(snapshot, policies, now, kinds=("agenda",))
    assert [c for c in plan.changes if type(c).__name__ == "CreateIssue"] == []
    [problem] = [p for p in plan.problems if p.account == "team east"]
    assert problem.message.startswith("cannot read the agendas in account-management/gone (")
