"""The portfolio report's view model, built from a Plan: pure, no I/O.

Everything the HTML page and its charts show is computed here, already sorted, so the
template only lays it out. Confidential issues are shown by reference, never by title.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from triage.account import Account
from triage.changes import CreateIssue
from triage.plan import Plan
from triage.snapshot import Issue

# Worst first: the order of tables, legends and stacks.
COLOURS = ("red", "yellow", "green", "none")
SEVERITY = {colour: rank for rank, colour in enumerate(COLOURS)}
NO_TAM = "no TAM"
RENEWAL_HORIZON_DAYS = 365
AWAITING_TEAM = "status::awaiting-team"


@dataclass(frozen=True)
class AccountRow:
    key: str  # the record issue's reference: stable from one run to the next
    name: str  # "confidential account" when the record issue is confidential
    url: str
    confidential: bool
    segment: str | None
    stage: str | None
    tam: str | None
    arr: float | None
    renewal: date | None
    days_to_renewal: int | None
    priority: int | None
    colour: str  # red | yellow | green | none
    score: float | None
    pinned: bool
    reasons: tuple[str, ...]
    problems: tuple[str, ...]
    previous_colour: str | None = None  # None: not in the previous report

    @property
    def trend(self) -> str:
        """worse | better | same | new, from the previous report's colour."""
        if self.previous_colour is None:
            return "new"
        delta = SEVERITY[self.previous_colour] - SEVERITY[self.colour]
        if self.colour == "none" or self.previous_colour == "none" or delta == 0:
            return "same"
        return "worse" if delta > 0 else "better"


@dataclass(frozen=True)
class Distribution:
    current: Mapping[str, int]
    previous: Mapping[str, int] | None  # None: no previous report
    previous_at: datetime | None = None

    def delta(self, colour: str) -> int | None:
        if self.previous is None:
            return None
        return self.current.get(colour, 0) - self.previous.get(colour, 0)


@dataclass(frozen=True)
class TamLoad:
    tam: str
    counts: Mapping[str, int]
    priority_one: int
    onboarding: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ActionRow:
    """An issue the plan opens: a handoff, an engagement issue, a reminder, an agenda."""

    account: str
    what: str  # the issue title, or a neutral description when confidential
    rule: str
    project: str
    due: date | None
    reason: str


@dataclass(frozen=True)
class WaitingRow:
    """A customer issue in a collaboration project that waits for the team."""

    account: str
    what: str
    url: str
    idle_days: int


@dataclass(frozen=True)
class Portfolio:
    generated_at: datetime
    kinds: tuple[str, ...]
    accounts: tuple[AccountRow, ...]
    distribution: Distribution
    renewals: tuple[AccountRow, ...]
    workload: tuple[TamLoad, ...]
    actions: tuple[ActionRow, ...]
    waiting: tuple[WaitingRow, ...]
    problems: tuple[tuple[str, str, str], ...]  # account, rule, message
    change_counts: Mapping[str, int] = field(default_factory=dict)


def build(plan: Plan, previous: Mapping[str, Any] | None = None) -> Portfolio:
    """The portfolio for `plan`, compared with a previous report's JSON if given."""
    today = plan.now.date()
    before = _previous_colours(previous)
    rows = sorted(
        (_row(account, today, before.get(str(account.issue.ref))) for account in plan.accounts),
        key=_row_order,
    )
    names = {account.issue.ref: row.name for account, row in _pair(plan.accounts, rows)}
    return Portfolio(
        generated_at=plan.now,
        kinds=plan.kinds,
        accounts=tuple(rows),
        distribution=_distribution(rows, previous),
        renewals=_renewals(rows),
        workload=_workload(rows),
        actions=_actions(plan, names),
        waiting=_waiting(plan.accounts, rows, plan.now),
        problems=_problems(plan, rows),
        change_counts=dict(sorted(Counter(type(c).__name__ for c in plan.changes).items())),
    )


def shown_name(issue: Issue) -> str:
    """An issue as a report may name it: its title, unless it is confidential."""
    if issue.confidential:
        return f"confidential issue {issue.ref}"
    return issue.title


def _row(account: Account, today: date, previous_colour: str | None) -> AccountRow:
    record = account.record
    health = account.health
    renewal = record.renewal if record else None
    return AccountRow(
        key=str(account.issue.ref),
        name=_account_name(account.issue),
        url=account.issue.web_url,
        confidential=account.issue.confidential,
        segment=account.segment,
        stage=account.stage,
        tam=record.team.tam if record else None,
        arr=record.arr if record else None,
        renewal=renewal,
        days_to_renewal=(renewal - today).days if renewal else None,
        priority=record.priority if record else None,
        colour=(health.colour if health and health.colour else "none"),
        score=health.score if health else None,
        pinned=bool(health and health.pinned),
        reasons=tuple(health.reasons) if health else (),
        problems=account.record_problems,
        previous_colour=previous_colour,
    )


def _account_name(issue: Issue) -> str:
    return f"confidential account {issue.ref}" if issue.confidential else issue.title


def _row_order(row: AccountRow) -> tuple[int, date, float, str]:
    return (
        SEVERITY[row.colour],
        row.renewal or date.max,
        -(row.arr or 0.0),
        row.name.casefold(),
    )


