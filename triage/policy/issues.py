"""`issues.yml`: the issues salsatam opens from templates, and when.

Each rule says when it fires (a condition over the account's facts and labels), which
template and title to use, its labels, whom to assign by role, when it is due, and how its
idempotency key is made (`key` + `per`), which is also how often it may fire:

- `once`: one issue per account, ever (`handoff:12`).
- `occurrence`: one per occurrence: a new issue when the condition holds and the previous
  one ended (`engagement:sa:expansion:12:2`); see policies/README.md.
- `week`, `two-weeks`, `month`, `quarter`, `year`: one per calendar period
  (`reminder:cadence:12:2026-W07`).
- a date fact (`renewal`, `last_ebr`, `last_meeting`, ...): one per value of that date
  (`reminder:renewal:12:2027-03-31`).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.facts import capacity
from triage.facts.registry import FACTS
from triage.policy.conditions import CONDITION_REF, Condition
from triage.policy.parsing import KeyPath, ParseContext

PERIODS = ("once", "occurrence", "week", "two-weeks", "month", "quarter", "year")
COMBINE = ("open", "same-day")  # how a rule's triggers share issues (see IssueRule.combine)
ROLES = ("sal", "ae", "seller", "sa", "tam")
SEGMENTS = ("enterprise", "mid-market")
TITLE_FIELDS = ("account", "trigger", "period", "due")
COLOURS = ("yellow", "red")
# Placeholders of sentences besides facts: the account's name, and the date its current
# health colour started.
PLACEHOLDERS = ("account", "health_since")
_NAME = r"^[a-z][a-z0-9-]*$"
_KEY = r"^[a-z][a-z0-9-]*(:[a-z0-9-]+)*$"
_ROLE_LIST: dict[str, Any] = {
    "type": "array",
    "minItems": 1,
    "uniqueItems": True,
    "items": {"enum": list(ROLES)},
}
# A sentence for TAMs, or a list of them with conditions: the first that holds is used.
_SENTENCES: dict[str, Any] = {
    "oneOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["says"],
                "properties": {"when": CONDITION_REF, "says": {"type": "string", "minLength": 1}},
            },
        },
    ],
}
_DAYS_BY_COLOUR: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {c: {"type": "integer", "minimum": 1} for c in COLOURS},
}

_RULE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "says", "when", "template", "title", "key", "per"],
    "properties": {
        "name": {"type": "string", "pattern": _NAME, "description": "Rule name (snooze uses it)."},
        "says": {"type": "string", "minLength": 1, "description": "What firing means, for TAMs."},
        "when": CONDITION_REF,
        "why": {**_SENTENCES, "description": "Why it fires, in words; {fact} placeholders."},
        "closed": {**_SENTENCES, "description": "The note when salsatam closes it; {fact}."},
        "qualifying": {"type": "boolean", "description": "Also require tam_qualifying."},
        "triggers": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": _NAME},
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["when", "says"],
                "properties": {
                    "when": CONDITION_REF,
                    "says": {"type": "string", "minLength": 1},
                    "why": _SENTENCES,
                    "closed": _SENTENCES,
                },
            },
            "description": "Separate triggers of one rule: each fires and is keyed on its own.",
        },
        "combine": {
            "enum": list(COMBINE),
            "description": "Triggers share issues: open (one open issue; later triggers are "
            "noted on it) or same-day (triggers that fire together share one issue).",
        },
        "trigger_note": {
            "type": "string",
            "description": "With combine: open, the note a trigger firing later gets.",
        },
        "superseded_by": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"type": "string", "pattern": _NAME},
            "description": "Earlier rules whose issue makes this one moot for the account.",
        },
        "done_when_ticked": {
            "type": "boolean",
            "description": "Close an open issue with every checkbox ticked: it is done.",
        },
        "template": {"type": "string"},
        "title": {"type": "string", "minLength": 1, "maxLength": 255},
        "labels": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "assign": {
            # A list of roles, or a mapping of segment (or `default`) to such a list.
            "type": ["array", "object"],
            "minItems": 1,
            "uniqueItems": True,
            "items": {"enum": list(ROLES)},
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {s: _ROLE_LIST for s in (*SEGMENTS, "default")},
            "description": "Roles to assign (first one only on GitLab Free), or per segment.",
        },
        "due": {
            "type": "object",
            "additionalProperties": False,
            "required": ["days"],
            "properties": {
                "days": {"type": "integer"},
                "after": {"type": "string", "description": "A date fact; today when absent."},
            },
        },
        "key": {"type": "string", "pattern": _KEY, "description": "Idempotency key prefix."},
        "per": {"type": "string", "description": "once, occurrence, a period or a date fact."},
        "close_when_resolved": {"type": "boolean"},
        "closing_note": {"type": "string"},
        "confidential": {"type": "boolean"},
        "updates": {
            "type": "object",
            "additionalProperties": False,
            "required": ["template", "every_days"],
            "properties": {
                "template": {"type": "string"},
                "every_days": _DAYS_BY_COLOUR,
                "renewal_soon_days": _DAYS_BY_COLOUR,
                "colour_template": {
                    "type": "string",
                    "description": "The note when the account changes colour (none: no note).",
                },
            },
        },
    },
}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "issues.yml: handoffs, engagement and reminders",
    "additionalProperties": False,
    "properties": {
        "enabled": {"type": "boolean", "description": "false: open and close no issues."},
        "tam_qualifying": CONDITION_REF,
        "capacity": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "max_accounts": {"type": "integer", "minimum": 1},
                "max_priority_1_share": {"type": "number", "minimum": 0, "maximum": 1},
                "share_from_accounts": {"type": "integer", "minimum": 1},
                "max_onboardings": {"type": "integer", "minimum": 0},
                "max_red": {"type": "integer", "minimum": 0},
            },
        },
        "late_due_days": {
            "type": "integer",
            "minimum": 1,
            "description": "Days from today an issue is due when its rule's date has passed.",
        },
        "close_after_green_days": {
            "type": "integer",
            "minimum": 0,
            "description": "An issue that ends because the account turned green closes once "
            "it has been green this many days (0: at once).",
        },
        "max_new_per_owner_per_run": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "New issues per first assignee and run, most important first; "
            "the rest open on later runs (0 or null: no cap).",
        },
        "rules": {"type": "array", "items": _RULE},
    },
}


@dataclass(frozen=True)
class Sentence:
    """A sentence for TAMs with `{fact}` placeholders, used when `when` holds (or always)."""

    says: str
    when: Condition | None = None


@dataclass(frozen=True)
class Trigger:
    name: str
    when: Condition
    says: str
    why: tuple[Sentence, ...] = ()
    closed: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class Due:
    days: int
    after: str | None = None  # a date fact; None: today


@dataclass(frozen=True)
class Updates:
    """A fresh note asking for an update when the issue has been quiet this long."""

    template: str
    every_days: Mapping[str, int]  # health colour -> days
    renewal_soon_days: Mapping[str, int]  # the same when renewal is this or next quarter
    colour_template: str | None = None  # the note when the account changes colour


@dataclass(frozen=True)
class IssueRule:
    name: str
    says: str
    when: Condition
    template: str
    title: str
    key: str
    per: str
    labels: tuple[str, ...] = ()
    assign: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # segment|default
    due: Due | None = None
    triggers: tuple[Trigger, ...] = ()
    why: tuple[Sentence, ...] = ()  # why it fires, for the issue text
    closed: tuple[Sentence, ...] = ()  # why salsatam closes it, for the closing note
    qualifying: bool = False
    close_when_resolved: bool = True
    closing_note: str = "closing.md.j2"
    confidential: bool = False
    updates: Updates | None = None
    # How triggers share issues: None, each its own; "open", one open issue for the account
    # (a trigger that fires while it is open is noted on it); "same-day", triggers that fire
    # in the same run share one issue.
    combine: str | None = None
    trigger_note: str = "trigger-note.md.j2"  # combine: open: a later trigger's note
    superseded_by: tuple[str, ...] = ()  # rules whose issue for the account makes this moot
    done_when_ticked: bool = False  # every checkbox ticked: the issue is done, and closed

    def roles(self, segment: str | None) -> tuple[str, ...]:
        return self.assign.get(segment or "", self.assign.get("default", ()))


@dataclass(frozen=True)
class IssuesPolicy:
    enabled: bool = True
    tam_qualifying: Condition | None = None
    capacity: capacity.CapacityLimits = field(default_factory=capacity.CapacityLimits)
    late_due_days: int = 5  # an issue whose rule's date has passed is due this much later
    # An issue that ends only because the account turned green closes once the account has
    # been green this many days (hysteresis: a colour that flaps does not close and reopen).
    close_after_green_days: int = 3
    # New issues per first assignee in one run (None: no cap); the rest wait for later runs.
    max_new_per_owner_per_run: int | None = 5
    rules: tuple[IssueRule, ...] = ()


def parse(data: Mapping[str, Any], ctx: ParseContext) -> IssuesPolicy:
    """Typed rules from schema-valid data; unknown facts, labels, templates are problems."""
    qualifying = data.get("tam_qualifying")
    rules = [_rule(r, ("rules", i), ctx) for i, r in enumerate(data.get("rules", []))]
    _unique(rules, ctx)
    _superseders(rules, ctx)
    return IssuesPolicy(
        enabled=bool(data.get("enabled", True)),
        tam_qualifying=ctx.condition(("tam_qualifying",), qualifying) if qualifying else None,
        capacity=capacity.CapacityLimits(**data.get("capacity", {})),
        rules=tuple(rules),
        late_due_days=int(data.get("late_due_days", 5)),
        close_after_green_days=int(data.get("close_after_green_days", 3)),
        max_new_per_owner_per_run=_cap(data.get("max_new_per_owner_per_run", 5)),
    )


def _cap(value: Any) -> int | None:
    """`max_new_per_owner_per_run`: 0 and null both mean no cap."""
    return int(value) if value else None


def _rule(data: Mapping[str, Any], path: KeyPath, ctx: ParseContext) -> IssueRule:
    per = _per(data["per"], (*path, "per"), ctx)
    triggers = tuple(
        Trigger(
            name,
            ctx.condition((*path, "triggers", name, "when"), t["when"]),
            t["says"],
            _sentences(t.get("why"), (*path, "triggers", name, "why"), ctx),
            _sentences(t.get("closed"), (*path, "triggers", name, "closed"), ctx),
        )
        for name, t in data.get("triggers", {}).items()
    )
    _title(data["title"], (*path, "title"), ctx)
    return IssueRule(
        name=data["name"],
        says=data["says"],
        when=ctx.condition((*path, "when"), data["when"]),
        template=ctx.template((*path, "template"), data["template"]),
        title=data["title"],
        key=data["key"],
        per=per,
        labels=tuple(
            ctx.label((*path, "labels", i), n) for i, n in enumerate(data.get("labels", []))
        ),
        assign=_assign(data.get("assign", [])),
        due=_due(data.get("due"), (*path, "due"), ctx),
        triggers=triggers,
        why=_sentences(data.get("why"), (*path, "why"), ctx),
        closed=_sentences(data.get("closed"), (*path, "closed"), ctx),
        qualifying=bool(data.get("qualifying", False)),
        close_when_resolved=bool(data.get("close_when_resolved", per != "once")),
        closing_note=ctx.template(
            (*path, "closing_note"), data.get("closing_note", "closing.md.j2")
        ),
        confidential=bool(data.get("confidential", False)),
        updates=_updates(data.get("updates"), (*path, "updates"), ctx),
        combine=_combine(data, per, (*path, "combine"), ctx),
        trigger_note=ctx.template(
            (*path, "trigger_note"), data.get("trigger_note", "trigger-note.md.j2")
        )
        if data.get("combine") == "open"
        else data.get("trigger_note", "trigger-note.md.j2"),
        superseded_by=tuple(data.get("superseded_by", ())),
        done_when_ticked=bool(data.get("done_when_ticked", False)),
    )


def _combine(data: Mapping[str, Any], per: str, path: KeyPath, ctx: ParseContext) -> str | None:
    combine = data.get("combine")
    if combine is not None and (not data.get("triggers") or per not in ("once", "occurrence")):
        ctx.problem(path, "'combine' needs triggers and 'per: once' or 'per: occurrence'")
    return str(combine) if combine is not None else None


def _superseders(rules: list[IssueRule], ctx: ParseContext) -> None:
    """`superseded_by` names rules defined before (they are decided first)."""
    for index, rule in enumerate(rules):
        earlier = {r.name for r in rules[:index]}
        for name in rule.superseded_by:
            if name not in earlier:
                ctx.problem(
                    ("rules", index, "superseded_by"),
                    f"'{name}' is not a rule defined before '{rule.name}'",
                )


def _per(value: str, path: KeyPath, ctx: ParseContext) -> str:
    if value in PERIODS:
        return value
    spec = FACTS.get(value)
    if spec is None or spec.type != "date":
        known = ", ".join(PERIODS)
        ctx.problem(path, f"'per' must be one of {known} or a date fact, got '{value}'")
    return value


def _title(text: str, path: KeyPath, ctx: ParseContext) -> None:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as error:
        ctx.problem(path, f"title: {error}")
        return
    for name in fields:
        if name not in TITLE_FIELDS:
            known = ", ".join("{" + f + "}" for f in TITLE_FIELDS)
            ctx.problem(path, f"unknown title field '{{{name}}}' (known: {known})")


def _sentences(value: Any, path: KeyPath, ctx: ParseContext) -> tuple[Sentence, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        _placeholders(value, path, ctx)
        return (Sentence(value),)
    sentences: list[Sentence] = []
    for index, item in enumerate(value):
        where = (*path, index)
        _placeholders(item["says"], (*where, "says"), ctx)
        when = item.get("when")
        condition = ctx.condition((*where, "when"), when) if when is not None else None
        sentences.append(Sentence(item["says"], condition))
    return tuple(sentences)


def _placeholders(text: str, path: KeyPath, ctx: ParseContext) -> None:
    """`{fact}` placeholders must name facts (or `{account}`)."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as error:
        ctx.problem(path, f"sentence: {error}")
        return
    for name in fields:
        if name not in PLACEHOLDERS and name not in FACTS:
            known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            ctx.problem(path, f"unknown placeholder '{{{name}}}' (a fact name, {known})")


