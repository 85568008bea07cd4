"""Notes, system notes, label events, cross-references and issue links."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import gitlab
import pytest

pytestmark = pytest.mark.e2e
SEED: dict[str, Any] = {
    "users": [{"username": "tam"}, {"username": "sa"}],
    "groups": [
        {
            "path": "acme",
            "members": [
                {"username": "tam", "access_level": 30},
                {"username": "sa", "access_level": 30},
            ],
        }
    ],
    "projects": [{"path": "acme/globex"}, {"path": "acme/initech"}],
    "issues": [
        {"project": "acme/globex", "title": "One", "created_at": "2024-01-01"},
        {"project": "acme/globex", "title": "Two", "created_at": "2024-01-01"},
        {"project": "acme/initech", "title": "Other", "created_at": "2024-01-01"},
    ],
}


@pytest.fixture
def gl(sandbox: Any) -> gitlab.Gitlab:
    sandbox.seed(SEED)
    client: gitlab.Gitlab = sandbox.gitlab()
    return client


def test_notes_crud_sort_and_updated_at(sandbox: Any, gl: gitlab.Gitlab) -> None:
    issue = gl.projects.get("acme/globex").issues.get(1)
    for day, body in ((2, "first"), (3, "second")):
        sandbox.set_clock(datetime(2024, 2, day, tzinfo=UTC))
        issue.notes.create({"body": body})
    assert [n.body for n in issue.notes.list()] == ["second", "first"]
    assert [n.body for n in issue.notes.list(sort="asc", order_by="created_at")] == [
        "first",
        "second",
    ]
    refreshed = gl.projects.get("acme/globex").issues.get(1)
    assert refreshed.updated_at == "2024-02-03T00:00:00.000Z"
    assert refreshed.user_notes_count == 2

    note = issue.notes.list(sort="asc")[0]
    sandbox.set_clock(datetime(2024, 2, 4, tzinfo=UTC))
    note.body = "edited"
    note.save()
    assert issue.notes.get(note.id).body == "edited"
    issue.notes.delete(note.id)
    assert [n.body for n in issue.notes.list()] == ["second"]


def test_assignment_and_edits_make_system_notes_but_labels_make_events(
    sandbox: Any, gl: gitlab.Gitlab
) -> None:
    project = gl.projects.get("acme/globex")
    issue = project.issues.get(1)
    tam = gl.users.list(username="tam")[0]
    issue.assignee_ids = [tam.id]
    issue.labels = ["health::green"]
    issue.due_date = "2024-05-06"
    issue.save()
    issue.labels = ["health::red"]
    issue.save()

    notes = issue.notes.list(sort="asc")
    assert [(n.body, n.system) for n in notes] == [
        ("changed due date to May 6, 2024", True),
        ("assigned to @tam", True),
    ]
    assert project.issues.get(1).user_notes_count == 0
    events = [(e.action, e.label["name"]) for e in issue.resourcelabelevents.list()]
    assert events == [("add", "health::green"), ("add", "health::red"), ("remove", "health::green")]


def test_references_add_mentioned_in_notes_once(gl: gitlab.Gitlab) -> None:
    globex = gl.projects.get("acme/globex")
    globex.issues.get(1).notes.create({"body": "See #2 and acme/initech#1, not `#2`"})
    globex.issues.get(1).notes.create({"body": "Again #2"})
    globex.issues.create({"title": "Three", "description": "```\n#1\n```"})

    assert [n.body for n in globex.issues.get(2).notes.list()] == ["mentioned in issue #1"]
    other = gl.projects.get("acme/initech").issues.get(1)
    assert [(n.body, n.system) for n in other.notes.list()] == [
        ("mentioned in issue acme/globex#1", True)
    ]
    assert globex.issues.get(1).notes.list(get_all=True)[0].system is False


def test_issue_links_both_ways_with_system_notes(sandbox: Any, gl: gitlab.Gitlab) -> None:
    issue = gl.projects.get("acme/globex").issues.get(1)
    source, target = issue.links.create(
        {"target_project_id": "acme/initech", "target_issue_iid": 1}
    )
    assert (source.iid, target.iid) == (1, 1)
    other = gl.projects.get("acme/initech").issues.get(1)
    linked = other.links.list()
    assert [(i.references["full"], i.link_type) for i in linked] == [
        ("acme/globex#1", "relates_to")
    ]
    assert [n.body for n in other.notes.list()] == ["marked this issue as related to acme/globex#1"]

    with pytest.raises(gitlab.GitlabCreateError) as duplicate:
        issue.links.create({"target_project_id": "acme/initech", "target_issue_iid": 1})
    assert duplicate.value.response_code == 409
    with pytest.raises(gitlab.GitlabCreateError) as paid:
        issue.links.create(
            {"target_project_id": "acme/globex", "target_issue_iid": 2, "link_type": "blocks"}
        )
    assert paid.value.response_code == 403
    issue.links.delete(linked[0].issue_link_id)
    assert other.links.list() == []


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        ("free", ["health::green", "health::red", "priority::1"]),
        ("premium", ["health::red", "priority::1"]),
    ],
)
def test_scoped_labels_are_exclusive_on_paid_tiers_only(
    sandbox: Any, gl: gitlab.Gitlab, tier: str, expected: list[str]
) -> None:
    sandbox.set_tier(tier)
    project = gl.projects.get("acme/globex")
    issue = project.issues.create({"title": "Scoped", "labels": "health::green,priority::1"})
    issue.add_labels = "health::red"
    issue.save()
    assert project.issues.get(issue.iid).labels == expected


def test_scoped_label_given_last_wins_and_nested_scopes(sandbox: Any, gl: gitlab.Gitlab) -> None:
    sandbox.set_tier("premium")
    project = gl.projects.get("acme/globex")
    issue = project.issues.create({"title": "S", "labels": ["a::b::c", "a::b::d", "a::x"]})
    assert issue.labels == ["a::b::d", "a::x"]
