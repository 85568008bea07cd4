"""The account record: the YAML block in an account issue's description.

`parse_record` finds the first fenced code block with info string `yaml`, validates it
into a `Record` and says exactly what is wrong and where ("line 4 of the record block: 'arr'
must be a number, got 'lots'"). The bot-owned section after it (`triage.section`) is parsed
too, since it is salsatam's memory of the account.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from triage.section import BotSection, parse_section

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n`]*$")
USERNAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
PROJECT_PATH = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")
COLOURS = ("green", "yellow", "red")
ROLES = ("sal", "ae", "sa", "tam")


@dataclass(frozen=True)
class Team:
    sal: str | None = None  # Enterprise: Strategic Account Leader
    ae: str | None = None  # Mid-Market: Account Executive
    sa: str | None = None
    tam: str | None = None

    @property
    def seller(self) -> str | None:
        """The SAL in Enterprise, the AE in Mid-Market."""
        return self.sal or self.ae


@dataclass(frozen=True)
class Pov:
    started: date | None = None
    completed: date | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class Sentiment:
    color: str  # green | yellow | red
    date: date | None = None


@dataclass(frozen=True)
class Record:
    arr: float | None = None
    renewal: date | None = None
    industry: str | None = None
    team: Team = field(default_factory=Team)
    collaboration_project: str | None = None
    slack_channel: str | None = None
    pov: Pov = field(default_factory=Pov)
    onboarding_started: date | None = None
    last_ebr: date | None = None
    priority: int | None = None  # 1..3
    sentiment: Sentiment | None = None
    success_plan: str | None = None  # a link, or "none"
    stages_adopted: tuple[str, ...] = ()
    snooze: dict[str, date] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, kept as they are


@dataclass(frozen=True)
class ParsedRecord:
    record: Record | None  # None when the block is missing or invalid
    problems: tuple[str, ...]  # what is wrong, with where
    bot: BotSection | None  # the bot-owned section, when present


def parse_record(description: str) -> ParsedRecord:
    """The record in an account issue's description, its problems, and the bot section."""
    bot = parse_section(description)
    block = record_block(description)
    if block is None:
        return ParsedRecord(None, ("no ```yaml record block in the description",), bot)
    try:
        root = yaml.compose(block, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return ParsedRecord(None, (_yaml_problem(error),), bot)
    if root is None:
        return ParsedRecord(None, ("the record block is empty",), bot)
    if not isinstance(root, yaml.MappingNode):
        return ParsedRecord(None, ("line 1 of the record block: expected 'key: value' lines",), bot)
    reader = _Reader()
    record = reader.record(root)
    if reader.problems:
        return ParsedRecord(None, tuple(reader.problems), bot)
    return ParsedRecord(record, (), bot)


def record_block(description: str) -> str | None:
    """The content of the first fenced code block whose info string is `yaml`."""
    lines = description.replace("\r\n", "\n").split("\n")
    for start, line in enumerate(lines):
        opening = _FENCE.match(line)
        if not opening or opening.group(3).lower() != "yaml":
            continue
        fence = opening.group(2)
        body: list[str] = []
        for inner in lines[start + 1 :]:
            stripped = inner.strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                break
            body.append(inner)
        return "\n".join(body) + "\n"
    return None


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f"line {mark.line + 1} of the record block" if mark else "the record block"
    return f"{where}: not valid YAML ({problem})"


# The only tags a record may use: what plain YAML resolves to by itself (an explicit `!!str`
# is fine too). Anything else (`!foo`, `!!python/object:...`, `!!binary`, `!!set`) is refused.
_TAG = "tag:yaml.org,2002:"
SAFE_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


class _Unreadable(Exception):
    """A value that cannot be built: an impossible date, a tag that is not allowed."""

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


def _nodes(node: yaml.Node) -> Iterator[yaml.Node]:
    yield node
    if isinstance(node, yaml.SequenceNode):
        for inner in node.value:
            yield from _nodes(inner)
    elif isinstance(node, yaml.MappingNode):
        for key, inner in node.value:
            yield from _nodes(key)
            yield from _nodes(inner)


def _value(node: yaml.Node, name: str = "value") -> Any:
    """The Python value of a node, built with the safe constructors only.

    Raises `_Unreadable` for a tag outside `SAFE_TAGS` and for a value the constructors
    refuse (`2027-13-45` looks like a date but is none)."""
    for inner in _nodes(node):
        if inner.tag not in SAFE_TAGS:
            tag = inner.tag.replace(_TAG, "!!")
            raise _Unreadable(inner, f"'{name}' uses the YAML tag {tag}, which is not allowed")
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
        text = str(getattr(node, "value", "")) if isinstance(node, yaml.ScalarNode) else ""
        if node.tag == _TAG + "timestamp":
            raise _Unreadable(node, f"'{name}' is not a date: {_show(text)}") from error
        raise _Unreadable(node, f"'{name}' cannot be read: {_show(text) or error}") from error
    finally:
        loader.dispose()


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else yaml.safe_dump(value, default_flow_style=True)
    text = text.strip().replace("\n", " ")
    if text.endswith("..."):
        text = text[:-3].strip()
    return text if len(text) <= 60 else text[:59] + "…"


class _Reader:
    """Validates the record's YAML nodes, collecting problems with their line."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    @property
    def problems(self) -> list[str]:
        return [message for _, message in sorted(self.found, key=lambda p: p[0])]

    def say(self, node: yaml.Node, message: str) -> None:
        line = node.start_mark.line + 1
        self.found.append((line, f"line {line} of the record block: {message}"))

    def fail(self, node: yaml.Node, name: str, expected: str, value: Any) -> None:
        got = f"got '{_show(value)}'" if value is not None else "got nothing"
        self.say(node, f"'{name}' must be {expected}, {got}")

    def items(self, node: yaml.MappingNode, name: str) -> dict[str, yaml.Node]:
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            try:
                key = _value(key_node, name or "key")
            except _Unreadable as error:
                self.say(error.node, error.message)
                continue
            if not isinstance(key, str):
                self.fail(key_node, name or "key", "a word", key)
                continue
            if key in found:
                self.say(key_node, f"'{key}' is given twice")
            found[key] = value_node
        return found

    def record(self, root: yaml.MappingNode) -> Record:
        items = self.items(root, "")
        known: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, node in items.items():
            reader = _TOP.get(key)
            try:
                if reader is not None:
                    known[key] = reader(self, node, key)
                else:
                    extra[key] = _value(node, key)
            except _Unreadable as error:
                self.say(error.node, error.message)
        return Record(**{k: v for k, v in known.items() if v is not None}, extra=extra)

    def number(self, node: yaml.Node, name: str) -> float | None:
        value = _value(node, name)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            if math.isfinite(value) and value >= 0:
                return float(value)
            self.fail(node, name, "a number, 0 or more", value)
            return None
        self.fail(node, name, "a number", value)
        return None

    def day(self, node: yaml.Node, name: str) -> date | None:
        value = _value(node, name)
        if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(node, name, "a date (YYYY-MM-DD)", value)
        return None

    def text(self, node: yaml.Node, name: str) -> str | None:
        value = _value(node, name)
        if value is None or isinstance(value, str):
            return value.strip() or None if value is not None else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.fail(node, name, "text", value)
        return None

    def username(self, node: yaml.Node, name: str) -> str | None:
        value = _value(node, name)
        if value is None:
            return None
        if isinstance(value, str) and USERNAME.match(value.strip().removeprefix("@")):
            return value.strip().removeprefix("@")
        self.fail(node, name, "a GitLab username", value)
        return None

    def project(self, node: yaml.Node, name: str) -> str | None:
        value = _value(node, name)
        if value is None or (isinstance(value, str) and PROJECT_PATH.match(value.strip())):
            return value.strip() if isinstance(value, str) else None
        self.fail(node, name, "a project's full path (group/project)", value)
        return None

    def priority(self, node: yaml.Node, name: str) -> int | None:
        value = _value(node, name)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 3:
            return value
        self.fail(node, name, "1, 2 or 3", value)
        return None

    def mapping(self, node: yaml.Node, name: str, expected: str) -> dict[str, yaml.Node] | None:
        if isinstance(node, yaml.MappingNode):
            return self.items(node, name)
        if _value(node, name) is not None:
            self.fail(node, name, expected, _value(node, name))
        return None

    def team(self, node: yaml.Node, name: str) -> Team | None:
        items = self.mapping(node, name, "a mapping of sal/ae, sa, tam to usernames")
        if items is None:
            return None
        for key, inner in items.items():
            if key not in ROLES:
                self.fail(inner, f"{name}.{key}", "one of the roles sal, ae, sa, tam", key)
        roles = {k: self.username(n, f"{name}.{k}") for k, n in items.items() if k in ROLES}
        return Team(**roles)

    def pov(self, node: yaml.Node, name: str) -> Pov | None:
        items = self.mapping(node, name, "a mapping of started, completed, outcome")
        if items is None:
            return None
        for key, inner in items.items():
            if key not in ("started", "completed", "outcome"):
                self.fail(inner, f"{name}.{key}", "one of started, completed, outcome", key)
        started, completed = items.get("started"), items.get("completed")
        outcome = items.get("outcome")
        return Pov(
            started=self.day(started, f"{name}.started") if started else None,
            completed=self.day(completed, f"{name}.completed") if completed else None,
            outcome=self.text(outcome, f"{name}.outcome") if outcome else None,
        )

    def sentiment(self, node: yaml.Node, name: str) -> Sentiment | None:
        if isinstance(node, yaml.ScalarNode):
            colour = _value(node, name)
            if colour is None:
                return None
            if colour in COLOURS:
                return Sentiment(colour)
            self.fail(node, name, "green, yellow or red", colour)
            return None
        items = self.mapping(node, name, "a mapping of color and date")
        if items is None:
            return None
        colour_node, date_node = items.get("color"), items.get("date")
        colour = _value(colour_node, f"{name}.color") if colour_node else None
        if colour not in COLOURS:
            self.fail(colour_node or node, f"{name}.color", "green, yellow or red", colour)
            return None
        return Sentiment(colour, self.day(date_node, f"{name}.date") if date_node else None)

    def words(self, node: yaml.Node, name: str) -> tuple[str, ...] | None:
        value = _value(node, name)
        if value is None:
            return None
        if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
            return tuple(str(v) for v in value)
        self.fail(node, name, "a list of words", value)
        return None

    def snooze(self, node: yaml.Node, name: str) -> dict[str, date] | None:
        items = self.mapping(node, name, "a mapping of rule names to dates")
        if items is None:
            return None
        dates = {k: self.day(n, f"{name}.{k}") for k, n in items.items()}
        return {k: v for k, v in dates.items() if v is not None}


_TOP: dict[str, Callable[[_Reader, yaml.Node, str], Any]] = {
    "arr": _Reader.number,
    "renewal": _Reader.day,
    "industry": _Reader.text,
    "team": _Reader.team,
    "collaboration_project": _Reader.project,
    "slack_channel": _Reader.text,
    "pov": _Reader.pov,
    "onboarding_started": _Reader.day,
    "last_ebr": _Reader.day,
    "priority": _Reader.priority,
    "sentiment": _Reader.sentiment,
    "success_plan": _Reader.text,
    "stages_adopted": _Reader.words,
    "snooze": _Reader.snooze,
}
