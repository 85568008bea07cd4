"""GitLab Free versus Premium: assignees, scoped labels and group boards."""

from __future__ import annotations

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
                {"username": "tam", "access_level": 40},
                {"username": "sa", "access_level": 30},
            ],
            "labels": [{"name": "status::awaiting-team"}, {"name": "status::awaiting-customer"}],
        }
    ],
    "projects": [{"path": "acme/globex", "labels": [{"name": "local"}]}],
    "issues": [{"project": "acme/globex", "title": "Login broken"}],
}


@pytest.fixture
def gl(sandbox: Any) -> gitlab.Gitlab:
    sandbox.seed(SEED)
    client: gitlab.Gitlab = sandbox.gitlab(sudo="tam")
    return client


def _ids(gl: gitlab.Gitlab) -> list[int]:
    return [gl.users.list(username=name)[0].id for name in ("tam", "sa")]


@pytest.mark.parametrize(("tier", "assignees"), [("free", ["tam"]), ("premium", ["tam", "sa"])])
def test_assignees(sandbox: Any, gl: gitlab.Gitlab, tier: str, assignees: list[str]) -> None:
    sandbox.set_tier(tier)
    project = gl.projects.get("acme/globex")
    created = project.issues.create({"title": "Two owners", "assignee_ids": _ids(gl)})
    assert [a["username"] for a in created.assignees] == assignees
    commanded = project.issues.create({"title": "By command", "description": "/assign @tam @sa"})
    assert [a["username"] for a in commanded.assignees] == assignees


@pytest.mark.parametrize(
    ("tier", "labels"),
    [
        ("free", ["status::awaiting-customer", "status::awaiting-team"]),
        ("premium", ["status::awaiting-customer"]),
    ],
)
def test_scoped_labels(sandbox: Any, gl: gitlab.Gitlab, tier: str, labels: list[str]) -> None:
    sandbox.set_tier(tier)
    issue = gl.projects.get("acme/globex").issues.get(1)
    issue.labels = ["status::awaiting-team"]
    issue.save()
    issue.notes.create({"body": "Asked the customer.\n/label ~status::awaiting-customer"})
    assert sorted(gl.projects.get("acme/globex").issues.get(1).labels) == labels


def test_free_allows_one_group_board_premium_more(sandbox: Any, gl: gitlab.Gitlab) -> None:
    group = gl.groups.get("acme")
    group.boards.create({"name": "Accounts"})
    with pytest.raises(gitlab.GitlabCreateError) as refused:
        group.boards.create({"name": "Second"})
    assert refused.value.response_code == 403
    sandbox.set_tier("premium")
    group.boards.create({"name": "Second"})
    assert sorted(board.name for board in group.boards.list()) == ["Accounts", "Second"]


def test_group_board_lists_take_group_labels_only(gl: gitlab.Gitlab) -> None:
    group = gl.groups.get("acme")
    board = group.boards.create({"name": "Accounts"})
    label = next(lb for lb in group.labels.list() if lb.name == "status::awaiting-team")
    created = board.lists.create({"label_id": label.id})
    assert created.label["name"] == "status::awaiting-team"
    local = gl.projects.get("acme/globex").labels.get("local")
    with pytest.raises(gitlab.GitlabCreateError):
        board.lists.create({"label_id": local.id})
    # Project boards on Free: any number.
    project = gl.projects.get("acme/globex")
    project.boards.create({"name": "One"})
    project.boards.create({"name": "Two"})
    assert len(project.boards.list()) == 2
