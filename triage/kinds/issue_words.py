"""The sentences an issue and its closing note say, in the team's words (pure).

A rule (or a trigger) can carry `why` (why it fires) and `closed` (why salsatam closes
it): a sentence, or a list of sentences with conditions where the first that holds is
used. `{fact}` placeholders are filled from the account's facts, `{account}` with its name.
Without a sentence, the condition's own reasons are the fallback.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from triage.account import FactValue
from triage.policy.conditions import FactEnv
from triage.policy.issues import Sentence

UNKNOWN = "unknown"


def pick(sentences: Sequence[Sentence], env: FactEnv) -> str | None:
    """The first sentence whose condition holds (or that has none), filled in."""
    for sentence in sentences:
        if sentence.when is None or sentence.when.evaluate(env).value is True:
            return fill(sentence.says, env.facts)
    return None


def fill(text: str, facts: Mapping[str, FactValue]) -> str:
    """`text` with its `{fact}` placeholders replaced by readable values."""
    parts: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(text):
        parts.append(literal)
        if name is not None:
            parts.append(_value(facts.get(name)))
    return "".join(parts)


def _value(value: Any) -> str:
    if value is None or value == "":
        return UNKNOWN
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.0%}" if 0 < value < 1 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or UNKNOWN
    return str(value)
