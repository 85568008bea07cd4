"""The portfolio report's view model, built from a Plan: pure, no I/O.

Everything the HTML page and its charts show is computed here, already sorted, so the
template only lays it out. Confidential issues are shown by reference, never by title.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from triage.account import POST_SALE, Account, in_tam_book
from triage.plan import Plan
from triage.report import activity
from triage.report.activity import ActionRow, WaitingRow, confidential_name
from triage.snapshot import Issue

if TYPE_CHECKING:
    from triage.health import HealthResult, MeasureResult

# Worst first: the order of tables, legends and stacks.
COLOURS = ("red", "yellow", "green", "none")
SEVERITY = {colour: rank for rank, colour in enumerate(COLOURS)}
NO_TAM = "no TAM"
RENEWAL_HORIZON_DAYS = 365


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
    reasons: tuple[str, ...]  # why the account has its colour
    problems: tuple[str, ...]
    since: date | None = None  # when the computed colour last changed
    previous_colour: str | None = None  # None: not in the previous report
    # Measures that are not green but did not decide the colour: worth a look.
    watch: tuple[str, ...] = ()
    overridden: bool = False  # an override made the account red whatever its score
    readable: bool = True  # False: the record block is missing or can't be read

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
class Portfolio:
    generated_at: datetime
    kinds: tuple[str, ...]
    accounts: tuple[AccountRow, ...]
    distribution: Distribution
    renewals: tuple[AccountRow, ...]
    workload: tuple[TamLoad, ...]
    # Handoffs, engagement, reminder and triage issues: those open and those the plan opens.
    actions: tuple[ActionRow, ...]
    waiting: tuple[WaitingRow, ...]
    problems: tuple[tuple[str, str, str], ...]  # account, rule, message
    change_counts: Mapping[str, int] = field(default_factory=dict)
    meetings: tuple[ActionRow, ...] = ()  # the account-team meeting agendas the plan opens
    # Accounts whose record can't be read: their TAM is unknown, so no workload counts them.
    unreadable: tuple[AccountRow, ...] = ()


def build(plan: Plan, previous: Mapping[str, Any] | None = None) -> Portfolio:
    """The portfolio for `plan`, compared with a previous report's JSON if given."""
    today = plan.now.date()
    rows = sorted((_row(account, today) for account in plan.accounts), key=_row_order)
    names = {str(account.issue.ref): row.name for account, row in _pair(plan.accounts, rows)}
    opened = activity.actions(plan.changes, names, plan.accounts, plan.kind_of, today)
    held = activity.still_open(plan.salsatam_issues, names, plan.accounts, today, plan.changes)
    issues = sorted((*(a for a in opened if a.kind != activity.AGENDA), *held), key=_due_order)
    portfolio = Portfolio(
        generated_at=plan.now,
        kinds=plan.kinds,
        accounts=tuple(rows),
        distribution=_distribution(rows, None),
        renewals=_renewals(rows),
        workload=_workload(rows),
        actions=tuple(issues),
        waiting=activity.waiting(plan.accounts, names, plan.now, plan.changes),
        problems=activity.problems(plan.problems, plan.accounts, names),
        change_counts=dict(sorted(Counter(type(c).__name__ for c in plan.changes).items())),
        meetings=tuple(a for a in opened if a.kind == activity.AGENDA),
        unreadable=tuple(row for row in rows if not row.readable),
    )
    return compared(portfolio, previous) if previous else portfolio


def _due_order(row: ActionRow) -> tuple[date, str, bool, str]:
    return (row.due or date.max, row.account.casefold(), row.opens, row.what)


def compared(portfolio: Portfolio, previous: Mapping[str, Any]) -> Portfolio:
    """`portfolio` with the trends and distribution change since a previous report."""
    before = _previous_colours(previous)
    rows = tuple(replace(row, previous_colour=before.get(row.key)) for row in portfolio.accounts)
    by_key = {row.key: row for row in rows}
    return replace(
        portfolio,
        accounts=rows,
        renewals=tuple(by_key[row.key] for row in portfolio.renewals),
        unreadable=tuple(by_key[row.key] for row in portfolio.unreadable),
        distribution=_distribution(rows, previous),
    )


