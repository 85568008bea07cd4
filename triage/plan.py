"""Evaluation: Snapshot + policies + now -> Plan. Pure: no I/O, no clock, no GitLab.

Order matters and is fixed: records are parsed and facts computed for every account first;
health is always computed (other kinds read it) but only writes when the health kind runs;
then collaboration status, issues (handoffs, engagement, reminders), agendas and boards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from triage.changes import Change, Problem
from triage.snapshot import Snapshot

if TYPE_CHECKING:
    from triage.account import Account
    from triage.policy.loader import PolicySet

KINDS = ("health", "collaboration", "issues", "agenda", "boards")


@dataclass(frozen=True)
class Context:
    """What every policy kind evaluates against."""

    snapshot: Snapshot
    policies: PolicySet
    now: datetime
    accounts: tuple[Account, ...]  # records parsed, facts and health computed


@dataclass
class Plan:
    now: datetime
    kinds: tuple[str, ...]
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    accounts: tuple[Account, ...] = ()

    def extend(self, changes: list[Change], problems: list[Problem]) -> None:
        self.changes.extend(changes)
        self.problems.extend(problems)
