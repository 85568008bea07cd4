"""The declarative condition language: all/any/not over named facts, labels and dates.

No eval, no code: a condition is data. Evaluating one never silently turns a missing fact
into false: the result is "unknown" and names the facts that had no data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from triage.account import FactValue

if TYPE_CHECKING:
    from triage.policy.parsing import KeyPath, ParseContext


@dataclass(frozen=True)
class FactEnv:
    """What a condition is evaluated against: one account's facts and labels, and now."""

    facts: Mapping[str, FactValue]
    labels: frozenset[str]
    now: datetime  # timezone-aware
    today: date  # now's date in the settings' time zone


@dataclass(frozen=True)
class Truth:
    value: bool | None  # None: could not be evaluated (missing facts)
    reasons: tuple[str, ...] = ()  # why it holds, in words, e.g. "arr 120,000 ≥ 50,000"
    missing: tuple[str, ...] = ()  # facts that had no data


class Condition(Protocol):
    def evaluate(self, env: FactEnv) -> Truth: ...

    def describe(self) -> str: ...


def parse_condition(data: Any, ctx: ParseContext, path: KeyPath) -> Condition:
    raise NotImplementedError
