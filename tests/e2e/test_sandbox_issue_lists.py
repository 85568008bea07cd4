"""Issue lists: pagination across pages, headers, and every filter GitLab offers."""

from __future__ import annotations

from typing import Any

import gitlab
import pytest
import requests

pytestmark = pytest.mark.e2e
PROJECT = "acme/globex"


def _many(count: int) -> dict[str, Any]:
    return {
        "groups": [{"path": "acme"}],
        "projects": [{"path": PROJECT}],
        "issues": [
            {
                "project": PROJECT,
                "title": f"Issue {n}",
                "created_at": f"2024-01-01T00:{n // 60:02d}:{n % 60:02d}Z",
            }
            for n in range(count)
        ],
    }


def test_250_issues_come_back_with_get_all_and_iterator(sandbox: Any) -> None:
    sandbox.seed(_many(250))
    project = sandbox.gitlab().projects.get(PROJECT)
    sandbox.reset_requests()

    everything = project.issues.list(get_all=True, per_page=100)
    assert sandbox.requests()["by_route"] == {"GET /projects/:id/issues": 3}
    iterated = [issue.iid for issue in project.issues.list(iterator=True)]

    assert [issue.iid for issue in everything] == list(range(250, 0, -1))
    assert iterated == list(range(250, 0, -1))
    assert sandbox.requests()["by_route"]["GET /projects/:id/issues"] == 3 + 13


def test_pagination_headers_follow_gitlab(sandbox: Any) -> None:
    sandbox.seed(_many(45))
    url = f"{sandbox.url}/api/v4/projects/acme%2Fglobex/issues"
    headers = {"PRIVATE-TOKEN": sandbox.token}

    first = requests.get(
        url, headers=headers, params={"per_page": 20, "state": "opened"}, timeout=10
    )
    last = requests.get(url, headers=headers, params={"per_page": 20, "page": 3}, timeout=10)

    assert [
        first.headers[name]
        for name in (
            "x-page",
            "x-per-page",
            "x-next-page",
            "x-prev-page",
            "x-total",
            "x-total-pages",
        )
    ] == ["1", "20", "2", "", "45", "3"]
    assert len(first.json()) == 20
    assert first.links["next"]["url"] == f"{url}?state=opened&page=2&per_page=20"
    assert first.links["last"]["url"].endswith("page=3&per_page=20")
    assert "prev" not in first.links
    assert (last.headers["x-next-page"], last.headers["x-prev-page"]) == ("", "2")
    assert len(last.json()) == 5 and "next" not in last.links
    capped = requests.get(url, headers=headers, params={"per_page": 1000}, timeout=10)
    assert capped.headers["x-per-page"] == "100"


FILTER_SEED: dict[str, Any] = {
    "users": [{"username": "tam"}, {"username": "sa"}, {"username": "customer"}],
    "groups": [
        {
            "path": "acme",
            "members": [
                {"username": "tam", "access_level": 30},
                {"username": "sa", "access_level": 30},
            ],
        },
        {"path": "acme/customers"},
    ],
    "projects": [
        {"path": PROJECT, "members": [{"username": "customer", "access_level": 10}]},
        {"path": "acme/customers/initech"},
    ],
    "issues": [
        {
            "project": PROJECT,
            "title": "Kickoff meeting",
            "author": "tam",
            "labels": ["meeting", "health::green"],
            "assignees": ["tam"],
            "created_at": "2024-01-01T09:00:00Z",
            "updated_at": "2024-01-10T00:00:00Z",
            "due_date": "2024-01-20",
        },
        {
            "project": PROJECT,
            "title": "Login broken",
            "author": "customer",
            "description": "The SSO LOGIN fails",
            "labels": ["escalation::high"],
            "created_at": "2024-01-02T09:00:00Z",
            "updated_at": "2024-01-03T00:00:00Z",
            "due_date": "2024-01-05",
        },
        {
            "project": PROJECT,
            "title": "Old question",
            "author": "customer",
            "state": "closed",
            "closed_at": "2024-01-04T00:00:00Z",
            "created_at": "2024-01-03T09:00:00Z",
            "assignees": ["sa"],
        },
        {
            "project": PROJECT,
            "title": "Secret pricing",
            "author": "sa",
            "confidential": True,
            "labels": ["meeting"],
            "created_at": "2024-01-04T09:00:00Z",
        },
        {
            "project": "acme/customers/initech",
            "title": "Renewal",
            "author": "sa",
            "labels": ["health::red"],
            "created_at": "2024-01-05T09:00:00Z",
        },
    ],
}


