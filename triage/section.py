"""The bot-owned section of an account record: what salsatam shows and remembers.

It sits after the record's YAML block between two markers. People read its table (health
colour, score, each measure) and salsatam reads its hidden memory (the evaluation watermark,
waits, participants), which is what lets a rerun skip reading notes. Everything in it is a
date or a count, never an age, so it only changes when the facts change. Text outside the
markers belongs to people and is kept byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

START = "<!-- salsatam:health:start -->"
END = "<!-- salsatam:health:end -->"
_MEMORY = re.compile(r"<!-- salsatam:memory (\{.*?\}) -->", re.DOTALL)


@dataclass(frozen=True)
class BotSection:
    """salsatam's memory of one account, as last written into its record."""

    colour: str | None = None  # the computed health colour
    score: int | None = None
    since: date | None = None  # when the colour last changed
    previous: str | None = None  # the colour before that
    project: str | None = None  # the collaboration project the memory is about
    # Every collaboration issue updated at or before this time has been read (or did not
    # need reading); see triage.facts.conversation for how it moves.
    evaluated: datetime | None = None
    # Issues whose status label salsatam changed after `evaluated`: iid -> user notes count
    # then. Their `updated_at` moved because of salsatam's own write, not new notes.
    relabelled: Mapping[int, int] = field(default_factory=dict)
    waiting: Mapping[int, datetime] = field(default_factory=dict)  # iid -> waiting since
    participants: Mapping[str, datetime] = field(default_factory=dict)  # customer -> last seen
    activity: datetime | None = None  # the customer's last activity seen


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def span(description: str) -> tuple[int, int] | None:
    """Where the section (markers included) is in `description`.

    Only markers on lines of their own, outside fenced code blocks, count: the same text
    inside the record's YAML block or quoted in a sentence is a person's, not the section.
    """
    start: int | None = None
    fence: str | None = None
    offset = 0
    for line in description.splitlines(keepends=True):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
        elif opened:
            fence = opened.group(1)
        elif start is None and line.rstrip("\r\n") == START:
            start = offset
        elif start is not None and line.rstrip("\r\n") == END:
            return start, offset + len(END)
        offset += len(line)
    return None


def parse_section(description: str) -> BotSection | None:
    """The bot section's memory, or None when there is none (or it cannot be read)."""
    where = span(description)
    if where is None:
        return None
    found = _MEMORY.search(description, where[0], where[1])
    if not found:
        return BotSection()
    try:
        return _from_json(json.loads(found.group(1)))
    except (ValueError, TypeError, AttributeError):
        return BotSection()


def section_text(visible: str, memory: BotSection) -> str:
    """The whole section: markers, the Markdown people read, the hidden memory."""
    body = visible.strip("\n")
    return f"{START}\n{body}\n\n<!-- salsatam:memory {_to_json(memory)} -->\n{END}"


def current_text(description: str) -> str | None:
    where = span(description)
    return description[where[0] : where[1]] if where else None


def replace_section(description: str, section: str) -> str:
    """`description` with its bot section replaced by (or ending with) `section`."""
    where = span(description)
    if where is not None:
        return description[: where[0]] + section + description[where[1] :]
    if not description:
        return section + "\n"
    separator = "\n" if description.endswith("\n") else "\n\n"
    return description + separator + section + "\n"


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _to_json(memory: BotSection) -> str:
    data: dict[str, Any] = {
        "colour": memory.colour,
        "score": memory.score,
        "since": memory.since.isoformat() if memory.since else None,
        "previous": memory.previous,
        "project": memory.project,
        "evaluated": _stamp(memory.evaluated) if memory.evaluated else None,
        "relabelled": {str(k): v for k, v in sorted(memory.relabelled.items())},
        "waiting": {str(k): _stamp(v) for k, v in sorted(memory.waiting.items())},
        "participants": {k: _stamp(v) for k, v in sorted(memory.participants.items())},
        "activity": _stamp(memory.activity) if memory.activity else None,
    }
    text = json.dumps({k: v for k, v in data.items() if v not in (None, {})}, sort_keys=True)
    return text.replace("--", "-\\u002d")  # never close the HTML comment early


def _from_json(data: dict[str, Any]) -> BotSection:
    def text(key: str) -> str | None:
        value = data.get(key)
        return str(value) if value is not None else None

    return BotSection(
        colour=text("colour"),
        score=int(data["score"]) if data.get("score") is not None else None,
        since=date.fromisoformat(data["since"]) if data.get("since") else None,
        previous=text("previous"),
        project=text("project"),
        evaluated=_time(data["evaluated"]) if data.get("evaluated") else None,
        relabelled={int(k): int(v) for k, v in (data.get("relabelled") or {}).items()},
        waiting={int(k): _time(v) for k, v in (data.get("waiting") or {}).items()},
        participants={str(k): _time(v) for k, v in (data.get("participants") or {}).items()},
        activity=_time(data["activity"]) if data.get("activity") else None,
    )
