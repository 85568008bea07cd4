"""What a policy kind's parser gets: positions for messages, the label catalog, templates.

Kind parsers receive data that already passed the JSON Schema (types and unknown keys are
checked there) and add the semantic checks only they can make: unknown facts, labels,
templates. They report problems here instead of raising, so one run lists them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.policy.errors import PolicyProblem
from triage.policy.model import LabelCatalog

if TYPE_CHECKING:
    from triage.policy.conditions import Condition

KeyPath = tuple[str | int, ...]


@dataclass
class ParseContext:
    file: str  # as shown to the user, e.g. "policies/health.yml"
    positions: Mapping[KeyPath, tuple[int, int]]  # key path -> (line, column), 1-based
    labels: LabelCatalog
    templates: Path
    problems: list[PolicyProblem] = field(default_factory=list)

    def locate(self, *path: str | int) -> str:
        """`file:line:col` of the deepest known node on `path` (the file itself if none)."""
        for end in range(len(path), -1, -1):
            where = self.positions.get(tuple(path[:end]))
            if where is not None:
                return f"{self.file}:{where[0]}:{where[1]}"
        return f"{self.file}:1:1"

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append(PolicyProblem(self.locate(*path), message))

    def label(self, path: KeyPath, name: str) -> str:
        """A label name the policy refers to; it must be in the catalog."""
        if name not in self.labels:
            self.problem(path, f"unknown label '{name}' (not in labels.yml)")
        return name

    def template(self, path: KeyPath, name: str) -> str:
        """A template file name the policy refers to; it must exist."""
        if not (self.templates / name).is_file():
            self.problem(path, f"unknown template '{name}' (no such file in {self.templates})")
        return name

    def condition(self, path: KeyPath, data: Any) -> Condition:
        from triage.policy.conditions import parse_condition

        return parse_condition(data, self, path)
