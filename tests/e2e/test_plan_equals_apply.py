"""What `apply` did is what `plan` said it would do, and shards split a run without overlap.

A seeded book that triggers every kind: health (label, note, bot section), collaboration
status labels, handoff and engagement issues (one from a Mid-Market SA pool), two teams'
agendas, boards and the label catalog. The CLI runs against the sandbox over HTTP.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from tests.e2e.cli import run, seeded
from triage.snapshot import find_key

pytestmark = pytest.mark.e2e

NOW = "2026-03-10T09:00:00+00:00"  # a Tuesday: both teams meet today
HOME = "account-management/accounts"
STAFF_NAMES = ("sam.sal", "sara.sa", "tom.tam", "ann.ae", "pia.sa", "paul.sa")
ENTERPRISE = {"sal": "sam.sal", "sa": "sara.sa", "tam": "tom.tam"}
MID_MARKET = {"ae": "ann.ae", "tam": "tom.tam"}


def account(name: str, labels: list[str], **record: Any) -> dict[str, Any]:
    block = {"arr": 120000, "renewal": "2027-01-31", "priority": 2, **record}
    text = yaml.safe_dump(block, sort_keys=False)
    return {
        "project": HOME,
        "title": name,
        "description": f"The account record.\n\n```yaml\n{text}```\n",
        "labels": ["account", *labels],
        "author": "sam.sal",
        "created_at": "2025-01-05T10:00:00Z",
    }


def customer(project: str, title: str, author: str, **extra: Any) -> dict[str, Any]:
    return {
        "project": f"customers/{project}",
        "title": title,
        "author": author,
        "created_at": "2026-03-02T10:00:00Z",
        **extra,
    }


SEED: dict[str, Any] = {
    "users": [{"username": u} for u in (*STAFF_NAMES, "carol", "dave", "erin")],
    "groups": [
        {
            "path": "account-management",
            "members": [{"username": u, "access_level": 30} for u in STAFF_NAMES],
        },
        {"path": "customers"},
    ],
    "projects": [
        {"path": HOME},
        {"path": "customers/acme", "members": [{"username": "carol", "access_level": 20}]},
        {"path": "customers/globex", "members": [{"username": "dave", "access_level": 20}]},
        {"path": "customers/initech", "members": [{"username": "erin", "access_level": 20}]},
    ],
    "issues": [
        # 1: red by the TAM's own read, a customer waiting: health, status, triage issue.
        account(
            "Acme",
            ["segment::enterprise", "stage::adoption"],
            team=ENTERPRISE,
            collaboration_project="customers/acme",
            sentiment={"color": "red", "date": "2026-03-05"},
        ),
        # 2: technical win: the handoff, and the TAM engaged before the sale.
        account(
            "Globex",
            ["segment::enterprise", "stage::technical-win"],
            team=ENTERPRISE,
            collaboration_project="customers/globex",
        ),
        # 3 and 4: Mid-Market onsite days, each taking the SA pool's next turn.
        account(
            "Initech",
            ["segment::mid-market", "stage::adoption", "onsite-day"],
            team=MID_MARKET,
            collaboration_project="customers/initech",
        ),
        account("Hooli", ["segment::mid-market", "stage::adoption", "onsite-day"], team=MID_MARKET),
        customer("acme", "Runners are slow", "carol", description="please help"),
        customer(
            "globex",
            "SSO question",
            "dave",
            notes=[
                {"author": "dave", "body": "any news?", "created_at": "2026-03-03T10:00:00Z"},
                {"author": "sara.sa", "body": "on it", "created_at": "2026-03-04T10:00:00Z"},
            ],
        ),
        customer(
            "initech",
            "Upgrade plan",
            "erin",
            notes=[{"author": "erin", "body": "ping", "created_at": "2026-03-05T10:00:00Z"}],
        ),
    ],
}
MEETING = {"cadence": "weekly", "weekday": "tue", "time": "15:00", "timezone": "UTC"}
TEAMS = {
    "teams": [
        {
            "name": "east",
            "segment": "enterprise",
            "members": [
                {"username": "sam.sal", "role": "sal"},
                {"username": "sara.sa", "role": "sa"},
                {"username": "tom.tam", "role": "tam"},
            ],
            "meeting": MEETING,
        },
        {
            "name": "mm",
            "segment": "mid-market",
            "members": [
                {"username": "ann.ae", "role": "ae"},
                {"username": "tom.tam", "role": "tam"},
            ],
            "meeting": MEETING,
            "sa_pool": ["pia.sa", "paul.sa"],
        },
    ]
}
ACCOUNT_KINDS = ("health", "collaboration", "issues")


@pytest.fixture
def gitlab(sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    clock = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    return seeded(sandbox, tmp_path, monkeypatch, clock=clock, seed=SEED, teams=TEAMS)


def salsatam(gitlab: Any, *args: str) -> Result:
    return run(gitlab, *args, now=NOW)


def planned(gitlab: Any, *args: str) -> list[dict[str, Any]]:
    result = salsatam(gitlab, "plan", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    changes: list[dict[str, Any]] = json.loads(result.stdout)["changes"]
    return changes


def identity(change: dict[str, Any]) -> tuple[str, str, str, str]:
    """What a change is: its kind, type, what it touches, and its key."""
    target = change.get("issue") or change.get("source") or change.get("project") or ""
    return change["kind"], change["type"], str(target), change["key"]


def test_apply_does_what_plan_said_one_to_one(gitlab: Any, tmp_path: Path) -> None:
    plan = [identity(c) for c in planned(gitlab)]
    assert gitlab.requests()["writes"] == 0
    assert {kind for kind, *_ in plan} == {
        "labels",
        "health",
        "collaboration",
        "issues",
        "agenda",
        "boards",
    }
    types = Counter((kind, kind_type) for kind, kind_type, *_ in plan)
    # Hooli has no data for any measure: no colour, but its bot section is still written.
    assert types[("health", "SetLabels")] == 3
    assert types[("health", "AddNote")] == 3  # each colour is new: a note says why
    assert types[("health", "UpdateDescription")] == 4
    assert types[("agenda", "CreateIssue")] == 2

    applied = salsatam(gitlab, "apply", "--report", "out")
    assert applied.exit_code == 0, applied.output
    outcome = json.loads((tmp_path / "out" / "outcome.json").read_text())
    results = outcome["results"]
    assert [identity(r) for r in results] == plan
    assert {r["status"] for r in results} == {"done"}

    opened = {
        find_key(i.description): i
        for i in gitlab.gitlab()
        .projects.get(HOME)
        .issues.list(labels="salsatam", state="all", get_all=True)
    }
    created = {key for _, kind_type, _, key in plan if kind_type == "CreateIssue"}
    assert created and created == set(opened)
    assert {"handoff:2", "agenda:east:2026-03-10", "agenda:mm:2026-03-10"} <= created
    pooled = {k: [a["username"] for a in opened[k].assignees] for k in created if "onsite" in k}
    assert pooled == {
        "engagement:sa:onsite-day:3:1": ["pia.sa"],
        "engagement:sa:onsite-day:4:1": ["paul.sa"],
    }
    records = gitlab.gitlab().projects.get(HOME).issues.list(labels="account", get_all=True)
    assert {r.title: r.labels for r in records}["Acme"].count("health::red") == 1
    acme = gitlab.gitlab().projects.get("customers/acme").issues.get(1)
    assert "status::awaiting-team" in acme.labels

    gitlab.reset_requests()
    assert planned(gitlab) == []


@pytest.mark.parametrize("only", [(), ("--only", ",".join(ACCOUNT_KINDS))])
def test_two_shards_make_exactly_the_changes_of_one_run(gitlab: Any, only: tuple[str, ...]) -> None:
    whole = {identity(c) for c in planned(gitlab, *only)}
    whole_notes = notes_reads(gitlab)
    shards, notes = [], []
    for index in (1, 2):
        gitlab.reset_requests()
        shards.append({identity(c) for c in planned(gitlab, *only, "--shard", f"{index}/2")})
        notes.append(notes_reads(gitlab))
    first, second = shards
    labels = {c for c in whole if c[0] == "labels"}
    assert labels  # every shard creates the catalog labels its own writes use
    assert first & second == labels
    assert first | second == whole
    assert {c[0] for c in second} == {"labels", *ACCOUNT_KINDS}  # agenda, boards: shard 1
    # Shard 2 of 2 holds the even record iids: Globex (2) and Hooli (4).
    assert {c[3] for c in second - labels} == {
        "engagement:sa:onsite-day:4:1",  # the SA pool's turn after Initech (3), in shard 1
        "handoff:2",  # supersedes Globex's TAM engagement (its collaboration project)
        f"health:{HOME}#2:green:2026-03-10",
        f"health-label:{HOME}#2:green",
        f"health-section:{HOME}#2",
        f"health-section:{HOME}#4",
        "status:customers/globex#1:customer",
    }
    if only:  # without the agenda, each shard reads the notes of its own accounts only
        assert sum(notes) == whole_notes and all(notes)


def test_apply_by_shards_converges(gitlab: Any) -> None:
    for index in (1, 2):
        result = salsatam(gitlab, "apply", "--shard", f"{index}/2")
        assert result.exit_code == 0, result.output
    gitlab.reset_requests()
    assert planned(gitlab) == []
    assert gitlab.requests()["writes"] == 0


def notes_reads(gitlab: Any) -> int:
    routes = gitlab.requests()["by_route"]
    return sum(n for route, n in routes.items() if route.startswith("GET") and "/notes" in route)
