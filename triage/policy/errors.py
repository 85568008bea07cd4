"""Errors a user can fix in their policy files, each with the place it happened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Given a key path inside the current file (e.g. ("rules", 0, "when")), the text
# "path/file.yml:LINE:COL" of that node; used by kind parsers for semantic errors.
Locate = Callable[..., str]


@dataclass(frozen=True)
class PolicyProblem:
    location: str  # "policies/health.yml:14:7"
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class PolicyError(Exception):
    """One or more problems found while loading policies; nothing was contacted or written."""

    def __init__(self, problems: list[PolicyProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
