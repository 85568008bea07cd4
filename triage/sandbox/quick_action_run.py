"""Running quick actions on an issue, with GitLab's conditions, messages and side effects.

As in GitLab, the commands of one text are gathered into one set of updates first, then
applied together: labels through resource label events, state through resource state events,
assignees, due date and confidentiality through system notes. `/label`, `/unlabel`, `/assign`,
`/unassign`, `/due` and `/confidential` need the right to manage issues (Reporter and above);
`/close` and `/reopen` need the right to edit the issue (its author, or Reporter and above).
On a new issue only commands that don't need a saved issue apply (`/close` does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from triage.sandbox import system_notes
from triage.sandbox.access import REPORTER, project_level
from triage.sandbox.context import Call
from triage.sandbox.labeling import (
    PAID_TIERS,
    exclusive,
    find_label,
    issue_label_rows,
    set_issue_labels,
)
from triage.sandbox.quick_actions import Command, label_names, usernames
from triage.sandbox.store import Row

_IN_DAYS = re.compile(r"^in\s+(\d+)\s+(day|week)s?$", re.IGNORECASE)


@dataclass
class Outcome:
    """What the commands changed (GitLab's `commands_changes`) and what it says about it."""

    changes: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    changed: bool = False

    def answer(self) -> dict[str, Any]:
        """The 202 body of a note made only of commands."""
        return {
            "commands_changes": self.changes,
            "summary": [" ".join(self.messages)] if self.messages else [],
        }


@dataclass
class _Run:
    call: Call
    project: Row
    issue: Row
    new: bool
    outcome: Outcome = field(default_factory=Outcome)

    @property
    def manages(self) -> bool:
        actor = self.call.actor
        return actor.is_admin or project_level(self.call.store, actor, self.project) >= REPORTER

    @property
    def edits(self) -> bool:
        return self.manages or self.issue["author_id"] == self.call.actor.id

    def labels(self) -> list[Row]:
        return issue_label_rows(self.call.store, int(self.issue["id"]))

    def assignees(self) -> list[Row]:
        return self.call.store.all(
            "SELECT u.* FROM issue_assignees a JOIN users u ON u.id = a.user_id "
            "WHERE a.issue_id = ? ORDER BY a.position",
            [self.issue["id"]],
        )

    def users(self, argument: str) -> list[Row]:
        me = str(self.call.actor.require_user()["username"])
        found: list[Row] = []
        for name in usernames(argument, me):
            row = self.call.store.one("SELECT * FROM users WHERE username = ?", [name])
            if row is not None and all(row["id"] != seen["id"] for seen in found):
                found.append(row)
        return found


def run(
    call: Call, project: Row, issue: Row, commands: list[Command], at: str, *, new: bool = False
) -> Outcome:
    """Interpret `commands` as `call.actor` and apply what they change to `issue`."""
    state = _Run(call, project, issue, new)
    for command in commands:
        handler = _HANDLERS[command.name]
        message = handler(state, command.argument, state.outcome.changes)
        state.outcome.messages.append(message or f"Could not apply {command.name} command.")
    if state.outcome.changes:
        state.outcome.changed = _apply(state, at)
    return state.outcome


# -- interpreting: each handler records updates and answers its message, or None ----------
def _reference(label: Row) -> str:
    return f'~"{label["name"]}"'


def _plural(word: str, count: int) -> str:
    return word if count == 1 else f"{word}s"


def _label(run: _Run, argument: str, changes: dict[str, Any]) -> str | None:
    found = [
        label
        for name in label_names(argument)
        if (label := find_label(run.call.store, run.project, name)) is not None
    ]
    if not run.manages or not found:
        return None
    ids = changes.setdefault("add_label_ids", [])
    ids.extend(label["id"] for label in found if label["id"] not in ids)
    return f"Added {' '.join(_reference(label) for label in found)} {_plural('label', len(found))}."


def _unlabel(run: _Run, argument: str, changes: dict[str, Any]) -> str | None:
    if run.new or not run.manages or not run.labels():
        return None
    if not argument:
        changes["label_ids"] = []
        return "Removed all labels."
    found = [
        label
        for name in label_names(argument)
        if (label := find_label(run.call.store, run.project, name)) is not None
    ]
    if not found:
        return None
    ids = changes.setdefault("remove_label_ids", [])
    ids.extend(label["id"] for label in found if label["id"] not in ids)
    return (
        f"Removed {' '.join(_reference(label) for label in found)} {_plural('label', len(found))}."
    )


def _close(run: _Run, _argument: str, changes: dict[str, Any]) -> str | None:
    if run.new or not run.edits or run.issue["state"] != "opened":
        return None
    changes["state_event"] = "close"
    return "Closed this issue."


def _reopen(run: _Run, _argument: str, changes: dict[str, Any]) -> str | None:
    if run.new or not run.edits or run.issue["state"] != "closed":
        return None
    changes["state_event"] = "reopen"
    return "Reopened this issue."


def _assign(run: _Run, argument: str, changes: dict[str, Any]) -> str | None:
    if not run.manages:
        return None
    users = run.users(argument)
    if not users:
        return "Failed to assign a user because no user was found."
    if run.call.store.settings.tier in PAID_TIERS:
        current = changes.get("assignee_ids", [row["id"] for row in run.assignees()])
        changes["assignee_ids"] = list(dict.fromkeys([*current, *(u["id"] for u in users)]))
    else:
        users = users[:1]
        changes["assignee_ids"] = [users[0]["id"]]
    return "Assigned " + system_notes.sentence([f"@{u['username']}" for u in users]) + "."


def _unassign(run: _Run, argument: str, changes: dict[str, Any]) -> str | None:
    current = run.assignees()
    if run.new or not run.manages or not current:
        return None
    named = {row["id"] for row in run.users(argument)} if argument else None
    removed = [row for row in current if named is None or row["id"] in named]
    remaining = changes.get("assignee_ids", [row["id"] for row in current])
    changes["assignee_ids"] = [i for i in remaining if i not in {r["id"] for r in removed}]
    names = system_notes.sentence([f"@{row['username']}" for row in removed])
    return f"Removed {_plural('assignee', len(removed))} {names}."


def parse_day(text: str, today: date) -> date | None:
    """The forms of dates people type after `/due` that the sandbox understands."""
    value = text.strip().lower()
    if value in ("today", "tomorrow"):
        return today + timedelta(days=int(value == "tomorrow"))
    relative = _IN_DAYS.match(value)
    if relative:
        unit = 7 if relative.group(2).lower() == "week" else 1
        return today + timedelta(days=int(relative.group(1)) * unit)
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _due(run: _Run, argument: str, changes: dict[str, Any]) -> str | None:
    if not run.manages:
        return None
    day = parse_day(argument, run.call.store.now().date())
    if day is None:
        return "Failed to set due date because the date format is invalid."
    changes["due_date"] = day.isoformat()
    return f"Set the due date to {day:%b} {day.day}, {day.year}."


def _remove_due_date(run: _Run, _argument: str, changes: dict[str, Any]) -> str | None:
    if run.new or not run.manages or not run.issue["due_date"]:
        return None
    changes["due_date"] = None
    return "Removed the due date."


def _confidential(run: _Run, _argument: str, changes: dict[str, Any]) -> str | None:
    if run.issue["confidential"] or not run.manages:
        return None
    changes["confidential"] = True
    return "Made this issue confidential."


_HANDLERS = {
    "label": _label,
    "unlabel": _unlabel,
    "remove_label": _unlabel,
    "close": _close,
    "reopen": _reopen,
    "assign": _assign,
    "unassign": _unassign,
    "due": _due,
    "remove_due_date": _remove_due_date,
    "confidential": _confidential,
}


# -- applying ---------------------------------------------------------------------------
def _apply(run: _Run, at: str) -> bool:
    changes = run.outcome.changes
    changed = _apply_labels(run, changes, at)
    changed |= _apply_state(run, changes.get("state_event"), at)
    if "assignee_ids" in changes:
        changed |= _apply_assignees(run, changes["assignee_ids"], at)
    changed |= _apply_fields(run, changes, at)
    if changed:
        run.call.store.run("UPDATE issues SET updated_at = ? WHERE id = ?", [at, run.issue["id"]])
    return changed


def _apply_labels(run: _Run, changes: dict[str, Any], at: str) -> bool:
    if not any(key in changes for key in ("add_label_ids", "remove_label_ids", "label_ids")):
        return False
    store = run.call.store
    current = [] if "label_ids" in changes else run.labels()
    removed = set(changes.get("remove_label_ids", []))
    added = [
        store.one("SELECT * FROM labels WHERE id = ?", [label_id])
        for label_id in changes.get("add_label_ids", [])
    ]
    fresh = [label for label in added if label is not None]
    # Labels added last win their scope, even if the issue already had them.
    wanted = [label for label in current if label["id"] not in removed]
    wanted = [label for label in wanted if all(label["id"] != new["id"] for new in fresh)]
    wanted += fresh
    return set_issue_labels(
        store, int(run.issue["id"]), run.call.actor.id, exclusive(wanted, store.settings.tier), at
    )


def _apply_state(run: _Run, event: str | None, at: str) -> bool:
    if event is None:
        return False
    store, actor = run.call.store, run.call.actor
    if event == "close":
        values: dict[str, Any] = {"state": "closed", "closed_at": at, "closed_by_id": actor.id}
    else:
        values = {"state": "opened", "closed_at": None, "closed_by_id": None}
    store.update("issues", int(run.issue["id"]), values)
    store.insert(
        "state_events",
        {
            "issue_id": run.issue["id"],
            "user_id": actor.id,
            "state": "closed" if event == "close" else "reopened",
            "created_at": at,
        },
    )
    return True


def _apply_assignees(run: _Run, user_ids: list[int], at: str) -> bool:
    store = run.call.store
    before = [int(row["id"]) for row in run.assignees()]
    if before == user_ids:
        return False
    store.run("DELETE FROM issue_assignees WHERE issue_id = ?", [run.issue["id"]])
    for position, user_id in enumerate(user_ids):
        store.insert(
            "issue_assignees",
            {"issue_id": run.issue["id"], "user_id": user_id, "position": position},
        )
    names = {row["id"]: row["username"] for row in store.all("SELECT id, username FROM users")}
    body = system_notes.assignees_body(
        [names[u] for u in user_ids if u not in before],
        [names[u] for u in before if u not in user_ids],
    )
    system_notes.add(store, run.issue, run.call.actor.id, body, at)
    return True


def _apply_fields(run: _Run, changes: dict[str, Any], at: str) -> bool:
    store, issue = run.call.store, run.issue
    notes = []
    if "due_date" in changes and changes["due_date"] != issue["due_date"]:
        store.update("issues", int(issue["id"]), {"due_date": changes["due_date"]})
        notes.append(system_notes.due_date_body(changes["due_date"]))
    if changes.get("confidential") and not issue["confidential"]:
        store.update("issues", int(issue["id"]), {"confidential": 1})
        notes.append(system_notes.confidential_body(True))
    for body in notes:
        system_notes.add(store, issue, run.call.actor.id, body, at)
    return bool(notes)
