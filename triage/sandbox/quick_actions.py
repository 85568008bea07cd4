"""Finding GitLab quick actions in written text.

GitLab reads a quick action from a line that starts with `/command` (case-insensitive),
outside fenced code blocks and `>>>` multi-line quotes. A line that starts with a space or a
backslash, or that opens with a code span, is plain text. Every line holding a known command
is removed from the stored text, whether or not the command can be applied.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from triage.sandbox.params import Params

COMMANDS = frozenset(
    {
        "label",
        "unlabel",
        "remove_label",
        "close",
        "reopen",
        "assign",
        "unassign",
        "due",
        "remove_due_date",
        "confidential",
    }
)
_COMMAND = re.compile(r"^/(?P<name>[A-Za-z_]+)(?:[ \t]+(?P<argument>.*?))?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Command:
    name: str
    argument: str


@dataclass
class Parsed:
    """The text as GitLab stores it, and the commands found in it, in order."""

    text: str | None
    commands: list[Command] = field(default_factory=list)


def _inert_lines(lines: list[str]) -> set[int]:
    """Indexes of lines inside fenced code blocks or `>>>` quotes (fences included)."""
    inert: set[int] = set()
    closing: str | None = None
    for index, line in enumerate(lines):
        if closing is not None:
            inert.add(index)
            if line.strip().startswith(closing) and (closing != ">>>" or line.strip() == ">>>"):
                closing = None
            continue
        fence = _FENCE.match(line)
        if fence:
            closing = fence.group(1)[0] * len(fence.group(1))
            inert.add(index)
        elif line.rstrip() == ">>>" or (line.startswith(">>>") and not line.startswith(">>>>")):
            closing = ">>>"
            inert.add(index)
    return inert


def parse(text: str | None, previous: str | None = None) -> Parsed:
    """Split `text` into stored text and commands; lines already in `previous` stay as they are.

    On an edit GitLab only acts on what was added: a line kept from the old text is not run
    again.
    """
    if not text:
        return Parsed(text)
    kept = Counter((previous or "").split("\n"))
    lines = text.split("\n")
    inert = _inert_lines(lines)
    stored: list[str] = []
    commands: list[Command] = []
    for index, line in enumerate(lines):
        if kept[line] > 0:
            kept[line] -= 1
            stored.append(line)
            continue
        match = None if index in inert else _COMMAND.match(line.rstrip("\r"))
        name = match.group("name").lower() if match else ""
        if match is None or name not in COMMANDS:
            stored.append(line)
            continue
        commands.append(Command(name, (match.group("argument") or "").strip()))
    return Parsed("\n".join(stored).strip("\n") if commands else text, commands)


def label_names(argument: str) -> list[str]:
    """`~bug ~"needs review" ~health::red`, or plain names when no `~` is used."""
    if "~" not in argument:
        return [name for name in re.split(r"[\s,]+", argument) if name]
    names = []
    for quoted, plain in re.findall(r'~"([^"]+)"|~([^\s~,]+)', argument):
        names.append(quoted or plain)
    return names


def usernames(argument: str, me: str) -> list[str]:
    """`@alice @bob`, `alice, bob` or `me`."""
    found = []
    for token in re.split(r"[\s,]+", argument):
        name = token.lstrip("@")
        if name:
            found.append(me if name.lower() == "me" else name)
    return found


def parse_param(params: Params, name: str, previous: str | None) -> Parsed:
    """Parse a text parameter and leave the text GitLab would store in its place."""
    if not params.has(name):
        return Parsed(None)
    parsed = parse(params.text(name), previous)
    if parsed.commands:
        params.values[name] = parsed.text
    return parsed
