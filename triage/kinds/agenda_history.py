"""What earlier agendas in GitLab say: who ran them, which accounts they covered, and
which action items are still open. salsatam keeps no state of its own; this is its memory.

An agenda carries two hidden markers: its key (`agenda:<team>:<date>`) and its state
(`<!-- salsatam:agenda facilitator=NAME covered=12,15 -->`: the facilitator and the iids
of the account records it listed). Who ran a meeting is whom the team assigned the agenda
to, when that is a team member (a team that hands the meeting to someone else reassigns
the agenda), else the facilitator in the marker. Action items are the unchecked
checkboxes under any heading that starts with "Action items".
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from triage.snapshot import Issue, Snapshot

_KEY = re.compile(r"^agenda:(?P<team>[a-z0-9][a-z0-9_.-]*):(?P<day>\d{4}-\d{2}-\d{2})$")
_STATE = re.compile(r"<!-- salsatam:agenda ([^<>]*?) -->")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_UNCHECKED = re.compile(r"^\s*[-*+]\s+\[ \]\s+(.*\S)\s*$")
_ORIGIN = re.compile(r"\s*\(from ([\w.\-/]+#\d+)\)$")
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.-]*)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~0-9])")
# What an earlier agenda printed before an item without an owner (once or, from agendas
# that printed it again on each carry, several times).
_OWNER_NEEDED = re.compile(r"^(?:\s*\*\*owner needed:\*\*)+\s*", re.I)
# The zero-width space an agenda prints after `@`, `#`... to keep a reference inert.
_INERT = re.compile(r"(?<=[@#!%&^])\u200b")
ITEMS_HEADING = "action items"


def agenda_key(team: str, day: date) -> str:
    return f"agenda:{team}:{day.isoformat()}"


def state_marker(facilitator: str | None, covered: Iterable[int]) -> str:
    ids = ",".join(str(i) for i in sorted(set(covered)))
    return f"<!-- salsatam:agenda facilitator={facilitator or ''} covered={ids} -->"


@dataclass(frozen=True)
class ActionItem:
    text: str  # as people wrote it: without the origin and what salsatam printed before it
    owner: str | None  # the first @username in the item
    origin: str | None  # the agenda the item was first agreed in, when it says so

    @property
    def task(self) -> str:
        """The text without the owner's leading mention (printed before it instead)."""
        lead = _MENTION.match(self.text)
        if lead is None or lead.group(1).rstrip(".-") != self.owner:
            return self.text
        return self.text[lead.end() :].lstrip(" :,-–") or self.text


@dataclass(frozen=True)
class PastAgenda:
    issue: Issue
    day: date
    cancelled: bool
    facilitator: str | None
    covered: frozenset[int]  # iids of the account records it listed
    items: tuple[ActionItem, ...]  # unchecked action items

    @property
    def held(self) -> bool:
        return not self.cancelled


def past_agendas(
    snapshot: Snapshot,
    team: str,
    cancelled_label: str,
    accounts_project: str,
    members: Collection[str] = (),
) -> list[PastAgenda]:
    """The team's agendas salsatam opened, oldest meeting first; `members` (the team's
    usernames) are who can have run a meeting by being its agenda's assignee."""
    found: list[PastAgenda] = []
    for issue in snapshot.salsatam_issues:
        key = _KEY.match(issue.key or "")
        if not key or key.group("team") != team:
            continue
        try:
            day = date.fromisoformat(key.group("day"))
        except ValueError:
            continue
        found.append(_past(issue, day, cancelled_label, accounts_project, members))
    return sorted(found, key=lambda a: (a.day, a.issue.iid))


