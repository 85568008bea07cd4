"""Health and collaboration status end to end: backdated history, fixed clock, the CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.e2e.cli import run, seeded
from triage.cli import main

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # a Tuesday
HOME = "account-management/accounts"
RECORD = """Written by the team; salsatam must keep it as it is.

```yaml
arr: 150000
renewal: 2026-09-01
team: {{sal: sam, sa: sara, tam: tom}}
collaboration_project: customers/{path}
priority: 1
sentiment: {{color: green, date: 2026-03-01}}
```

Champion: see the account plan.
"""
STAFF = [{"username": u, "access_level": 30} for u in ("sam", "sara", "tom")]


def record(name: str, description: str) -> dict[str, Any]:
    return {
        "project": HOME,
        "title": name,
        "description": description,
        "labels": ["account", "segment::enterprise", "stage::adoption"],
        "author": "sam",
        "created_at": "2025-06-01T10:00:00Z",
    }


SEED: dict[str, Any] = {
    "users": [{"username": u} for u in ("sam", "sara", "tom", "carol", "dave", "erin")]
    + [{"username": "alerts-bot", "bot": True}],
    "groups": [
        {"path": "account-management", "members": STAFF},
        {"path": "customers", "members": [{"username": "tom", "access_level": 30}]},
    ],
    "projects": [
        {"path": HOME},
        {"path": "customers/acme", "members": [{"username": "carol", "access_level": 20}]},
        {"path": "customers/globex", "members": [{"username": "dave", "access_level": 20}]},
    ],
    "issues": [
        record("Acme", RECORD.format(path="acme")),
        record("Globex", RECORD.format(path="globex")),
        record("Initech", "```yaml\narr: lots\n```\n"),
        # Acme: a customer has waited since a Friday three weeks ago: red whatever the score.
        {
            "project": "customers/acme",
            "title": "Pipelines fail on the new runners",
            "author": "carol",
            "created_at": "2026-02-20T15:00:00Z",
            "notes": [
                {"author": "alerts-bot", "body": "ack", "created_at": "2026-02-21T10:00:00Z"}
            ],
        },
        {
            "project": "customers/acme",
            "title": "Licence question",
            "author": "carol",
            "created_at": "2026-03-01T10:00:00Z",
            "notes": [{"author": "tom", "body": "answered", "created_at": "2026-03-02T10:00:00Z"}],
        },
        {
            "project": "customers/acme",
            "title": "Cadence call",
            "author": "tom",
            "labels": ["meeting"],
            "created_at": "2026-02-25T10:00:00Z",
            "due_date": "2026-03-03",
        },
        # Globex: answered quickly, two customers involved, a recent meeting: green.
        {
            "project": "customers/globex",
            "title": "SSO set-up",
            "author": "dave",
            "created_at": "2026-03-05T10:00:00Z",
            "notes": [
                {"author": "tom", "body": "on it", "created_at": "2026-03-06T10:00:00Z"},
                {"author": "erin", "body": "thanks", "created_at": "2026-03-09T10:00:00Z"},
                {
                    "author": "tom",
                    "body": "x",
                    "created_at": "2026-03-09T11:00:00Z",
                    "system": True,
                },
            ],
        },
        {
            "project": "customers/globex",
            "title": "Cadence call",
            "author": "tom",
            "labels": ["meeting"],
            "created_at": "2026-02-20T10:00:00Z",
        },
    ],
}


@pytest.fixture
def gitlab(sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return seeded(sandbox, tmp_path, monkeypatch, clock=NOW, seed=SEED)


def apply(gitlab: Any) -> Result:
    result = run(gitlab, "apply", now=NOW.isoformat(), only="health,collaboration")
    assert result.exit_code == 0, result.output
    return result


def note_reads(gitlab: Any) -> int:
    routes = gitlab.requests()["by_route"]
    return sum(n for route, n in routes.items() if route.startswith("GET") and "/notes" in route)


def issue(gitlab: Any, path: str, iid: int) -> Any:
    return gitlab.gitlab().projects.get(path).issues.get(iid)


def salsatam_notes(item: Any) -> list[str]:
    return [n.body for n in item.notes.list(get_all=True) if "salsatam:key=" in n.body]


def test_colours_explanations_once_and_a_quiet_rerun(gitlab: Any) -> None:
    apply(gitlab)
    acme, globex, initech = (issue(gitlab, HOME, iid) for iid in (1, 2, 3))
    assert "health::red" in acme.labels
    assert "health::green" in globex.labels
    assert "record::invalid" in initech.labels
    assert acme.description.startswith(RECORD.format(path="acme"))
    assert "<!-- salsatam:health:start -->" in acme.description
    explained = salsatam_notes(acme)
    assert len(explained) == 1
    # One line per cause: the override, not the waiting measure's line again.
    assert "- a customer has waited 12 business days (red over 10)" in explained[0]
    assert "- 1 customer issue waiting 12 business days" not in explained[0]
    assert "| 1 customer issue waiting 12 business days for a reply | red |" in explained[0]
    invalid = salsatam_notes(initech)
    assert len(invalid) == 1 and "'arr' must be a number, got 'lots'" in invalid[0]
    assert issue(gitlab, "customers/acme", 1).labels == ["status::awaiting-team"]
    assert issue(gitlab, "customers/acme", 2).labels == ["status::awaiting-customer"]
    assert "status::awaiting-team" in issue(gitlab, "customers/globex", 1).labels

    gitlab.reset_requests()
    apply(gitlab)
    assert gitlab.requests()["writes"] == 0
    assert note_reads(gitlab) == 0
    assert len(salsatam_notes(issue(gitlab, HOME, 1))) == 1


def test_a_new_reply_is_read_once_and_changes_only_its_issue(gitlab: Any) -> None:
    apply(gitlab)
    gitlab.set_clock(NOW + timedelta(hours=1))
    as_tom = gitlab.gitlab(token="token-tom").projects.get("customers/globex", lazy=True)
    as_tom.issues.get(1).notes.create({"body": "Looking now"})
    gitlab.reset_requests()
    apply(gitlab)
    assert note_reads(gitlab) == 1
    assert issue(gitlab, "customers/globex", 1).labels == ["status::awaiting-customer"]
    gitlab.reset_requests()
    apply(gitlab)
    assert gitlab.requests()["writes"] == 0
    assert note_reads(gitlab) == 0


def test_edits_a_bad_record_and_a_wrong_project_then_a_quiet_rerun(gitlab: Any) -> None:
    apply(gitlab)
    as_sam = gitlab.gitlab(token="token-sam").projects.get(HOME)
    acme = as_sam.issues.get(1)
    acme.labels = [*acme.labels, "health-pinned"]
    acme.save()
    globex = as_sam.issues.get(2)  # a wrong collaboration project: health stays green
    globex.description = globex.description.replace("customers/globex", "customers/nope")
    globex.save()
    initech = as_sam.issues.get(3)  # an impossible date: flagged, the others go ahead
    initech.description = "```yaml\narr: 5\nrenewal: 2027-02-30\n```\n"
    initech.save()
    as_tom = gitlab.gitlab(token="token-tom").projects.get("customers/acme", lazy=True)
    as_tom.issues.get(1).notes.create({"body": "Looking now"})
    later = NOW + timedelta(days=15)
    gitlab.set_clock(later)
    args = ["apply", "--url", gitlab.url, "--now", later.isoformat()]
    args += ["--only", "health,collaboration"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "line 2 of the record block: 'renewal' is not a date: 2027-02-30" in result.output
    assert "the collaboration project customers/nope can't be read" in result.output
    globex = issue(gitlab, HOME, 2)
    assert "health::green" in globex.labels
    assert "#### Health: unchanged" in globex.description
    assert len(salsatam_notes(globex)) == 1  # no colour-change note
    assert issue(gitlab, "customers/acme", 1).labels == ["status::awaiting-customer"]
    for _ in range(2):
        gitlab.reset_requests()
        again = CliRunner().invoke(main, args)
        assert again.exit_code == 0, again.output
        assert gitlab.requests()["writes"] == 0
        assert note_reads(gitlab) == 0
