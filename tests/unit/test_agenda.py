"""Agendas planned on in-memory snapshots: the golden agenda, rotation, carry-over,
coverage, cadence, cancelled meetings, closing the previous agenda, reruns."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests import builders
from triage.account import Account
from triage.changes import Change, CloseIssue, CreateIssue, Problem
from triage.facts.capacity import CapacityLimits, tam_loads
from triage.kinds.agenda import AgendaInputs, plan_agendas
from triage.policy.agenda import AgendaPolicy
from triage.policy.model import Settings
from triage.policy.teams import Meeting, Member, Team, TeamsPolicy
from triage.records import Pov, Record
from triage.records import Team as Crew
from triage.render import environment
from triage.snapshot import Issue, Project, Snapshot, User

HOME = "account-management/accounts"
TEMPLATES = Path(__file__).resolve().parents[2] / "triage" / "defaults" / "templates"
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
BOT = User(1, "salsatam-bot", bot=True)
CREW = Crew(sal="sam.sal", sa="sara.sa", tam="tom.tam")
EAST = Team(
    name="east",
    title="East Enterprise",
    segment="enterprise",
    members=(Member("sam.sal", "sal"), Member("sara.sa", "sa"), Member("tom.tam", "tam")),
    meeting=Meeting("weekly", weekday=1, time=time(15, 0), timezone="Europe/Berlin"),
)
SETTINGS = Settings(gitlab_url=None, accounts_project=HOME, customers_group="customers")
# Saturday morning; the east team meets on Tuesday 2026-03-10, three days later.
NOW = datetime(2026, 3, 7, 8, 0, tzinfo=UTC)
MEETING = date(2026, 3, 10)


def at(day: date) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=UTC)


def account(
    iid: int,
    name: str,
    stage: str = "adoption",
    colour: str | None = "green",
    *,
    reasons: Sequence[str] = (),
    labels: Sequence[str] = (),
    crew: Crew = CREW,
    confidential: bool = False,
    created: date = date(2025, 1, 6),
    **record: Any,
) -> Account:
    issue = builders.open_issue(
        iid,
        name,
        "account",
        "segment::enterprise",
        f"stage::{stage}",
        *labels,
        project=HOME,
        issue_id=1000 + iid,
        author=BOT,
        created=at(created),
        updated=at(created),
        web_url="",
        confidential=confidential,
    )
    result = builders.health_result(colour, *reasons) if colour else None
    return builders.account(issue, Record(team=crew, **record), result)


@dataclass
class World:
    """A GitLab of salsatam's own issues, changed the way GitLab would apply a plan."""

    accounts: list[Account]
    teams: tuple[Team, ...] = (EAST,)
    policy: AgendaPolicy = field(default_factory=AgendaPolicy)
    issues: list[Issue] = field(default_factory=list)
    staff: frozenset[str] = frozenset({"sam.sal", "sara.sa", "tom.tam", "sid.sdr"})
    unreachable: dict[str, str] = field(default_factory=dict)
    planned: tuple[Change, ...] = ()  # what kinds evaluated earlier in the run plan

    def snapshot(self, now: datetime) -> Snapshot:
        return Snapshot(
            fetched_at=now,
            accounts_project=Project(1, HOME),
            staff=self.staff,
            account_issues=tuple(a.issue for a in self.accounts),
            salsatam_issues=tuple(self.issues),
            unreachable=self.unreachable,
        )

    def plan(self, now: datetime) -> tuple[list[Change], list[Problem]]:
        inputs = AgendaInputs(
            snapshot=self.snapshot(now),
            accounts=tuple(self.accounts),
            now=now,
            settings=SETTINGS,
            teams=TeamsPolicy(self.teams),
            policy=self.policy,
            env=environment(TEMPLATES),
            loads=tam_loads(self.accounts, CapacityLimits()),
            planned=self.planned,
        )
        return plan_agendas(inputs)

    def apply(self, changes: Iterable[Change], now: datetime) -> None:
        for change in changes:
            if isinstance(change, CreateIssue):
                self.issues.append(self._created(change, now))
            elif isinstance(change, CloseIssue):
                self.edit(change.issue.iid, state="closed", closed_at=now)

    def run(self, now: datetime) -> list[Change]:
        changes, _ = self.plan(now)
        self.apply(changes, now)
        return changes

    def _created(self, change: CreateIssue, now: datetime) -> Issue:
        iid = 100 + len(self.issues)
        users = tuple(User(10 + i, name) for i, name in enumerate(change.assignees))
        return Issue(
            id=5000 + iid,
            iid=iid,
            project_id=1,
            project_path=change.project,
            title=change.title,
            description=change.description,
            state="opened",
            labels=change.labels,
            author=BOT,
            created_at=now,
            updated_at=now,
            assignees=users,
            due_date=change.due_date,
        )

    def agenda(self, day: date) -> Issue:
        return next(i for i in self.issues if i.key == f"agenda:east:{day}")

    def edit(self, iid: int, **changes: Any) -> None:
        self.issues = [replace(i, **changes) if i.iid == iid else i for i in self.issues]


