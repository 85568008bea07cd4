"""Mentions recorded as notifications, and cross-references as "mentioned in" notes."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e
PROJECT = "acme/globex"
SEED: dict[str, Any] = {
    "users": [
        {"username": "tam"},
        {"username": "sa"},
        {"username": "sal"},
        {"username": "customer"},
        {"username": "outsider"},
    ],
    "groups": [
        {
            "path": "acme",
            "members": [
                {"username": "tam", "access_level": 30},
                {"username": "sa", "access_level": 30},
            ],
        },
        {"path": "sales", "members": [{"username": "sal", "access_level": 30}]},
    ],
    "projects": [
        {"path": PROJECT, "members": [{"username": "customer", "access_level": 10}]},
        {"path": "acme/initech", "visibility": "public"},
    ],
    "issues": [
        {"project": PROJECT, "title": "Login broken", "author": "customer"},
        {"project": PROJECT, "title": "Pricing", "author": "tam", "confidential": True},
        {"project": "acme/initech", "title": "Other"},
    ],
}


@pytest.fixture
def gl(sandbox: Any) -> Any:
    sandbox.seed(SEED)
    return sandbox.gitlab(sudo="tam")


def _seen(sandbox: Any) -> list[tuple[str, list[str], str, int, str]]:
    return [
        (n["mention"], n["recipients"], n["author"], n["issue_iid"], n["noteable"])
        for n in sandbox.notifications()
    ]


def test_user_group_and_all_mentions_are_recorded(sandbox: Any, gl: Any) -> None:
    issue = gl.projects.get(PROJECT).issues.get(1)
    issue.notes.create({"body": "@sa please look; cc @acme, @sales and @all. Not @nobody."})
    assert _seen(sandbox) == [
        ("@sa", ["sa"], "tam", 1, "note"),
        ("@acme", ["sa"], "tam", 1, "note"),
        # sales' members cannot read the private project, so nobody there hears of it.
        ("@sales", [], "tam", 1, "note"),
        ("@all", ["customer", "sa"], "tam", 1, "note"),
    ]
    sandbox.reset_notifications()
    assert sandbox.notifications() == []


def test_mentions_in_code_do_nothing(sandbox: Any, gl: Any) -> None:
    project = gl.projects.get(PROJECT)
    project.issues.create({"title": "Docs", "description": "Use `@all` or\n```\n@sa\n```"})
    assert sandbox.notifications() == []


def test_description_mentions_count_once_and_only_when_new(sandbox: Any, gl: Any) -> None:
    project = gl.projects.get(PROJECT)
    issue = project.issues.create({"title": "Kickoff", "description": "@sa to join"})
    issue.description = "@sa to join, @customer too"
    issue.save()
    assert _seen(sandbox) == [
        ("@sa", ["sa"], "tam", 3, "issue"),
        ("@customer", ["customer"], "tam", 3, "issue"),
    ]


def test_confidential_issues_notify_only_those_who_may_read_them(sandbox: Any, gl: Any) -> None:
    gl.projects.get(PROJECT).issues.get(2).notes.create(
        {"body": "@customer @outsider @sa have a look"}
    )
    assert _seen(sandbox) == [
        ("@customer", [], "tam", 2, "note"),
        ("@outsider", [], "tam", 2, "note"),
        ("@sa", ["sa"], "tam", 2, "note"),
    ]


def test_all_from_a_non_member_and_on_gitlab_com_reaches_nobody(sandbox: Any, gl: Any) -> None:
    initech = sandbox.gitlab(sudo="sal").projects.get("acme/initech")
    initech.issues.get(1).notes.create({"body": "@all hello from outside"})
    gl.projects.get(PROJECT).issues.get(1).notes.create({"body": "@all first"})
    sandbox.set_profile("gitlab-com")
    gl.projects.get(PROJECT).issues.get(1).notes.create({"body": "@all second"})
    assert [n["recipients"] for n in sandbox.notifications()] == [[], ["customer", "sa"], []]


def test_references_add_mentioned_in_notes_on_the_referenced_issue(gl: Any) -> None:
    globex = gl.projects.get(PROJECT)
    globex.issues.create({"title": "Follow-up", "description": "See #1 and acme/initech#1"})
    globex.issues.get(1).notes.create({"body": "Not this one: `#1` and acme/initech`#1`"})
    first = [n.body for n in globex.issues.get(1).notes.list() if n.system]
    other = [n.body for n in gl.projects.get("acme/initech").issues.get(1).notes.list() if n.system]
    assert first == ["mentioned in issue #3"]
    assert other == ["mentioned in issue acme/globex#3"]
