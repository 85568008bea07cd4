"""A realistic book of business for the demo: teams, accounts, records and their labels.

`build_book(now, seed)` returns a sandbox seed (format in docs/sandbox.md) and the teams
that go with it. Every account has a story (a scenario) chosen here on purpose, so the demo
always shows the same kinds of situation; the seeded random generator only varies the
details (ARR, dates, topics, people). The same `now` and seed give the same book, and
everything is dated relative to `now`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import yaml

from triage.account import PRE_SALE
from triage.demo.history import CUSTOMER_LABELS, Customer, History
from triage.demo.people import contacts_for
from triage.demo.records import record_for
from triage.demo.scenarios import write_history

ACCOUNTS_GROUP = "account-management"
ACCOUNTS_PROJECT = f"{ACCOUNTS_GROUP}/accounts"
CUSTOMERS_GROUP = "customers"
BOT = "salsatam-bot"
REPORTER, DEVELOPER = 20, 30


@dataclass(frozen=True)
class TeamSpec:
    name: str  # lower case: used in agenda keys
    title: str
    segment: str
    members: dict[str, str]  # role -> username
    weekday: str
    sa_pool: tuple[str, ...] = ()


TEAMS = (
    TeamSpec(
        "east",
        "Enterprise East",
        "enterprise",
        {"sal": "maria.lopez", "sa": "dev.patel", "tam": "sam.okafor"},
        "tue",
    ),
    TeamSpec(
        "west",
        "Enterprise West",
        "enterprise",
        {"sal": "james.chen", "sa": "lina.berg", "tam": "tom.walsh"},
        "wed",
    ),
    TeamSpec(
        "mid-market",
        "Mid-Market",
        "mid-market",
        {"ae": "nina.rossi", "tam": "omar.haddad"},
        "thu",
        sa_pool=("ravi.kumar", "julia.novak"),
    ),
)

# (account, team, scenario, priority); scenarios are described in triage/demo/scenarios.py.
ACCOUNTS: tuple[tuple[str, str, str, int], ...] = (
    ("Acme Logistics", "east", "healthy", 1),
    ("Borealis Bank", "east", "escalated", 1),
    ("Cobalt Health", "east", "healthy", 2),
    ("Delta Freight", "east", "quiet", 1),
    ("Evergreen Energy", "east", "onboarding", 2),
    ("Fjord Insurance", "east", "fresh-win", 2),
    ("Granite Telecom", "east", "pov", 2),
    ("Harbor Retail", "east", "new-prospect", 3),
    ("Ion Semiconductors", "east", "renewal-risk", 2),
    ("Juniper Media", "east", "expansion", 2),
    ("Kestrel Aerospace", "east", "renewal", 2),
    ("Lumen Pharma", "east", "waiting", 2),
    ("Meridian Foods", "east", "healthy", 3),
    ("Nimbus Software", "east", "discovery", 3),
    ("Orchid Travel", "west", "healthy", 1),
    ("Pioneer Mining", "west", "single-threaded", 2),
    ("Quasar Games", "west", "healthy", 2),
    ("Redwood Capital", "west", "slow-reply", 2),
    ("Summit Automotive", "west", "pov", 1),
    ("Tidal Water", "west", "discovery", 3),
    ("Umbra Security", "west", "onboarding", 2),
    ("Vertex Robotics", "west", "renewal", 2),
    ("Willow Education", "west", "broken-record", 2),
    ("Xylo Music", "west", "healthy", 3),
    ("Yarrow Farms", "west", "old-p1", 2),
    ("Zephyr Airlines", "west", "healthy", 1),
    ("Atlas Shipping", "west", "drifting", 1),
    ("Beacon Credit", "mid-market", "closed-won", 2),
    ("Cinder Steel", "mid-market", "healthy", 2),
    ("Dune Analytics", "mid-market", "healthy", 3),
    ("Ember Insurance", "mid-market", "quiet", 1),
    ("Falcon Defense", "mid-market", "waiting-yellow", 2),
    ("Glacier Cloud", "mid-market", "expansion", 2),
    ("Helix Biotech", "mid-market", "prospect", 3),
    ("Indigo Fashion", "mid-market", "renewal-risk", 2),
    ("Jasper Hotels", "mid-market", "single-threaded", 3),
    ("Koi Payments", "mid-market", "onboarding-late", 2),
    ("Lattice Chips", "mid-market", "services", 2),
    ("Mosaic Publishing", "mid-market", "healthy", 3),
    ("Nova Utilities", "mid-market", "pov", 2),
)

STAGES = {
    "new-prospect": "prospect",
    "prospect": "prospect",
    "discovery": "discovery",
    "pov": "pov",
    "fresh-win": "technical-win",
    "closed-won": "closed-won",
    "onboarding": "onboarding",
    "onboarding-late": "onboarding",
}
TRIGGER_LABELS = {"expansion": "expansion", "services": "services-sow"}


@dataclass(frozen=True)
class Book:
    """The seed for the sandbox, the teams for teams.yml, and what the demo points at."""

    seed: dict[str, Any]
    teams: tuple[TeamSpec, ...]
    accounts: tuple[str, ...]
    stories: dict[str, str] = field(default_factory=dict)  # scenario -> first account
    team_of: dict[str, str] = field(default_factory=dict)  # account -> team title

    @property
    def issues(self) -> int:
        return len(self.seed["issues"])

    @property
    def notes(self) -> int:
        return sum(len(issue.get("notes", [])) for issue in self.seed["issues"])


def demo_now(today: date | None = None) -> datetime:
    """The demo's clock: 06:00 UTC, when a daily schedule would run (today by default)."""
    day = today or datetime.now(UTC).date()
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)