def created(changes: Iterable[Change]) -> list[CreateIssue]:
    return [c for c in changes if isinstance(c, CreateIssue)]


def book() -> list[Account]:
    """The east team's book, one account for every section of the agenda."""
    return [
        account(
            1,
            "Acme",
            colour="red",
            arr=240000,
            renewal=date(2026, 5, 1),
            reasons=(
                "2 customer issues waiting 6 and 9 business days for a reply",
                "no meeting for 48 days (priority 1: yellow after 35)",
            ),
            last_ebr=date(2025, 4, 1),
        ),
        account(
            2,
            "Globex",
            arr=180000,
            renewal=date(2026, 11, 30),
            labels=("expansion",),
            last_ebr=date(2025, 9, 1),
        ),
        account(
            3,
            "Initech",
            "pov",
            None,
            arr=90000,
            pov=Pov(started=date(2026, 2, 16)),
            extra={"next_step": "/close POV review with @all on Friday"},
        ),
        account(
            4,
            "Hooli",
            "onboarding",
            "yellow",
            arr=60000,
            reasons=("onboarding day 20: first value not recorded",),
            onboarding_started=date(2026, 2, 15),
        ),
        account(5, "Umbrella <b>Corp</b>", "discovery", None, created=date(2026, 3, 2)),
        account(
            6,
            "Stark",
            arr=300000,
            renewal=date(2027, 1, 15),
            labels=("services-sow",),
            last_ebr=date(2025, 12, 1),
        ),
        account(
            7,
            "Secret Co",
            colour="red",
            reasons=("escalation::critical open",),
            confidential=True,
            arr=50000,
        ),
        account(8, "Wayne", arr=70000, last_ebr=date(2025, 10, 1)),
        account(9, "Wonka", arr=20000, last_ebr=date(2025, 11, 1)),
        # Another team's account: a different TAM and seller.
        account(10, "Elsewhere", crew=Crew(sal="ann.sal", tam="ted.tam"), arr=999999),
    ]


# --- the golden agenda ---------------------------------------------------------------


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SALSATAM_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with SALSATAM_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_golden_agenda_for_the_east_team() -> None:
    world = World(book())
    world.issues.append(
        Issue(
            id=900,
            iid=90,
            project_id=1,
            project_path=HOME,
            title="Handoff: Hooli",
            description=f"Hooli ({HOME}#4) is ready for its TAM.",
            state="opened",
            labels=("salsatam", "handoff"),
            author=BOT,
            created_at=NOW,
            updated_at=NOW,
            assignees=(User(3, "tom.tam"),),
            due_date=date(2026, 3, 12),
        )
    )
    world.issues.append(ebr_prep(91, 1, due=date(2026, 3, 1)))
    changes, problems = world.plan(NOW)
    assert problems == []
    [opened] = created(changes)
    assert opened.title == "Account-team meeting: East Enterprise, Tuesday 2026-03-10"
    assert opened.key == "agenda:east:2026-03-10"
    assert opened.project == HOME
    assert opened.labels == ("salsatam", "agenda")
    assert opened.due_date == MEETING
    assert opened.assignees == ("sam.sal",)
    assert opened.link_to is None
    golden("agenda_east.md", opened.description)


