"""`teams.yml`: the account teams, who is on them, when they meet, where agendas live.

An account belongs to a team when a username in its record (`team.sal`, `ae`, `sa`, `tam`)
is one of the team's members and, when both are known, the segments match. Mid-Market
teams name the pool of Solutions Architects they draw on (`sa_pool`); other kinds ask
`TeamsPolicy.sa_pool_for(account)` for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any, Literal, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from triage.policy.parsing import ParseContext
from triage.policy.settings import DAY_NAMES

if TYPE_CHECKING:
    from triage.account import Account

Role = Literal["sal", "ae", "sa", "tam", "sdr"]
Cadence = Literal["weekly", "biweekly"]
SortOrder = Literal["arr", "renewal"]

ROLES: tuple[Role, ...] = ("sal", "ae", "sa", "tam", "sdr")
TEAM_NAME = r"^[a-z0-9][a-z0-9_.-]*$"
_USERNAME = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$"
_PROJECT_PATH = r"^[A-Za-z0-9_.][A-Za-z0-9_.\-]*(/[A-Za-z0-9_.][A-Za-z0-9_.\-]*)+$"
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_WEEK = {"weekly": 7, "biweekly": 14}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "teams.yml: account teams and their meetings",
    "additionalProperties": False,
    "properties": {
        "teams": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "members", "meeting"],
                "properties": {
                    "name": {
                        "type": "string",
                        "pattern": TEAM_NAME,
                        "description": "Short name, used in keys: lower case, digits, . _ -",
                    },
                    "title": {"type": "string", "minLength": 1, "maxLength": 80},
                    "segment": {"enum": ["enterprise", "mid-market"]},
                    "members": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["username", "role"],
                            "properties": {
                                "username": {"type": "string", "pattern": _USERNAME},
                                "role": {"enum": list(ROLES)},
                                "facilitates": {
                                    "type": "boolean",
                                    "description": "Takes turns running the meeting "
                                    "(default true).",
                                },
                            },
                        },
                    },
                    "meeting": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["cadence"],
                        "properties": {
                            "cadence": {"enum": list(_WEEK)},
                            "weekday": {"enum": list(DAY_NAMES)},
                            "time": {"type": "string", "pattern": _TIME.pattern},
                            "timezone": {"type": "string"},
                            "anchor": {
                                "type": "string",
                                "format": "date",
                                "description": "Biweekly: the date of one meeting.",
                            },
                        },
                    },
                    "agenda_project": {
                        "type": ["string", "null"],
                        "pattern": _PROJECT_PATH,
                        "description": "Where agendas live (default: the accounts project).",
                    },
                    "sort": {"enum": ["arr", "renewal"]},
                    "sa_pool": {
                        "type": "array",
                        "items": {"type": "string", "pattern": _USERNAME},
                        "uniqueItems": True,
                    },
                },
            },
        }
    },
}


@dataclass(frozen=True)
class Member:
    username: str
    role: Role
    facilitates: bool = True


@dataclass(frozen=True)
class Meeting:
    """When a team meets. Weekly on `weekday`; biweekly every 14 days from `anchor`."""

    cadence: Cadence = "weekly"
    weekday: int = 1  # Monday = 0
    time: time = time(15, 0)
    timezone: str | None = None  # None: the settings' time zone
    anchor: date | None = None  # biweekly: the date of one meeting

    @property
    def period(self) -> int:
        return _WEEK[self.cadence]

    def next_on_or_after(self, day: date) -> date:
        """The first meeting date that is `day` or later."""
        if self.anchor is not None:
            behind = (self.anchor - day).days % self.period
            return day + timedelta(days=behind)
        return day + timedelta(days=(self.weekday - day.weekday()) % 7)

    def zone(self, default: str) -> ZoneInfo:
        return ZoneInfo(self.timezone or default)


@dataclass(frozen=True)
class Team:
    name: str
    members: tuple[Member, ...]
    meeting: Meeting = field(default_factory=Meeting)
    title: str = ""
    segment: str | None = None  # "enterprise" | "mid-market"; None: any
    agenda_project: str | None = None  # None: the accounts project
    sort: SortOrder = "arr"
    sa_pool: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        return self.title or self.name

    @property
    def usernames(self) -> tuple[str, ...]:
        return tuple(m.username for m in self.members)

    @property
    def facilitators(self) -> tuple[str, ...]:
        return tuple(m.username for m in self.members if m.facilitates)

    def project(self, accounts_project: str) -> str:
        return self.agenda_project or accounts_project

    def includes(self, account: Account) -> bool:
        """The account's record names a member, and the segments agree when both are known."""
        if account.record is None:
            return False
        if self.segment and account.segment and self.segment != account.segment:
            return False
        crew = account.record.team
        named = {crew.sal, crew.ae, crew.sa, crew.tam} - {None}
        return bool(named & set(self.usernames))


