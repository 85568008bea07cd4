"""The declarative condition language: all/any/not over named facts, labels and dates.

No eval, no code: a condition is data. Evaluating one never silently turns a missing fact
into false: the result is "unknown" and names the facts that had no data.

    all: [cond, ...]      any: [cond, ...]      not: cond      label: NAME
    fact: NAME, with one operator: eq ne lt lte gt gte in contains present
        within_next_days within_last_days more_than_days_ago before after

Parsing (with the messages a policy author sees) is in `condition_parsing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from triage.account import FactValue

if TYPE_CHECKING:
    from triage.account import Account
    from triage.policy.model import Settings
    from triage.policy.parsing import KeyPath, ParseContext


@dataclass(frozen=True)
class FactEnv:
    """What a condition is evaluated against: one account's facts and labels, and now."""

    facts: Mapping[str, FactValue]
    labels: frozenset[str]
    now: datetime  # timezone-aware
    today: date  # now's date in the settings' time zone


def fact_env(account: Account, now: datetime, settings: Settings) -> FactEnv:
    """The environment of one account: its facts, its record's labels, today where it is."""
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    return FactEnv(account.facts, frozenset(account.issue.labels), now, today)


@dataclass(frozen=True)
class Truth:
    value: bool | None  # None: could not be evaluated (missing facts)
    reasons: tuple[str, ...] = ()  # why it holds, in words, e.g. "arr 120,000 ≥ 50,000"
    missing: tuple[str, ...] = ()  # facts that had no data


class Condition(Protocol):
    def evaluate(self, env: FactEnv) -> Truth: ...

    def describe(self) -> str: ...


def parse_condition(data: Any, ctx: ParseContext, path: KeyPath) -> Condition:
    """A condition from policy data; problems are reported on `ctx` with their place."""
    from triage.policy.condition_parsing import parse

    return parse(data, ctx, path)


def _merge(parts: list[Truth], value: bool | None) -> Truth:
    reasons = tuple(r for t in parts for r in t.reasons)
    missing = tuple(dict.fromkeys(m for t in parts for m in t.missing))
    return Truth(value, reasons, missing)


def _wrap(condition: Condition) -> str:
    text = condition.describe()
    compound = isinstance(condition, AllOf | AnyOf) and len(condition.items) > 1
    return f"({text})" if compound else text


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]

    def evaluate(self, env: FactEnv) -> Truth:
        results = [c.evaluate(env) for c in self.items]
        false = [t for t in results if t.value is False]
        if false:
            return _merge(false, False)
        unknown = [t for t in results if t.value is None]
        return _merge(unknown, None) if unknown else _merge(results, True)

    def describe(self) -> str:
        return " and ".join(_wrap(c) for c in self.items)


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]

    def evaluate(self, env: FactEnv) -> Truth:
        results = [c.evaluate(env) for c in self.items]
        true = [t for t in results if t.value is True]
        if true:
            return _merge(true, True)
        unknown = [t for t in results if t.value is None]
        return _merge(unknown, None) if unknown else _merge(results, False)

    def describe(self) -> str:
        return " or ".join(_wrap(c) for c in self.items)


@dataclass(frozen=True)
class Not:
    item: Condition

    def evaluate(self, env: FactEnv) -> Truth:
        inner = self.item.evaluate(env)
        value = None if inner.value is None else not inner.value
        return Truth(value, inner.reasons, inner.missing)

    def describe(self) -> str:
        return f"not {_wrap(self.item)}"


@dataclass(frozen=True)
class HasLabel:
    name: str

    def evaluate(self, env: FactEnv) -> Truth:
        if self.name in env.labels:
            return Truth(True, (f"labelled ~{self.name}",))
        return Truth(False, (f"not labelled ~{self.name}",))

    def describe(self) -> str:
        return f"labelled ~{self.name}"


@dataclass(frozen=True)
class Invalid:
    """Stands in for a condition that did not parse (the load fails anyway)."""

    text: str

    def evaluate(self, env: FactEnv) -> Truth:
        return Truth(None)

    def describe(self) -> str:
        return self.text


@dataclass(frozen=True)
class DateRef:
    """A date in a condition: fixed (2027-01-31) or relative to today (now+30d)."""

    fixed: date | None = None
    offset_days: int = 0

    def resolve(self, today: date) -> date:
        return self.fixed or today + timedelta(days=self.offset_days)

    def __str__(self) -> str:
        if self.fixed:
            return self.fixed.isoformat()
        if self.offset_days == 0:
            return "today"
        sign = "+" if self.offset_days > 0 else "-"
        return f"today {sign} {abs(self.offset_days)} days"


def show(value: object) -> str:
    """A fact value in words: 120,000 · 2027-01-10 · yes · plan, create."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ", ".join(show(v) for v in value) or "nothing"
    return str(value)


# The published schema (editors, check-jsonschema). At load time the parser checks conditions
# itself, so a policy author gets "unknown fact 'arrr'" rather than "not valid under oneOf".
_DATE_OR_NOW = r"^(\d{4}-\d{2}-\d{2}|now([+-]\d+d)?)$"
_DAYS: dict[str, Any] = {"type": "integer", "minimum": 0}
_FACT_TEST: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["fact"],
    "minProperties": 2,
    "maxProperties": 2,
    "properties": {
        "fact": {"type": "string"},
        "eq": {"type": ["number", "string", "boolean"]},
        "ne": {"type": ["number", "string", "boolean"]},
        "lt": {"type": "number"},
        "lte": {"type": "number"},
        "gt": {"type": "number"},
        "gte": {"type": "number"},
        "in": {"type": "array", "minItems": 1, "items": {"type": ["number", "string"]}},
        "contains": {"type": "string"},
        "present": {"type": "boolean"},
        "within_next_days": _DAYS,
        "within_last_days": _DAYS,
        "more_than_days_ago": _DAYS,
        "before": {"type": "string", "pattern": _DATE_OR_NOW},
        "after": {"type": "string", "pattern": _DATE_OR_NOW},
    },
}


def _single(key: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [key],
        "properties": {key: schema},
    }


_LIST: dict[str, Any] = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}
CONDITION_SCHEMA: dict[str, Any] = {
    "description": "all/any/not over facts and labels (see policies/README.md)",
    "oneOf": [
        _single("all", _LIST),
        _single("any", _LIST),
        _single("not", {"$ref": "#/$defs/condition"}),
        _single("label", {"type": "string"}),
        _FACT_TEST,
    ],
}
CONDITION_REF: dict[str, Any] = {"$ref": "#/$defs/condition"}
