"""teams.yml and agenda.yml: loading, the errors a user sees, membership, meeting dates."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time
from pathlib import Path
from types import SimpleNamespace

import pytest

from triage.account import Account
from triage.policy.agenda import AgendaPolicy
from triage.policy.errors import PolicyError
from triage.policy.loader import PACKAGED, PolicySet, load_policies
from triage.policy.teams import Meeting, Member, Team, TeamsPolicy, agenda_projects
from triage.records import Record
from triage.records import Team as Crew
from triage.snapshot import Issue, User

TEAMS = """\
teams:
  - name: east
    title: East Enterprise
    segment: enterprise
    members:
      - {username: sam.sal, role: sal}
      - {username: sara.sa, role: sa}
      - {username: tom.tam, role: tam}
      - {username: sid.sdr, role: sdr, facilitates: false}
    meeting: {cadence: weekly, weekday: tue, time: "09:30", timezone: Europe/Berlin}
    sort: renewal
  - name: mm-west
    segment: mid-market
    members:
      - {username: amy.ae, role: ae}
      - {username: tia.tam, role: tam}
    meeting: {cadence: biweekly, anchor: 2026-01-08}
    agenda_project: west/meetings
    sa_pool: [pat.sa, pia.sa]
"""


def policy_dir(tmp_path: Path, teams: str, agenda: str | None = None) -> Path:
    directory = tmp_path / "policies"
    directory.mkdir(exist_ok=True)
    for name in ("salsatam.yml", "labels.yml"):
        shutil.copy(PACKAGED / "policies" / name, directory / name)
    (directory / "teams.yml").write_text(teams, encoding="utf-8")
    if agenda is not None:
        (directory / "agenda.yml").write_text(agenda, encoding="utf-8")
    return directory


def load(tmp_path: Path, teams: str, agenda: str | None = None) -> PolicySet:
    return load_policies(policy_dir(tmp_path, teams, agenda), PACKAGED / "templates")


def problems(tmp_path: Path, teams: str, agenda: str | None = None) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load(tmp_path, teams, agenda)
    return [str(p).split("policies/", 1)[1] for p in caught.value.problems]


def test_teams_load_into_typed_objects(tmp_path: Path) -> None:
    teams = load(tmp_path, TEAMS).teams
    assert isinstance(teams, TeamsPolicy)
    east, west = teams.teams
    assert east.display_name == "East Enterprise"
    assert east.meeting == Meeting("weekly", 1, time(9, 30), "Europe/Berlin")
    assert east.facilitators == ("sam.sal", "sara.sa", "tom.tam")
    assert east.sort == "renewal"
    assert west.meeting == Meeting("biweekly", 3, time(15, 0), None, date(2026, 1, 8))
    assert west.display_name == "mm-west"
    assert west.sa_pool == ("pat.sa", "pia.sa")


def test_the_packaged_defaults_load(tmp_path: Path) -> None:
    policies = load_policies(PACKAGED / "policies", PACKAGED / "templates")
    assert policies.teams == TeamsPolicy()
    assert policies.agenda == AgendaPolicy()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "teams:\n  - name: x\n    members: [{username: a, role: tam}]\n"
            "    meeting: {cadence: biweekly, weekday: tue}\n",
            ["teams.yml:4:15: a biweekly meeting needs an 'anchor' (one meeting date)"],
        ),
        (
            "teams:\n  - name: x\n    members: [{username: a, role: tam}]\n"
            "    meeting: {cadence: weekly}\n",
            ["teams.yml:4:15: a weekly meeting needs a 'weekday'"],
        ),
        (
            "teams:\n  - name: x\n    members: [{username: a, role: tam}]\n"
            "    meeting: {cadence: biweekly, weekday: tue, anchor: 2026-01-08}\n",
            ["teams.yml:4:48: anchor 2026-01-08 is a thu, not a tue"],
        ),
        (
            "teams:\n  - name: x\n    members: [{username: a, role: tam}]\n"
            "    meeting: {cadence: weekly, weekday: mon, timezone: Mars/Olympus}\n",
            [
                "teams.yml:4:46: unknown time zone 'Mars/Olympus' "
                "(use an IANA name like Europe/Paris)"
            ],
        ),
        (
            "teams:\n  - name: x\n"
            "    members: [{username: a, role: tam}, {username: a, role: sa}]\n"
            "    meeting: {cadence: weekly, weekday: mon}\n"
            "  - name: x\n    members: [{username: b, role: tam}]\n"
            "    meeting: {cadence: weekly, weekday: mon}\n",
            [
                "teams.yml:3:42: member 'a' is listed twice",
                "teams.yml:5:5: team 'x' is listed twice",
            ],
        ),
        (
            "teams:\n  - name: East Team\n    members: [{username: a, role: boss}]\n"
            "    meeting: {cadence: monthly, weekday: mon}\n",
            [
                "teams.yml:2:5: 'name' does not have the expected form "
                "(^[a-z0-9][a-z0-9_.-]*$), got 'East Team'",
                "teams.yml:3:29: 'role' must be one of sal, ae, sa, tam, sdr, got 'boss'",
                "teams.yml:4:15: 'cadence' must be one of weekly, biweekly, got 'monthly'",
            ],
        ),
    ],
)
def test_mistakes_in_teams_name_their_place(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert problems(tmp_path, text) == expected


def test_mistakes_in_the_agenda_policy_name_their_place(tmp_path: Path) -> None:
    agenda = "template: nope.md.j2\ngrowth_labels: [expansion, upsell]\nopen_days_before: 20\n"
    assert problems(tmp_path, TEAMS, agenda) == [
        "agenda.yml:3:1: 'open_days_before' must be ≤ 13, got 20",
    ]
    agenda = "template: nope.md.j2\ngrowth_labels: [expansion, upsell]\n"
    template, label = problems(tmp_path, TEAMS, agenda)
    assert template.startswith("agenda.yml:1:1: unknown template 'nope.md.j2' (no such file in ")
    assert label == "agenda.yml:2:28: unknown label 'upsell' (not in labels.yml)"


def record_account(segment: str, **crew: str) -> Account:
    issue = Issue(
        id=1,
        iid=1,
        project_id=1,
        project_path="a/b",
        title="Acme",
        description="",
        state="opened",
        labels=(f"segment::{segment}",),
        author=User(1, "x"),
        created_at=datetime(2026, 1, 1),
        updated_at=datetime(2026, 1, 1),
    )
    return Account(issue, Record(team=Crew(**crew)), (), None, (), {})


def test_an_account_belongs_to_the_teams_its_record_names() -> None:
    teams = TeamsPolicy(
        (
            Team("east", (Member("sam", "sal"), Member("tom", "tam")), segment="enterprise"),
            Team("west", (Member("amy", "ae"), Member("tom", "tam")), sa_pool=("pat", "pia")),
            Team("mm", (Member("amy", "ae"),), segment="mid-market", sa_pool=("zed",)),
        )
    )
    enterprise = record_account("enterprise", sal="sam", tam="tom")
    assert [t.name for t in teams.teams_for(enterprise)] == ["east", "west"]
    assert teams.sa_pool_for(enterprise) == ("pat", "pia")
    mid = record_account("mid-market", ae="amy", sa="pat")
    assert [t.name for t in teams.teams_for(mid)] == ["west", "mm"]
    assert teams.sa_pool_for(record_account("mid-market", ae="nobody")) == ()


def test_agenda_projects_default_to_the_accounts_project(tmp_path: Path) -> None:
    policies = load(tmp_path, TEAMS)
    assert agenda_projects(policies) == {"account-management/accounts", "west/meetings"}
    empty = SimpleNamespace(settings=policies.settings, teams=TeamsPolicy())
    assert agenda_projects(empty) == set()


@pytest.mark.parametrize(
    ("meeting", "day", "expected"),
    [
        (Meeting("weekly", 1), date(2026, 3, 10), date(2026, 3, 10)),
        (Meeting("weekly", 1), date(2026, 3, 11), date(2026, 3, 17)),
        (Meeting("weekly", 0), date(2026, 3, 8), date(2026, 3, 9)),
        (Meeting("biweekly", 3, anchor=date(2026, 1, 8)), date(2026, 1, 8), date(2026, 1, 8)),
        (Meeting("biweekly", 3, anchor=date(2026, 1, 8)), date(2026, 1, 9), date(2026, 1, 22)),
        (Meeting("biweekly", 3, anchor=date(2026, 1, 8)), date(2025, 12, 30), date(2026, 1, 8)),
        (Meeting("biweekly", 3, anchor=date(2026, 1, 8)), date(2026, 3, 6), date(2026, 3, 19)),
    ],
)
def test_the_next_meeting(meeting: Meeting, day: date, expected: date) -> None:
    assert meeting.next_on_or_after(day) == expected
