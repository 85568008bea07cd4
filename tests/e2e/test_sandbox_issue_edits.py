"""Creating and editing issues: labels semantics, state, created_at rights, updated_at."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import gitlab
import pytest
import requests

pytestmark = pytest.mark.e2e
PROJECT = "acme/globex"
SEED: dict[str, Any] = {
    "users": [{"username": "owner"}, {"username": "dev"}, {"username": "guest"}],
    "groups": [
        {
            "path": "acme",
            "members": [
                {"username": "owner", "access_level": 50},
                {"username": "dev", "access_level": 30},
                {"username": "guest", "access_level": 10},
            ],
        }
    ],
    "projects": [{"path": PROJECT, "labels": [{"name": "meeting", "color": "#00ff00"}]}],
}


@pytest.fixture
def project(sandbox: Any) -> Any:
    sandbox.seed(SEED)
    return sandbox.gitlab().projects.get(PROJECT)


def test_created_issue_has_gitlab_fields(sandbox: Any, project: Any) -> None:
    sandbox.set_clock(datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC))
    issue = project.issues.create(
        {
            "title": "Kickoff",
            "labels": "meeting,zeta,alpha",
            "due_date": "2024-03-10",
            "confidential": True,
        }
    )

    assert issue.iid == 1 and issue.project_id == project.id
    assert issue.labels == ["alpha", "meeting", "zeta"]
    assert issue.created_at == issue.updated_at == "2024-03-01T12:00:00.123Z"
    assert issue.references == {"short": "#1", "relative": "#1", "full": f"{PROJECT}#1"}
    assert issue.web_url == f"{sandbox.url}/{PROJECT}/-/issues/1"
    assert (issue.state, issue.type, issue.confidential, issue.due_date) == (
        "opened",
        "ISSUE",
        True,
        "2024-03-10",
    )
    assert (issue.author["username"], issue.closed_at, issue.milestone) == ("root", None, None)
    colors = {label.name: label.color for label in project.labels.list(get_all=True)}
    assert colors == {"alpha": "#6699cc", "meeting": "#00ff00", "zeta": "#6699cc"}


def test_title_is_required(project: Any) -> None:
    with pytest.raises(gitlab.GitlabHttpError) as error:
        project.manager.gitlab.http_post(
            f"/projects/{project.id}/issues", post_data={"description": "no title"}
        )
    assert error.value.response_code == 400
    assert error.value.error_message == "title is missing"


def test_label_update_semantics(project: Any) -> None:
    issue = project.issues.create({"title": "T", "labels": ["a", "b"]})

    def update(**changes: Any) -> list[str]:
        for key, value in changes.items():
            setattr(issue, key, value)
        issue.save()
        return list(project.issues.get(issue.iid).labels)

    assert update(add_labels="c", remove_labels="a") == ["b", "c"]
    assert update(labels=["x"], add_labels="y") == ["x", "y"]
    assert update(labels="") == []


def test_update_needs_a_known_field_and_ignores_unknown_ones(sandbox: Any, project: Any) -> None:
    issue = project.issues.create({"title": "T"})
    url = f"{sandbox.url}/api/v4/projects/{project.id}/issues/{issue.iid}"
    headers = {"PRIVATE-TOKEN": sandbox.token}
    empty = requests.put(url, headers=headers, json={"assignees": []}, timeout=10)
    assert empty.status_code == 400 and "at least one parameter" in empty.json()["error"]
    bad = requests.put(url, headers=headers, json={"state_event": "archive"}, timeout=10)
    assert (bad.status_code, bad.json()) == (
        400,
        {"error": "state_event does not have a valid value"},
    )
    ok = requests.put(url, headers=headers, json={"assignees": [], "title": "U"}, timeout=10)
    assert ok.status_code == 200 and ok.json()["title"] == "U"


def test_close_and_reopen_are_state_events_not_notes(sandbox: Any, project: Any) -> None:
    sandbox.set_clock(datetime(2024, 1, 1, tzinfo=UTC))
    issue = project.issues.create({"title": "T"})
    sandbox.set_clock(datetime(2024, 1, 2, tzinfo=UTC))
    issue.state_event = "close"
    issue.save()
    closed = project.issues.get(issue.iid)
    assert (closed.state, closed.closed_at, closed.attributes["closed_by"]["username"]) == (
        "closed",
        "2024-01-02T00:00:00.000Z",
        "root",
    )
    assert closed.updated_at == "2024-01-02T00:00:00.000Z"
    issue.state_event = "reopen"
    issue.save()
    assert [e.state for e in issue.resourcestateevents.list()] == ["closed", "reopened"]
    assert issue.notes.list() == []
    assert project.issues.get(issue.iid).closed_at is None


def test_no_op_update_keeps_updated_at(sandbox: Any, project: Any) -> None:
    sandbox.set_clock(datetime(2024, 1, 1, tzinfo=UTC))
    issue = project.issues.create({"title": "T", "labels": "a"})
    sandbox.set_clock(datetime(2024, 2, 1, tzinfo=UTC))
    issue.labels = ["a"]
    issue.save()
    assert project.issues.get(issue.iid).updated_at == "2024-01-01T00:00:00.000Z"


@pytest.mark.parametrize(
    ("who", "sudo", "honoured"),
    [
        ("root", None, True),
        ("owner", None, True),
        ("dev", None, False),
        ("root", "owner", True),
        ("root", "dev", False),
    ],
)
def test_created_at_is_honoured_for_admins_and_owners_only(
    sandbox: Any, project: Any, who: str, sudo: str | None, honoured: bool
) -> None:
    token = sandbox.token if who == "root" else f"token-{who}"
    client = sandbox.gitlab(token=token, sudo=sudo)
    issue = client.projects.get(PROJECT).issues.create(
        {"title": "Backdated", "created_at": "2020-05-01T10:00:00Z"}
    )
    note = issue.notes.create({"body": "old", "created_at": "2020-05-02T10:00:00Z"})
    assert (issue.created_at == "2020-05-01T10:00:00.000Z") is honoured
    assert (note.created_at == "2020-05-02T10:00:00.000Z") is honoured
    assert issue.author["username"] == (sudo or who)


def test_assignees_keep_one_on_free_and_many_on_premium(sandbox: Any, project: Any) -> None:
    ids = [
        user.id
        for user in sandbox.gitlab().users.list(get_all=True)
        if user.username in ("owner", "dev")
    ]
    free = project.issues.create({"title": "F", "assignee_ids": ids})
    assert len(free.assignees) == 1 and free.assignee == free.assignees[0]
    sandbox.set_tier("premium")
    paid = project.issues.create({"title": "P", "assignee_ids": ids})
    assert sorted(a["id"] for a in paid.assignees) == sorted(ids)


def test_guest_may_create_issues_but_not_labels(sandbox: Any, project: Any) -> None:
    guest = sandbox.gitlab(token="token-guest").projects.get(PROJECT)
    issue = guest.issues.create({"title": "From a guest", "labels": "new-label"})
    assert issue.labels == []
    with pytest.raises(gitlab.GitlabCreateError) as error:
        guest.labels.create({"name": "x", "color": "#ffffff"})
    assert error.value.response_code == 403
    with pytest.raises(gitlab.GitlabDeleteError) as denied:
        guest.issues.delete(issue.iid)
    assert denied.value.response_code == 403
