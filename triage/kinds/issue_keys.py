"""Idempotency keys of issue rules: which existing issues belong to a rule, which should exist.

A rule's issues for one account form a family: `<key>[:<trigger>]:<account iid>`, followed
by the period, date or occurrence number unless the rule fires `once`. salsatam's own issues
(open and closed, found by the key marker) are the only memory: nothing is kept elsewhere.

One issue may stand for several keys of a rule (triggers that share an issue): its
description then also carries `<!-- salsatam:also=<key>,<key> -->`, and it belongs to
each of those keys' families as if it had been opened for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from triage.account import Account
from triage.kinds.issue_timing import anchor
from triage.policy.conditions import FactEnv, Truth
from triage.policy.issues import IssueRule, Trigger
from triage.snapshot import Issue

ENDED = "trigger-ended"  # on an occurrence's issue once its trigger no longer holds
ALSO_MARKER = re.compile(r"<!-- salsatam:also=([A-Za-z0-9_.:/@#=+,-]+) -->")


def also_marker(keys: Iterable[str]) -> str:
    """The hidden comment naming the other keys an issue stands for."""
    return f"<!-- salsatam:also={','.join(keys)} -->"


def also_keys(issue: Issue) -> tuple[str, ...]:
    """The other keys `issue` stands for (triggers that share it)."""
    found = ALSO_MARKER.search(issue.description or "")
    return tuple(k for k in found.group(1).split(",") if k) if found else ()


def keys_of(issue: Issue) -> tuple[str, ...]:
    """Every key `issue` stands for: its own first, then those it shares."""
    own = issue.key
    return tuple(dict.fromkeys((*((own,) if own else ()), *also_keys(issue))))


def with_also(description: str, keys: Iterable[str]) -> str:
    """`description` standing for `keys` too (besides those it already names)."""
    found = ALSO_MARKER.search(description)
    known = found.group(1).split(",") if found else []
    merged = also_marker(dict.fromkeys((*known, *keys)))
    if found:
        return description[: found.start()] + merged + description[found.end() :]
    return description.rstrip() + "\n" + merged + "\n"


@dataclass(frozen=True)
class Unit:
    """One rule, or one trigger of a rule, for one account."""

    account: Account
    rule: IssueRule
    trigger: Trigger | None
    env: FactEnv
    truth: Truth
    family: str  # the key without its period/occurrence part
    members: tuple[Issue, ...]  # salsatam's issues of this family, oldest first
    snoozed: bool

    def key_of(self, issue: Issue) -> str | None:
        """`issue`'s key in this family (its own, or one it shares)."""
        return next((k for k in keys_of(issue) if belongs(k, self.family)), issue.key)


def family_of(rule: IssueRule, trigger: Trigger | None, account: Account) -> str:
    middle = f"{trigger.name}:" if trigger else ""
    return f"{rule.key}:{middle}{account.issue.iid}"


def make_unit(
    account: Account,
    rule: IssueRule,
    trigger: Trigger | None,
    env: FactEnv,
    truth: Truth,
    index: Mapping[str, list[Issue]],
) -> Unit:
    family = family_of(rule, trigger, account)
    members = tuple(
        i for i in index.get(family, ()) if any(belongs(k, family) for k in keys_of(i))
    )
    return Unit(
        account,
        rule,
        trigger,
        env,
        truth,
        family,
        members,
        snoozed(account, rule, trigger, env.today),
    )


def snoozed(account: Account, rule: IssueRule, trigger: Trigger | None, today: date) -> bool:
    """`snooze: {rule: date}` (or `rule:trigger`) in the record silences it until that date."""
    snooze = account.record.snooze if account.record else {}
    until = snooze.get(f"{rule.name}:{trigger.name}") if trigger else None
    until = until or snooze.get(rule.name)
    return until is not None and today < until


def index_by_family(issues: Iterable[Issue]) -> dict[str, list[Issue]]:
    """salsatam's issues by key and by key minus its last part, oldest first."""
    index: dict[str, list[Issue]] = {}
    for issue in sorted(issues, key=lambda i: (i.created_at, i.id)):
        for bucket in dict.fromkeys(b for k in keys_of(issue) for b in (k, k.rsplit(":", 1)[0])):
            index.setdefault(bucket, []).append(issue)
    return index


def belongs(key: str, family: str) -> bool:
    """`key` is of `family`: the family itself, or it followed by one last part."""
    if key == family:
        return True
    return key.startswith(family + ":") and ":" not in key[len(family) + 1 :]


def current_key(unit: Unit) -> str | None:
    """The key of the issue that should exist now; None: no new one should be opened."""
    per = unit.rule.per
    if per == "once":
        return unit.family
    if per != "occurrence":
        return f"{unit.family}:{anchor(per, unit.env.facts, unit.env.today)}"
    if not unit.members:
        return f"{unit.family}:1"
    latest = unit.members[-1]
    if latest.is_open or not latest.has_label(ENDED):
        return unit.key_of(latest)  # the same occurrence: handled, or being handled
    return f"{unit.family}:{_occurrence(unit.key_of(latest)) + 1}"


def _occurrence(key: str | None) -> int:
    last = tail(key)
    return int(last) if last and last.isdigit() else 1


def tail(key: str | None) -> str | None:
    """The last part of a key: its period, date or occurrence number."""
    return key.rsplit(":", 1)[1] if key and ":" in key else None


def all_of(truths: list[Truth]) -> Truth:
    """Several conditions that must all hold, with the reasons that decided it."""
    false = [t for t in truths if t.value is False]
    unknown = [t for t in truths if t.value is None]
    chosen, value = (false, False) if false else ((unknown, None) if unknown else (truths, True))
    reasons = tuple(dict.fromkeys(r for t in chosen for r in t.reasons))
    missing = tuple(dict.fromkeys(m for t in chosen for m in t.missing))
    return Truth(value, reasons, missing)
