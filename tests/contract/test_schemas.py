"""Every sandbox response with a GitLab schema validates against it."""

from __future__ import annotations

from typing import Any

import pytest
import requests

SEED: dict[str, Any] = {
    "users": [{"username": "tam", "name": "Tess Am"}, {"username": "sa", "name": "Sam Arch"}],
    "groups": [
        {
            "path": "acme",
            "members": [{"username": "tam", "access_level": 40}],
            "labels": [
                {
                    "name": "segment::enterprise",
                    "color": "#428BCA",
                    "description": "Enterprise accounts",
                }
            ],
        },
        {"path": "acme/customers", "members": [{"username": "sa", "access_level": 30}]},
    ],
    "projects": [
        {
            "path": "acme/customers/globex",
            "members": [{"username": "sa", "access_level": 40}],
            "labels": [
                {"name": "health::red", "color": "#FF0000", "description": None},
                {"name": "meeting", "color": "#eee", "description": "Customer meeting"},
            ],
        },
    ],
    "issues": [
        {
            "project": "acme/customers/globex",
            "title": "Kickoff",
            "author": "tam",
            "labels": ["meeting", "segment::enterprise"],
            "assignees": ["sa"],
            "created_at": "2024-01-02T10:00:00Z",
            "due_date": "2024-02-01",
            "notes": [{"author": "sa", "body": "Agenda attached", "created_at": "2024-01-03"}],
        },
        {
            "project": "acme/customers/globex",
            "title": "Escalation",
            "author": "sa",
            "state": "closed",
            "closed_at": "2024-01-05T00:00:00Z",
            "confidential": True,
            "created_at": "2024-01-04T00:00:00Z",
        },
    ],
    "boards": [
        {"project": "acme/customers/globex", "name": "Triage", "lists": ["health::red", "meeting"]},
        {"group": "acme", "name": "Segments", "lists": ["segment::enterprise"]},
    ],
}
PROJECT = "acme%2Fcustomers%2Fglobex"


@pytest.fixture
def api(sandbox: Any) -> Any:
    sandbox.seed(SEED)

    def get(path: str, method: str = "GET", **body: Any) -> Any:
        response = requests.request(
            method,
            f"{sandbox.url}/api/v4/{path}",
            headers={"PRIVATE-TOKEN": sandbox.token},
            json=body or None,
            timeout=10,
        )
        assert response.status_code < 300, response.text
        return response.json()

    return get


def test_issue_lists_validate(api: Any, schema: Any) -> None:
    for path in (f"projects/{PROJECT}/issues", "groups/acme/issues", "issues?scope=all"):
        body = api(path)
        assert len(body) == 2
        schema("issues.json", body)


def test_single_issue_responses_validate(api: Any, schema: Any) -> None:
    schema("issue.json", api(f"projects/{PROJECT}/issues/1"))
    created = api(
        f"projects/{PROJECT}/issues",
        "POST",
        title="New",
        labels="a,b",
        assignee_ids=[2],
        description="see #1",
    )
    schema("issue.json", created)
    schema(
        "issue.json",
        api(
            f"projects/{PROJECT}/issues/{created['iid']}",
            "PUT",
            state_event="close",
            add_labels="c",
        ),
    )


def test_notes_validate(api: Any, schema: Any) -> None:
    api(f"projects/{PROJECT}/issues/1", "PUT", assignee_ids=[1])
    api(f"projects/{PROJECT}/issues/1/notes", "POST", body="internal", internal=True)
    notes = api(f"projects/{PROJECT}/issues/1/notes")
    assert {note["system"] for note in notes} == {True, False}
    schema("notes.json", notes)


def test_boards_validate(api: Any, schema: Any) -> None:
    boards = api(f"projects/{PROJECT}/boards")
    assert [len(board["lists"]) for board in boards] == [2]
    schema("boards.json", boards)
    schema("board.json", api(f"projects/{PROJECT}/boards/{boards[0]['id']}"))
    group_boards = api("groups/acme/boards")
    assert [board["project"] for board in group_boards] == [None]
    schema("boards.json", group_boards)


def test_project_labels_validate(api: Any, schema: Any) -> None:
    for query, name in (
        ("", "labels/project_label.json"),
        ("?with_counts=true", "labels/project_label_with_counts.json"),
    ):
        labels = api(f"projects/{PROJECT}/labels{query}")
        assert {label["name"] for label in labels} >= {"health::red", "segment::enterprise"}
        for label in labels:
            schema(name, label)


def test_group_labels_validate(api: Any, schema: Any) -> None:
    for query in ("", "?with_counts=true"):
        labels = api(f"groups/acme/labels{query}")
        assert [label["name"] for label in labels] == ["segment::enterprise"]
        schema("group_labels.json", labels)


def test_members_validate(api: Any, schema: Any) -> None:
    for path in (
        "groups/acme/members",
        "groups/acme%2Fcustomers/members/all",
        f"projects/{PROJECT}/members",
        f"projects/{PROJECT}/members/all",
    ):
        members = api(path)
        assert members
        schema("members.json", members)


def test_issue_links_validate(api: Any, schema: Any) -> None:
    link = api(
        f"projects/{PROJECT}/issues/1/links",
        "POST",
        target_project_id="acme/customers/globex",
        target_issue_iid=2,
    )
    schema("issue_link.json", link)
    listed = api(f"projects/{PROJECT}/issues/2/links")
    assert [item["iid"] for item in listed] == [1]
    schema("issues.json", listed)
    schema(
        "issue_link.json",
        api(f"projects/{PROJECT}/issues/1/links/{listed[0]['issue_link_id']}", "DELETE"),
    )


def test_users_validate(api: Any, schema: Any) -> None:
    users = api("users")
    assert {user["username"] for user in users} == {"root", "tam", "sa"}
    schema("user/basics.json", users)
    schema("user/basic.json", api("user"))
    schema("user/basic.json", api("users/2"))


# GitLab's BasicProjectDetails (what `simple=true` answers), in GitLab's order; the closed
# projects.json predates topics, readme_url and namespace, so field names are checked here.
SIMPLE_PROJECT_KEYS = [
    "id",
    "description",
    "name",
    "name_with_namespace",
    "path",
    "path_with_namespace",
    "created_at",
    "default_branch",
    "tag_list",
    "topics",
    "ssh_url_to_repo",
    "http_url_to_repo",
    "web_url",
    "readme_url",
    "forks_count",
    "avatar_url",
    "star_count",
    "last_activity_at",
    "namespace",
]
NAMESPACE_BASIC_KEYS = [
    "id",
    "name",
    "path",
    "kind",
    "full_path",
    "parent_id",
    "avatar_url",
    "web_url",
]


def test_simple_project_lists_validate(api: Any, schema: Any) -> None:
    for path in (
        "projects?simple=true",
        "groups/acme/projects?simple=true&include_subgroups=true",
        "groups/acme%2Fcustomers/projects?simple=true",
    ):
        projects = api(path)
        assert [item["path_with_namespace"] for item in projects] == ["acme/customers/globex"]
        for item in projects:
            schema("project/identity.json", item)
            assert list(item) == SIMPLE_PROJECT_KEYS
            assert list(item["namespace"]) == NAMESPACE_BASIC_KEYS
            assert item["namespace"]["full_path"] == "acme/customers"
    full = api("projects")
    assert "visibility" in full[0] and "_links" in full[0]