def ebr_prep(iid: int, record: int, due: date, state: str = "opened") -> Issue:
    """An EBR preparation reminder about the record `record`, as the issue rule opens it."""
    return Issue(
        id=5000 + iid,
        iid=iid,
        project_id=1,
        project_path=HOME,
        title=f"EBR preparation: record {record}",
        description=f"<!-- salsatam:key=reminder:ebr:{record}:none -->\n"
        f"Time to prepare an EBR ({HOME}#{record}).",
        state=state,
        labels=("salsatam", "reminder"),
        author=BOT,
        created_at=NOW,
        updated_at=NOW,
        assignees=(User(3, "tom.tam"),),
        due_date=due,
    )


def test_ebrs_due_are_the_accounts_with_an_ebr_preparation_issue() -> None:
    # Wayne's last EBR was five months ago, but the EBR preparation rule opened an issue
    # for it (one open, one opening in this run for Wonka); Acme's is closed.
    world = World(book())
    world.issues += [
        ebr_prep(91, 8, due=date(2026, 4, 2)),
        ebr_prep(92, 1, due=date(2026, 3, 1), state="closed"),
    ]
    wonka = world.accounts[8].issue
    world.planned = (
        CreateIssue(
            reason="EBR preparation",
            key=f"reminder:ebr:{wonka.iid}:2025-11-01",
            rule="ebr-prep",
            project=HOME,
            title="EBR preparation: Wonka",
            description="",
            labels=("salsatam", "reminder"),
            assignees=("tom.tam",),
            due_date=date(2026, 3, 5),
            link_to=wonka.ref,
        ),
    )
    [opened] = created(world.plan(NOW)[0])
    assert section(opened.description, "SOWs and EBRs due") == [
        f"- {HOME}#6 Stark · statement of work",
        f"- {HOME}#8 Wayne · EBR due 2026-04-02 (last 2025-10-01)",
        f"- {HOME}#9 Wonka · EBR **overdue** (due 2026-03-05) (last 2025-11-01)",
    ]
    assert section(opened.description, "Open handoffs, engagements, triage and reminders") == [
        f"- reminder: {HOME}#91 EBR preparation: record 8 · for {HOME}#8 · tom.tam"
        " · due 2026-04-02",
        f"- reminder: opening today: EBR preparation: Wonka · for {HOME}#9 · tom.tam"
        " · **overdue** (due 2026-03-05)",
    ]


def test_no_ebr_preparation_issue_no_ebr_due() -> None:
    [opened] = created(World(book()[1:]).plan(NOW)[0])
    assert section(opened.description, "SOWs and EBRs due") == [
        f"- {HOME}#6 Stark · statement of work"
    ]


def test_customer_written_text_stays_inert() -> None:
    [opened] = created(World(book()).plan(NOW)[0])
    text = opened.description
    assert "/close" not in text.replace("\\/close", "")
    assert "@all" not in text
    assert "<b>" not in text
    assert "Secret Co" not in text and "escalation" not in text
    assert f"{HOME}#7" in text  # the confidential record, by reference only


def test_accounts_are_listed_by_reference_and_other_teams_left_out() -> None:
    world = World(book())
    [first] = meetings(world, 1)
    rows = [line for line in first.description.split("\n") if line.startswith("- ")]
    accounts = [r for r in rows if not r.startswith("- handoff")]
    assert accounts and all(r.startswith(f"- {HOME}#") for r in accounts)
    [second] = meetings(world, 1, MEETING + timedelta(weeks=1))
    assert listed(first.description) | listed(second.description) == set(range(1, 10))
    assert "Elsewhere" not in first.description + second.description


