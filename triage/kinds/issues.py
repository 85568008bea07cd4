"""Handoffs, engagement triggers and reminders: issues opened from templates (pure).

For every open account with a valid record and every rule of `issues.yml` (and every
trigger of a rule), the rule's condition decides:

- holds: open the issue of the current key unless an issue with that key exists (open or
  closed: a person closing it is an answer); close open issues of an earlier period;
  ask for an update on the current issue when it has been quiet for its cadence.
- does not hold: close the open issues of the rule with a note (when the rule closes on
  resolution); an `occurrence` rule also marks its latest issue `trigger-ended`, which is
  what lets the next occurrence open a new one.
- unknown (missing data): leave everything as it is, and report a problem naming the
  facts that had no data (one per account and rule; none while the rule is snoozed). A
  condition for which missing data means "does not apply" says so with a `present: true`
  guard, which makes it decided.

`record.snooze` (rule name, or `rule:trigger`, → date) silences opening and update notes
for the account until that date; closing still happens.

Triggers of a rule with `combine` share issues: `open` keeps one open issue per account
(triggers that hold when it opens are listed in it; one that fires while it is open is
noted on it), `same-day` gives triggers that fire in the same run one issue. The issue
names the other triggers' keys (`also`), so each trigger keeps its own key and memory.
A rule `superseded_by` another opens nothing for an account once the other rule's issue
exists (or opens in this run), and closes its open issues with a note pointing there.
`done_when_ticked`: an open issue whose every checkbox is ticked is done, and closed.

Hysteresis: an issue that ends only because the account turned green (it would still be
due were the account yellow or red) stays open, without a note, until the account has been
green `close_after_green_days` days (its health's `since`).

Frequency cap: at most `max_new_per_owner_per_run` new issues per first assignee in a run,
most important first (`priority`); the others are deferred, with one problem per owner,
and open on later runs under the same keys as the cap allows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from triage.account import Account, FactValue
from triage.changes import (
    AddNote,
    Change,
    CloseIssue,
    CreateIssue,
    Problem,
    SetLabels,
    UpdateDescription,
)
from triage.facts.capacity import TamLoad, capacity_facts, tam_loads
from triage.kinds.issue_context import Firing, Superseder, TriggerLine, issue_context
from triage.kinds.issue_keys import (
    ENDED,
    Unit,
    all_of,
    also_marker,
    belongs,
    current_key,
    family_of,
    index_by_family,
    keys_of,
    make_unit,
    tail,
    with_also,
)
from triage.kinds.issue_memory import (
    ended_parts,
    held_marker,
    pick_closed,
    read_held,
    subjects,
    with_state,
)
from triage.kinds.issue_memory import holding as holding_parts
from triage.kinds.issue_people import SaPools, resolve
from triage.kinds.issue_timing import due_date, due_words, ideal_due, update_every
from triage.kinds.issue_updates import initial_state, update_changes
from triage.kinds.issue_words import pick
from triage.policy.conditions import Condition, FactEnv, HasLabel, Truth
from triage.policy.issues import IssueRule, IssuesPolicy
from triage.policy.model import Settings
from triage.policy.teams import TeamsPolicy
from triage.render import environment, render, title
from triage.snapshot import Issue, Snapshot, marker

if TYPE_CHECKING:
    from triage.plan import Context

OWN_LABEL = "salsatam"
DONE_TICKED = "Done: every step is ticked."
_TASK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]", re.MULTILINE)


def all_ticked(description: str) -> bool:
    """The description has checkboxes, and every one of them is ticked."""
    boxes = _TASK.findall(description)
    return bool(boxes) and all(box != " " for box in boxes)


@dataclass(frozen=True)
class IssueRun:
    """Everything the issues kind reads."""

    snapshot: Snapshot
    policy: IssuesPolicy
    settings: Settings
    templates: SandboxedEnvironment
    now: datetime
    accounts: tuple[Account, ...]  # the accounts to open, close and update issues for
    teams: TeamsPolicy = field(default_factory=TeamsPolicy)
    # Every account read (a sharded run writes for a share of them): TAM capacity and the
    # SA pools' turn are computed over it.
    book: tuple[Account, ...] = ()

    @property
    def whole_book(self) -> tuple[Account, ...]:
        return self.book or self.accounts


def evaluate(ctx: Context) -> tuple[list[Change], list[Problem]]:
    policies = ctx.policies
    run = IssueRun(
        ctx.snapshot,
        policies.issues,
        policies.settings,
        environment(policies.sources.templates),
        ctx.now,
        ctx.accounts,
        policies.teams,
        ctx.book,
    )
    return plan_issues(run)


CAP_RULE = "issues.cap"
# The order in which new issues count against an owner's cap (see `priority`).
HANDOFF, TRIAGE_RED, TRIAGE_YELLOW, ENGAGEMENT, REMINDER = range(5)


def plan_issues(run: IssueRun) -> tuple[list[Change], list[Problem]]:
    cap = run.policy.max_new_per_owner_per_run
    deferred: frozenset[str] = frozenset()
    while True:
        planner = _plan(run, deferred)
        over = _over_cap(planner, cap) if cap else set()
        if not over:  # deferring can change what else opens: until nothing is over the cap
            break
        deferred |= over
    problems = planner.problems
    waiting = Counter(planner.deferred.values())
    for owner, count in sorted(waiting.items()):
        issues = "issue" if count == 1 else "issues"
        message = f"{count} more {issues} for @{owner} deferred to the next run (limit {cap} a run)"
        problems.append(Problem("", CAP_RULE, message))
    return planner.changes, problems


def _plan(run: IssueRun, deferred: frozenset[str]) -> _Planner:
    planner = _Planner(run, deferring=deferred)
    mine = {account.issue.id for account in run.accounts}
    for account in sorted(run.whole_book, key=lambda a: a.issue.iid):
        if account.valid and account.issue.is_open:
            made = len(planner.changes), len(planner.problems)
            planner.account(account)
            if account.issue.id not in mine:  # evaluated only to take its SA pool turn
                del planner.changes[made[0] :], planner.problems[made[1] :]
    return planner


def _over_cap(planner: _Planner, cap: int) -> set[str]:
    """The keys of the new issues beyond `cap` for their first assignee."""
    created = [c for c in planner.changes if isinstance(c, CreateIssue) and c.assignees]
    created.sort(key=lambda c: planner.ranks[c.key])
    counts: Counter[str] = Counter()
    over: set[str] = set()
    for change in created:
        owner = change.assignees[0]
        counts[owner] += 1
        if counts[owner] > cap:
            over.add(change.key)
    return over


def priority(rule: IssueRule, account: Account) -> tuple[int, float, int]:
    """How a new issue ranks for the cap: handoffs (key `handoff`), then health triage (a
    rule whose condition reads `health`), red before yellow, then engagement (`engagement`
    keys), then the rest (reminders); within each, by ARR, largest first."""
    head = rule.key.split(":", 1)[0]
    if head == "handoff":
        kind = HANDOFF
    elif "health" in subjects(rule.when):
        kind = TRIAGE_RED if account.facts.get("health") == "red" else TRIAGE_YELLOW
    elif head == "engagement":
        kind = ENGAGEMENT
    else:
        kind = REMINDER
    arr = account.facts.get("arr")
    value = float(arr) if isinstance(arr, int | float) and not isinstance(arr, bool) else 0.0
    return kind, -value, account.issue.iid


@dataclass
class _Planner:
    run: IssueRun
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    deferring: frozenset[str] = frozenset()  # keys of new issues the cap defers this run
    deferred: dict[str, str] = field(default_factory=dict)  # key -> owner, deferred
    ranks: dict[str, tuple[int, float, int]] = field(default_factory=dict)  # key -> priority

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.run.settings.timezone)
        self.today = self.run.now.astimezone(self.zone).date()
        self.families = index_by_family(self.run.snapshot.salsatam_issues)
        self.pools = SaPools(self.run.snapshot.salsatam_issues)
        self.loads = tam_loads(self.run.whole_book, self.run.policy.capacity)
        # Empty: the members could not be read; then record names are trusted as before.
        self.staff = self.run.snapshot.staff or None
        self.opened: dict[tuple[int, str], CreateIssue] = {}  # (account, rule): this run's
        self.closed: set[int] = set()  # issues this run closes
        self.labelled: set[int] = set()  # issues this run marks ended

    def account(self, account: Account) -> None:
        facts = {**account.facts, **capacity_facts(account, self.loads)}
        env = FactEnv(facts, frozenset(account.issue.labels), self.run.now, self.today)
        qualifying = self.run.policy.tam_qualifying
        qualifies = qualifying.evaluate(env) if qualifying else Truth(True)
        for rule in self.run.policy.rules:
            units: list[Unit] = []
            for trigger in rule.triggers or (None,):
                conditions: list[Condition] = [rule.when] + ([trigger.when] if trigger else [])
                truths = [c.evaluate(env) for c in conditions]
                truth = all_of([qualifies, *truths] if rule.qualifying else truths)
                unit_env = replace(env, facts={**facts, **_words(account)})
                units.append(make_unit(account, rule, trigger, unit_env, truth, self.families))
            superseder = self.superseder(account, rule)
            if superseder is not None:
                self.superseded(units, superseder)
                continue
            self.rule_units(units)
            undecided = [u for u in units if u.truth.value is None and not u.snoozed]
            if undecided:
                self.undecided(account, rule, undecided)

    def rule_units(self, units: list[Unit]) -> None:
        """The decided units of one rule for one account; triggers may share issues."""
        units = [self.ticked(u) for u in units]
        # Families whose trigger may still hold: an issue they share is not theirs to close.
        holding = {u.family for u in units if u.truth.value is not False}
        pending: list[tuple[Unit, str]] = []
        for unit in units:
            if unit.truth.value is True:
                key = self.holds(unit)
                if key is not None:
                    pending.append((unit, key))
            elif unit.truth.value is False:
                self.resolved(unit, holding)
        if not pending:
            return
        rule = pending[0][0].rule
        if rule.combine == "open":
            shared = _open_issues(units)
            if shared:
                self.join(pending, shared[0])
                return
        if rule.combine is not None:
            self.open(pending)
        else:
            for one in pending:
                self.open([one])

    def ticked(self, unit: Unit) -> Unit:
        """`done_when_ticked`: close open issues whose every checkbox is ticked (done)."""
        if not unit.rule.done_when_ticked:
            return unit
        members: list[Issue] = []
        for issue in unit.members:
            if issue.is_open and all_ticked(issue.description):
                self.close(unit, issue, DONE_TICKED, "every checkbox of the issue is ticked")
                issue = replace(issue, state="closed")
            members.append(issue)
        return replace(unit, members=tuple(members))

    def superseder(self, account: Account, rule: IssueRule) -> Superseder | None:
        """The issue of a rule that supersedes `rule` for the account, if there is one."""
        for other in self.run.policy.rules:
            if other.name not in rule.superseded_by:
                continue
            opened = self.opened.get((account.issue.id, other.name))
            if opened is not None:
                return Superseder(other.says, opened.title)
            for trigger in other.triggers or (None,):
                family = family_of(other, trigger, account)
                for issue in self.families.get(family, ()):
                    if any(belongs(k, family) for k in keys_of(issue)):
                        return Superseder(other.says, issue.title, str(issue.ref))
        return None

    def superseded(self, units: list[Unit], superseder: Superseder) -> None:
        """Another rule's issue replaces this rule's: close what is open, open nothing."""
        words = f"Closed: the {superseder.says} supersedes this issue."
        why = f"superseded by {superseder.title}"
        for issue in _open_issues(units):
            unit = next(u for u in units if any(m.id == issue.id for m in u.members))
            self.close(unit, issue, words, why, superseder)

    def undecided(self, account: Account, rule: IssueRule, units: list[Unit]) -> None:
        """Units whose condition is unknown: nothing changes, and the plan says why."""
        what = f"rule '{rule.name}'"
        if rule.triggers and len(units) < len(rule.triggers):
            names = ", ".join(u.trigger.name for u in units if u.trigger)
            what += f" (trigger{'s' if len(units) > 1 else ''} {names})"
        message = f"{what} could not be decided for {account.name}"
        missing = ", ".join(dict.fromkeys(m for u in units for m in u.truth.missing))
        if missing:
            message += f": no data for {missing}"
        self.problems.append(Problem(account.name, rule.name, message))

    def holds(self, unit: Unit) -> str | None:
        """The condition holds; returns the key of the issue to open, if one should."""
        key = current_key(unit)
        keys = {unit.key_of(m) for m in unit.members}
        opening = key if key is not None and key not in keys and not unit.snoozed else None
        if unit.rule.close_when_resolved and unit.rule.per not in ("once", "occurrence"):
            for issue in unit.members:
                if issue.is_open and unit.key_of(issue) != key:
                    self.close(unit, issue, f"Closed: superseded by the issue for {tail(key)}.")
        current = next((m for m in unit.members if unit.key_of(m) == key and m.is_open), None)
        if current is not None and unit.rule.updates is not None and not unit.snoozed:
            self.ask_update(unit, current)
        return opening

    def resolved(self, unit: Unit, holding: set[str] | None = None) -> None:
        why = f"no longer due: {'; '.join(unit.truth.reasons)}"
        still = holding or set()
        if any(m.is_open for m in unit.members) and self.greening(unit):
            return  # the account turned green only lately: the issue stays open
        for issue in unit.members:
            shared = _shared_with(unit, issue, still)
            if issue.is_open and unit.rule.close_when_resolved and not shared:
                self.close(unit, issue, self.closing_words(unit, issue), why)
        latest = unit.members[-1] if unit.members else None
        if (
            unit.rule.per == "occurrence"
            and latest
            and not latest.has_label(ENDED)
            and not _shared_with(unit, latest, still)
            and latest.id not in self.labelled
        ):
            self.labelled.add(latest.id)
            self.changes.append(
                SetLabels(
                    reason=f"{unit.rule.says} ended for {unit.account.name}: {why}",
                    key=f"{unit.key_of(latest)}:ended",
                    rule=unit.rule.name,
                    issue=latest.ref,
                    add=(ENDED,),
                )
            )

    def greening(self, unit: Unit) -> bool:
        """The unit ended only because the account turned green (it would still hold were
        the account yellow or red), fewer than `close_after_green_days` days ago."""
        days = self.run.policy.close_after_green_days
        health = unit.account.health
        if days <= 0 or unit.env.facts.get("health") != "green":
            return False
        if health is None or health.since is None or (self.today - health.since).days >= days:
            return False
        conditions = self.conditions(unit)
        for colour in ("yellow", "red"):
            env = replace(unit.env, facts={**unit.env.facts, "health": colour})
            if all_of([c.evaluate(env) for c in conditions]).value is True:
                return True
        return False

    def join(self, pending: list[tuple[Unit, str]], issue: Issue) -> None:
        """Triggers that fire while the rule's issue is open: noted on it, named in it."""
        first = pending[0][0]
        keys = [key for _, key in pending]
        names = "+".join(u.trigger.name if u.trigger else u.rule.name for u, _ in pending)
        reason = "; ".join(self.reason(u) for u, _ in pending)
        self.changes.append(
            UpdateDescription(
                reason=f"{reason}: noted on the open issue",
                key=f"{issue.key}:also:{names}",
                rule=first.rule.name,
                issue=issue.ref,
                description=with_also(issue.description, keys),
                confidential=issue.confidential,
            )
        )
        firing = self.firing(first, (), _owners(issue), None, None, None)
        firing = replace(firing, triggers=tuple(_line(u) for u, _ in pending))
        context = issue_context(first.account, firing, self.load(first.account), issue, self.staff)
        body = self.render(first, first.rule.trigger_note, context)
        if body is not None:
            key = f"{issue.key}:also:{names}:note"
            self.changes.append(
                AddNote(
                    reason=reason,
                    key=key,
                    rule=first.rule.name,
                    issue=issue.ref,
                    body=_with_marker(body, key),
                    confidential=issue.confidential,
                )
            )

    def open(self, pending: list[tuple[Unit, str]]) -> None:
        """One issue for the pending keys (the first is its key, the others it shares)."""
        unit, key = pending[0]
        account, rule = unit.account, unit.rule
        pool = self.run.teams.sa_pool_for(account)
        roles = rule.roles(account.segment)
        people = resolve(roles, account, pool, self.pools, self.run.settings.tier)
        if people.missing:
            missing = ", ".join(people.missing)
            self.problem(unit, f"the record names no {missing} for '{rule.name}'")
        if not people.assignees:
            return
        if key in self.deferring:  # over its owner's cap this run: it opens on a later one
            self.deferred[key] = people.assignees[0]
            return
        every = update_every(rule.updates, unit.env.facts, self.today) if rule.updates else None
        due = due_date(rule, unit.env.facts, self.today, every, self.run.policy.late_due_days)
        ideal = ideal_due(rule, unit.env.facts, self.today)
        firing = self.firing(unit, people.assignees, people.mentions, due, tail(key), every)
        lines = tuple(_line(u) for u, _ in pending)
        firing = replace(firing, pooled_sa=people.pooled, triggers=lines)
        if ideal is not None and ideal < self.today:  # late: the rule's own date has passed
            firing = replace(firing, ideal_due_date=ideal, due_rule=due_words(rule))
        body = self.render(
            unit,
            rule.template,
            issue_context(account, firing, self.load(account), staff=self.staff),
        )
        if body is None:
            return
        body = self.remember(unit, body)
        others = [k for _, k in pending[1:]]
        if others:
            body = body.rstrip() + "\n\n" + also_marker(others)
        names = ", ".join(line.name for line in lines) or None
        change = CreateIssue(
            reason="; ".join(self.reason(u) for u, _ in pending),
            key=key,
            rule=rule.name,
            project=self.run.snapshot.accounts_project.path,
            title=_title(rule, account, names, tail(key), due),
            description=_with_marker(body, key),
            labels=tuple(dict.fromkeys((OWN_LABEL, *rule.labels))),
            assignees=people.assignees,
            due_date=due,
            # An issue about a confidential account is confidential too: it names it.
            confidential=rule.confidential or account.issue.confidential,
            link_to=account.issue.ref,
        )
        self.changes.append(change)
        self.ranks[key] = priority(rule, account)
        self.opened.setdefault((account.issue.id, rule.name), change)

    def close(
        self,
        unit: Unit,
        issue: Issue,
        words: str,
        why: str | None = None,
        superseder: Superseder | None = None,
    ) -> None:
        """Close `issue`; `words` is the note's sentence, `why` the technical reasons."""
        if issue.id in self.closed:  # shared by several triggers: closed once
            return
        self.closed.add(issue.id)
        firing = self.firing(unit, (), (), None, None, None, closing=words)
        firing = replace(firing, superseded_by=superseder)
        context = issue_context(unit.account, firing, self.load(unit.account), issue, self.staff)
        note = self.render(unit, unit.rule.closing_note, context)
        key = f"{issue.key}:closed"
        self.changes.append(
            CloseIssue(
                reason=f"{unit.rule.says} for {unit.account.name}: {why or words}",
                key=key,
                rule=unit.rule.name,
                issue=issue.ref,
                note=_with_marker(note, key) if note is not None else None,
            )
        )

    def ask_update(self, unit: Unit, issue: Issue) -> None:
        """Tell a colour change, or ask for an update after a quiet cadence (see
        `issue_updates`)."""
        updates = unit.rule.updates
        every = update_every(updates, unit.env.facts, self.today) if updates else None
        if every is None:
            return

        def note(template: str, days: int, due: date | None) -> str | None:
            firing = self.firing(unit, (), _owners(issue), due, None, days)
            account = unit.account
            context = issue_context(account, firing, self.load(account), issue, self.staff)
            return self.render(unit, template, context)

        self.changes += update_changes(unit, issue, every, self.today, self.zone, note)

    def conditions(self, unit: Unit) -> list[Condition]:
        """The conditions that decide a unit (the rule's, its trigger's, qualifying)."""
        found: list[Condition] = [unit.rule.when]
        if unit.trigger is not None:
            found.append(unit.trigger.when)
        qualifying = self.run.policy.tam_qualifying
        if unit.rule.qualifying and qualifying is not None:
            found.append(qualifying)
        return found

    def remember(self, unit: Unit, body: str) -> str:
        """An issue's body with what later runs need from it: the parts of the condition
        that hold now (to tell what ended it), and for updates the colour it was opened at."""
        held = held_marker(holding_parts(self.conditions(unit), unit.env))
        body = body.rstrip() + "\n\n" + held
        if unit.rule.updates is not None:
            body = with_state(body, initial_state(unit))
        return body

    def closing_words(self, unit: Unit, issue: Issue) -> str:
        """Why salsatam closes the rule's issue now, in the team's words: a `closed`
        sentence about a part of the condition that stopped holding since the issue was
        opened; else those parts themselves."""
        conditions = self.conditions(unit)
        ended = ended_parts(conditions, unit.env, read_held(issue.description))
        ended = ended or ended_parts(conditions, unit.env, None)
        about: set[str] = set()
        for leaf, _ in ended:
            about |= subjects(leaf)
        trigger = unit.trigger
        own = trigger.closed if trigger else ()
        # When the rule's own condition ended (not only the trigger's), its sentences first.
        rule_ended = unit.rule.when.evaluate(unit.env).value is False
        sentences = (*unit.rule.closed, *own) if rule_ended else (*own, *unit.rule.closed)
        said = pick_closed(sentences, unit.env, about)
        if said is not None:
            return said
        reasons = dict.fromkeys(r for _, r in ended if r) or dict.fromkeys(unit.truth.reasons)
        return f"Closed: no longer due — {'; '.join(reasons)}."

    def firing(
        self,
        unit: Unit,
        assignees: tuple[str, ...],
        mentions: tuple[str, ...],
        due: date | None,
        period: str | None,
        every: int | None,
        closing: str | None = None,
    ) -> Firing:
        trigger = unit.trigger
        return Firing(
            rule=unit.rule.name,
            says=unit.rule.says,
            trigger=trigger.name if trigger else None,
            trigger_says=trigger.says if trigger else None,
            trigger_label=trigger.when.name
            if trigger and isinstance(trigger.when, HasLabel)
            else None,
            reasons=unit.truth.reasons,
            why=_why(unit),
            assignees=assignees,
            mentions=mentions,
            due_date=due,
            today=self.today,
            period=period,
            update_every_days=every,
            closing_reason=closing,
        )

    def reason(self, unit: Unit) -> str:
        what = unit.trigger.says if unit.trigger else unit.rule.says
        return f"{unit.account.name}: {what} ({'; '.join(unit.truth.reasons)})"

    def render(self, unit: Unit, template: str, context: dict[str, Any]) -> str | None:
        try:
            return render(self.run.templates, template, context)
        except TemplateError as error:
            self.problem(unit, f"template {template} failed: {error}")
            return None

    def load(self, account: Account) -> TamLoad | None:
        tam = account.record.team.tam if account.record else None
        return self.loads.get(tam) if tam else None

    def problem(self, unit: Unit, message: str) -> None:
        self.problems.append(Problem(unit.account.name, unit.rule.name, message))