def _assign(value: list[str] | Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    if isinstance(value, Mapping):
        return {segment: tuple(roles) for segment, roles in value.items()}
    return {"default": tuple(value)}


def _due(data: Mapping[str, Any] | None, path: KeyPath, ctx: ParseContext) -> Due | None:
    if data is None:
        return None
    after = data.get("after")
    if after is not None and (after not in FACTS or FACTS[after].type != "date"):
        ctx.problem((*path, "after"), f"'after' must be a date fact, got '{after}'")
    return Due(int(data["days"]), after)


def _updates(data: Mapping[str, Any] | None, path: KeyPath, ctx: ParseContext) -> Updates | None:
    if data is None:
        return None
    return Updates(
        template=ctx.template((*path, "template"), data["template"]),
        every_days=dict(data["every_days"]),
        renewal_soon_days=dict(data.get("renewal_soon_days", {})),
        colour_template=ctx.template((*path, "colour_template"), data["colour_template"])
        if "colour_template" in data
        else None,
    )


def _unique(rules: list[IssueRule], ctx: ParseContext) -> None:
    names: set[str] = set()
    keys: set[str] = set()
    for index, rule in enumerate(rules):
        if rule.name in names:
            ctx.problem(("rules", index, "name"), f"rule '{rule.name}' is defined twice")
        if rule.key in keys:
            ctx.problem(("rules", index, "key"), f"key '{rule.key}' is used by another rule")
        if any(k.startswith(rule.key + ":") or rule.key.startswith(k + ":") for k in keys):
            ctx.problem(("rules", index, "key"), f"key '{rule.key}' overlaps another rule's key")
        names.add(rule.name)
        keys.add(rule.key)


def sample_contexts(policy: IssuesPolicy) -> dict[str, dict[str, Any]]:
    """A sample context per template the rules use (for `salsatam validate`)."""
    from triage.kinds.issue_samples import sample_contexts as build

    return build(policy)