def broken(
    iid: int,
    name: str,
    block: str,
    *,
    segment: str = "enterprise",
    stage: str = "adoption",
    confidential: bool = False,
    state: str = "opened",
) -> Account:
    """An account whose record does not read (it carries `record::invalid`)."""
    issue = replace(
        account(iid, name, stage, confidential=confidential).issue,
        description=f"```yaml\n{block}\n```\n",
        labels=("account", f"segment::{segment}", f"stage::{stage}", "record::invalid"),
        state=state,
    )
    problems = ("line 1 of the record block: 'arr' must be a number",)
    return Account(issue, None, problems, None, (), {})


WEST = Team(
    name="west",
    title="West Enterprise",
    segment="enterprise",
    members=(Member("ann.sal", "sal"), Member("ted.tam", "tam")),
    meeting=EAST.meeting,
)


def test_accounts_whose_record_does_not_read_are_listed_as_records_to_fix() -> None:
    accounts = [
        *book(),
        broken(20, "Soylent @all", "arr: lots\nteam: {sal: sam.sal, tam: tom.tam}"),
        broken(21, "Nobody's", "arr: lots"),
        broken(22, "Hidden", "arr: lots\nteam: {tam: tom.tam}", confidential=True),
        broken(23, "West's", "arr: lots\nteam: {tam: ted.tam}"),
        broken(24, "Small", "arr: lots", segment="mid-market"),
        broken(25, "Gone", "arr: lots\nteam: {tam: tom.tam}", stage="churned"),
        broken(26, "Closed", "arr: lots\nteam: {tam: tom.tam}", state="closed"),
    ]
    changes, _ = World(accounts, teams=(EAST, WEST)).plan(NOW)
    east, west = created(changes)
    section = east.description.split("## Records to fix")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("- ")]
    assert rows == [
        f"- {HOME}#20 Soylent @\u200ball",  # inert: pings nobody
        f"- {HOME}#21 Nobody's",
        f"- {HOME}#22 · _confidential_",
    ]
    assert "each record's note says what to fix" in section
    west_rows = west.description.split("## Records to fix")[1].split("\n## ")[0]
    assert f"{HOME}#23 West's" in west_rows and f"{HOME}#21 Nobody's" in west_rows
    assert f"{HOME}#20" not in west_rows
    assert f"{HOME}#24" not in east.description + west.description


def test_an_unreadable_record_assigned_to_a_member_is_that_teams() -> None:
    assigned = broken(20, "Assigned", "not: [valid")
    assigned = replace(assigned, issue=replace(assigned.issue, assignees=(User(7, "ted.tam"),)))
    east, west = created(World([*book(), assigned], teams=(EAST, WEST)).plan(NOW)[0])
    assert "## Records to fix" not in east.description
    assert f"- {HOME}#20 Assigned" in west.description


def test_no_records_to_fix_no_section() -> None:
    [opened] = created(World(book()).plan(NOW)[0])
    assert "Records to fix" not in opened.description


# --- when agendas open ---------------------------------------------------------------


def test_nothing_opens_before_the_window() -> None:
    world = World(book())
    assert world.plan(NOW - timedelta(days=1)) == ([], [])


def test_a_rerun_the_same_day_changes_nothing() -> None:
    world = World(book())
    assert created(world.run(NOW))
    assert world.plan(NOW) == ([], [])
    assert world.plan(NOW + timedelta(days=1)) == ([], [])


def test_the_meeting_day_follows_the_team_time_zone() -> None:
    # 23:30 UTC on Friday is already Saturday in Berlin: 3 days before Tuesday.
    late = datetime(2026, 3, 6, 23, 30, tzinfo=UTC)
    assert created(World(book()).plan(late)[0])
    utc = replace(EAST, meeting=replace(EAST.meeting, timezone="UTC"))
    assert World(book(), teams=(utc,)).plan(late) == ([], [])


