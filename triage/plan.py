"""Evaluation: Snapshot + policies + now -> Plan. Pure: no I/O, no clock, no GitLab.

Order matters and is fixed: records are parsed and facts computed for every account first;
health is always computed (other kinds read it) but only writes when the health kind runs;
then collaboration status, issues (handoffs, engagement, reminders), agendas and boards.

Boards also run, for those projects only, in a run without the boards kind whose snapshot
holds the boards of some collaboration projects: the GitLab layer reads those of the new
projects on every run, so a new customer gets its board before the weekly boards run.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from triage.changes import (
    AddNote,
    Change,
    CloseIssue,
    CreateBoard,
    CreateBoardList,
    CreateIssue,
    CreateLabel,
    DeleteBoardList,
    LinkIssues,
    MoveBoardList,
    Problem,
    SetLabels,
    UpdateDescription,
)
from triage.snapshot import Issue, Snapshot

if TYPE_CHECKING:
    from triage.account import Account
    from triage.policy.loader import PolicySet
    from triage.shard import Shard

KINDS = ("health", "collaboration", "issues", "agenda", "boards")


@dataclass(frozen=True)
class Context:
    """What every policy kind evaluates against."""

    snapshot: Snapshot
    policies: PolicySet
    now: datetime
    accounts: tuple[Account, ...]  # records parsed, facts and health computed
    # The one account the run is limited to (`--account`); kinds about a whole book (agendas)
    # do nothing then.
    account: str | None = None
    # Every account read, when the run writes for a share of them (`--shard`): what
    # cross-account facts (TAM capacity, the SA pools' turn, agendas) are computed from.
    book: tuple[Account, ...] = ()
    # What the kinds evaluated earlier in this run plan to do (an agenda lists the handoff
    # and triage issues the same run opens).
    planned: tuple[Change, ...] = ()

    @property
    def whole_book(self) -> tuple[Account, ...]:
        return self.book or self.accounts


@dataclass
class Plan:
    now: datetime
    kinds: tuple[str, ...]
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    accounts: tuple[Account, ...] = ()
    origins: dict[str, str] = field(default_factory=dict)  # change key -> kind that made it
    # salsatam's own issues as read (open and closed): the report lists the open ones.
    salsatam_issues: tuple[Issue, ...] = ()

    def extend(
        self, changes: list[Change], problems: list[Problem], kind: str | None = None
    ) -> None:
        self.changes.extend(changes)
        self.problems.extend(problems)
        if kind is not None:
            for change in changes:
                self.origins.setdefault(change.key, kind)

    def kind_of(self, item: Change | Problem) -> str:
        """The kind that made a change (by its key), else the first word of its rule."""
        if isinstance(item, Change) and item.key in self.origins:
            return self.origins[item.key]
        return kind_of(item)


Evaluator = Callable[[Context], tuple[list[Change], list[Problem]]]


def evaluate(
    snapshot: Snapshot,
    policies: PolicySet,
    now: datetime,
    kinds: tuple[str, ...] = KINDS,
    account: str | None = None,
    shard: Shard | None = None,
) -> Plan:
    """The plan for `kinds` (records always): pure, deterministic, no I/O.

    With `shard`, changes are made for that shard's accounts only, and whole-book kinds
    run in shard 1 alone (`triage.shard`); every account is still evaluated for the facts
    that span accounts.
    """
    from triage.facts import build_accounts

    # A boards-only snapshot lacks what facts need: its accounts would all look idle.
    book = build_accounts(snapshot, policies, now) if snapshot.issues_read else ()
    accounts = book
    if account is not None:
        accounts = tuple(a for a in accounts if a.name.casefold() == account.casefold())
    if shard is not None:
        accounts = tuple(a for a in accounts if shard.holds(a.issue))
        kinds = shard.kinds(kinds)
    ctx = Context(snapshot, policies, now, accounts, account, book if shard else ())
    running = [kind for kind in KINDS if kind in kinds and enabled(policies, kind)]
    plan = Plan(now, tuple(running), accounts=accounts, salsatam_issues=snapshot.salsatam_issues)
    for kind in ("records", *running):
        evaluator = kind_evaluator(kind)
        if evaluator is not None:
            plan.extend(*evaluator(replace(ctx, planned=tuple(plan.changes))), kind=kind)
    first = shard is None or shard.index == 1  # whole-book kinds run in shard 1 alone
    if "boards" not in running and enabled(policies, "boards") and first:
        plan.extend(*new_project_boards(ctx), kind="boards")
    if running:
        plan.extend(
            missing_labels(snapshot, policies, plan.changes),
            renamed_label_problems(snapshot, policies, plan.problems),
            kind="labels",
        )
    plan.changes = ordered(plan.changes)
    plan.problems.sort(key=lambda p: (p.account.casefold(), p.rule, p.message))
    return plan


def enabled(policies: PolicySet, kind: str) -> bool:
    """A kind runs unless its policy says `enabled: false` (teams and agendas: agenda.yml)."""
    return getattr(getattr(policies, kind), "enabled", True) is not False


def new_project_boards(ctx: Context) -> tuple[list[Change], list[Problem]]:
    """The boards of the collaboration projects whose boards were read (the new ones)."""
    if not any(p.boards is not None for p in ctx.snapshot.projects.values()):
        return [], []
    from triage.kinds.boards import evaluate_projects

    return evaluate_projects(ctx)


def kind_evaluator(kind: str) -> Evaluator | None:
    """`triage.kinds.<kind>.evaluate`, or None while the project has no such module."""
    name = f"triage.kinds.{kind}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:
            return None
        raise
    evaluator: Evaluator = module.evaluate
    return evaluator


def renamed_catalog_labels(snapshot: Snapshot, policies: PolicySet) -> dict[str, str]:
    """Catalog labels the accounts project lacks because they were renamed in GitLab (a
    label with the same description under another name) -> their new name."""
    from triage.kinds.boards import renamed_labels

    catalog = policies.labels
    missing = [name for name in catalog.labels if name not in snapshot.labels]
    descriptions = {name: label.description for name, label in snapshot.labels.items()}
    return renamed_labels(missing, catalog, descriptions)


def renamed_label_problems(
    snapshot: Snapshot, policies: PolicySet, problems: Sequence[Problem] = ()
) -> list[Problem]:
    """One problem per renamed catalog label that no board has reported already."""
    from triage.kinds.boards import renamed_message

    found: list[Problem] = []
    for old, new in renamed_catalog_labels(snapshot, policies).items():
        message = renamed_message(old, new)
        if not any(p.message.startswith(message) for p in problems):
            text = f"{message} (in {snapshot.accounts_project.path}); it is not created again"
            found.append(Problem("", "labels.catalog", text))
    return found


def missing_labels(
    snapshot: Snapshot, policies: PolicySet, planned: Sequence[Change] = ()
) -> list[Change]:
    """A CreateLabel for each catalog label the accounts project does not have, unless a
    `planned` change creates it in the project's group (the project inherits it) or it was
    renamed in GitLab (`renamed_catalog_labels`: creating it again would split its issues)."""
    project = snapshot.accounts_project.path
    group = project.rpartition("/")[0]
    inherited = {
        c.name for c in planned if isinstance(c, CreateLabel) and c.group and c.project == group
    }
    inherited |= set(renamed_catalog_labels(snapshot, policies))
    return [
        CreateLabel(
            reason="listed in labels.yml but missing from the project",
            key=f"label:{spec.name}",
            rule="labels.catalog",
            project=project,
            name=spec.name,
            color=spec.color,
            description=spec.description,
        )
        for spec in policies.labels.labels.values()
        if spec.name not in snapshot.labels and spec.name not in inherited
    ]


# Changes run in this order; board changes keep the order the boards kind gave them
# (list positions depend on it).
_RANK: dict[type[Change], int] = {
    CreateLabel: 0,
    CreateIssue: 1,
    AddNote: 2,
    SetLabels: 3,
    UpdateDescription: 3,
    CloseIssue: 4,
    LinkIssues: 5,
    CreateBoard: 6,
    CreateBoardList: 7,
    MoveBoardList: 7,
    DeleteBoardList: 7,
}
_BOARD_LISTS = (CreateBoardList, MoveBoardList, DeleteBoardList)


def ordered(changes: list[Change]) -> list[Change]:
    """Changes in a deterministic order: by phase, then by what they touch, then by key."""

    def sort_key(change: Change) -> tuple[int, tuple[str | int, ...], str]:
        rank = _RANK.get(type(change), 8)
        if isinstance(change, _BOARD_LISTS):
            return rank, (change.project,), ""
        return rank, _natural(target(change)), change.key

    return sorted(changes, key=sort_key)


def _natural(text: str) -> tuple[str | int, ...]:
    """`acme#9` before `acme#10`."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def target(change: Change) -> str:
    """What a change touches, as text: an issue reference, a project, a board."""
    for attribute in ("issue", "source", "project"):
        value = getattr(change, attribute, None)
        if value is not None:
            return str(value)
    return ""


def kind_of(change: Change | Problem) -> str:
    """The policy kind behind a change or problem: the first word of its rule."""
    head = change.rule.replace("/", ".").replace(":", ".").split(".", 1)[0]
    return head if head in (*KINDS, "records", "labels") else "other"