def build_book(now: datetime, seed: int = 7) -> Book:
    """The whole book of business as of `now`."""
    rng = random.Random(seed)
    history = History(now.astimezone(UTC), rng)
    staff = _staff()
    users: list[dict[str, Any]] = [{"username": u, "name": _person(u)} for u in staff]
    users.append({"username": BOT, "name": "salsatam", "bot": True})
    projects: list[dict[str, Any]] = [
        {"path": ACCOUNTS_PROJECT, "name": "Accounts", "labels": _catalog(ACCOUNT_LABEL_NAMES)}
    ]
    records: list[dict[str, Any]] = []
    stories: dict[str, str] = {}
    teams = {team.name: team for team in TEAMS}
    taken: set[str] = set(staff)
    for index, (name, team_name, scenario, priority) in enumerate(ACCOUNTS):
        stories.setdefault(scenario, name)
        team = teams[team_name]
        customer = _customer(name, team, scenario, priority, index, rng, taken)
        records.append(_record_issue(history, customer, index))
        if customer.project is not None:
            users += [{"username": u, "name": n} for u, n in customer.contacts]
            projects.append(
                {
                    "path": customer.project,
                    "name": name,
                    "created_at": history.stamp(history.day(_project_age(customer))),
                    "members": [
                        {"username": u, "access_level": DEVELOPER} for u, _ in customer.contacts
                    ],
                }
            )
            write_history(history, customer)
    members = [{"username": u, "access_level": DEVELOPER} for u in staff]
    bot = {"username": BOT, "access_level": REPORTER}  # the least role salsatam needs
    seed_data = {
        "users": users,
        "groups": [
            {"path": ACCOUNTS_GROUP, "name": "Account management", "members": [*members, bot]},
            {
                "path": CUSTOMERS_GROUP,
                "name": "Customers",
                "members": [*members, bot],
                "labels": _catalog(CUSTOMER_LABELS),
            },
        ],
        "projects": projects,
        "issues": [*records, *history.issues],
    }
    team_of = {name: teams[team].title for name, team, _, _ in ACCOUNTS}
    return Book(seed_data, TEAMS, tuple(a[0] for a in ACCOUNTS), stories, team_of)


def _project_age(customer: Customer) -> int:
    """Days since the collaboration project was created: before its oldest issue."""
    if customer.scenario == "closed-won":
        return 2
    return 90 if customer.stage in ("pov", "technical-win") else 400


ACCOUNT_LABEL_NAMES = (
    "account",
    "segment::enterprise",
    "segment::mid-market",
    *(
        f"stage::{s}"
        for s in (
            "prospect",
            "discovery",
            "pov",
            "technical-win",
            "closed-won",
            "onboarding",
            "adoption",
            "churned",
        )
    ),
    "tam::qualifying",
    "expansion",
    "services-sow",
)


def _catalog(names: tuple[str, ...]) -> list[dict[str, Any]]:
    """Labels as a team would have made them: names, colours, descriptions from labels.yml."""
    from triage.policy.loader import PACKAGED

    listed = yaml.safe_load((PACKAGED / "policies" / "labels.yml").read_text(encoding="utf-8"))
    known = {label["name"]: label for label in listed["labels"]}
    return [dict(known[name]) for name in names]


def _staff() -> list[str]:
    names: list[str] = []
    for team in TEAMS:
        for username in [*team.members.values(), *team.sa_pool]:
            if username not in names:
                names.append(username)
    return names


def _person(username: str) -> str:
    return username.replace(".", " ").title()


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _customer(
    name: str,
    team: TeamSpec,
    scenario: str,
    priority: int,
    index: int,
    rng: random.Random,
    taken: set[str],
) -> Customer:
    stage = STAGES.get(scenario, "adoption")
    has_project = stage not in ("prospect", "discovery")
    project = f"{CUSTOMERS_GROUP}/{_slug(name)}" if has_project else None
    crew = dict(team.members)
    if team.sa_pool and stage in PRE_SALE:
        crew["sa"] = team.sa_pool[index % len(team.sa_pool)]  # pooled SA on the deal
    return Customer(
        name=name,
        team=crew,
        segment=team.segment,
        stage=stage,
        scenario=scenario,
        priority=priority,
        project=project,
        contacts=contacts_for(name, rng, taken) if project else (),
    )


def _record_issue(history: History, customer: Customer, index: int) -> dict[str, Any]:
    record = record_for(history, customer, index)
    body = yaml.safe_dump(record, sort_keys=False, default_flow_style=False, width=88)
    if customer.scenario == "broken-record":
        body = body.replace(f"arr: {record['arr']}\n", f"arr: {record['arr'] // 1000}k USD\n")
    labels = ["account", f"segment::{customer.segment}", f"stage::{customer.stage}"]
    if customer.segment == "mid-market" and customer.stage not in PRE_SALE:
        labels.append("tam::qualifying")
    if customer.scenario in TRIGGER_LABELS:
        labels.append(TRIGGER_LABELS[customer.scenario])
    author = customer.team.get("sal") or customer.team["ae"]
    age = 420 - index * 7 if customer.stage not in PRE_SALE else 60 - index
    opened = history.day(5 if customer.scenario == "new-prospect" else age)
    description = (
        f"Account record for **{customer.name}**. Keep the block below current: "
        "salsatam reads it every morning.\n\n"
        f"```yaml\n{body}```\n"
    )
    return {
        "project": ACCOUNTS_PROJECT,
        "title": customer.name,
        "author": author,
        "created_at": history.stamp(opened),
        "description": description,
        "labels": labels,
    }
