"""Account-team meeting agendas: one issue per meeting, opened a few days before it.

For each team in `teams.yml`, the next meeting on or after today (in the team's time zone)
gets an agenda once today is within `open_days_before` of it; its key is
`agenda:<team>:<date>`, so a daily schedule opens it once. Everything that carries from one
meeting to the next (facilitator rotation, open action items, which accounts were covered)
is read back from earlier agendas in GitLab. Opening an agenda closes the earlier ones that
are still open, each with a note pointing to the new one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from jinja2.sandbox import SandboxedEnvironment

from triage.account import Account
from triage.changes import Change, CloseIssue, CreateIssue, Problem
from triage.facts.capacity import TamLoad, tam_loads
from triage.kinds import agenda_sections as sections
from triage.kinds.agenda_history import (
    PastAgenda,
    agenda_key,
    facilitator_for,
    past_agendas,
    rotation,
    state_marker,
)
from triage.kinds.agenda_view import AgendaView, CarriedItem
from triage.plan import Context
from triage.policy.agenda import CANCELLED, AgendaPolicy
from triage.policy.model import Settings
from triage.policy.teams import Team, TeamsPolicy, agenda_projects
from triage.render import environment, inline, reference, render
from triage.snapshot import IssueRef, Snapshot, marker

__all__ = ["AgendaInputs", "agenda_projects", "evaluate", "plan_agendas"]

RULE_OPEN = "agenda.open"
RULE_CLOSE = "agenda.close"
RULE_TEAM = "agenda.team"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class AgendaInputs:
    """Everything agendas are planned from; `evaluate` builds it from a Context."""

    snapshot: Snapshot
    accounts: tuple[Account, ...]
    now: datetime
    settings: Settings
    teams: TeamsPolicy
    policy: AgendaPolicy
    env: SandboxedEnvironment
    loads: Mapping[str, TamLoad]
    planned: tuple[Change, ...] = ()  # issues this run opens before the agenda


def evaluate(ctx: Context) -> tuple[list[Change], list[Problem]]:
    if ctx.account is not None:  # an agenda covers a whole book, never one account
        return [], []
    policies = ctx.policies
    inputs = AgendaInputs(
        snapshot=ctx.snapshot,
        accounts=ctx.whole_book,
        now=ctx.now,
        settings=policies.settings,
        teams=policies.teams,
        policy=policies.agenda,
        env=environment(policies.sources.templates),
        loads=tam_loads(ctx.whole_book, policies.issues.capacity),
        planned=ctx.planned,
    )
    return plan_agendas(inputs)


def plan_agendas(inputs: AgendaInputs) -> tuple[list[Change], list[Problem]]:
    changes: list[Change] = []
    problems: list[Problem] = []
    if not inputs.policy.enabled:
        return changes, problems
    for team in inputs.teams.teams:
        found, trouble = plan_team(team, inputs)
        changes.extend(found)
        problems.extend(trouble)
    return changes, problems


def plan_team(team: Team, inputs: AgendaInputs) -> tuple[list[Change], list[Problem]]:
    problems = _member_problems(team, inputs.snapshot)
    project = team.project(inputs.settings.accounts_project)
    if project in inputs.snapshot.unreachable:
        why = inputs.snapshot.unreachable[project]
        message = f"cannot read the agendas in {project} ({why}); no agenda opened"
        return [], [*problems, Problem(f"team {team.name}", RULE_OPEN, message)]
    today = local_today(team, inputs)
    day = team.meeting.next_on_or_after(today)
    if (day - today).days > inputs.policy.open_days_before:
        return [], problems
    past = past_agendas(
        inputs.snapshot, team.name, CANCELLED, inputs.settings.accounts_project, team.usernames
    )
    current = next((a for a in past if a.day == day), None)
    earlier = [a for a in past if a.day < day]
    changes: list[Change] = []
    if current is None:
        opened = open_agenda(team, day, earlier, inputs)
        changes.append(opened)
        title, ref = opened.title, None
    else:
        title, ref = current.issue.title, current.issue.ref
    if inputs.policy.close_previous:
        for agenda in earlier:
            if agenda.issue.is_open:
                changes.append(_close(team, agenda, day, title, ref))
    return changes, problems


def local_today(team: Team, inputs: AgendaInputs) -> date:
    return inputs.now.astimezone(team.meeting.zone(inputs.settings.timezone)).date()


def _member_problems(team: Team, snapshot: Snapshot) -> list[Problem]:
    if not snapshot.staff:
        return []
    return [
        Problem(
            f"team {team.name}",
            RULE_TEAM,
            f"member '{name}' is not a member of the accounts project (can't be assigned)",
        )
        for name in team.usernames
        if name not in snapshot.staff
    ]


def open_agenda(
    team: Team, day: date, earlier: Sequence[PastAgenda], inputs: AgendaInputs
) -> CreateIssue:
    view, covered = build_view(team, day, earlier, inputs)
    key = agenda_key(team.name, day)
    body = render(inputs.env, inputs.policy.template, view.context())
    state = state_marker(view.facilitator, covered)
    when = f"{view.weekday} {day.isoformat()} at {view.time} {view.timezone}"
    return CreateIssue(
        reason=f"{team.display_name} meets {when}; agendas open "
        f"{inputs.policy.open_days_before} days before the meeting",
        key=key,
        rule=RULE_OPEN,
        project=team.project(inputs.settings.accounts_project),
        title=agenda_title(team, day),
        description=f"{marker(key)}\n{state}\n\n{body}",
        labels=("salsatam", *inputs.policy.labels),
        assignees=(view.facilitator,) if view.facilitator else (),
        due_date=day,
        link_to=earlier[-1].issue.ref if earlier else None,
    )


def agenda_title(team: Team, day: date) -> str:
    return f"Account-team meeting: {team.display_name}, {WEEKDAYS[day.weekday()]} {day}"


def build_view(
    team: Team, day: date, earlier: Sequence[PastAgenda], inputs: AgendaInputs
) -> tuple[AgendaView, frozenset[int]]:
    """The template's view of the meeting, and the iids of the records it lists."""
    policy, today = inputs.policy, local_today(team, inputs)
    accounts = sections.team_accounts(team, inputs.accounts)
    held = [a for a in earlier if a.held]
    facilitator = facilitator_for(team.facilitators, [a.facilitator for a in held])
    after = facilitator_for(team.facilitators, [*(a.facilitator for a in held), facilitator])
    issues, planned = inputs.snapshot.salsatam_issues, inputs.planned
    issue_pairs = sections.open_issues(
        issues, accounts, policy.open_issue_labels, today
    ) + sections.opening_issues(planned, accounts, policy.open_issue_labels, today)
    view = AgendaView(
        team=team.name,
        team_title=team.display_name,
        date=day,
        weekday=WEEKDAYS[day.weekday()],
        time=team.meeting.time.strftime("%H:%M"),
        timezone=team.meeting.timezone or inputs.settings.timezone,
        facilitator=facilitator,
        next_facilitator=after,
        members=team.usernames,
        staff=tuple(sorted(inputs.snapshot.staff)) or None,
        previous=str(earlier[-1].issue.ref) if earlier else None,
        previous_cancelled=bool(earlier) and earlier[-1].cancelled,
        carried=_carried(team, earlier, inputs.snapshot),
        prospects=tuple(sections.prospects(accounts, today)),
        renewals=tuple(sections.renewals(accounts, today, policy.renewal_days)),
        onboarding=tuple(sections.onboarding(accounts, today)),
        growth=tuple(sections.growth(accounts, today, policy)),
        sows=tuple(sections.sows(accounts, policy)),
        ebrs=tuple(sections.ebrs(issues, planned, accounts, today, policy.ebr_key)),
        open_issues=tuple(row for row, _ in issue_pairs),
        capacity=tuple(sections.capacity(team, inputs.loads)),
        records_to_fix=tuple(sections.records_to_fix(team, inputs.teams, inputs.accounts)),
        coverage_meetings=policy.coverage_meetings,
        renewal_days=policy.renewal_days,
        onboarding_days=policy.onboarding_days,
    )
    return _with_customers(view, accounts, earlier, policy, [a for _, a in issue_pairs])


