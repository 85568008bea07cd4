"""Keeping an issue that asks for updates (the health triage issue) current (pure).

- When the account changes colour (yellow → red, red → yellow), the issue gets a note
  ("Now red since 2026-03-09: update every 14 days; next update due 2026-03-23") and its
  due date moves; the note is keyed by colour and since-date, so it is posted once.
- When it has had no update from a person for its cadence, it gets a note asking for one.
  Quiet time counts from the last activity of a person (see `issue_memory`): system notes
  such as "mentioned in issue #41", which every agenda listing the issue adds, are nobody's
  update. Its notes are read only when, by the dates in its description, a request could
  be due; what was found is written back there (`seen`), so they are read at most once per
  cadence period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from triage.changes import AddNote, Change, UpdateDescription
from triage.kinds.issue_keys import Unit
from triage.kinds.issue_memory import (
    UpdateState,
    last_asked,
    last_person,
    local_day,
    read_state,
    request_may_be_due,
    with_state,
)
from triage.snapshot import Issue, marker

# Renders a note: (template, every_days, due_date) -> body, None when it failed.
NoteRenderer = Callable[[str, int, "date | None"], "str | None"]


def colour_and_since(unit: Unit) -> tuple[str | None, date | None]:
    colour = unit.env.facts.get("health")
    health = unit.account.health
    return (colour if isinstance(colour, str) else None), (health.since if health else None)


def initial_state(unit: Unit) -> UpdateState:
    """What an issue that asks for updates remembers when it opens."""
    colour, since = colour_and_since(unit)
    return UpdateState(colour, since)


def colour_changed(unit: Unit, issue: Issue, zone: ZoneInfo) -> bool:
    colour, since = colour_and_since(unit)
    if colour is None:
        return False
    state = read_state(issue.description)
    if state is not None and state.colour is not None:
        return state.colour != colour
    # Opened before the issue remembered its colour: the colour changed if it began later.
    return since is not None and since > local_day(issue.created_at, zone)


def update_changes(
    unit: Unit,
    issue: Issue,
    every: int,
    today: date,
    zone: ZoneInfo,
    render: NoteRenderer,
) -> list[Change]:
    """The notes and the description (and due date) update `issue` needs now."""
    updates = unit.rule.updates
    if updates is None:
        return []
    if colour_changed(unit, issue, zone):
        return _colour_change(unit, issue, every, today, render)
    state = read_state(issue.description)
    if not request_may_be_due(issue, state, every, today, zone) or issue.notes is None:
        return []  # nothing can be due; or the notes are read on the run that needs them
    colour, since = colour_and_since(unit)
    person = last_person(issue, zone)
    asked = last_asked(issue, zone)
    quiet = (today - person).days
    changes: list[Change] = []
    name = unit.account.name
    if quiet >= every and (asked is None or (today - asked).days >= every):
        key = f"{issue.key}:update:{today.isoformat()}"
        body = render(updates.template, every, None)
        if body is None:
            return []
        changes.append(
            AddNote(
                reason=f"{name}: no update for {quiet} days (every {every} days)",
                key=key,
                rule=unit.rule.name,
                issue=issue.ref,
                body=_with_marker(body, key),
                confidential=issue.confidential,
            )
        )
        seen = today
        why = f"{name}: update requested on {today}"
    else:
        seen = max(person, asked or person)
        why = f"{name}: last update {seen}; the next request is due {seen + timedelta(every)}"
    fresh = replace(state or UpdateState(), colour=colour, since=since, seen=seen)
    changes.append(
        UpdateDescription(
            reason=why,
            key=f"{issue.key}:seen:{seen.isoformat()}",
            rule=unit.rule.name,
            issue=issue.ref,
            description=with_state(issue.description, fresh),
            confidential=issue.confidential,
        )
    )
    return changes


def _colour_change(
    unit: Unit, issue: Issue, every: int, today: date, render: NoteRenderer
) -> list[Change]:
    updates = unit.rule.updates
    assert updates is not None
    colour, since = colour_and_since(unit)
    due = today + timedelta(days=every)
    key = f"{issue.key}:health:{colour}:{since.isoformat() if since else 'unknown'}"
    name = unit.account.name
    reason = f"{name}: now {colour} since {since}: update every {every} days; next due {due}"
    changes: list[Change] = []
    if updates.colour_template is not None:
        body = render(updates.colour_template, every, due)
        if body is None:
            return []
        changes.append(
            AddNote(
                reason=reason,
                key=key,
                rule=unit.rule.name,
                issue=issue.ref,
                body=_with_marker(body, key),
                confidential=issue.confidential,
            )
        )
    state = UpdateState(colour, since, today)
    changes.append(
        UpdateDescription(
            reason=reason,
            key=f"{key}:due",
            rule=unit.rule.name,
            issue=issue.ref,
            description=with_state(issue.description, state),
            confidential=issue.confidential,
            due_date=due,
        )
    )
    return changes


def _with_marker(body: str, key: str) -> str:
    return body.rstrip() + "\n\n" + marker(key) + "\n"
