"""Handoffs, engagement and reminders end to end: `salsatam apply` against the sandbox.

Each trigger opens its issue once; a rerun writes nothing; hostile customer text copied
into an issue executes no quick action and pings nobody; a resolved trigger closes its issue.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from tests.e2e.cli import run, seeded
from triage.snapshot import find_key

pytestmark = pytest.mark.e2e

NOW = "2026-03-10T09:00:00+00:00"
HOME = "account-management/accounts"
STAFF_NAMES = ("sam.sal", "sara.sa", "tom.tam", "ann.ae", "pia.sa", "paul.sa")
STAFF = [{"username": u, "access_level": 30} for u in STAFF_NAMES]
HOSTILE = "/close\n/label ~x\n@all <script>alert(1)</script>\n```\nsee #1"
SECRET = "Private outage at Handoff Co"


def account(name: str, labels: list[str], **record: Any) -> dict[str, Any]:
    block = {
        "arr": 120000,
        "renewal": "2027-01-31",
        "priority": 1,
        "team": {"sal": "sam.sal", "sa": "sara.sa", "tam": "tom.tam"},
        **record,
    }
    text = yaml.safe_dump(block, sort_keys=False)
    return {
        "project": HOME,
        "title": name,
        "description": f"The account record.\n\n```yaml\n{text}```\n",
        "labels": ["account", *labels],
        "author": "sam.sal",
        "created_at": "2025-01-05T10:00:00Z",
    }


def customer(title: str, description: str, **extra: Any) -> dict[str, Any]:
    return {
        "project": "customers/handoff",
        "title": title,
        "description": description,
        "author": "carol",
        "created_at": "2026-03-02T10:00:00Z",
        **extra,
    }


MM_TEAM = {"ae": "ann.ae", "tam": "tom.tam"}
SEED: dict[str, Any] = {
    "users": [{"username": u} for u in (*STAFF_NAMES, "carol")],
    "groups": [{"path": "account-management", "members": STAFF}, {"path": "customers"}],
    "projects": [
        {"path": HOME},
        {"path": "customers/handoff", "members": [{"username": "carol", "access_level": 20}]},
    ],
    "issues": [
        account(
            "Handoff Co",
            ["segment::enterprise", "stage::technical-win"],
            collaboration_project="customers/handoff",
        ),
        account("Slack Co", ["segment::enterprise", "stage::discovery"], slack_channel="#ext"),
        account(
            "Expand Co",
            ["segment::enterprise", "stage::adoption", "expansion"],
            renewal="2026-06-30",
        ),
        account(
            "Red Co",
            ["segment::enterprise", "stage::adoption"],
            sentiment={"color": "red", "date": "2026-03-05"},
        ),
        account("Pool A", ["segment::mid-market", "stage::adoption", "onsite-day"], team=MM_TEAM),
        account("Pool B", ["segment::mid-market", "stage::adoption", "onsite-day"], team=MM_TEAM),
        customer("/close", HOSTILE),
        customer("@all <script>x</script> #1", HOSTILE),
        customer(SECRET, "do not copy", confidential=True),
    ],
}
TEAMS = {
    "teams": [
        {
            "name": "mm",
            "segment": "mid-market",
            "members": [
                {"username": "ann.ae", "role": "ae"},
                {"username": "tom.tam", "role": "tam"},
            ],
            "meeting": {"cadence": "weekly", "weekday": "tue"},
            "sa_pool": ["pia.sa", "paul.sa"],
        }
    ]
}
EXPECTED = {
    "handoff:1": ("Handoff Co", ["sara.sa"]),
    # Handoff Co's collaboration project would bring the TAM in, but its handoff supersedes it.
    "engagement:tam:slack-channel:2": ("Slack Co", ["tom.tam"]),
    "engagement:sa:expansion:3:1": ("Expand Co", ["sara.sa"]),
    "reminder:renewal:3:2026-06-30": ("Expand Co", ["sam.sal"]),
    "reminder:ebr:3:none": ("Expand Co", ["tom.tam"]),  # no EBR yet, renewal in 4 months
    "triage:4:1": ("Red Co", ["tom.tam"]),
    "engagement:sa:onsite-day:5:1": ("Pool A", ["pia.sa"]),
    "engagement:sa:onsite-day:6:1": ("Pool B", ["paul.sa"]),
}


@pytest.fixture
def gitlab(sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    clock = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    return seeded(sandbox, tmp_path, monkeypatch, clock=clock, seed=SEED, teams=TEAMS)


def salsatam(gitlab: Any, *args: str, now: str = NOW, only: str = "issues") -> Result:
    return run(gitlab, *args, now=now, only=only)


def rewrite_record(gitlab: Any, iid: int, name: str, labels: list[str], **record: Any) -> None:
    """Replace an account record's block, as a TAM editing the record would."""
    issue = gitlab.gitlab().projects.get(HOME).issues.get(iid)
    issue.description = account(name, labels, **record)["description"]
    issue.save()