@dataclass(frozen=True)
class TeamsPolicy:
    teams: tuple[Team, ...] = ()

    @classmethod
    def default(cls) -> TeamsPolicy:
        return cls()

    def team(self, name: str) -> Team | None:
        return next((t for t in self.teams if t.name == name), None)

    def teams_for(self, account: Account) -> tuple[Team, ...]:
        """Every team the account belongs to, in file order."""
        return tuple(t for t in self.teams if t.includes(account))

    def sa_pool_for(self, account: Account) -> tuple[str, ...]:
        """The pooled Solutions Architects who can take this account's pre- or post-sale
        work: the `sa_pool` of the first of its teams that has one, else empty."""
        for team in self.teams_for(account):
            if team.sa_pool:
                return team.sa_pool
        return ()


DEFAULT = TeamsPolicy()


def agenda_projects(policies: Any) -> set[str]:
    """Every project that holds agendas (teams' `agenda_project`, else the accounts project).

    `policies` is the loaded policy set: `.teams` (TeamsPolicy) and `.settings`.
    """
    accounts = str(policies.settings.accounts_project)
    teams = cast(TeamsPolicy, getattr(policies, "teams", None) or DEFAULT)
    return {t.project(accounts) for t in teams.teams}


def parse(data: Mapping[str, Any], ctx: ParseContext) -> TeamsPolicy:
    """Typed teams from schema-valid data; semantic problems go to `ctx`."""
    teams: list[Team] = []
    for index, entry in enumerate(data.get("teams") or []):
        team = _team(entry, ("teams", index), ctx)
        if any(t.name == team.name for t in teams):
            ctx.problem(("teams", index, "name"), f"team '{team.name}' is listed twice")
            continue
        teams.append(team)
    return TeamsPolicy(tuple(teams))


def _team(entry: Mapping[str, Any], path: tuple[str | int, ...], ctx: ParseContext) -> Team:
    name = str(entry["name"])
    return Team(
        name=name,
        title=str(entry.get("title", "")),
        segment=entry.get("segment"),
        members=_members(entry["members"], (*path, "members"), ctx),
        meeting=_meeting(entry["meeting"], (*path, "meeting"), ctx),
        agenda_project=entry.get("agenda_project"),
        sort=cast(SortOrder, entry.get("sort", "arr")),
        sa_pool=tuple(str(u) for u in entry.get("sa_pool", [])),
    )


def _members(
    items: list[Any], path: tuple[str | int, ...], ctx: ParseContext
) -> tuple[Member, ...]:
    members: list[Member] = []
    for index, item in enumerate(items):
        username = str(item["username"])
        if any(m.username == username for m in members):
            ctx.problem((*path, index, "username"), f"member '{username}' is listed twice")
            continue
        role = cast(Role, item["role"])
        members.append(Member(username, role, bool(item.get("facilitates", True))))
    return tuple(members)


def _meeting(data: Mapping[str, Any], path: tuple[str | int, ...], ctx: ParseContext) -> Meeting:
    cadence = cast(Cadence, data["cadence"])
    anchor = _anchor(data.get("anchor"), (*path, "anchor"), ctx)
    weekday = DAY_NAMES.index(data["weekday"]) if "weekday" in data else None
    if cadence == "biweekly" and anchor is None:
        ctx.problem((*path, "cadence"), "a biweekly meeting needs an 'anchor' (one meeting date)")
    if cadence == "weekly" and weekday is None and anchor is None:
        ctx.problem((*path, "cadence"), "a weekly meeting needs a 'weekday'")
    if anchor is not None and weekday is not None and anchor.weekday() != weekday:
        ctx.problem(
            (*path, "anchor"),
            f"anchor {anchor.isoformat()} is a {DAY_NAMES[anchor.weekday()]}, "
            f"not a {DAY_NAMES[weekday]}",
        )
    if weekday is None:
        weekday = anchor.weekday() if anchor else 0
    return Meeting(
        cadence=cadence,
        weekday=weekday,
        time=_time(data.get("time", "15:00")),
        timezone=_timezone(data.get("timezone"), (*path, "timezone"), ctx),
        anchor=anchor if cadence == "biweekly" else None,
    )


def _anchor(text: Any, path: tuple[str | int, ...], ctx: ParseContext) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        ctx.problem(path, f"'anchor' is not a date: '{text}'")
        return None


def _time(text: str) -> time:
    found = _TIME.match(text)
    return time(int(found.group(1)), int(found.group(2))) if found else time(15, 0)


def _timezone(name: Any, path: tuple[str | int, ...], ctx: ParseContext) -> str | None:
    if name is None:
        return None
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        ctx.problem(path, f"unknown time zone '{name}' (use an IANA name like Europe/Paris)")
        return None
    return str(name)
