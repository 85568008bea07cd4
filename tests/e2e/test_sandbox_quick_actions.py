"""Quick actions in issue descriptions and notes, run as GitLab runs them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import requests

pytestmark = pytest.mark.e2e
PROJECT = "acme/globex"
SEED: dict[str, Any] = {
    "users": [{"username": "tam"}, {"username": "sa"}, {"username": "customer"}],
    "groups": [
        {
            "path": "acme",
            "members": [
                {"username": "tam", "access_level": 30},
                {"username": "sa", "access_level": 30},
            ],
        }
    ],
    "projects": [
        {
            "path": PROJECT,
            "members": [{"username": "customer", "access_level": 10}],
            "labels": [
                {"name": "bug"},
                {"name": "needs review"},
                {"name": "health::green"},
                {"name": "health::red"},
            ],
        }
    ],
    "issues": [
        {"project": PROJECT, "title": "Login broken", "author": "customer", "labels": ["bug"]}
    ],
}


@pytest.fixture
def project(sandbox: Any) -> Any:
    sandbox.seed(SEED)
    sandbox.set_clock(datetime(2024, 3, 1, 9, 0, tzinfo=UTC))
    return sandbox.gitlab(sudo="tam").projects.get(PROJECT)


def test_a_new_description_line_close_closes_the_issue(project: Any) -> None:
    issue = project.issues.get(1)
    issue.description = "Fixed in 2.3.\n/close"
    issue.save()
    issue = project.issues.get(1)
    assert (issue.state, issue.description) == ("closed", "Fixed in 2.3.")
    assert [event.state for event in issue.resourcestateevents.list()] == ["closed"]


@pytest.mark.parametrize(
    "description",
    [
        "Try `/close` to close it.",
        "`/close`",
        "Steps:\n```\n/close\n```",
        "~~~shell\n/close\n~~~",
        ">>>\n/close\n>>>",
        "> /close",
        " /close",
        "\\/close",
        "/closer",
    ],
)
def test_inert_commands_do_nothing_and_stay_in_the_text(project: Any, description: str) -> None:
    issue = project.issues.get(1)
    issue.description = description
    issue.save()
    issue = project.issues.get(1)
    assert (issue.state, issue.description) == ("opened", description)


def test_commands_are_case_insensitive(project: Any) -> None:
    issue = project.issues.get(1)
    issue.description = "Done.\n/CLOSE"
    issue.save()
    assert project.issues.get(1).state == "closed"


def test_commands_on_create_apply_labels_assignee_due_and_confidential(project: Any) -> None:
    issue = project.issues.create(
        {
            "title": "Renewal prep",
            "description": 'Prep the renewal.\n/label ~bug ~"needs review"\n/assign @sa\n'
            "/due 2024-04-30\n/confidential\n/close",
        }
    )
    assert issue.description == "Prep the renewal."
    assert sorted(issue.labels) == ["bug", "needs review"]
    assert [a["username"] for a in issue.assignees] == ["sa"]
    assert (issue.due_date, issue.confidential) == ("2024-04-30", True)
    # GitLab runs /close only on a saved issue: on create it cannot apply.
    assert issue.state == "opened"
    events = issue.resourcelabelevents.list()
    assert sorted(e.label["name"] for e in events if e.action == "add") == ["bug", "needs review"]


def test_a_note_made_only_of_commands_answers_202_and_creates_no_note(
    sandbox: Any, project: Any
) -> None:
    response = requests.post(
        f"{sandbox.url}/api/v4/projects/acme%2Fglobex/issues/1/notes",
        headers={"PRIVATE-TOKEN": sandbox.token, "Sudo": "tam"},
        json={"body": "/label ~health::red\n/unlabel ~bug\n/close"},
        timeout=5,
    )
    assert response.status_code == 202
    body = response.json()
    assert body["summary"] == [
        'Added ~"health::red" label. Removed ~"bug" label. Closed this issue.'
    ]
    assert set(body["commands_changes"]) == {"add_label_ids", "remove_label_ids", "state_event"}
    issue = project.issues.get(1)
    assert (issue.state, issue.labels) == ("closed", ["health::red"])
    assert [n.body for n in issue.notes.list() if not n.system] == []
    label_events = [(e.action, e.label["name"]) for e in issue.resourcelabelevents.list()]
    assert ("add", "health::red") in label_events and ("remove", "bug") in label_events


def test_a_note_with_text_keeps_the_text_and_runs_the_commands(project: Any) -> None:
    issue = project.issues.get(1)
    note = issue.notes.create({"body": "Escalating this.\n/label ~health::red\n/due tomorrow"})
    assert note.body == "Escalating this."
    issue = project.issues.get(1)
    assert issue.due_date == "2024-03-02"
    assert "health::red" in issue.labels


def test_scoped_labels_from_commands_are_exclusive_on_premium_only(
    sandbox: Any, project: Any
) -> None:
    issue = project.issues.get(1)
    issue.notes.create({"body": "ok\n/label ~health::green"})
    issue.notes.create({"body": "worse\n/label ~health::red"})
    assert sorted(project.issues.get(1).labels) == ["bug", "health::green", "health::red"]
    sandbox.set_tier("premium")
    issue.notes.create({"body": "better\n/label ~health::green"})
    assert sorted(project.issues.get(1).labels) == ["bug", "health::green"]


def test_commands_the_writer_may_not_run_are_removed_and_reported(
    sandbox: Any, project: Any
) -> None:
    response = requests.post(
        f"{sandbox.url}/api/v4/projects/acme%2Fglobex/issues/1/notes",
        headers={"PRIVATE-TOKEN": "token-customer"},
        json={"body": "/label ~health::red\n/assign @tam"},
        timeout=5,
    )
    assert response.status_code == 202
    assert response.json()["summary"] == [
        "Could not apply label command. Could not apply assign command."
    ]
    issue = project.issues.get(1)
    assert (issue.labels, issue.assignees) == (["bug"], [])
    # The author may still close their own issue.
    customer = sandbox.gitlab(token="token-customer").projects.get(PROJECT)
    customer.issues.get(1).notes.create({"body": "Works now, thanks!\n/close"})
    assert project.issues.get(1).state == "closed"


def test_free_tier_keeps_one_assignee_and_unassign_removes_it(sandbox: Any, project: Any) -> None:
    issue = project.issues.get(1)
    issue.notes.create({"body": "owners\n/assign @tam @sa"})
    assert [a["username"] for a in project.issues.get(1).assignees] == ["tam"]
    issue.notes.create({"body": "handing over\n/unassign @tam"})
    assert project.issues.get(1).assignees == []
    sandbox.set_tier("premium")
    issue.notes.create({"body": "both\n/assign @tam @sa"})
    assert [a["username"] for a in project.issues.get(1).assignees] == ["tam", "sa"]


def test_reopen_and_edits_run_only_new_lines(project: Any) -> None:
    issue = project.issues.get(1)
    issue.state_event = "close"
    issue.save()
    issue = project.issues.get(1)
    issue.description = "Regressed.\n/reopen"
    issue.save()
    issue = project.issues.get(1)
    assert (issue.state, issue.description) == ("opened", "Regressed.")


def test_bad_due_date_is_reported(sandbox: Any, project: Any) -> None:
    response = requests.post(
        f"{sandbox.url}/api/v4/projects/acme%2Fglobex/issues/1/notes",
        headers={"PRIVATE-TOKEN": sandbox.token},
        json={"body": "/due someday"},
        timeout=5,
    )
    assert response.status_code == 202
    assert response.json()["summary"] == [
        "Failed to set due date because the date format is invalid."
    ]
    assert project.issues.get(1).due_date is None