def _row(account: Account, today: date) -> AccountRow:
    record = account.record
    health = account.health
    renewal = record.renewal if record else None
    why, watch = _explanation(health)
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
        colour=_colour(health),
        score=health.score if health else None,
        pinned=bool(health and health.pinned),
        reasons=why,
        watch=watch,
        overridden=_overridden(health),
        readable=account.valid,
        since=health.since if health else None,
        problems=account.record_problems,
    )


def _colour(health: HealthResult | None) -> str:
    """The colour the team sees: a person's pinned colour wins over the computed one."""
    if health is None:
        return "none"
    shown = (health.pinned_colour if health.pinned else None) or health.colour
    return shown if shown in SEVERITY else "none"


def _overridden(health: HealthResult | None) -> bool:
    return bool(health and health.overrides and health.colour == "red")


def _explanation(health: HealthResult | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(why the account has its colour, what else to watch).

    An override makes an account red whatever its score: the override is the why, and the
    measures that are not green are to watch. A red score is explained by the measures that
    pulled it down. A green or yellow account gets its colour from the score of all its
    measures together: those that are not green are to watch, not the why.
    """
    if health is None:
        return (), ()
    worrying = [m for m in health.measures if m.colour in ("red", "yellow") and m.weight > 0]
    worrying.sort(key=lambda m: m.colour != "red")
    measured = tuple(_measure_line(m) for m in worrying)
    stale = tuple(m.display for m in health.measures if m.stale)
    if not health.measures:  # reasons without measures behind them: shown as given
        why: tuple[str, ...] = tuple(r for r in health.reasons if r not in health.overrides)
        watch: tuple[str, ...] = ()
    elif health.colour == "red":
        why, watch = measured, stale
    elif measured or stale:
        counted = sum(1 for m in health.measures if m.colour is not None and m.weight > 0)
        why = (f"score {health.score}: the weighted mean of {_measures(counted)}",)
        watch = (*measured, *stale)
    else:
        why, watch = ("every measure is green" if health.colour else "no measure has data",), ()
    if _overridden(health):
        # The override is the measure's own line in other words: listed once, as the why.
        others = tuple(_measure_line(m) for m in worrying if m.name not in health.forced_from)
        why, watch = tuple(f"red: override — {o}" for o in health.overrides), (*others, *stale)
    if health.pinned and health.pinned_colour and health.pinned_colour != health.colour:
        computed = health.colour or "no colour"
        why = (f"pinned {health.pinned_colour} by a person; salsatam computes {computed}", *why)
    return why, watch


def _measure_line(result: MeasureResult) -> str:
    """A measure as the health policy words it: `last meeting 71 days ago (red over 60 days)`."""
    rule = f" {result.rule}" if result.rule else ""
    return f"{result.display} ({result.colour}{rule})"


def _measures(count: int) -> str:
    return f"{count} measure" + ("" if count == 1 else "s")


def _account_name(issue: Issue) -> str:
    return confidential_name(issue.ref) if issue.confidential else issue.title


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
    """Customers renewing within the horizon: a prospect or a POV has no renewal yet."""
    upcoming = [
        row
        for row in rows
        if row.stage in POST_SALE
        and row.days_to_renewal is not None
        and 0 <= row.days_to_renewal <= RENEWAL_HORIZON_DAYS
    ]
    return tuple(sorted(upcoming, key=lambda r: (r.renewal or date.max, r.name.casefold())))


def _workload(rows: Iterable[AccountRow]) -> tuple[TamLoad, ...]:
    """Each TAM's book as TAM capacity counts it (after the sale, not churned); the book's
    accounts without a TAM under NO_TAM. Pre-sale and churned accounts are in no row."""
    by_tam: dict[str, list[AccountRow]] = {}
    for row in rows:
        if not row.readable:
            continue  # its TAM is unknown, not missing: the page lists it apart
        if not in_tam_book(row.stage):
            continue
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