def test_biweekly_meetings_follow_the_anchor() -> None:
    fortnight = Meeting("biweekly", weekday=3, anchor=date(2026, 1, 8), timezone="UTC")
    world = World(book(), teams=(replace(EAST, meeting=fortnight),))
    days: list[date] = []
    for offset in range(42):
        now = at(date(2026, 3, 1) + timedelta(days=offset))
        days += [c.due_date for c in created(world.run(now)) if c.due_date]
    assert days == [date(2026, 3, 5), date(2026, 3, 19), date(2026, 4, 2)]
    assert all(d.weekday() == 3 and (d - date(2026, 1, 8)).days % 14 == 0 for d in days)


def test_an_unreadable_agenda_project_opens_nothing() -> None:
    team = replace(EAST, agenda_project="east/meetings")
    world = World(book(), teams=(team,), unreachable={"east/meetings": "403 Forbidden"})
    changes, problems = world.plan(NOW)
    assert changes == []
    assert [p.message for p in problems] == [
        "cannot read the agendas in east/meetings (403 Forbidden); no agenda opened"
    ]


def test_agendas_go_to_the_team_project() -> None:
    world = World(book(), teams=(replace(EAST, agenda_project="east/meetings"),))
    [opened] = created(world.plan(NOW)[0])
    assert opened.project == "east/meetings"


def test_members_who_are_not_staff_are_reported() -> None:
    world = World(book(), staff=frozenset({"sam.sal", "sara.sa"}))
    _, problems = world.plan(NOW)
    assert [(p.account, p.message) for p in problems] == [
        (
            "team east",
            "member 'tom.tam' is not a member of the accounts project (can't be assigned)",
        )
    ]


def test_only_staff_are_mentioned_in_an_agenda() -> None:
    # A team names a group by mistake: it facilitates in turn, owns items, but is never pinged.
    team = replace(EAST, members=(Member("customers", "tam"), Member("sam.sal", "sal")))
    world = World(book(), teams=(team,))
    meetings(world, 1)
    first = world.agenda(MEETING)
    assert "Facilitator: customers · next time: @sam.sal" in first.description
    assert "@customers" not in first.description
    world.edit(first.iid, description=first.description + "- [ ] @customers send the deck\n")
    [second] = meetings(world, 1, MEETING + timedelta(weeks=1))
    carried = section(second.description, "Action items from last time")
    assert carried == [f"- [ ] customers send the deck (from {first.ref})"]
    assert "Facilitator: @sam.sal · next time: customers" in second.description


def test_disabled_agendas_do_nothing() -> None:
    assert World(book(), policy=AgendaPolicy(enabled=False)).plan(NOW) == ([], [])


# --- a series of meetings -------------------------------------------------------------


def meetings(world: World, count: int, first: date = MEETING) -> list[CreateIssue]:
    """Run the schedule three days before each of `count` weekly meetings."""
    opened: list[CreateIssue] = []
    for week in range(count):
        day = first + timedelta(weeks=week)
        opened += created(world.run(at(day - timedelta(days=3))))
    return opened


def test_the_facilitator_rotates_through_the_members_over_six_meetings() -> None:
    world = World(book())
    opened = meetings(world, 6)
    assert [c.assignees for c in opened] == [
        ("sam.sal",),
        ("sara.sa",),
        ("tom.tam",),
        ("sam.sal",),
        ("sara.sa",),
        ("tom.tam",),
    ]
    assert "Facilitator: @sam.sal · next time: @sara.sa" in opened[0].description
    assert "Facilitator: @tom.tam · next time: @sam.sal" in opened[5].description


