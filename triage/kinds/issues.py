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
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from triage.account import Account
from triage.changes import AddNote, Change, CloseIssue, CreateIssue, Problem, SetLabels
from triage.facts.capacity import TamLoad, capacity_facts, tam_loads
from triage.kinds.issue_context import Firing, issue_context
from triage.kinds.issue_keys import (
    ENDED,
    Unit,
    all_of,
    current_key,
    index_by_family,
    make_unit,
    tail,
)
from triage.kinds.issue_people import SaPools, resolve
from triage.kinds.issue_timing import due_date, update_every
from triage.kinds.issue_words import pick
from triage.policy.conditions import Condition, FactEnv, HasLabel, Truth
from triage.policy.issues import IssueRule, IssuesPolicy, Trigger
from triage.policy.model import Settings
from triage.policy.teams import TeamsPolicy
from triage.render import environment, render, title
from triage.snapshot import Issue, Snapshot, marker

if TYPE_CHECKING:
    from triage.plan import Context

OWN_LABEL = "salsatam"


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


def plan_issues(run: IssueRun) -> tuple[list[Change], list[Problem]]:
    planner = _Planner(run)
    mine = {account.issue.id for account in run.accounts}
    for account in sorted(run.whole_book, key=lambda a: a.issue.iid):
        if account.valid and account.issue.is_open:
            made = len(planner.changes), len(planner.problems)
            planner.account(account)
            if account.issue.id not in mine:  # evaluated only to take its SA pool turn
                del planner.changes[made[0] :], planner.problems[made[1] :]
    return planner.changes, planner.problems


