"""Project visibility, confidential issues and the roles GitLab requires for writes."""

from __future__ import annotations

from typing import Any

import gitlab
import pytest
import requests

pytestmark = pytest.mark.e2e
SEED: dict[str, Any] = {
    "users": [
        {"username": "tam"},
        {"username": "reporter"},
        {"username": "guest"},
        {"username": "assignee"},
        {"username": "outsider"},
    ],
    "groups": [{"path": "acme", "members": [{"username": "tam", "access_level": 40}]}],
    "projects": [
        {
            "path": "acme/public",
            "visibility": "public",
            "members": [
                {"username": "reporter", "access_level": 20},
                {"username": "guest", "access_level": 10},
                {"username": "assignee", "access_level": 10},
            ],
            "labels": [{"name": "bug"}],
        },
        {"path": "acme/internal", "visibility": "internal"},
        {"path": "acme/private", "visibility": "private"},
    ],
    "issues": [
        {"project": "acme/public", "title": "Open question", "author": "guest"},
        {
            "project": "acme/public",
            "title": "Pricing",
            "author": "guest",
            "confidential": True,
            "assignees": ["assignee"],
        },
        {"project": "acme/public", "title": "Staff only", "author": "tam", "confidential": True},
        {"project": "acme/internal", "title": "Internal"},
        {"project": "acme/private", "title": "Private"},
    ],
}


@pytest.fixture
def seeded(sandbox: Any) -> Any:
    sandbox.seed(SEED)
    return sandbox


def _as(sandbox: Any, username: str | None) -> gitlab.Gitlab:
    if username is None:
        client: gitlab.Gitlab = gitlab.Gitlab(sandbox.url)
        return client
    return sandbox.gitlab(token=f"token-{username}")


def _status(sandbox: Any, username: str | None, path: str) -> int:
    headers = {"PRIVATE-TOKEN": f"token-{username}"} if username else {}
    return requests.get(f"{sandbox.url}/api/v4{path}", headers=headers, timeout=5).status_code


@pytest.mark.parametrize(
    ("username", "public", "internal", "private"),
    [
        (None, 200, 404, 404),
        ("outsider", 200, 200, 404),
        ("tam", 200, 200, 200),
    ],
)
def test_project_visibility(
    seeded: Any, username: str | None, public: int, internal: int, private: int
) -> None:
    assert [
        _status(seeded, username, f"/projects/acme%2F{name}")
        for name in ("public", "internal", "private")
    ] == [public, internal, private]


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        (None, False),
        ("outsider", False),
        ("guest", False),
        ("reporter", True),
        ("tam", True),
    ],
)
def test_confidential_issue_of_someone_else(
    seeded: Any, username: str | None, visible: bool
) -> None:
    assert _status(seeded, username, "/projects/acme%2Fpublic/issues/3") == (
        200 if visible else 404
    )
    titles = [i.title for i in _as(seeded, username).projects.get("acme/public").issues.list()]
    assert ("Staff only" in titles) is visible


@pytest.mark.parametrize("username", ["guest", "assignee"])
def test_author_and_assignee_see_their_confidential_issue(seeded: Any, username: str) -> None:
    assert _status(seeded, username, "/projects/acme%2Fpublic/issues/2") == 200
    titles = [i.title for i in _as(seeded, username).projects.get("acme/public").issues.list()]
    assert "Pricing" in titles and "Staff only" not in titles


def test_confidential_issue_not_found_body(seeded: Any) -> None:
    response = requests.get(
        f"{seeded.url}/api/v4/projects/acme%2Fpublic/issues/3",
        headers={"PRIVATE-TOKEN": "token-guest"},
        timeout=5,
    )
    assert response.json() == {"message": "404 Issue Not Found"}


def test_guest_and_non_member_may_create_issues_and_notes_in_a_public_project(seeded: Any) -> None:
    for username in ("guest", "outsider"):
        project = _as(seeded, username).projects.get("acme/public")
        issue = project.issues.create({"title": f"From {username}"})
        issue.notes.create({"body": "more detail"})
        assert issue.author["username"] == username


def test_guest_cannot_edit_others_issues_or_manage_labels_and_boards(seeded: Any) -> None:
    project = _as(seeded, "guest").projects.get("acme/public")
    issue = project.issues.get(1)  # their own: allowed
    issue.title = "Open question (edited)"
    issue.save()
    other = _as(seeded, "reporter").projects.get("acme/public").issues.create({"title": "R"})
    mine = project.issues.get(other.iid)
    mine.title = "hijacked"
    with pytest.raises(gitlab.GitlabUpdateError) as update:
        mine.save()
    with pytest.raises(gitlab.GitlabCreateError) as label:
        project.labels.create({"name": "new", "color": "#ff0000"})
    with pytest.raises(gitlab.GitlabCreateError) as board:
        project.boards.create({"name": "Triage"})
    with pytest.raises(gitlab.GitlabDeleteError) as delete:
        project.issues.delete(1)
    assert {
        update.value.response_code,
        label.value.response_code,
        board.value.response_code,
        delete.value.response_code,
    } == {403}
    assert label.value.error_message == "403 Forbidden"


def test_reporter_manages_labels_and_boards_but_does_not_delete_issues(seeded: Any) -> None:
    project = _as(seeded, "reporter").projects.get("acme/public")
    project.labels.create({"name": "triaged", "color": "#00ff00"})
    board = project.boards.create({"name": "Triage"})
    board.lists.create({"label_id": project.labels.get("triaged").id})
    issue = project.issues.get(1)
    issue.labels = ["triaged"]
    issue.save()
    with pytest.raises(gitlab.GitlabDeleteError) as delete:
        project.issues.delete(1)
    assert delete.value.response_code == 403


def test_guest_metadata_is_dropped_as_gitlab_does(seeded: Any) -> None:
    project = _as(seeded, "guest").projects.get("acme/public")
    issue = project.issues.create(
        {
            "title": "Please help",
            "labels": ["bug"],
            "assignee_ids": [1],
            "due_date": "2024-05-01",
            "confidential": True,
        }
    )
    assert (issue.labels, issue.assignees, issue.due_date, issue.confidential) == (
        [],
        [],
        None,
        True,
    )
    issue.labels = ["bug"]
    issue.save()
    assert project.issues.get(issue.iid).labels == []


def test_anonymous_project_lists_get_the_simple_shape(sandbox: Any) -> None:
    sandbox.seed(SEED)
    anonymous = requests.get(f"{sandbox.url}/api/v4/projects", timeout=10).json()
    assert [item["path_with_namespace"] for item in anonymous] == ["acme/public"]
    assert "visibility" not in anonymous[0] and "namespace" in anonymous[0]
    signed_in = requests.get(
        f"{sandbox.url}/api/v4/projects", headers={"PRIVATE-TOKEN": sandbox.token}, timeout=10
    ).json()
    assert all("visibility" in item for item in signed_in)
    simple = requests.get(
        f"{sandbox.url}/api/v4/projects",
        params={"simple": "true"},
        headers={"PRIVATE-TOKEN": sandbox.token},
        timeout=10,
    ).json()
    assert len(simple) == 3 and all("visibility" not in item for item in simple)