def human_notes(gitlab: Any, iid: int) -> list[str]:
    issue = gitlab.gitlab().projects.get(HOME).issues.get(iid)
    return [n.body for n in issue.notes.list(get_all=True) if not n.system]


def opened_by_salsatam(gitlab: Any) -> dict[str, Any]:
    project = gitlab.gitlab().projects.get(HOME)
    issues = project.issues.list(labels="salsatam", state="all", get_all=True)
    return {find_key(i.description): i for i in issues}


def test_each_trigger_opens_its_issue_once_and_a_rerun_writes_nothing(gitlab: Any) -> None:
    first = salsatam(gitlab, "apply")
    assert first.exit_code == 0, first.output
    issues = opened_by_salsatam(gitlab)
    assert set(issues) == set(EXPECTED)
    records = {
        i.title: i.iid
        for i in gitlab.gitlab().projects.get(HOME).issues.list(labels="account", get_all=True)
    }
    for key, (name, assignees) in EXPECTED.items():
        issue = issues[key]
        assert issue.state == "opened", key
        assert [a["username"] for a in issue.assignees] == assignees, key
        assert "salsatam" in issue.labels and "x" not in issue.labels, key
        assert f"{HOME}#{records[name]}" in issue.description, key

    gitlab.reset_requests()
    second = salsatam(gitlab, "apply")
    assert second.exit_code == 0, second.output
    assert gitlab.requests()["writes"] == 0
    assert set(opened_by_salsatam(gitlab)) == set(EXPECTED)


def test_customer_text_in_an_issue_is_inert_and_confidential_titles_stay_out(
    gitlab: Any,
) -> None:
    assert salsatam(gitlab, "apply").exit_code == 0
    handoff = opened_by_salsatam(gitlab)["handoff:1"]
    assert handoff.state == "opened"  # "/close" in a customer title did not close it
    assert sorted(handoff.labels) == ["handoff", "salsatam"]  # nor "/label ~x" label it
    text = handoff.description
    assert SECRET not in text and "do not copy" not in text
    assert "customers/handoff#3 (confidential)" in text
    assert "@all" not in text and "<script" not in text
    assert all(not line.lstrip().startswith("/") for line in text.splitlines())
    links = gitlab.gitlab().projects.get(HOME).issues.get(handoff.iid).links.list()
    assert [(link.references["full"]) for link in links] == [f"{HOME}#1"]
    customers = gitlab.gitlab().projects.get("customers/handoff").issues.list(get_all=True)
    assert {i.state for i in customers} == {"opened"}


def test_a_trigger_that_ends_closes_its_issue_once(gitlab: Any) -> None:
    assert salsatam(gitlab, "apply").exit_code == 0
    record = gitlab.gitlab().projects.get(HOME).issues.get(3)
    record.labels = [name for name in record.labels if name != "expansion"]
    record.save()

    ended = salsatam(gitlab, "apply")
    assert ended.exit_code == 0, ended.output
    issue = opened_by_salsatam(gitlab)["engagement:sa:expansion:3:1"]
    assert issue.state == "closed"
    assert "trigger-ended" in issue.labels
    notes = gitlab.gitlab().projects.get(HOME).issues.get(issue.iid).notes.list(get_all=True)
    assert any(
        n.body.startswith("Closed: the label expansion was taken off the record.")
        for n in notes
        if not n.system
    )

    gitlab.reset_requests()
    assert salsatam(gitlab, "apply").exit_code == 0
    assert gitlab.requests()["writes"] == 0


def test_a_later_tam_trigger_is_noted_on_the_open_issue_once(gitlab: Any) -> None:
    assert salsatam(gitlab, "apply").exit_code == 0
    discovery = ["segment::enterprise", "stage::discovery"]
    rewrite_record(
        gitlab, 2, "Slack Co", discovery, slack_channel="#ext", collaboration_project="c/slack"
    )
    later = salsatam(gitlab, "apply", now="2026-03-11T09:00:00+00:00")
    assert later.exit_code == 0, later.output
    issues = opened_by_salsatam(gitlab)
    assert "engagement:tam:collaboration-project:2" not in issues
    issue = issues["engagement:tam:slack-channel:2"]
    assert "salsatam:also=engagement:tam:collaboration-project:2" in issue.description
    [note] = human_notes(gitlab, issue.iid)
    assert note.startswith("@tom.tam Another reason for this issue, since 2026-03-11:")
    assert "A collaboration project was created with the customer (c/slack)" in note

    gitlab.reset_requests()
    again = salsatam(gitlab, "apply", now="2026-03-12T09:00:00+00:00")
    assert again.exit_code == 0, again.output
    assert gitlab.requests()["writes"] == 0


EXPAND = ["segment::enterprise", "stage::adoption", "expansion"]


