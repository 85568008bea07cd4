"""Typed policy objects: what the loader returns, what evaluation reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

Tier = Literal["free", "premium"]


@dataclass(frozen=True)
class Settings:
    gitlab_url: str | None
    accounts_project: str
    customers_group: str
    tier: Tier = "free"
    timezone: str = "UTC"
    business_days: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    holidays: tuple[date, ...] = ()
    bots: tuple[str, ...] = ()  # usernames whose notes never count as a reply


@dataclass(frozen=True)
class LabelSpec:
    name: str
    color: str
    description: str = ""


@dataclass(frozen=True)
class LabelCatalog:
    labels: dict[str, LabelSpec] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.labels

    def get(self, name: str) -> LabelSpec | None:
        return self.labels.get(name)


@dataclass(frozen=True)
class Sources:
    """Where policies and templates were loaded from."""

    policies: Path
    templates: Path