def test_members_who_do_not_facilitate_are_skipped() -> None:
    team = replace(EAST, members=(*EAST.members, Member("sid.sdr", "sdr", facilitates=False)))
    opened = meetings(World(book(), teams=(team,)), 4)
    assert [c.assignees[0] for c in opened] == ["sam.sal", "sara.sa", "tom.tam", "sam.sal"]


def test_the_member_the_agenda_was_reassigned_to_ran_the_meeting() -> None:
    world = World(book())
    [first] = meetings(world, 1)
    assert first.assignees == ("sam.sal",)
    # The team hands the meeting to tom.tam instead: sam.sal and sara.sa are still due.
    world.edit(world.agenda(MEETING).iid, assignees=(User(3, "tom.tam"),))
    opened = meetings(world, 3, MEETING + timedelta(weeks=1))
    assert [c.assignees for c in opened] == [("sam.sal",), ("sara.sa",), ("tom.tam",)]
    assert "Facilitator: @sam.sal · next time: @sara.sa" in opened[0].description


def test_an_assignee_outside_the_team_or_none_leaves_the_marker_in_charge() -> None:
    world = World(book())
    meetings(world, 1)
    world.edit(world.agenda(MEETING).iid, assignees=(User(9, "ann.sal"),))
    [second] = meetings(world, 1, MEETING + timedelta(weeks=1))
    assert second.assignees == ("sara.sa",)
    world.edit(world.agenda(MEETING + timedelta(weeks=1)).iid, assignees=())
    [third] = meetings(world, 1, MEETING + timedelta(weeks=2))
    assert third.assignees == ("tom.tam",)


def test_of_several_assignees_the_facilitator_in_the_marker_ran_it() -> None:
    world = World(book())
    meetings(world, 1)
    both = (User(3, "tom.tam"), User(1, "sam.sal"))
    world.edit(world.agenda(MEETING).iid, assignees=both)
    [second] = meetings(world, 1, MEETING + timedelta(weeks=1))
    assert second.assignees == ("sara.sa",)


def test_opening_the_next_agenda_closes_the_previous_with_a_note() -> None:
    world = World(book())
    meetings(world, 1)
    first = world.agenda(MEETING)
    changes = world.run(at(MEETING + timedelta(days=4)))
    [opened] = created(changes)
    [closing] = [c for c in changes if isinstance(c, CloseIssue)]
    assert closing.issue == first.ref
    assert closing.key == "agenda:east:2026-03-10:closed"
    assert closing.note is not None
    assert "<!-- salsatam:key=agenda:east:2026-03-10:closed -->" in closing.note
    assert "Tuesday 2026-03-17" in closing.note
    assert opened.link_to == first.ref
    assert f"Previous agenda: {first.ref}" in opened.description
    assert world.plan(at(MEETING + timedelta(days=4))) == ([], [])


def test_an_open_previous_agenda_is_closed_with_a_reference_to_the_next() -> None:
    world = World(book(), policy=AgendaPolicy(close_previous=False))
    meetings(world, 2)
    world.policy = AgendaPolicy()
    [closing] = world.plan(at(MEETING + timedelta(days=5)))[0]
    assert isinstance(closing, CloseIssue)
    assert closing.issue == world.agenda(MEETING).ref
    assert f"is {world.agenda(MEETING + timedelta(weeks=1)).ref}." in (closing.note or "")


def test_close_previous_false_leaves_earlier_agendas_open() -> None:
    world = World(book(), policy=AgendaPolicy(close_previous=False))
    meetings(world, 3)
    assert all(i.is_open for i in world.issues)


# --- action items ----------------------------------------------------------------------