def _with_customers(
    view: AgendaView,
    accounts: Sequence[Account],
    earlier: Sequence[PastAgenda],
    policy: AgendaPolicy,
    with_issues: Sequence[Account],
) -> tuple[AgendaView, frozenset[int]]:
    """Add the customers to discuss and this meeting's share of the quiet ones."""
    iids = {str(a.issue.ref): a.issue.iid for a in accounts}
    rows = (*view.prospects, *view.renewals, *view.onboarding, *view.growth, *view.sows, *view.ebrs)
    flagged = {iids[r.ref] for r in rows} | {a.issue.iid for a in with_issues}
    flagged |= {_iid(r.ref) for r in view.records_to_fix}
    customers = sections.customers(accounts)
    discuss = {a.issue.iid for a in customers if sections.needs_discussion(a)}
    quiet = [a.issue.iid for a in customers if a.issue.iid not in flagged | discuss]
    held = [a.covered for a in reversed(earlier) if a.held]
    turn = set(rotation(quiet, held, _missed_by_cancelled(earlier), policy.coverage_meetings))
    listed = [
        sections.row(a, in_rotation=a.issue.iid in turn)
        for a in customers
        if a.issue.iid in discuss | turn or policy.all_customers
    ]
    covered = frozenset(flagged | {iids[r.ref] for r in listed})
    return replace(view, customers=tuple(listed)), covered


