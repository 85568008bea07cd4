"""One update per issue: a plan's label, description and close changes for the same issue
merged into a single PUT.

Scoped labels are exclusive only on paid tiers. So that Free behaves the same, adding
`scope::value` also removes the issue's other labels of that scope, and the PUT always
carries the removals next to the additions (`add_labels` + `remove_labels`): GitLab never
has to enforce exclusivity itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from triage.changes import Change, CloseIssue, SetLabels, UpdateDescription
from triage.snapshot import Issue, IssueRef


def scope_of(label: str) -> str | None:
    """`a::b::c` -> `a::b` (the key is everything before the last `::`)."""
    return label.rsplit("::", 1)[0] if "::" in label else None


@dataclass
class IssueUpdate:
    issue: IssueRef
    add: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    description: str | None = None
    due_date: date | None = None
    close: bool = False
    changes: list[Change] = field(default_factory=list)

    def add_label(self, name: str) -> None:
        if name in self.remove:
            self.remove.remove(name)
        if name not in self.add:
            self.add.append(name)

    def remove_label(self, name: str) -> None:
        if name in self.add:
            self.add.remove(name)
        if name not in self.remove:
            self.remove.append(name)

    def payload(self, current: Iterable[str] = ()) -> dict[str, Any]:
        """The PUT body. `current`: the issue's labels as the snapshot saw them."""
        data: dict[str, Any] = {}
        if self.add or self.remove:
            data["add_labels"] = ",".join(self.add)
            data["remove_labels"] = ",".join(self._removals(current))
        if self.description is not None:
            data["description"] = self.description
        if self.due_date is not None:
            data["due_date"] = self.due_date.isoformat()
        if self.close:
            data["state_event"] = "close"
        return data

    def _removals(self, current: Iterable[str]) -> list[str]:
        scopes = {scope_of(name) for name in self.add} - {None}
        siblings = [n for n in current if scope_of(n) in scopes and n not in self.add]
        return self.remove + [n for n in siblings if n not in self.remove]


def issue_updates(changes: Iterable[Change]) -> dict[IssueRef, IssueUpdate]:
    """The merged update for every issue the label/description/close changes touch."""
    updates: dict[IssueRef, IssueUpdate] = {}
    for change in changes:
        if not isinstance(change, SetLabels | UpdateDescription | CloseIssue):
            continue
        update = updates.setdefault(change.issue, IssueUpdate(change.issue))
        update.changes.append(change)
        if isinstance(change, SetLabels):
            for name in change.add:
                update.add_label(name)
            for name in change.remove:
                update.remove_label(name)
        elif isinstance(change, UpdateDescription):
            update.description = change.description
            update.due_date = change.due_date or update.due_date
        else:
            update.close = True
    return updates


def issues_by_ref(issues: Iterable[Issue]) -> Mapping[IssueRef, Issue]:
    return {i.ref: i for i in issues}