def test_unchecked_action_items_carry_over_with_their_owners() -> None:
    world = World(book())
    meetings(world, 1)
    first = world.agenda(MEETING)
    world.edit(
        first.iid,
        description=first.description
        + (
            "- [x] @sara.sa share the POV plan\n"
            "- [ ] @tom.tam send the EBR deck to Acme\n"
            "* [ ] ask @sam.sal about pricing\n"
            "- [ ] find an executive sponsor\n"
            "- [ ] @all /close everything\n"
        ),
    )
    [second] = meetings(world, 1, MEETING + timedelta(weeks=1))
    carried = section(second.description, "Action items from last time")
    ref = first.ref
    assert carried == [
        f"- [ ] @tom.tam send the EBR deck to Acme (from {ref})",
        f"- [ ] @sam.sal ask @\u200bsam.sal about pricing (from {ref})",
        f"- [ ] **owner needed:** find an executive sponsor (from {ref})",
        f"- [ ] **owner needed:** @\u200ball /close everything (from {ref})",
    ]
    assert "share the POV plan" not in second.description


def test_an_item_without_a_staff_owner_carries_unchanged_across_meetings() -> None:
    world = World(book())
    meetings(world, 1)
    first = world.agenda(MEETING)
    items = "- [ ] get Harbor Retail a collaboration project\n- [ ] @customer.person follow up\n"
    world.edit(first.iid, description=first.description + items)
    for week in (1, 2, 3):
        meetings(world, 1, MEETING + timedelta(weeks=week))
    last = world.agenda(MEETING + timedelta(weeks=3))
    assert section(last.description, "Action items from last time") == [
        f"- [ ] **owner needed:** get Harbor Retail a collaboration project (from {first.ref})",
        f"- [ ] **owner needed:** @\u200bcustomer.person follow up (from {first.ref})",
    ]


def test_items_outside_the_action_items_sections_are_not_carried() -> None:
    world = World(book())
    meetings(world, 1)
    first = world.agenda(MEETING)
    notes = "\n## Notes\n\n- [ ] @tom.tam not an action item\n"
    world.edit(first.iid, description=first.description + notes)
    [second] = meetings(world, 1, MEETING + timedelta(weeks=1))
    assert section(second.description, "Action items from last time") == ["Nothing open."]


def test_an_item_still_open_keeps_its_origin_and_text_across_meetings() -> None:
    world = World(book())
    meetings(world, 1)
    first = world.agenda(MEETING)
    item = "- [ ] @tom.tam send *the* deck & notes <today>\n"
    world.edit(first.iid, description=first.description + item)
    for week in (1, 2, 3):
        meetings(world, 1, MEETING + timedelta(weeks=week))
    last = world.agenda(MEETING + timedelta(weeks=3))
    assert section(last.description, "Action items from last time") == [
        f"- [ ] @tom.tam send \\*the\\* deck &amp; notes &lt;today&gt; (from {first.ref})"
    ]


