"""`fact: NAME` with one operator: how each operator compares, and says so in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from triage.policy.conditions import DateRef, FactEnv, Truth, show

# Symbol when the comparison holds, and when it does not.
_SYMBOLS = {
    "eq": ("=", "≠"),
    "ne": ("≠", "="),
    "lt": ("<", "≥"),
    "lte": ("≤", ">"),
    "gt": (">", "≤"),
    "gte": ("≥", "<"),
}
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: bool(a == b),
    "ne": lambda a, b: bool(a != b),
    "lt": lambda a, b: bool(a < b),
    "lte": lambda a, b: bool(a <= b),
    "gt": lambda a, b: bool(a > b),
    "gte": lambda a, b: bool(a >= b),
}


@dataclass(frozen=True)
class FactTest:
    fact: str
    op: str
    target: Any  # a number, word, flag, DateRef, tuple of values, or a number of days
    words: bool = False  # text and flag facts read "is x" rather than "= x"

    def evaluate(self, env: FactEnv) -> Truth:
        value = env.facts.get(self.fact)
        if isinstance(value, datetime):
            value = value.date()
        if self.op == "present":
            return self._present(value)
        if value is None:
            return Truth(None, (f"no data for {self.fact}",), (self.fact,))
        try:
            holds, text = self._check(value, env.today)
        except TypeError:
            return Truth(None, (f"{self.fact} has an unusable value {value!r}",), (self.fact,))
        return Truth(holds, (f"{self.fact} {text}",))

    def _present(self, value: object) -> Truth:
        known = value is not None
        text = f"{self.fact} is known" if known else f"no data for {self.fact}"
        return Truth(known == bool(self.target), (text,))

    def _check(self, value: Any, today: date) -> tuple[bool, str]:
        target: Any = self.target
        if isinstance(target, DateRef):
            target = target.resolve(today)
        if self.op in _COMPARE:
            return self._compare(value, target)
        if self.op == "in":
            holds = value in target
            return holds, f"{show(value)} is {'one' if holds else 'none'} of {show(target)}"
        if self.op == "contains":
            holds = target in value
            return holds, f"{'includes' if holds else 'does not include'} {target}"
        if not isinstance(value, date):
            raise TypeError(value)
        return _DATE_CHECKS[self.op](value, target, today)

    def _compare(self, value: Any, target: Any) -> tuple[bool, str]:
        holds = _COMPARE[self.op](value, target)
        if self.words and self.op in ("eq", "ne"):
            same = value == target
            return holds, f"is {show(value)}" if same else f"is {show(value)}, not {show(target)}"
        symbol = _SYMBOLS[self.op][0 if holds else 1]
        return holds, f"{show(value)} {symbol} {show(target)}"

    def describe(self) -> str:
        target = self.target
        if self.op in _SYMBOLS:
            if self.words:
                verb = "is" if self.op == "eq" else "is not"
                return f"{self.fact} {verb} {show(target)}"
            return f"{self.fact} {_SYMBOLS[self.op][0]} {show(target)}"
        return f"{self.fact} {_DESCRIPTIONS[self.op](target)}"


def _within_next(d: date, days: int, today: date) -> tuple[bool, str]:
    holds = today <= d <= today + timedelta(days=days)
    return holds, f"{d} {'within' if holds else 'not within'} the next {days} days"


def _within_last(d: date, days: int, today: date) -> tuple[bool, str]:
    holds = today - timedelta(days=days) <= d <= today
    return holds, f"{d} {'within' if holds else 'not within'} the last {days} days"


def _more_than_ago(d: date, days: int, today: date) -> tuple[bool, str]:
    holds = d < today - timedelta(days=days)
    return holds, f"{d} {'more than' if holds else 'not more than'} {days} days ago"


def _before(d: date, limit: date, today: date) -> tuple[bool, str]:
    holds = d < limit
    return holds, f"{d} {'before' if holds else 'not before'} {limit}"


def _after(d: date, limit: date, today: date) -> tuple[bool, str]:
    holds = d > limit
    return holds, f"{d} {'after' if holds else 'not after'} {limit}"


_DATE_CHECKS: dict[str, Callable[[date, Any, date], tuple[bool, str]]] = {
    "within_next_days": _within_next,
    "within_last_days": _within_last,
    "more_than_days_ago": _more_than_ago,
    "before": _before,
    "after": _after,
}
_DESCRIPTIONS: dict[str, Callable[[Any], str]] = {
    "in": lambda t: f"is one of {show(t)}",
    "contains": lambda t: f"includes {t}",
    "present": lambda t: "is known" if t else "has no data",
    "within_next_days": lambda t: f"within the next {t} days",
    "within_last_days": lambda t: f"within the last {t} days",
    "more_than_days_ago": lambda t: f"more than {t} days ago",
    "before": lambda t: f"before {t}",
    "after": lambda t: f"after {t}",
}