@dataclass
class _Planner:
    run: IssueRun
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.run.settings.timezone)
        self.today = self.run.now.astimezone(self.zone).date()
        self.families = index_by_family(self.run.snapshot.salsatam_issues)
        self.pools = SaPools(self.run.snapshot.salsatam_issues)
        self.loads = tam_loads(self.run.whole_book, self.run.policy.capacity)
        # Empty: the members could not be read; then record names are trusted as before.
        self.staff = self.run.snapshot.staff or None

    def account(self, account: Account) -> None:
        facts = {**account.facts, **capacity_facts(account, self.loads)}
        env = FactEnv(facts, frozenset(account.issue.labels), self.run.now, self.today)
        qualifying = self.run.policy.tam_qualifying
        qualifies = qualifying.evaluate(env) if qualifying else Truth(True)
        for rule in self.run.policy.rules:
            undecided: list[Unit] = []
            for trigger in rule.triggers or (None,):
                conditions: list[Condition] = [rule.when] + ([trigger.when] if trigger else [])
                truths = [c.evaluate(env) for c in conditions]
                truth = all_of([qualifies, *truths] if rule.qualifying else truths)
                unit_env = replace(env, facts={**facts, "account": account.name})
                unit = make_unit(account, rule, trigger, unit_env, truth, self.families)
                if unit.truth.value is not None:
                    self.unit(unit)
                elif not unit.snoozed:
                    undecided.append(unit)
            if undecided:
                self.undecided(account, rule, undecided)

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

    def unit(self, unit: Unit) -> None:
        if unit.truth.value:
            self.holds(unit)
        else:
            self.resolved(unit)

    def holds(self, unit: Unit) -> None:
        key = current_key(unit)
        keys = {m.key for m in unit.members}
        if key is not None and key not in keys and not unit.snoozed:
            self.open(unit, key)
        if unit.rule.close_when_resolved and unit.rule.per not in ("once", "occurrence"):
            for issue in unit.members:
                if issue.is_open and issue.key != key:
                    self.close(unit, issue, f"Closed: superseded by the issue for {tail(key)}.")
        current = next((m for m in unit.members if m.key == key and m.is_open), None)
        if current is not None and unit.rule.updates is not None and not unit.snoozed:
            self.ask_update(unit, current)

    def resolved(self, unit: Unit) -> None:
        why = f"no longer due: {'; '.join(unit.truth.reasons)}"
        for issue in unit.members:
            if issue.is_open and unit.rule.close_when_resolved:
                self.close(unit, issue, _closed(unit), why)
        latest = unit.members[-1] if unit.members else None
        if unit.rule.per == "occurrence" and latest and not latest.has_label(ENDED):
            self.changes.append(
                SetLabels(
                    reason=f"{unit.rule.says} ended for {unit.account.name}: {why}",
                    key=f"{latest.key}:ended",
                    rule=unit.rule.name,
                    issue=latest.ref,
                    add=(ENDED,),
                )
            )

    def open(self, unit: Unit, key: str) -> None:
        account, rule = unit.account, unit.rule
        pool = self.run.teams.sa_pool_for(account)
        roles = rule.roles(account.segment)
        people = resolve(roles, account, pool, self.pools, self.run.settings.tier)
        if people.missing:
            missing = ", ".join(people.missing)
            self.problem(unit, f"the record names no {missing} for '{rule.name}'")
        if not people.assignees:
            return
        every = update_every(rule.updates, unit.env.facts, self.today) if rule.updates else None
        due = due_date(rule, unit.env.facts, self.today, every)
        firing = self.firing(unit, people.assignees, people.mentions, due, tail(key), every)
        firing = replace(firing, pooled_sa=people.pooled)
        body = self.render(
            unit,
            rule.template,
            issue_context(account, firing, self.load(account), staff=self.staff),
        )
        if body is None:
            return
        self.changes.append(
            CreateIssue(
                reason=self.reason(unit),
                key=key,
                rule=rule.name,
                project=self.run.snapshot.accounts_project.path,
                title=_title(rule, account, unit.trigger, tail(key), due),
                description=_with_marker(body, key),
                labels=tuple(dict.fromkeys((OWN_LABEL, *rule.labels))),
                assignees=people.assignees,
                due_date=due,
                # An issue about a confidential account is confidential too: it names it.
                confidential=rule.confidential or account.issue.confidential,
                link_to=account.issue.ref,
            )
        )

    def close(self, unit: Unit, issue: Issue, words: str, why: str | None = None) -> None:
        """Close `issue`; `words` is the note's sentence, `why` the technical reasons."""
        firing = self.firing(unit, (), (), None, None, None, closing=words)
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
        updates = unit.rule.updates
        every = update_every(updates, unit.env.facts, self.today) if updates else None
        quiet = (self.today - issue.updated_at.astimezone(self.zone).date()).days
        if updates is None or every is None or quiet < every:
            return
        key = f"{issue.key}:update:{self.today.isoformat()}"
        if issue.notes is not None and any(n.key == key for n in issue.notes):
            return
        firing = self.firing(unit, (), _owners(issue), None, None, every)
        context = issue_context(unit.account, firing, self.load(unit.account), issue, self.staff)
        body = self.render(unit, updates.template, context)
        if body is not None:
            reason = f"{unit.account.name}: no update for {quiet} days (every {every} days)"
            self.changes.append(
                AddNote(
                    reason=reason,
                    key=key,
                    rule=unit.rule.name,
                    issue=issue.ref,
                    body=_with_marker(body, key),
                )
            )

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
    rule: IssueRule, account: Account, trigger: Trigger | None, period: str | None, due: date | None
) -> str:
    fields = {
        "account": title(account.name),
        "trigger": trigger.name if trigger else "",
        "period": period or "",
        "due": due.isoformat() if due else "",
    }
    return " ".join(rule.title.format_map(fields).split())[:255]


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


def _closed(unit: Unit) -> str:
    """Why salsatam closes the rule's issue now, in the team's words."""
    trigger = unit.trigger
    own = trigger.closed if trigger else ()
    # When the rule's own condition ended (not only the trigger's), its sentences come first.
    rule_ended = unit.rule.when.evaluate(unit.env).value is False
    sentences = (*unit.rule.closed, *own) if rule_ended else (*own, *unit.rule.closed)
    said = pick(sentences, unit.env)
    if said is not None:
        return said
    what = trigger.says if trigger else unit.rule.says
    return f"Closed: no longer due ({what}: {'; '.join(unit.truth.reasons)})."


def _owners(issue: Issue) -> tuple[str, ...]:
    return tuple(u.username for u in issue.assignees)


def _with_marker(body: str, key: str) -> str:
    return body.rstrip() + "\n\n" + marker(key) + "\n"