def _past(
    issue: Issue, day: date, cancelled_label: str, accounts_project: str, members: Collection[str]
) -> PastAgenda:
    text = issue.description or ""
    facilitator, covered = _state(text)
    facilitator = ran_by(issue, facilitator, members)
    if covered is None:  # the marker was edited away: the records it refers to
        pattern = re.escape(accounts_project) + r"#(\d+)(?!\d)"
        covered = frozenset(int(n) for n in re.findall(pattern, text))
    return PastAgenda(
        issue=issue,
        day=day,
        cancelled=issue.has_label(cancelled_label),
        facilitator=facilitator,
        covered=covered,
        items=tuple(action_items(text)),
    )


def ran_by(issue: Issue, marked: str | None, members: Collection[str]) -> str | None:
    """Who ran the meeting: the agenda's assignee when a team member (the one in the marker
    when it is still among several), else the facilitator in the marker."""
    assigned = [u.username for u in issue.assignees if u.username in members]
    if not assigned or marked in assigned:
        return marked
    return assigned[0]


def _state(text: str) -> tuple[str | None, frozenset[int] | None]:
    found = _STATE.search(text)
    if not found:
        return None, None
    pairs = dict(p.split("=", 1) for p in found.group(1).split() if "=" in p)
    ids = frozenset(int(i) for i in pairs.get("covered", "").split(",") if i.isdigit())
    return pairs.get("facilitator") or None, ids


def action_items(description: str) -> list[ActionItem]:
    """Unchecked checkboxes under the headings that start with "Action items"."""
    items: list[ActionItem] = []
    level = 0  # the heading level of the section we are in; 0: not in one
    for line in description.replace("\r\n", "\n").split("\n"):
        heading = _HEADING.match(line)
        if heading:
            depth, title = len(heading.group(1)), heading.group(2).strip("*_ ").lower()
            if title.startswith(ITEMS_HEADING):
                level = depth
            elif level and depth <= level:
                level = 0
            continue
        box = _UNCHECKED.match(line) if level else None
        if box:
            items.append(_item(box.group(1)))
    return items


def _item(text: str) -> ActionItem:
    origin = _ORIGIN.search(text)
    if origin:
        text = text[: origin.start()]
    text = _OWNER_NEEDED.sub("", _unescape(text.strip()))
    owner = _MENTION.search(text)
    name = owner.group(1).rstrip(".-") if owner else None
    return ActionItem(text.strip(), name, origin.group(1) if origin else None)


def _unescape(text: str) -> str:
    """Text as written before an earlier agenda printed it inert (so carrying is stable)."""
    text = _INERT.sub("", _ESCAPED.sub(r"\1", text))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def facilitator_for(candidates: Sequence[str], held: Sequence[str | None]) -> str | None:
    """The member who has gone longest without running a meeting (never: first in order).

    `held`: who ran each meeting that took place, oldest first. Cancelled meetings are
    not in it, so whoever was due to run one runs the next.
    """
    if not candidates:
        return None
    last: dict[str, int] = {}
    for index, name in enumerate(held):
        if name:
            last[name] = index
    return min(candidates, key=lambda u: (last.get(u, -1), candidates.index(u)))


def missed(account: int, held_newest_first: Sequence[frozenset[int]]) -> int:
    """How many of the latest meetings in a row did not cover the account."""
    count = 0
    for covered in held_newest_first:
        if account in covered:
            break
        count += 1
    return count


def rotation(
    quiet: Sequence[int],
    held_newest_first: Sequence[frozenset[int]],
    carried: frozenset[int],
    meetings: int,
) -> list[int]:
    """The quiet accounts to list this time, in the order given.

    About 1/`meetings` of them, the longest uncovered first; plus every account that would
    otherwise go `meetings` meetings without being listed, and those a cancelled meeting
    was to cover.
    """
    gaps = {a: missed(a, held_newest_first) for a in quiet}
    size = math.ceil(len(quiet) / meetings)
    order = {a: i for i, a in enumerate(quiet)}
    ranked = sorted(quiet, key=lambda a: (-gaps[a], order[a]))
    chosen = set(ranked[:size])
    chosen |= {a for a in quiet if gaps[a] >= meetings - 1 or a in carried}
    return [a for a in quiet if a in chosen]
