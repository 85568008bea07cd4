"""An account as policies see it: its record issue, parsed record, facts and health."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from triage.records import Record
from triage.snapshot import Issue, IssueRef, Project

if TYPE_CHECKING:
    from triage.health import HealthResult

# A fact's value: a number, a date, a word, a flag, a list of words; None = no data.
FactValue = int | float | str | bool | date | tuple[str, ...] | None

# The lifecycle stages (`stage::` labels), in order: before the sale, after it, and gone.
PRE_SALE = ("prospect", "discovery", "pov", "technical-win")
POST_SALE = ("closed-won", "onboarding", "adoption")  # customers: a renewal ahead, a TAM
CHURNED = "churned"
STAGES = (*PRE_SALE, *POST_SALE, CHURNED)


def in_tam_book(stage: str | None) -> bool:
    """Whether an account at this stage counts in its TAM's book: after the sale, not
    churned (TAM capacity and the report's TAM workload both count this book)."""
    return stage is not None and stage not in PRE_SALE and stage != CHURNED


@dataclass(frozen=True)
class Account:
    issue: Issue  # the record issue in the accounts project
    record: Record | None  # None when the record block is missing or invalid
    record_problems: tuple[str, ...]  # what is wrong with the record, with where
    collaboration: Project | None
    collaboration_issues: tuple[Issue, ...]
    facts: Mapping[str, FactValue]
    health: HealthResult | None = None  # filled by the health evaluation
    # Open collaboration issues waiting for the team: business days waited, as the health
    # measure counts them (`triage.facts.collaboration`).
    waits: Mapping[IssueRef, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.issue.title

    @property
    def segment(self) -> str | None:
        return self.issue.scoped("segment")

    @property
    def stage(self) -> str | None:
        return self.issue.scoped("stage")

    @property
    def pre_sale(self) -> bool:
        return self.stage in PRE_SALE

    @property
    def valid(self) -> bool:
        return self.record is not None