@pytest.fixture
def seeded(sandbox: Any) -> Any:
    ids = sandbox.seed(FILTER_SEED)
    gl = sandbox.gitlab()
    project = gl.projects.get(PROJECT)

    def titles(**filters: Any) -> list[str]:
        return [issue.title for issue in project.issues.list(get_all=True, **filters)]

    titles.ids = ids  # type: ignore[attr-defined]
    titles.gl = gl  # type: ignore[attr-defined]
    return titles


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["Secret pricing", "Old question", "Login broken", "Kickoff meeting"]),
        ({"state": "opened"}, ["Secret pricing", "Login broken", "Kickoff meeting"]),
        ({"state": "closed"}, ["Old question"]),
        ({"labels": "meeting"}, ["Secret pricing", "Kickoff meeting"]),
        ({"labels": "meeting,health::green"}, ["Kickoff meeting"]),
        ({"labels": ["meeting", "health::green"]}, ["Kickoff meeting"]),
        ({"labels": "None"}, ["Old question"]),
        ({"labels": "Any"}, ["Secret pricing", "Login broken", "Kickoff meeting"]),
        ({"not": {"labels": "meeting"}}, ["Old question", "Login broken"]),
        ({"assignee_username": "tam"}, ["Kickoff meeting"]),
        ({"assignee_id": "None"}, ["Secret pricing", "Login broken"]),
        ({"assignee_id": "Any"}, ["Old question", "Kickoff meeting"]),
        ({"not": {"assignee_username": "tam"}}, ["Secret pricing", "Old question", "Login broken"]),
        ({"author_username": "customer"}, ["Old question", "Login broken"]),
        ({"not": {"author_username": "customer"}}, ["Secret pricing", "Kickoff meeting"]),
        ({"search": "sso login"}, ["Login broken"]),
        ({"search": "MEETING"}, ["Kickoff meeting"]),
        ({"search": "login", "in": "title"}, ["Login broken"]),
        (
            {"created_after": "2024-01-02T09:00:00Z"},
            ["Secret pricing", "Old question", "Login broken"],
        ),
        ({"created_before": "2024-01-02T09:00:00+00:00"}, ["Login broken", "Kickoff meeting"]),
        (
            {"updated_after": "2024-01-04T00:00:00Z", "updated_before": "2024-01-09T00:00:00Z"},
            ["Secret pricing", "Old question"],
        ),
        ({"iids[]": [1, 3]}, ["Old question", "Kickoff meeting"]),
        ({"not": {"iids": [1, 3]}}, ["Secret pricing", "Login broken"]),
        ({"confidential": True}, ["Secret pricing"]),
        ({"confidential": False}, ["Old question", "Login broken", "Kickoff meeting"]),
        (
            {"order_by": "created_at", "sort": "asc"},
            ["Kickoff meeting", "Login broken", "Old question", "Secret pricing"],
        ),
        (
            {"order_by": "updated_at"},
            ["Kickoff meeting", "Secret pricing", "Old question", "Login broken"],
        ),
        (
            {"order_by": "due_date", "sort": "asc"},
            ["Login broken", "Kickoff meeting", "Secret pricing", "Old question"],
        ),
        (
            {"order_by": "title", "sort": "asc"},
            ["Kickoff meeting", "Login broken", "Old question", "Secret pricing"],
        ),
    ],
)
def test_project_issue_filters(seeded: Any, filters: dict[str, Any], expected: list[str]) -> None:
    assert seeded(**filters) == expected


def test_group_issues_include_subgroups_and_global_issues_default_to_mine(
    sandbox: Any, seeded: Any
) -> None:
    group = seeded.gl.groups.get("acme")
    assert [i.title for i in group.issues.list(get_all=True, labels="health::red")] == ["Renewal"]
    assert len(group.issues.list(get_all=True)) == 5

    as_sa = sandbox.gitlab(token=seeded.ids["users"]["sa"]["token"])
    assert [i.title for i in as_sa.issues.list(get_all=True)] == ["Renewal", "Secret pricing"]
    assert len(as_sa.issues.list(get_all=True, scope="all")) == 5
    assert [i.title for i in as_sa.issues.list(get_all=True, scope="assigned_to_me")] == [
        "Old question"
    ]