def _title(
    rule: IssueRule, account: Account, triggers: str | None, period: str | None, due: date | None
) -> str:
    fields = {
        "account": title(account.name),
        "trigger": triggers or "",
        "period": period or "",
        "due": due.isoformat() if due else "",
    }
    return " ".join(rule.title.format_map(fields).split())[:255]


def _words(account: Account) -> dict[str, FactValue]:
    """What sentences may say besides facts (`PLACEHOLDERS` in the issues policy)."""
    health = account.health
    return {"account": account.name, "health_since": health.since if health else None}


def _why(unit: Unit) -> str:
    """Why the rule fires, in the team's words; the condition's reasons otherwise."""
    trigger = unit.trigger
    sentences = (*(trigger.why if trigger else ()), *unit.rule.why)
    said = pick(sentences, unit.env)
    if said is not None:
        return said
    if trigger is not None:
        return trigger.says[:1].upper() + trigger.says[1:] + "."
    text = "; ".join(unit.truth.reasons)
    return text[:1].upper() + text[1:] + "."


def _line(unit: Unit) -> TriggerLine:
    trigger = unit.trigger
    label = trigger.when.name if trigger and isinstance(trigger.when, HasLabel) else None
    name = trigger.name if trigger else unit.rule.name
    return TriggerLine(name, trigger.says if trigger else unit.rule.says, _why(unit), label)


def _open_issues(units: list[Unit]) -> list[Issue]:
    """The open issues of the units, oldest first, each once."""
    found = {i.id: i for u in units for i in u.members if i.is_open}
    return sorted(found.values(), key=lambda i: (i.created_at, i.id))


def _shared_with(unit: Unit, issue: Issue, holding: set[str]) -> bool:
    """`issue` also stands for a trigger of another family that may still hold."""
    return any(
        not belongs(k, unit.family) and any(belongs(k, f) for f in holding)
        for k in keys_of(issue)
    )


def _owners(issue: Issue) -> tuple[str, ...]:
    return tuple(u.username for u in issue.assignees)


def _with_marker(body: str, key: str) -> str:
    return body.rstrip() + "\n\n" + marker(key) + "\n"
