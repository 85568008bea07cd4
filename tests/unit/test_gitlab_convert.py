from datetime import UTC, date, datetime

from triage.gitlab import convert
from triage.snapshot import BoardList

AUTHOR = {"id": 7, "username": "ana", "name": "Ana"}
ISSUE = {
    "id": 101,
    "iid": 6,
    "project_id": 12,
    "title": "Acme",
    "description": "body",
    "state": "opened",
    "labels": ["account", "health::green"],
    "author": AUTHOR,
    "assignees": [{"id": 8, "username": "support-bot", "name": "Bot"}],
    "created_at": "2016-01-04T15:31:51.081Z",
    "updated_at": "2016-01-05T10:00:00.000+01:00",
    "closed_at": None,
    "due_date": "2016-02-01",
    "confidential": True,
    "user_notes_count": 3,
    "web_url": "https://gitlab.example/customers/acme/-/issues/6",
    "references": {"short": "#6", "relative": "#6", "full": "customers/acme#6"},
}


def test_issue_converts_timestamps_dates_and_path() -> None:
    issue = convert.issue(ISSUE)
    assert issue.project_path == "customers/acme"
    assert issue.created_at == datetime(2016, 1, 4, 15, 31, 51, 81000, tzinfo=UTC)
    assert issue.updated_at == datetime(2016, 1, 5, 9, 0, tzinfo=UTC)
    assert issue.due_date == date(2016, 2, 1)
    assert issue.labels == ("account", "health::green")
    assert issue.confidential and issue.user_notes_count == 3
    assert issue.assignees[0].bot and not issue.author.bot
    assert issue.notes is None


def test_issue_path_falls_back_to_web_url() -> None:
    data = {**ISSUE, "references": None}
    assert convert.issue(data).project_path == "customers/acme"


def test_label_details_are_reduced_to_names() -> None:
    data = {**ISSUE, "labels": [{"id": 1, "name": "account", "color": "#fff"}]}
    assert convert.issue(data).labels == ("account",)


def test_bots_by_suffix_token_user_or_setting() -> None:
    assert convert.is_bot("alert-bot")
    assert convert.is_bot("GitLab_Bot")
    assert convert.is_bot("project_278964_bot_4e4f2e9e4a3e6c1b5f0e8f7a")
    assert convert.is_bot("group_12_bot")
    assert convert.is_bot("renovate", bots=("renovate",))
    assert not convert.is_bot("abbot")
    assert not convert.is_bot("robotics-ana")
    assert convert.user({"id": 1, "username": "x", "bot": True}).bot


def test_deleted_author_becomes_the_ghost_user() -> None:
    assert convert.user(None).username == "ghost"


def test_note_keeps_system_and_internal_flags() -> None:
    note = convert.note(
        {
            "id": 5,
            "body": "x <!-- salsatam:key=a:b -->",
            "author": AUTHOR,
            "created_at": "2024-03-01T08:00:00Z",
            "system": True,
            "internal": True,
        }
    )
    assert note.system and note.internal and note.key == "a:b"
    assert note.created_at.tzinfo is not None


def test_board_keeps_label_lists_in_position_order() -> None:
    board = convert.board(
        {
            "id": 3,
            "name": "Health",
            "lists": [
                {"id": 2, "label": {"id": 9, "name": "health::red"}, "position": 1},
                {"id": 1, "label": {"id": 8, "name": "health::green"}, "position": 0},
                {"id": 4, "label": None, "position": 2, "list_type": "assignee"},
            ],
        }
    )
    assert board.lists == (BoardList(1, "health::green", 0), BoardList(2, "health::red", 1))


def test_project_and_label() -> None:
    project = convert.project({"id": 4, "path_with_namespace": "g/p", "name": "P"})
    assert (project.id, project.path, project.boards) == (4, "g/p", None)
    label = convert.label({"id": 2, "name": "account", "color": "#1f75cb"})
    assert (label.id, label.name, label.description) == (2, "account", "")
