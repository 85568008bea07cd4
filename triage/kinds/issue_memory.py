"""What salsatam keeps in its own issues' descriptions, so later runs need no notes (pure).

Two hidden markers, next to the key marker:

- `<!-- salsatam:updates colour=red since=2026-03-09 seen=2026-03-10 -->` on an issue that
  asks for updates (the triage issue): the health colour and since-date the issue last
  told the team, and `seen`, the latest activity salsatam knows of on it (a person's
  update, or its own request). Its notes are read only when, by these dates, an update
  request could be due: the issue's creation, or `seen`, is at least one cadence ago. So
  they are read at most once per cadence period, and a rerun with nothing changed reads
  none.
- `<!-- salsatam:held=1a2b3c4d,... -->`: the parts of the rule's condition that held when
  the issue was opened (short hashes of their descriptions). When the condition stops
  holding, the parts that held then and no longer hold are what ended it, and the closing
  sentence is chosen by them.

Quiet time on an issue is measured from the last activity of a person: a note that is not
a system note ("mentioned in issue #41" moves `updated_at` but is nobody's update), not
by a bot, not by salsatam's own user (the author of its issues) and not carrying a key
marker; or the issue's creation.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from triage.kinds.issue_words import fill
from triage.policy.conditions import AllOf, AnyOf, Condition, FactEnv, HasLabel, Not
from triage.policy.issues import Sentence
from triage.snapshot import Issue, Note

# salsatam writes each marker on a line of its own after the issue's body, where nothing
# it renders can put one (printed text is neutralised: `<` never reaches a description as
# it is). A marker a person types, pastes or quotes elsewhere in the description (above
# the body, inside a sentence or a quote) is not read: the last one on a line of its own is.
_UPDATES = re.compile(r"^<!-- salsatam:updates ([a-z0-9=:. -]*?) -->[ \t\r]*$", re.M)
_HELD = re.compile(r"^<!-- salsatam:held=([0-9a-f,]*) -->[ \t\r]*$", re.M)


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    return max(pattern.finditer(text), key=lambda m: m.start(), default=None)


@dataclass(frozen=True)
class UpdateState:
    colour: str | None = None
    since: date | None = None
    seen: date | None = None

    def marker(self) -> str:
        parts = [
            f"{name}={value}"
            for name, value in (("colour", self.colour), ("since", self.since), ("seen", self.seen))
            if value is not None
        ]
        return f"<!-- salsatam:updates {' '.join(parts)} -->"


def read_state(description: str) -> UpdateState | None:
    """The updates marker of a description (None: there is none)."""
    found = _last(_UPDATES, description or "")
    if found is None:
        return None
    values = dict(p.split("=", 1) for p in found.group(1).split() if "=" in p)
    return UpdateState(values.get("colour"), _date(values.get("since")), _date(values.get("seen")))


def with_state(description: str, state: UpdateState) -> str:
    """The description with its updates marker set to `state`."""
    text = description or ""
    found = _last(_UPDATES, text)
    if found is not None:
        return text[: found.start()] + state.marker() + text[found.end() :]
    return text.rstrip() + "\n" + state.marker() + "\n"


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def anchor(issue: Issue, state: UpdateState | None, zone: ZoneInfo) -> date:
    """The latest date salsatam knows something happened on the issue, without notes."""
    created = local_day(issue.created_at, zone)
    seen = state.seen if state else None
    return max(created, seen) if seen else created


def request_may_be_due(
    issue: Issue, description_state: UpdateState | None, every: int, today: date, zone: ZoneInfo
) -> bool:
    """By its dates alone, an update request could be due: its notes are worth reading."""
    seen = description_state.seen if description_state else None
    if description_state is not None and seen is not None and seen > today:
        # salsatam never writes a day after the run's: not its own, or a clock gone wrong.
        description_state = replace(description_state, seen=None)
    return (today - anchor(issue, description_state, zone)).days >= every


def is_own(note: Note, issue: Issue) -> bool:
    """Written by salsatam (the author of its issues), a bot, or carrying a key marker."""
    return note.author.bot or note.key is not None or note.author.username == issue.author.username


def last_person(issue: Issue, zone: ZoneInfo) -> date:
    """The day of the last activity of a person on the issue (its creation without any)."""
    days = [
        local_day(n.created_at, zone)
        for n in issue.notes or ()
        if not n.system and not is_own(n, issue)
    ]
    return max([local_day(issue.created_at, zone), *days])


def last_asked(issue: Issue, zone: ZoneInfo) -> date | None:
    """The day salsatam last asked for an update (or told a colour change) on the issue."""
    prefix = f"{issue.key}:"
    days = [
        local_day(n.created_at, zone)
        for n in issue.notes or ()
        # Only salsatam's own notes (or a bot's): a person's note that quotes or forges a
        # key marker asked nothing, and must not hold the next request back.
        if (n.author.bot or n.author.username == issue.author.username)
        and n.key is not None
        and n.key.startswith(prefix)
        and not n.key.endswith(":closed")
    ]
    return max(days, default=None)


# -- the parts of a condition that held ----------------------------------------------------


def leaves(condition: Condition, negated: bool = False) -> Iterator[tuple[Condition, bool]]:
    """The leaf conditions of `condition`, each with whether it sits under a `not`."""
    if isinstance(condition, AllOf | AnyOf):
        for item in condition.items:
            yield from leaves(item, negated)
    elif isinstance(condition, Not):
        yield from leaves(condition.item, not negated)
    else:
        yield condition, negated


def _digest(condition: Condition, negated: bool) -> str:
    text = ("not " if negated else "") + condition.describe()
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def holding(conditions: Iterable[Condition], env: FactEnv) -> tuple[str, ...]:
    """Hashes of the leaf parts that hold now (a part under `not` holds when it is false)."""
    found: list[str] = []
    for condition in conditions:
        for leaf, negated in leaves(condition):
            value = leaf.evaluate(env).value
            if value is not None and value != negated:
                found.append(_digest(leaf, negated))
    return tuple(dict.fromkeys(found))


def held_marker(hashes: Iterable[str]) -> str:
    return f"<!-- salsatam:held={','.join(hashes)} -->"


def read_held(description: str) -> frozenset[str] | None:
    """The hashes of the parts that held when the issue was opened (None: not recorded)."""
    found = _last(_HELD, description or "")
    if found is None:
        return None
    return frozenset(h for h in found.group(1).split(",") if h)


def ended_parts(
    conditions: Iterable[Condition], env: FactEnv, held: frozenset[str] | None
) -> list[tuple[Condition, str]]:
    """The leaf parts that no longer hold (and held at opening, when that is known), with
    their reason now."""
    ended: list[tuple[Condition, str]] = []
    for condition in conditions:
        for leaf, negated in leaves(condition):
            truth = leaf.evaluate(env)
            if truth.value is None or truth.value != negated:
                continue  # unknown, or still holding
            if held is not None and _digest(leaf, negated) not in held:
                continue
            reason = "; ".join(truth.reasons)
            ended.append((leaf, f"not {reason}" if negated and reason else reason))
    return ended


def subjects(condition: Condition | None) -> set[str]:
    """The facts a condition is about; a scoped label `stage::x` is about the fact `stage`."""
    if condition is None:
        return set()
    found: set[str] = set()
    for leaf, _ in leaves(condition):
        fact = getattr(leaf, "fact", None)
        if isinstance(fact, str):
            found.add(fact)
        elif isinstance(leaf, HasLabel):
            found.add(leaf.name.rsplit("::", 1)[0] if "::" in leaf.name else leaf.name)
    return found


def pick_closed(sentences: Iterable[Sentence], env: FactEnv, ended: set[str]) -> str | None:
    """The first `closed` sentence that holds and is about what ended: its condition and
    placeholders name a fact of a part that stopped holding (a sentence naming no fact is
    about anything)."""
    for sentence in sentences:
        if sentence.when is not None and sentence.when.evaluate(env).value is not True:
            continue
        about = subjects(sentence.when) | _placeholders(sentence.says)
        if about and not about & ended:
            continue
        return fill(sentence.says, env.facts)
    return None


def _placeholders(text: str) -> set[str]:
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    except ValueError:
        return set()
    return names - {"account"}