def _iid(ref: str) -> int:
    return int(ref.rpartition("#")[2])


def _missed_by_cancelled(earlier: Sequence[PastAgenda]) -> frozenset[int]:
    """Accounts listed in the meetings cancelled since the last one that took place."""
    missed: set[int] = set()
    for agenda in reversed(earlier):
        if agenda.held:
            break
        missed |= agenda.covered
    return frozenset(missed)


def _carried(
    team: Team, earlier: Sequence[PastAgenda], snapshot: Snapshot
) -> tuple[CarriedItem, ...]:
    """The unchecked action items of the previous agenda, each with its owner and origin."""
    if not earlier:
        return ()
    previous = earlier[-1]
    known = set(team.usernames) | snapshot.staff
    items: list[CarriedItem] = []
    for item in previous.items:
        owner = item.owner if item.owner in known else None
        # An owner is printed before the task; anyone else stays in the text, inert.
        text = item.task if owner else item.text
        origin = item.origin
        if origin is not None and origin.rsplit("#", 1)[0] != previous.issue.ref.project:
            # salsatam only ever names an agenda of the same project as an item's origin;
            # any other "(from group/project#12)" is people's text: kept in it, inert,
            # never a live cross-reference to an issue elsewhere.
            text, origin = f"{text} (from {origin})", None
        items.append(CarriedItem(text, origin or str(previous.issue.ref), owner))
    return tuple(items)


def _close(
    team: Team, agenda: PastAgenda, day: date, title: str, new: IssueRef | None
) -> CloseIssue:
    key = f"{agenda_key(team.name, agenda.day)}:closed"
    where = reference(str(new)) if new else f"“{inline(title)}” (linked to this issue)"
    note = (
        f"{marker(key)}\n"
        f"The agenda for the next meeting ({WEEKDAYS[day.weekday()]} {day}) is {where}. "
        "Unchecked action items carry over to it."
    )
    return CloseIssue(
        reason=f"the agenda for {team.display_name}'s meeting on {day} is open",
        key=key,
        rule=RULE_CLOSE,
        issue=agenda.issue.ref,
        note=note,
    )
