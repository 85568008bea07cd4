"""Project boards and their label lists."""

from __future__ import annotations

from typing import Any

import gitlab
import pytest
import requests

pytestmark = pytest.mark.e2e


def test_boards_and_lists(sandbox: Any) -> None:
    sandbox.seed(
        {
            "groups": [{"path": "acme", "labels": [{"name": "tam::qualifying"}]}],
            "projects": [
                {
                    "path": "acme/accounts",
                    "labels": [{"name": "health::green"}, {"name": "health::red"}],
                }
            ],
        }
    )
    project = sandbox.gitlab().projects.get("acme/accounts")
    assert project.boards.list() == []
    board = project.boards.create({"name": "Health"})
    labels = {label.name: label.id for label in project.labels.list(get_all=True)}

    created = [
        board.lists.create({"label_id": labels[name]})
        for name in ("health::green", "health::red", "tam::qualifying")
    ]
    assert [item.position for item in created] == [0, 1, 2]

    moved = board.lists.get(created[2].id)
    moved.position = 0
    moved.save()
    assert [(i.label["name"], i.position) for i in board.lists.list()] == [
        ("tam::qualifying", 0),
        ("health::green", 1),
        ("health::red", 2),
    ]

    with pytest.raises(gitlab.GitlabUpdateError) as out_of_range:
        moved.position = 3
        moved.save()
    assert out_of_range.value.response_code == 400
    with pytest.raises(gitlab.GitlabCreateError) as duplicate:
        board.lists.create({"label_id": labels["health::red"]})
    assert duplicate.value.response_code == 400

    board.lists.delete(created[0].id)
    assert [(i.label["name"], i.position) for i in board.lists.list()] == [
        ("tam::qualifying", 0),
        ("health::red", 1),
    ]
    fetched = project.boards.get(board.id)
    assert fetched.name == "Health" and len(fetched.attributes["lists"]) == 2
    project.boards.delete(board.id)
    assert project.boards.list() == []


def test_seeded_boards_keep_list_order(sandbox: Any) -> None:
    sandbox.seed(
        {
            "groups": [{"path": "acme"}],
            "projects": [{"path": "acme/p", "labels": [{"name": "b"}, {"name": "a"}]}],
            "boards": [{"project": "acme/p", "name": "Triage", "lists": ["b", "a"]}],
        }
    )
    board = sandbox.gitlab().projects.get("acme/p").boards.list()[0]
    assert [(item["label"]["name"], item["position"]) for item in board.attributes["lists"]] == [
        ("b", 0),
        ("a", 1),
    ]


def test_group_boards_take_group_labels_and_one_board_on_free(sandbox: Any) -> None:
    sandbox.seed(
        {
            "groups": [
                {"path": "acme", "labels": [{"name": "health::red"}]},
                {"path": "acme/customers", "labels": [{"name": "meeting"}]},
            ],
            "projects": [{"path": "acme/customers/p", "labels": [{"name": "project-only"}]}],
        }
    )
    gl = sandbox.gitlab()
    group = gl.groups.get("acme/customers")
    board = group.boards.create({"name": "Accounts"})
    labels = {label.name: label.id for label in group.labels.list(get_all=True)}
    for name in ("meeting", "health::red"):
        board.lists.create({"label_id": labels[name]})
    project_label = gl.projects.get("acme/customers/p").labels.get("project-only")
    with pytest.raises(gitlab.GitlabCreateError) as foreign:
        board.lists.create({"label_id": project_label.id})
    assert foreign.value.response_code == 400
    fetched = group.boards.get(board.id)
    assert fetched.attributes["group"]["id"] == group.id
    assert [item["label"]["name"] for item in fetched.attributes["lists"]] == [
        "meeting",
        "health::red",
    ]

    with pytest.raises(gitlab.GitlabCreateError) as second:
        group.boards.create({"name": "Second"})
    assert second.value.response_code == 403
    sandbox.set_tier("premium")
    group.boards.create({"name": "Second"})
    assert [b.name for b in group.boards.list()] == ["Accounts", "Second"]


def test_board_list_errors_answer_gitlabs_bodies(sandbox: Any) -> None:
    sandbox.seed(
        {
            "groups": [{"path": "acme", "labels": [{"name": "meeting"}]}],
            "projects": [{"path": "acme/p", "labels": [{"name": "project-only"}]}],
        }
    )
    gl = sandbox.gitlab()
    group = gl.groups.get("acme")
    board = group.boards.create({"name": "Accounts"})
    meeting = group.labels.get("meeting")
    board.lists.create({"label_id": meeting.id})
    project_label = gl.projects.get("acme/p").labels.get("project-only")
    url = f"{sandbox.url}/api/v4/groups/{group.id}/boards/{board.id}/lists"
    headers = {"PRIVATE-TOKEN": sandbox.token}
    cases = [
        (project_label.id, {"error": "Label not found!"}),
        (999999, {"error": "Label not found!"}),
        (meeting.id, {"error": "Label has already been taken"}),
    ]
    for label_id, message in cases:
        answer = requests.post(url, data={"label_id": label_id}, headers=headers, timeout=10)
        assert (answer.status_code, answer.json()) == (400, {"message": message})
        with pytest.raises(gitlab.GitlabCreateError) as raised:
            board.lists.create({"label_id": label_id})
        assert raised.value.response_code == 400
        assert raised.value.error_message == message
