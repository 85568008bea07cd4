"""fetch_snapshot against the sandbox: the right Snapshot in a small, known number of requests."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from triage.gitlab.client import connect
from triage.gitlab.errors import GitLabError, SettingsError
from triage.gitlab.fetch import fetch_snapshot
from triage.policy.health import HealthPolicy
from triage.policy.model import Settings
from triage.snapshot import IssueRef, Snapshot

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
HOME = "account-management/accounts"


@dataclass(frozen=True)
class Policies:
    settings: Settings
    health: HealthPolicy = field(default_factory=HealthPolicy)


POLICIES = Policies(Settings(None, HOME, "customers", bots=("renovate",)))


def record(project: str) -> str:
    return f"Acme's record.\n\n```yaml\narr: 100000\ncollaboration_project: {project}\n```\n"


SEED: dict[str, Any] = {
    "users": [{"username": u} for u in ("ana", "sam", "carl", "renovate", "support-bot")],
    "groups": [
        {"path": "account-management", "members": [{"username": "sam", "access_level": 30}]},
        {"path": "customers"},
        {"path": "customers/emea"},
        {"path": "partners"},
    ],
    "projects": [
        {"path": HOME, "members": [{"username": "ana", "access_level": 40}],
         "labels": [{"name": "account", "color": "#1f75cb"}, {"name": "salsatam"}]},
        {"path": "customers/acme"},
        {"path": "customers/emea/globex"},
        {"path": "partners/initech"},
        {"path": "partners/shared", "shared_with": [{"group": "customers"}]},
    ],
    "issues": [
        {"project": HOME, "title": "Acme", "labels": ["account"],
         "description": record("customers/acme"), "created_at": "2025-01-01T00:00:00Z"},
        {"project": HOME, "title": "Globex", "labels": ["account"],
         "description": record("customers/emea/globex"), "created_at": "2025-01-02T00:00:00Z"},
        {"project": HOME, "title": "Initech", "labels": ["account"],
         "description": record("partners/initech"), "created_at": "2025-01-03T00:00:00Z"},
        {"project": HOME, "title": "Hooli", "labels": ["account"],
         "description": record("partners/gone"), "created_at": "2025-01-04T00:00:00Z"},
        {"project": HOME, "title": "Churned Co", "labels": ["account"], "state": "closed",
         "created_at": "2024-01-01T00:00:00Z"},
        {"project": HOME, "title": "Handoff: Acme", "labels": ["salsatam", "handoff"],
         "state": "closed", "description": "x <!-- salsatam:key=handoff:acme -->",
         "created_at": "2024-02-01T00:00:00Z", "closed_at": "2024-03-01T00:00:00Z"},
        {"project": "customers/acme", "title": "Runners are slow", "author": "carl",
         "assignees": ["ana"], "due_date": "2026-03-20", "labels": ["priority::2"],
         "created_at": "2026-03-01T10:00:00Z",
         "notes": [{"author": "carl", "body": "Any news?", "created_at": "2026-03-02T10:00:00Z"},
                   {"author": "renovate", "body": "bump", "created_at": "2026-03-03T10:00:00Z"},
                   {"author": "ana", "body": "Yes!", "created_at": "2026-03-04T10:00:00Z"}]},
        {"project": "customers/acme", "title": "Closed lately", "state": "closed",
         "created_at": "2026-01-01T00:00:00Z", "closed_at": "2026-02-01T00:00:00Z"},
        {"project": "customers/acme", "title": "Meeting in December", "state": "closed",
         "labels": ["meeting"], "created_at": "2025-11-20T00:00:00Z",
         "closed_at": "2025-12-01T00:00:00Z"},  # 99 days before NOW: in the history window
        {"project": "customers/acme", "title": "Closed long ago", "state": "closed",
         "created_at": "2025-01-01T00:00:00Z", "closed_at": "2025-02-01T00:00:00Z"},
        {"project": "customers/emea/globex", "title": "SSO question", "author": "support-bot",
         "created_at": "2026-02-01T00:00:00Z"},
        {"project": "partners/initech", "title": "Kickoff", "created_at": "2026-02-01T00:00:00Z"},
        {"project": "partners/shared", "title": "Not ours", "created_at": "2026-02-01T00:00:00Z"},
    ],
}


def no_notes(snapshot: Snapshot, policies: Any, now: datetime) -> set[IssueRef]:
    return set()


def titles(snapshot: Snapshot) -> dict[str, list[str]]:
    found = snapshot.collaboration_issues.items()
    return {path: sorted(i.title for i in issues) for path, issues in found}


def test_a_full_fetch_reads_everything_in_a_few_group_wide_lists(sandbox: Any) -> None:
    sandbox.seed(SEED)
    sandbox.reset_requests()
    conn = connect(sandbox.url, sandbox.token)
    snapshot = fetch_snapshot(conn, POLICIES, ("health",), None, NOW, notes_needed=no_notes)

    assert [i.title for i in snapshot.account_issues] == ["Hooli", "Initech", "Globex", "Acme"]
    assert [i.key for i in snapshot.salsatam_issues] == ["handoff:acme"]
    assert snapshot.staff == {"ana", "sam"}  # direct and inherited members
    assert sorted(snapshot.projects) == ["customers/acme", "customers/emea/globex",
                                         "partners/initech"]
    assert titles(snapshot) == {
        "customers/acme": ["Closed lately", "Meeting in December", "Runners are slow"],
        "customers/emea/globex": ["SSO question"],
        "partners/initech": ["Kickoff"],
    }
    assert list(snapshot.unreachable) == ["partners/gone"]
    assert {"account", "salsatam"} <= set(snapshot.labels)
    assert snapshot.labels["account"].color == "#1f75cb" and snapshot.labels["account"].id

    slow = next(i for i in snapshot.collaboration_issues["customers/acme"] if i.iid == 1)
    assert slow.title == "Runners are slow" and slow.ref == IssueRef("customers/acme", 1)
    assert slow.author.username == "carl" and [a.username for a in slow.assignees] == ["ana"]
    assert slow.due_date == date(2026, 3, 20) and slow.labels == ("priority::2",)
    assert slow.created_at == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert slow.notes is None  # not asked for
    assert snapshot.users["support-bot"].bot and not snapshot.users["carl"].bot

    # 1 project, members, labels, account issues, salsatam issues; group projects,
    # group open + recently closed issues; partners/initech: project + 2 lists;
    # partners/gone: 1 (404).
    assert conn.requests == sandbox.requests()["total"] == 5 + 3 + 3 + 1
    assert sandbox.requests()["writes"] == 0


def test_closed_issues_are_read_back_to_the_health_policys_history_window(sandbox: Any) -> None:
    sandbox.seed(SEED)
    conn = connect(sandbox.url, sandbox.token)
    shorter = replace(POLICIES, health=HealthPolicy(history_days=60))
    snapshot = fetch_snapshot(conn, shorter, ("health",), None, NOW, notes_needed=no_notes)
    assert titles(snapshot)["customers/acme"] == ["Closed lately", "Runners are slow"]
    longer = replace(POLICIES, health=HealthPolicy(history_days=500))
    snapshot = fetch_snapshot(conn, longer, ("health",), None, NOW, notes_needed=no_notes)
    assert "Closed long ago" in titles(snapshot)["customers/acme"]


def test_notes_are_read_only_for_the_issues_asked_for(sandbox: Any) -> None:
    sandbox.seed(SEED)
    conn = connect(sandbox.url, sandbox.token)
    wanted = IssueRef("customers/acme", 1)
    fetch_snapshot(conn, POLICIES, (), None, NOW, notes_needed=no_notes)
    before = conn.requests
    snapshot = fetch_snapshot(conn, POLICIES, (), None, NOW, notes_needed=lambda *_: {wanted})

    assert conn.requests - before == before + 1  # one page of notes more
    notes = {i.ref: i.notes for issues in snapshot.collaboration_issues.values() for i in issues}
    assert [n.body for n in notes[wanted] or ()] == ["Any news?", "bump", "Yes!"]
    assert all(n is None for ref, n in notes.items() if ref != wanted)
    by = {n.body: n.author for n in notes[wanted] or ()}
    assert by["bump"].bot and not by["Any news?"].bot  # `renovate` is in settings.bots


def test_one_account_reads_only_its_record_and_project(sandbox: Any) -> None:
    sandbox.seed(SEED)
    sandbox.reset_requests()
    conn = connect(sandbox.url, sandbox.token)
    snapshot = fetch_snapshot(conn, POLICIES, ("health",), "Globex", NOW, notes_needed=no_notes)

    assert [i.title for i in snapshot.account_issues] == ["Globex"]
    assert titles(snapshot) == {"customers/emea/globex": ["SSO question"]}
    assert [i.key for i in snapshot.salsatam_issues] == ["handoff:acme"]
    # project, members, labels, the account, salsatam issues; its project + 2 lists
    assert sandbox.requests()["by_route"] == {
        "GET /projects/:id": 2,
        "GET /projects/:id/members/all": 1,
        "GET /projects/:id/labels": 1,
        "GET /projects/:id/issues": 4,
    }


def test_an_exact_title_is_needed_for_one_account(sandbox: Any) -> None:
    sandbox.seed(SEED)
    conn = connect(sandbox.url, sandbox.token)
    with pytest.raises(SettingsError) as caught:
        fetch_snapshot(conn, POLICIES, (), "Acm", NOW, notes_needed=no_notes)
    assert str(caught.value).startswith("no open account record titled 'Acm' in ")


def test_a_wrong_token_fails_with_a_message_that_does_not_show_it(sandbox: Any) -> None:
    sandbox.seed(SEED)
    wrong = "glpat-not-the-right-one"
    conn = connect(sandbox.url, wrong)
    with pytest.raises(GitLabError) as caught:
        fetch_snapshot(conn, POLICIES, (), None, NOW, notes_needed=no_notes)
    assert str(caught.value) == "401: 401 Unauthorized"
    assert wrong not in repr(caught.value) and wrong not in repr(conn)
    assert conn.requests == 1
