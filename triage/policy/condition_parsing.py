"""Conditions from policy data, with a precise message for every mistake.

Facts must be declared in `triage.facts.registry.FACTS`; each fact's type decides which
operators apply and what their value must be. Labels must be in the catalog.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any

from triage.facts.registry import FACTS, FactType
from triage.policy.conditions import AllOf, AnyOf, Condition, DateRef, HasLabel, Invalid, Not
from triage.policy.fact_tests import FactTest
from triage.policy.parsing import KeyPath, ParseContext

HEADS = ("all", "any", "not", "label", "fact")
_NUMBERS: frozenset[FactType] = frozenset({"number", "days"})
_SCALARS: frozenset[FactType] = frozenset({"number", "days", "date", "text", "flag"})
_ALL: frozenset[FactType] = frozenset({"number", "days", "date", "text", "flag", "list"})
_DATES: frozenset[FactType] = frozenset({"date"})
OPERATORS: dict[str, frozenset[FactType]] = {
    "eq": _SCALARS,
    "ne": _SCALARS,
    "lt": _NUMBERS,
    "lte": _NUMBERS,
    "gt": _NUMBERS,
    "gte": _NUMBERS,
    "in": frozenset({"number", "days", "text"}),
    "contains": frozenset({"list"}),
    "present": _ALL,
    "within_next_days": _DATES,
    "within_last_days": _DATES,
    "more_than_days_ago": _DATES,
    "before": _DATES,
    "after": _DATES,
}
_TYPE_WORDS: dict[FactType, str] = {
    "number": "a number",
    "days": "a number of days",
    "date": "a date",
    "text": "text",
    "flag": "a flag (true or false)",
    "list": "a list",
}
_RELATIVE = re.compile(r"^now(?:([+-])(\d+)d)?$")


def parse(data: Any, ctx: ParseContext, path: KeyPath) -> Condition:
    if not isinstance(data, dict) or not data:
        ctx.problem(path, "a condition must be a mapping with one of all, any, not, label, fact")
        return Invalid("?")
    heads = [key for key in HEADS if key in data]
    if len(heads) != 1:
        return _bad_head(data, heads, ctx, path)
    head = heads[0]
    if head == "fact":
        return _fact(data, ctx, path)
    for key in data:
        if key != head:
            ctx.problem((*path, key), f"unknown key '{key}' in a '{head}' condition")
    if head == "not":
        return Not(parse(data["not"], ctx, (*path, "not")))
    if head == "label":
        return _label(data["label"], ctx, (*path, "label"))
    return _group(head, data[head], ctx, (*path, head))


def _bad_head(data: dict[str, Any], heads: list[str], ctx: ParseContext, path: KeyPath) -> Invalid:
    if heads:
        both = " and ".join(f"'{h}'" for h in heads)
        ctx.problem((*path, heads[1]), f"a condition takes one of {both}: nest them in all/any")
    else:
        key = next(iter(data))
        ctx.problem((*path, key), f"unknown condition '{key}' (use all, any, not, label or fact)")
    return Invalid("?")


def _group(head: str, items: Any, ctx: ParseContext, path: KeyPath) -> Condition:
    if not isinstance(items, list) or not items:
        ctx.problem(path, f"'{head}' must be a list of conditions")
        return Invalid(head)
    parsed = tuple(parse(item, ctx, (*path, index)) for index, item in enumerate(items))
    return AllOf(parsed) if head == "all" else AnyOf(parsed)


def _label(name: Any, ctx: ParseContext, path: KeyPath) -> Condition:
    if not isinstance(name, str):
        ctx.problem(path, f"'label' must be a label name, got {name!r}")
        return Invalid("label")
    return HasLabel(ctx.label(path, name))


def _fact(data: dict[str, Any], ctx: ParseContext, path: KeyPath) -> Condition:
    name = data["fact"]
    spec = FACTS.get(name) if isinstance(name, str) else None
    if spec is None:
        ctx.problem((*path, "fact"), _unknown_fact(name))
    ops = [key for key in data if key != "fact"]
    for key in ops:
        if key not in OPERATORS:
            known = ", ".join(OPERATORS)
            ctx.problem((*path, key), f"unknown operator '{key}' (use one of {known})")
    unknown = [key for key in ops if key not in OPERATORS]
    ops = [key for key in ops if key in OPERATORS]
    if len(ops) > 1 or (not ops and not unknown):
        count = "no operator" if not ops else f"{len(ops)} operators ({', '.join(ops)})"
        ctx.problem((*path, "fact"), f"fact '{name}' needs exactly one operator, got {count}")
    if spec is None or len(ops) != 1:
        return Invalid(f"{name}")
    op = ops[0]
    where = (*path, op)
    if spec.type not in OPERATORS[op]:
        usable = ", ".join(o for o, types in OPERATORS.items() if spec.type in types)
        ctx.problem(
            where,
            f"'{op}' does not apply to fact '{name}' ({_TYPE_WORDS[spec.type]}); use {usable}",
        )
        return Invalid(name)
    target = _value(op, data[op], spec.type, ctx, where, name)
    return FactTest(name, op, target, words=spec.type in ("text", "flag"))


def _unknown_fact(name: Any) -> str:
    close = difflib.get_close_matches(str(name), FACTS, n=1) if isinstance(name, str) else []
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown fact '{name}'{hint}"


def _value(
    op: str, value: Any, type_: FactType, ctx: ParseContext, where: KeyPath, name: str
) -> Any:
    if op == "present":
        return _expect(value, isinstance(value, bool), "true or false", ctx, where, op, name)
    if op in ("within_next_days", "within_last_days", "more_than_days_ago"):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return _expect(value, ok, "a whole number of days (0 or more)", ctx, where, op, name)
    if op == "contains":
        return _expect(value, isinstance(value, str), "text", ctx, where, op, name)
    if op == "in":
        ok = isinstance(value, list) and bool(value) and all(_fits(v, type_) for v in value)
        _expect(value, ok, f"a list of {_TYPE_WORDS[type_]} values", ctx, where, op, name)
        return tuple(value) if isinstance(value, list) else ()
    if type_ == "date":
        return _date(value, ctx, where, op)
    return _expect(value, _fits(value, type_), _TYPE_WORDS[type_], ctx, where, op, name)


def _fits(value: Any, type_: FactType) -> bool:
    if type_ in _NUMBERS:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_ == "flag":
        return isinstance(value, bool)
    return isinstance(value, str)


def _expect(
    value: Any, ok: bool, wanted: str, ctx: ParseContext, where: KeyPath, op: str, name: str
) -> Any:
    if not ok:
        ctx.problem(where, f"'{op}' for fact '{name}' must be {wanted}, got {value!r}")
    return value


def _date(value: Any, ctx: ParseContext, where: KeyPath, op: str) -> DateRef:
    if isinstance(value, date):
        return DateRef(fixed=value)
    text = str(value).strip()
    relative = _RELATIVE.match(text)
    if relative:
        sign, days = relative.groups()
        return DateRef(offset_days=(-1 if sign == "-" else 1) * int(days or 0))
    try:
        return DateRef(fixed=date.fromisoformat(text))
    except ValueError:
        ctx.problem(where, f"'{op}' must be a date (YYYY-MM-DD) or now±Nd, got '{text}'")
        return DateRef()