def section(description: str, heading: str) -> list[str]:
    """The non-empty lines under `## heading`, up to the next heading."""
    lines = description.split("\n")
    start = lines.index(f"## {heading}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("#")), len(lines))
    return [line for line in lines[start:end] if line.strip()]


# --- coverage --------------------------------------------------------------------------


def quiet_book(count: int) -> list[Account]:
    """`count` green customers with nothing going on."""
    return [account(i, f"Quiet {i:02}", arr=1000 * (50 - i)) for i in range(1, count + 1)]


def listed(description: str) -> set[int]:
    """The records the agenda's rows are about."""
    return {int(n) for n in re.findall(rf"^- {re.escape(HOME)}#(\d+)", description, re.M)}


@pytest.mark.parametrize(("count", "every"), [(10, 4), (7, 3), (3, 4), (12, 1)])
def test_every_account_appears_within_k_meetings(count: int, every: int) -> None:
    world = World(quiet_book(count), policy=AgendaPolicy(coverage_meetings=every))
    seen = [listed(c.description) for c in meetings(world, 12)]
    for start in range(len(seen) - every + 1):
        window = set().union(*seen[start : start + every])
        assert window == set(range(1, count + 1)), (start, window)
    sizes = [len(s) for s in seen]
    assert max(sizes) <= -(-count // every) + 1  # a slice, not the whole book


def test_accounts_that_need_discussion_are_listed_every_time() -> None:
    accounts = [*quiet_book(8), account(20, "Burning", colour="red", reasons=("red because",))]
    world = World(accounts, policy=AgendaPolicy(coverage_meetings=4))
    for opened in meetings(world, 5):
        assert 20 in listed(opened.description)
        assert "  - red because" in opened.description


def test_all_customers_lists_every_customer_every_time() -> None:
    world = World(quiet_book(6), policy=AgendaPolicy(all_customers=True))
    for opened in meetings(world, 2):
        assert listed(opened.description) == set(range(1, 7))


# --- a cancelled meeting ----------------------------------------------------------------


def test_a_cancelled_meeting_carries_its_items_coverage_and_facilitator() -> None:
    world = World(quiet_book(12), policy=AgendaPolicy(coverage_meetings=4))
    meetings(world, 2)
    second = world.agenda(MEETING + timedelta(weeks=1))
    world.edit(
        second.iid,
        labels=(*second.labels, "cancelled"),
        description=second.description + "- [ ] @sara.sa book the room\n",
    )
    [third] = meetings(world, 1, MEETING + timedelta(weeks=2))
    assert f"Previous agenda: {second.ref} (the meeting was cancelled)" in third.description
    assert section(third.description, "Action items from last time") == [
        f"- [ ] @sara.sa book the room (from {second.ref})"
    ]
    rotation_of_second = listed(second.description)
    assert rotation_of_second <= listed(third.description)
    assert second.assignees[0].username == "sara.sa"
    assert third.assignees == ("sara.sa",)  # the cancelled meeting's facilitator runs it
    [fourth] = meetings(world, 1, MEETING + timedelta(weeks=3))
    assert fourth.assignees == ("tom.tam",)


# --- sections ----------------------------------------------------------------------------


def test_customers_follow_the_team_order() -> None:
    accounts = [
        account(1, "Small", colour="red", arr=10, renewal=date(2026, 4, 1)),
        account(2, "Large", colour="red", arr=900, renewal=date(2026, 9, 1)),
        account(3, "Middle", colour="yellow", arr=500, renewal=date(2026, 6, 1)),
    ]
    by_arr = created(World(accounts).plan(NOW)[0])[0].description
    customers = section(by_arr, "Customers")
    assert [line.split(" ")[2] for line in customers[:3]] == ["Large", "Middle", "Small"]
    team = replace(EAST, sort="renewal")
    by_renewal = created(World(accounts, teams=(team,)).plan(NOW)[0])[0].description
    customers = section(by_renewal, "Customers")
    assert [line.split(" ")[2] for line in customers[:3]] == ["Small", "Middle", "Large"]


def test_tam_capacity_flags_are_listed() -> None:
    accounts = [account(i, f"Book {i}", arr=1000) for i in range(1, 23)]
    [opened] = created(World(accounts).plan(NOW)[0])
    assert section(opened.description, "TAM capacity") == [
        "- tom.tam (22 accounts): 22 accounts (limit 20)"
    ]
    [small] = created(World(accounts[:3]).plan(NOW)[0])
    assert "## TAM capacity" not in small.description


def test_issues_the_same_run_opens_are_listed_as_opening_today() -> None:
    world = World(book())
    record = world.accounts[3].issue
    triage = CreateIssue(
        reason="health is red",
        key=f"triage:{record.iid}",
        rule="triage",
        project=HOME,
        title=f"Health triage: {record.title}",
        description="",
        labels=("salsatam", "triage"),
        assignees=("tom.tam",),
        due_date=date(2026, 3, 17),
        link_to=record.ref,
    )
    unrelated = replace(triage, key="triage:x", link_to=None)
    world.planned = (triage, unrelated)
    [opened] = created(world.plan(NOW)[0])
    assert section(opened.description, "Open handoffs, engagements, triage and reminders") == [
        f"- triage: opening today: Health triage: {record.title} · for {record.ref} · tom.tam"
        " · due 2026-03-17"
    ]
