"""The named facts conditions may refer to. Loading a policy that names another is an error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FactType = Literal["number", "days", "date", "text", "flag", "list"]


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: FactType
    description: str


FACTS: dict[str, FactSpec] = {}


def fact(name: str, type_: FactType, description: str) -> None:
    """Declare a fact (called at import time by the modules that compute facts)."""
    FACTS[name] = FactSpec(name, type_, description)