def test_confidential_issues_are_hidden_from_guests(sandbox: Any, seeded: Any) -> None:
    customer = sandbox.gitlab(token=seeded.ids["users"]["customer"]["token"])
    titles = [issue.title for issue in customer.projects.get(PROJECT).issues.list(get_all=True)]
    assert "Secret pricing" not in titles and len(titles) == 3


def test_keyset_pagination_on_project_issues_and_projects(sandbox: Any) -> None:
    seed = _many(45)
    seed["projects"] += [{"path": f"acme/p{n}"} for n in range(4)]
    sandbox.seed(seed)
    gl = sandbox.gitlab()
    project = gl.projects.get(PROJECT)
    sandbox.reset_requests()

    issues = project.issues.list(
        pagination="keyset", order_by="created_at", sort="asc", per_page=20, iterator=True
    )
    titles = [issue.title for issue in issues]
    projects = gl.projects.list(pagination="keyset", order_by="id", per_page=2, get_all=True)

    assert titles == [f"Issue {n}" for n in range(45)]
    assert sandbox.requests()["by_route"]["GET /projects/:id/issues"] == 3
    assert [p.path for p in projects] == ["p3", "p2", "p1", "p0", "globex"]
    raw = requests.get(
        f"{sandbox.url}/api/v4/projects/acme%2Fglobex/issues",
        headers={"PRIVATE-TOKEN": sandbox.token},
        params={"pagination": "keyset", "per_page": 40},
        timeout=10,
    )
    assert "x-total" not in raw.headers and "cursor=" in raw.links["next"]["url"]
    with pytest.raises(gitlab.GitlabListError) as unsupported:
        gl.projects.list(pagination="keyset", order_by="name")
    assert unsupported.value.response_code == 405


def test_enumerated_params_answer_400_like_grape(sandbox: Any) -> None:
    sandbox.seed(
        {
            "groups": [{"path": "acme"}],
            "projects": [{"path": PROJECT}],
            "issues": [{"project": PROJECT, "title": "Mine"}],
        }
    )
    headers = {"PRIVATE-TOKEN": sandbox.token}
    bad = [
        ("/projects/acme%2Fglobex/issues", {"sort": "bogus"}, "sort"),
        ("/projects/acme%2Fglobex/issues", {"sort": "ASC"}, "sort"),
        ("/projects/nobody%2Fhere/issues", {"sort": "bogus"}, "sort"),
        ("/groups/acme/issues", {"sort": "up"}, "sort"),
        ("/issues", {"sort": "bogus"}, "sort"),
        ("/projects/acme%2Fglobex/issues", {"scope": "mine"}, "scope"),
        ("/groups/acme/issues", {"scope": "mine"}, "scope"),
        ("/projects/acme%2Fglobex/issues/1/notes", {"sort": "bogus"}, "sort"),
        ("/projects", {"sort": "bogus"}, "sort"),
        ("/projects", {"sort": "bogus", "pagination": "keyset", "order_by": "name"}, "sort"),
        ("/groups/acme/projects", {"sort": "bogus"}, "sort"),
        ("/groups", {"sort": "bogus"}, "sort"),
        ("/groups", {"order_by": "bogus"}, "order_by"),
        ("/users", {"sort": "bogus"}, "sort"),
    ]
    for path, params, name in bad:
        answer = requests.get(
            f"{sandbox.url}/api/v4{path}", params=params, headers=headers, timeout=10
        )
        assert (path, params, answer.status_code, answer.json()) == (
            path,
            params,
            400,
            {"error": f"{name} does not have a valid value"},
        )
    gl = sandbox.gitlab()
    with pytest.raises(gitlab.GitlabListError) as raised:
        gl.projects.get(PROJECT).issues.list(sort="bogus")
    assert raised.value.response_code == 400
    assert raised.value.error_message == "sort does not have a valid value"

    project = gl.projects.get(PROJECT)
    assert [i.title for i in project.issues.list(scope="created_by_me")] == ["Mine"]
    assert [i.title for i in project.issues.list(scope="assigned-to-me")] == []
    assert [g.path for g in gl.groups.list(order_by="path", sort="desc")] == ["acme"]