def _pair(
    accounts: Iterable[Account], rows: Iterable[AccountRow]
) -> Iterable[tuple[Account, AccountRow]]:
    by_key = {row.key: row for row in rows}
    return ((account, by_key[str(account.issue.ref)]) for account in accounts)


def _previous_colours(previous: Mapping[str, Any] | None) -> dict[str, str]:
    if not previous:
        return {}
    found: dict[str, str] = {}
    for entry in previous.get("accounts", []):
        key, colour = entry.get("key"), entry.get("colour")
        if isinstance(key, str) and colour in SEVERITY:
            found[key] = colour
    return found


def _distribution(rows: Iterable[AccountRow], previous: Mapping[str, Any] | None) -> Distribution:
    current = Counter(row.colour for row in rows)
    counts = {colour: current.get(colour, 0) for colour in COLOURS}
    if not previous or not isinstance(previous.get("distribution"), dict):
        return Distribution(counts, None)
    before = previous["distribution"]
    earlier = {c: int(before.get(c, 0)) for c in COLOURS}
    return Distribution(counts, earlier, _when(previous.get("generated_at")))


def _when(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _renewals(rows: Iterable[AccountRow]) -> tuple[AccountRow, ...]:
    upcoming = [
        row
        for row in rows
        if row.days_to_renewal is not None and 0 <= row.days_to_renewal <= RENEWAL_HORIZON_DAYS
    ]
    return tuple(sorted(upcoming, key=lambda r: (r.renewal or date.max, r.name.casefold())))


def _workload(rows: Iterable[AccountRow]) -> tuple[TamLoad, ...]:
    by_tam: dict[str, list[AccountRow]] = {}
    for row in rows:
        if row.tam is None and row.stage in (None, "prospect", "discovery", "pov"):
            continue  # a pre-sale account without a TAM is expected, not a gap
        by_tam.setdefault(row.tam or NO_TAM, []).append(row)
    loads = [
        TamLoad(
            tam=tam,
            counts={c: sum(1 for r in owned if r.colour == c) for c in COLOURS},
            priority_one=sum(1 for r in owned if r.priority == 1),
            onboarding=sum(1 for r in owned if r.stage == "onboarding"),
        )
        for tam, owned in by_tam.items()
    ]
    return tuple(sorted(loads, key=lambda t: (t.tam == NO_TAM, -t.total, t.tam.casefold())))


def _actions(plan: Plan, names: Mapping[Any, str]) -> tuple[ActionRow, ...]:
    rows = [
        ActionRow(
            account=names.get(change.link_to, "—") if change.link_to else "—",
            what="confidential issue" if change.confidential else change.title,
            rule=change.rule,
            project=change.project,
            due=change.due_date,
            reason=change.reason,
        )
        for change in plan.changes
        if isinstance(change, CreateIssue)
    ]
    return tuple(sorted(rows, key=lambda a: (a.due or date.max, a.account.casefold(), a.what)))


def _waiting(
    accounts: Iterable[Account], rows: Iterable[AccountRow], now: datetime
) -> tuple[WaitingRow, ...]:
    names = {row.key: row.name for row in rows}
    found = [
        WaitingRow(
            account=names[str(account.issue.ref)],
            what=shown_name(issue),
            url="" if issue.confidential else issue.web_url,
            idle_days=max(0, (now - issue.updated_at).days),
        )
        for account in accounts
        for issue in account.collaboration_issues
        if issue.is_open and issue.has_label(AWAITING_TEAM)
    ]
    return tuple(sorted(found, key=lambda w: (-w.idle_days, w.account.casefold(), w.what)))


def _problems(plan: Plan, rows: Iterable[AccountRow]) -> tuple[tuple[str, str, str], ...]:
    # Problems name accounts by title; a confidential account's title must not appear.
    shown = {a.issue.title: row.name for a, row in _pair(plan.accounts, rows)}
    found = {(shown.get(p.account, p.account), p.rule, p.message) for p in plan.problems}
    return tuple(sorted(found, key=lambda p: (p[0].casefold(), p[1], p[2])))


REPORT_FORMAT = "salsatam-portfolio"
REPORT_VERSION = 1


def as_json(portfolio: Portfolio) -> dict[str, Any]:
    """What the next report compares against: colours and scores by record reference.

    Confidential accounts are kept by reference only, as everywhere in the report.
    """
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "generated_at": portfolio.generated_at.isoformat(),
        "kinds": list(portfolio.kinds),
        "distribution": dict(portfolio.distribution.current),
        "accounts": [
            {
                "key": row.key,
                "name": None if row.confidential else row.name,
                "colour": row.colour,
                "score": row.score,
                "renewal": row.renewal.isoformat() if row.renewal else None,
                "tam": row.tam,
            }
            for row in portfolio.accounts
        ],
    }


def readable_previous(data: object) -> Mapping[str, Any] | None:
    """A previous report's JSON if it is one this version understands, else None."""
    if not isinstance(data, dict):
        return None
    if data.get("format") != REPORT_FORMAT or data.get("version") != REPORT_VERSION:
        return None
    return data
