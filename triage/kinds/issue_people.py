"""Who an issue goes to: roles resolved from the record, the Mid-Market SA pool, the tier.

The pool rotates without local state: the next SA is the one after whoever salsatam
assigned most recently (read from its own issues), so every run, dry or not, agrees.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from triage.account import Account
from triage.policy.model import Tier
from triage.records import Team
from triage.snapshot import Issue

ROLE_WORDS = {"sal": "SAL", "ae": "AE", "seller": "SAL or AE", "sa": "SA", "tam": "TAM"}


class SaPools:
    """Round-robin over each pool of Mid-Market SAs (a team's `sa_pool` in teams.yml)."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self._issues = tuple(issues)
        self._last: dict[tuple[str, ...], str | None] = {}

    def next(self, pool: tuple[str, ...]) -> str | None:
        if not pool:
            return None
        if pool not in self._last:
            self._last[pool] = _last_assigned(pool, self._issues)
        last = self._last[pool]
        start = pool.index(last) + 1 if last in pool else 0
        self._last[pool] = pool[start % len(pool)]
        return self._last[pool]


def _last_assigned(members: tuple[str, ...], issues: Iterable[Issue]) -> str | None:
    best: tuple[datetime, int] | None = None
    name: str | None = None
    for issue in issues:
        for user in issue.assignees:
            when = (issue.created_at, issue.id)
            if user.username in members and (best is None or when > best):
                best, name = when, user.username
    return name


@dataclass(frozen=True)
class People:
    assignees: tuple[str, ...]  # usernames to assign
    mentions: tuple[str, ...]  # usernames named in the body instead (GitLab Free)
    missing: tuple[str, ...]  # roles the record does not name, in words
    pooled: str | None = None  # the pooled SA picked, if any


def resolve(
    roles: tuple[str, ...], account: Account, pool: tuple[str, ...], pools: SaPools, tier: Tier
) -> People:
    """The people of `roles` for an account; on Free only the first is assigned.

    `pool` is the account's Mid-Market SA pool, used when the record names no SA.
    """
    team = account.record.team if account.record else Team()
    names: list[str] = []
    missing: list[str] = []
    pooled: str | None = None
    for role in roles:
        name = _role(team, role)
        if name is None and role == "sa" and account.segment == "mid-market":
            name = pooled = pools.next(pool)
        if name is None:
            missing.append(ROLE_WORDS[role])
        elif name not in names:
            names.append(name)
    if tier == "premium":
        return People(tuple(names), (), tuple(missing), pooled)
    return People(tuple(names[:1]), tuple(names[1:]), tuple(missing), pooled)


def _role(team: Team, role: str) -> str | None:
    if role == "seller":
        return team.seller
    value = getattr(team, role)
    return value if isinstance(value, str) and value else None
