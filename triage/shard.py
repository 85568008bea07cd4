"""`--shard I/N`: one of N parallel runs (GitLab CI `parallel: N`), each writing for a share
of the accounts.

An account belongs to shard `(iid - 1) mod N + 1` of its record issue: stable while the
record lives, and the same in every job of a pipeline. Every shard still reads every record
(cheap, and cross-account facts such as TAM capacity and the SA pools' turn need the whole
book) but reads collaboration notes only for its own accounts and writes only for them.
Whole-book kinds (agenda, boards) run in shard 1 alone; every shard creates the catalog
labels still missing, since its own writes use them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from triage.records import parse_record
from triage.snapshot import Issue, IssueRef, Snapshot

# Kinds about the whole book rather than one account at a time.
WHOLE_BOOK = ("agenda", "boards")
_FORM = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")

NotesSelector = Callable[[Snapshot, Any, datetime], Iterable[IssueRef]]


class ShardError(ValueError):
    """A `--shard` value that is not `I/N` with 1 <= I <= N."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, like CI_NODE_INDEX
    total: int

    def __post_init__(self) -> None:
        if self.total < 1 or not 1 <= self.index <= self.total:
            raise ShardError(f"shard {self.index}/{self.total}: need 1 <= I <= N")

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`2/4` -> Shard(2, 4)."""
        found = _FORM.fullmatch(text)
        if found is None:
            raise ShardError(f"'{text}' is not I/N (e.g. 1/4, as $CI_NODE_INDEX/$CI_NODE_TOTAL)")
        return cls(int(found.group(1)), int(found.group(2)))

    def of(self, iid: int) -> int:
        """The shard an account record with this iid belongs to."""
        return (iid - 1) % self.total + 1

    def holds(self, record: Issue) -> bool:
        return self.of(record.iid) == self.index

    def kinds(self, kinds: tuple[str, ...]) -> tuple[str, ...]:
        """The kinds this shard runs: whole-book kinds in shard 1 only."""
        if self.index == 1:
            return kinds
        return tuple(kind for kind in kinds if kind not in WHOLE_BOOK)

    def projects(self, snapshot: Snapshot) -> set[str]:
        """Collaboration projects named by this shard's account records."""
        found: set[str] = set()
        for record_issue in snapshot.account_issues:
            if not self.holds(record_issue):
                continue
            record = parse_record(record_issue.description).record
            if record is not None and record.collaboration_project:
                found.add(record.collaboration_project)
        return found

    def reads_every_note(self, kinds: tuple[str, ...]) -> bool:
        """Whether this shard reads every account's notes: when it runs the agenda, which
        shows every account's health as of now."""
        return "agenda" in self.kinds(kinds)

    def notes_needed(self, select: NotesSelector) -> NotesSelector:
        """`select`, limited to the issues of this shard's collaboration projects."""

        def limited(snapshot: Snapshot, policies: Any, now: datetime) -> set[IssueRef]:
            mine = self.projects(snapshot)
            return {ref for ref in select(snapshot, policies, now) if ref.project in mine}

        return limited
