"""The account record: the YAML block in an account issue's description.

Parsing, validation and rendering live here. `Record` is the typed result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Team:
    sal: str | None = None  # Enterprise: Strategic Account Leader
    ae: str | None = None  # Mid-Market: Account Executive
    sa: str | None = None
    tam: str | None = None

    @property
    def seller(self) -> str | None:
        """The SAL in Enterprise, the AE in Mid-Market."""
        return self.sal or self.ae


@dataclass(frozen=True)
class Pov:
    started: date | None = None
    completed: date | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class Sentiment:
    color: str  # green | yellow | red
    date: date | None = None


@dataclass(frozen=True)
class Record:
    arr: float | None = None
    renewal: date | None = None
    industry: str | None = None
    team: Team = field(default_factory=Team)
    collaboration_project: str | None = None
    slack_channel: str | None = None
    pov: Pov = field(default_factory=Pov)
    onboarding_started: date | None = None
    last_ebr: date | None = None
    priority: int | None = None  # 1..3
    sentiment: Sentiment | None = None
    success_plan: str | None = None  # a link, or "none"
    stages_adopted: tuple[str, ...] = ()
    snooze: dict[str, date] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, kept as they are
