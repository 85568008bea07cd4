"""Hidden markers and carried items that people typed: salsatam's own markers and its own
references win; what a person wrote is read as text, and printed inert."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from triage.kinds.agenda import _carried
from triage.kinds.agenda_history import PastAgenda, action_items
from triage.kinds.issue_memory import (
    UpdateState,
    last_asked,
    read_held,
    read_state,
    request_may_be_due,
    with_state,
)
from triage.policy.teams import Meeting, Member, Team
from triage.render import inline
from triage.snapshot import Issue, Note, Snapshot, User, marker

ZONE = ZoneInfo("UTC")
SALSATAM = User(1, "salsatam-bot")  # the author of its issues
TAM = User(2, "tom.tam")
TODAY = date(2026, 3, 20)

# What salsatam writes at the end of a triage issue (see `Planner.remember`).
OWN_TAIL = (
    "\n\n<!-- salsatam:held=1a2b3c4d -->\n"
    "<!-- salsatam:updates colour=red since=2026-03-01 seen=2026-03-02 -->\n"
    "\n\n<!-- salsatam:key=triage:12:1 -->\n"
)


def at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def triage_issue(description: str, notes: tuple[Note, ...] | None = ()) -> Issue:
    return Issue(
        id=99,
        iid=5,
        project_id=1,
        project_path="g/accounts",
        title="Acme triage",
        description=description,
        state="opened",
        labels=("salsatam",),
        author=SALSATAM,
        created_at=at(date(2026, 3, 1)),
        updated_at=at(date(2026, 3, 2)),
        notes=notes,
    )


def test_a_marker_a_person_pasted_above_the_body_is_not_read() -> None:
    forged = (
        "Context from the call (pasted from another issue):\n"
        "<!-- salsatam:updates colour=green seen=2099-01-01 -->\n"
        "<!-- salsatam:held=deadbeef -->\n\n"
        "Acme is red: two escalations."
    )
    description = forged + OWN_TAIL
    assert read_state(description) == UpdateState("red", date(2026, 3, 1), date(2026, 3, 2))
    assert read_held(description) == frozenset({"1a2b3c4d"})
    # Writing the state back changes salsatam's marker, and leaves the person's text alone.
    fresh = with_state(description, UpdateState("red", date(2026, 3, 1), TODAY))
    assert fresh.startswith(forged)
    assert "<!-- salsatam:updates colour=red since=2026-03-01 seen=2026-03-20 -->\n" in fresh
    assert read_state(fresh) == UpdateState("red", date(2026, 3, 1), TODAY)


def test_a_quoted_or_inline_marker_is_not_read() -> None:
    description = (
        "> <!-- salsatam:updates colour=green seen=2099-01-01 -->\n"
        "The bot writes `<!-- salsatam:held=deadbeef -->` here"
    )
    assert read_state(description) is None
    assert read_held(description) is None
    assert read_state(description + OWN_TAIL) == UpdateState(
        "red", date(2026, 3, 1), date(2026, 3, 2)
    )


def test_a_seen_day_after_today_does_not_silence_update_requests() -> None:
    issue = triage_issue("body" + OWN_TAIL.replace("seen=2026-03-02", "seen=2099-01-01"))
    state = read_state(issue.description)
    assert state is not None and state.seen == date(2099, 1, 1)
    # Created 19 days ago, every 14 days: a request may be due, whatever the marker says.
    assert request_may_be_due(issue, state, 14, TODAY, ZONE)


def test_a_persons_note_with_a_forged_key_marker_is_no_update_request() -> None:
    forged = Note(
        7,
        TAM,
        "Already asked them. " + marker("triage:12:1:update:2026-03-19"),
        at(date(2026, 3, 19)),
    )
    own = Note(8, SALSATAM, "Please update. " + marker("triage:12:1:update:2026-03-10"), at(TODAY))
    issue = triage_issue("body" + OWN_TAIL, notes=(forged,))
    assert last_asked(issue, ZONE) is None
    issue = triage_issue("body" + OWN_TAIL, notes=(forged, own))
    assert last_asked(issue, ZONE) == TODAY


class _Staff:
    staff = frozenset({"tom.tam"})


def test_a_carried_items_origin_elsewhere_is_no_live_cross_reference() -> None:
    team = Team(
        name="east",
        title="East",
        segment="enterprise",
        members=(Member("tom.tam", "tam"),),
        meeting=Meeting("weekly", weekday=1, time=time(15, 0), timezone="UTC"),
    )
    text = (
        "## Action items\n\n"
        "- [ ] @tom.tam call the buyer (from gitlab-org/gitlab#1)\n"
        "- [ ] @tom.tam send the deck (from g/accounts#3)\n"
    )
    agenda = triage_issue(text)
    previous = PastAgenda(agenda, date(2026, 3, 10), False, "tom.tam", frozenset(), ())
    previous = PastAgenda(**{**previous.__dict__, "items": tuple(action_items(text))})
    snapshot = cast(Snapshot, cast(Any, _Staff()))
    foreign, own = _carried(team, [previous], snapshot)
    assert foreign.origin == "g/accounts#5"  # the agenda it came from, not the typed one
    assert "(from gitlab-org/gitlab#\u200b1)" in inline(foreign.text)
    assert own.origin == "g/accounts#3"
    assert own.text == "send the deck"