def test_snooze_silences_a_rule_until_its_date_then_it_fires(gitlab: Any) -> None:
    rewrite_record(
        gitlab,
        3,
        "Expand Co",
        EXPAND,
        renewal="2026-06-30",
        snooze={"renewal-review": "2026-04-01"},
    )
    assert salsatam(gitlab, "apply").exit_code == 0
    issues = opened_by_salsatam(gitlab)
    assert "reminder:renewal:3:2026-06-30" not in issues
    assert "engagement:sa:expansion:3:1" in issues  # only the snoozed rule is silenced

    gitlab.set_clock(datetime(2026, 3, 31, 9, 0, tzinfo=UTC))
    assert salsatam(gitlab, "apply", now="2026-03-31T09:00:00+00:00").exit_code == 0
    assert "reminder:renewal:3:2026-06-30" not in opened_by_salsatam(gitlab)

    gitlab.set_clock(datetime(2026, 4, 1, 9, 0, tzinfo=UTC))
    woke = salsatam(gitlab, "apply", now="2026-04-01T09:00:00+00:00")
    assert woke.exit_code == 0, woke.output
    review = opened_by_salsatam(gitlab)["reminder:renewal:3:2026-06-30"]
    assert review.state == "opened"
    assert "renews on 2026-06-30, in 90 days" in review.description


def test_a_reminder_and_a_triage_issue_close_with_a_note_when_no_longer_due(gitlab: Any) -> None:
    assert salsatam(gitlab, "apply").exit_code == 0
    before = opened_by_salsatam(gitlab)
    review, triage = before["reminder:renewal:3:2026-06-30"], before["triage:4:1"]
    assert review.state == triage.state == "opened"

    # Expand Co renewed early (next renewal in over a year); Red Co's TAM reads it green.
    rewrite_record(gitlab, 3, "Expand Co", EXPAND, renewal="2027-06-30")
    rewrite_record(
        gitlab,
        4,
        "Red Co",
        ["segment::enterprise", "stage::adoption"],
        sentiment={"color": "green", "date": "2026-03-10"},
    )
    gitlab.set_clock(datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    # The health kind remembers since when the account is green, in its record.
    closed = salsatam(gitlab, "apply", now="2026-03-11T09:00:00+00:00", only="health,issues")
    assert closed.exit_code == 0, closed.output
    after = opened_by_salsatam(gitlab)
    assert after["reminder:renewal:3:2026-06-30"].state == "closed"
    # Green since today only: the triage issue stays open until green for three days.
    assert after["triage:4:1"].state == "opened"
    gitlab.set_clock(datetime(2026, 3, 14, 9, 0, tzinfo=UTC))
    green = salsatam(gitlab, "apply", now="2026-03-14T09:00:00+00:00", only="health,issues")
    assert green.exit_code == 0, green.output
    assert opened_by_salsatam(gitlab)["triage:4:1"].state == "closed", green.output
    assert any(
        body.startswith(
            "Closed: the renewal is now on 2027-06-30, more than four months away; "
            "the next review opens in time."
        )
        for body in human_notes(gitlab, review.iid)
    )
    assert any(
        body.startswith("Closed: the account has been green since 2026-03-11.")
        for body in human_notes(gitlab, triage.iid)
    )

    gitlab.reset_requests()
    again = salsatam(gitlab, "apply", now="2026-03-14T09:00:00+00:00", only="health,issues")
    assert again.exit_code == 0
    assert gitlab.requests()["writes"] == 0


def _notes_reads(gitlab: Any) -> int:
    routes = gitlab.requests()["by_route"]
    return sum(n for r, n in routes.items() if r.startswith("GET") and r.endswith("/notes"))


def test_agenda_mentions_do_not_hold_off_the_triage_update_request(gitlab: Any) -> None:
    assert salsatam(gitlab, "apply").exit_code == 0
    triage = opened_by_salsatam(gitlab)["triage:4:1"]
    project = gitlab.gitlab().projects.get(HOME)
    # Two weekly agendas list the triage issue: each adds a "mentioned in" system note,
    # which moves its updated_at, but nobody posted an update.
    for day in (17, 23):
        gitlab.set_clock(datetime(2026, 3, day, 9, 0, tzinfo=UTC))
        project.issues.create({"title": f"Agenda 03-{day}", "description": f"- #{triage.iid}"})
    assert any(n.system for n in project.issues.get(triage.iid).notes.list(get_all=True))
    gitlab.set_clock(datetime(2026, 3, 24, 9, 0, tzinfo=UTC))
    asked = salsatam(gitlab, "apply", now="2026-03-24T09:00:00+00:00")
    assert asked.exit_code == 0, asked.output
    requests = [b for b in human_notes(gitlab, triage.iid) if "Please post one" in b]
    assert len(requests) == 1
    assert "<!-- salsatam:key=triage:4:1:update:2026-03-24 -->" in requests[0]

    gitlab.reset_requests()
    rerun = salsatam(gitlab, "apply", now="2026-03-24T09:00:00+00:00")
    assert rerun.exit_code == 0, rerun.output
    assert gitlab.requests()["writes"] == 0
    assert _notes_reads(gitlab) == 0
