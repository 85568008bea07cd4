"""A realistic book of business for the demo: teams, accounts, customers and their history.

`build_book(now, seed)` returns a sandbox seed (see docs/sandbox.md) and the teams file that
goes with it. Everything is derived from `now` and a seeded random generator, so the same
seed gives the same book, always relative to the day the demo runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import yaml

ACCOUNTS_GROUP = "account-management"
ACCOUNTS_PROJECT = f"{ACCOUNTS_GROUP}/accounts"
CUSTOMERS_GROUP = "customers"
BOT = "salsatam-bot"

TEAMS: dict[str, dict[str, Any]] = {
    "Enterprise East": {
        "segment": "enterprise",
        "members": {"sal": "maria.lopez", "sa": "dev.patel", "tam": "sam.okafor"},
        "weekday": "tue",
    },
    "Enterprise West": {
        "segment": "enterprise",
        "members": {"sal": "james.chen", "sa": "lina.berg", "tam": "tom.walsh"},
        "weekday": "wed",
    },
    "Mid-Market": {
        "segment": "mid-market",
        "members": {"ae": "nina.rossi", "tam": "omar.haddad"},
        "weekday": "thu",
        "sa_pool": ["ravi.kumar", "julia.novak"],
    },
}

COMPANIES = [
    "Acme Logistics", "Borealis Bank", "Cobalt Health", "Delta Freight", "Evergreen Energy",
    "Fjord Insurance", "Granite Telecom", "Harbor Retail", "Ion Semiconductors", "Juniper Media",
    "Kestrel Aerospace", "Lumen Pharma", "Meridian Foods", "Nimbus Software", "Orchid Travel",
    "Pioneer Mining", "Quasar Games", "Redwood Capital", "Summit Automotive", "Tidal Water",
    "Umbra Security", "Vertex Robotics", "Willow Education", "Xylo Music", "Yarrow Farms",
    "Zephyr Airlines", "Atlas Shipping", "Beacon Credit", "Cinder Steel", "Dune Analytics",
    "Ember Insurance", "Falcon Defense", "Glacier Cloud", "Helix Biotech", "Indigo Fashion",
    "Jasper Hotels", "Koi Payments", "Lattice Chips", "Mosaic Publishing", "Nova Utilities",
]

INDUSTRIES = ["Finance", "Healthcare", "Retail", "Manufacturing", "Public sector", "Technology"]
STAGES_ADOPTED = ["create", "verify", "package", "secure", "release", "configure", "monitor"]

# (stage, scenario) for each account, in order; scenarios shape the collaboration history.
PLAN: list[tuple[str, str]] = [
    ("adoption", "healthy"), ("adoption", "waiting"), ("adoption", "escalated"),
    ("adoption", "quiet"), ("onboarding", "onboarding"), ("technical-win", "fresh-win"),
    ("pov", "pov"), ("prospect", "prospect"), ("adoption", "renewal-risk"),
    ("adoption", "single-threaded"), ("adoption", "expansion"), ("discovery", "prospect"),
    ("adoption", "healthy"),
]


@dataclass(frozen=True)
class Book:
    seed: dict[str, Any]
    teams_yaml: str
    accounts: int


def _ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class _Writer:
    """Accumulates the seed while the book is generated."""

    def __init__(self, now: datetime, rng: random.Random) -> None:
        self.now = now
        self.rng = rng
        self.users: list[dict[str, Any]] = []
        self.projects: list[dict[str, Any]] = []
        self.issues: list[dict[str, Any]] = []

    def ago(self, days: float, hour: int = 10) -> datetime:
        moment = self.now - timedelta(days=days)
        return moment.replace(hour=hour, minute=self.rng.randrange(60), second=0, microsecond=0)

    def user(self, username: str, name: str, bot: bool = False) -> str:
        self.users.append({"username": username, "name": name, "bot": bot})
        return username

    def issue(self, project: str, title: str, author: str, created: datetime,
              **fields: Any) -> dict[str, Any]:
        issue: dict[str, Any] = {
            "project": project, "title": title, "author": author,
            "created_at": _ts(created), "updated_at": _ts(created), "description": "",
            "labels": [], "notes": [], "state": "opened",
        }
        issue.update(fields)
        self.issues.append(issue)
        return issue

    def note(self, issue: dict[str, Any], author: str, body: str, at: datetime) -> None:
        issue["notes"].append({"author": author, "body": body, "created_at": _ts(at)})
        issue["updated_at"] = max(issue["updated_at"], _ts(at))


def build_book(now: datetime, seed: int = 7) -> Book:
    rng = random.Random(seed)
    w = _Writer(now, rng)
    staff = _staff(w)
    accounts_members = [{"username": u, "access_level": 30} for u in staff]
    accounts_members.append({"username": BOT, "access_level": 40})
    for index, company in enumerate(COMPANIES):
        team_name = list(TEAMS)[index % len(TEAMS)]
        stage, scenario = PLAN[index % len(PLAN)]
        if index == len(COMPANIES) - 1:
            scenario = "broken-record"
        _account(w, index, company, team_name, stage, scenario)
    seed_data = {
        "users": w.users,
        "groups": [
            {"path": ACCOUNTS_GROUP, "name": "Account management",
             "members": accounts_members},
            {"path": CUSTOMERS_GROUP, "name": "Customers",
             "members": [{"username": u, "access_level": 30} for u in [*staff, BOT]]},
        ],
        "projects": [{"path": ACCOUNTS_PROJECT, "name": "Accounts"}, *w.projects],
        "issues": w.issues,
    }
    return Book(seed_data, _teams_yaml(), len(COMPANIES))


def _staff(w: _Writer) -> list[str]:
    names: list[str] = []
    for team in TEAMS.values():
        for username in [*team["members"].values(), *team.get("sa_pool", [])]:
            if username not in names:
                names.append(username)
    for username in names:
        w.user(username, username.replace(".", " ").title())
    w.user(BOT, "salsatam", bot=True)
    return names


def _record(w: _Writer, index: int, company: str, team_name: str, stage: str,
            scenario: str, project: str) -> tuple[str, list[str]]:
    team = TEAMS[team_name]
    segment = team["segment"]
    rng = w.rng
    enterprise = segment == "enterprise"
    arr = rng.choice([60000, 85000, 120000, 240000, 400000]) if enterprise else \
        rng.choice([18000, 30000, 45000, 70000])
    renewal_in = 75 if scenario == "renewal-risk" else rng.randrange(100, 420)
    record: dict[str, Any] = {
        "arr": arr,
        "renewal": (w.now.date() + timedelta(days=renewal_in)).isoformat(),
        "industry": INDUSTRIES[index % len(INDUSTRIES)],
        "team": dict(team["members"]),
        "collaboration_project": project,
        "priority": 1 if arr >= 200000 else (2 if arr >= 50000 else 3),
        "champion": f"{company.split()[0]} platform lead",
        "economic_buyer": f"{company.split()[0]} CTO",
    }
    if segment == "mid-market" and index % 2:
        record["team"].pop("sa", None)
    pre_sale = stage in ("prospect", "discovery", "pov", "technical-win")
    today = w.now.date()
    if stage in ("pov", "technical-win"):
        record["pov"] = {"started": (today - timedelta(days=20 if stage == "pov" else 50)).isoformat()}
        if stage == "technical-win":
            record["pov"]["completed"] = (today - timedelta(days=3)).isoformat()
            record["pov"]["outcome"] = "won"
            record["slack_channel"] = f"#ext-{project.split('/')[-1]}"
    if not pre_sale:
        started = today - timedelta(days=20 if stage == "onboarding" else rng.randrange(200, 700))
        record["onboarding_started"] = started.isoformat()
        record["last_ebr"] = (today - timedelta(days=rng.randrange(60, 380))).isoformat()
        record["success_plan"] = "none" if index % 5 == 0 else f"https://docs.example.com/{index}"
        record["stages_adopted"] = STAGES_ADOPTED[: 2 + index % 4]
        color = {"renewal-risk": "yellow", "escalated": "red"}.get(scenario, "green")
        age = 120 if scenario == "quiet" else rng.randrange(5, 40)
        record["sentiment"] = {"color": color, "date": (today - timedelta(days=age)).isoformat()}
    labels = ["account", f"segment::{segment}", f"stage::{stage}"]
    if scenario == "expansion":
        labels.append("expansion")
    body = yaml.safe_dump(record, sort_keys=False, default_flow_style=False)
    if scenario == "broken-record":
        body = body.replace(f"arr: {arr}", "arr: [unclosed")
    description = (
        f"Account record for {company}. Keep the block below current; salsatam reads it.\n\n"
        f"```yaml\n{body}```\n"
    )
    return description, labels


def _account(w: _Writer, index: int, company: str, team_name: str, stage: str,
             scenario: str) -> None:
    slug = company.lower().replace(" ", "-")
    project = f"{CUSTOMERS_GROUP}/{slug}"
    contacts = [w.user(f"{slug}-{role}", f"{company.split()[0]} {role.title()}")
                for role in ("lead", "dev", "ops")]
    w.projects.append({
        "path": project, "name": company,
        "members": [{"username": c, "access_level": 20} for c in contacts],
    })
    description, labels = _record(w, index, company, team_name, stage, scenario, project)
    team = TEAMS[team_name]["members"]
    author = team.get("tam") or team.get("sal") or team.get("ae")
    w.issue(ACCOUNTS_PROJECT, company, author, w.ago(400 - index), description=description,
            labels=labels)
    if stage not in ("prospect", "discovery"):
        _history(w, project, contacts, team, scenario)


def _history(w: _Writer, project: str, contacts: list[str], team: dict[str, str],
             scenario: str) -> None:
    tam = team.get("tam") or team.get("sa") or next(iter(team.values()))
    rng = w.rng
    quiet = scenario == "quiet"
    last = 75 if quiet else 0
    speakers = contacts[:1] if scenario == "single-threaded" else contacts
    # Meetings every few weeks, going back about six months.
    for days in range(last + rng.randrange(5, 15), 180, 21 if not quiet else 40):
        meeting = w.ago(days)
        w.issue(project, f"Cadence call {meeting.date().isoformat()}", tam, meeting,
                labels=["meeting"], due_date=meeting.date().isoformat(), state="closed",
                closed_at=_ts(meeting + timedelta(hours=2)))
    topics = ["Runner autoscaling questions", "SAML group sync", "Pipeline speed",
              "Upgrade to the next release", "Container registry cleanup", "Merge train setup"]
    for n, topic in enumerate(rng.sample(topics, 4)):
        opened = w.ago(last + 20 + n * 17)
        issue = w.issue(project, topic, speakers[n % len(speakers)], opened,
                        description=f"We would like help with {topic.lower()}.")
        w.note(issue, tam, "Thanks, here is what we recommend.", opened + timedelta(days=1))
        w.note(issue, speakers[(n + 1) % len(speakers)], "That worked, thank you.",
               opened + timedelta(days=3))
    if scenario == "waiting":
        opened = w.ago(12)
        issue = w.issue(project, "Pipelines stuck in pending", contacts[1], opened,
                        labels=["priority::2"], description="Since the upgrade jobs wait.")
        w.note(issue, tam, "Looking into it.", opened + timedelta(days=1))
        w.note(issue, contacts[1], "Any news? This blocks our release.", w.ago(9))
    if scenario == "escalated":
        w.issue(project, "Production outage after upgrade", contacts[0], w.ago(3),
                labels=["escalation::critical", "priority::1"],
                description="Our self-managed instance is down since the upgrade.")
    if scenario == "renewal-risk":
        w.issue(project, "Licence true-up questions", contacts[0], w.ago(8),
                labels=["escalation::medium"], description="We are reviewing seat counts.")
    if scenario in ("waiting", "escalated", "renewal-risk"):
        w.issue(project, "/close @all <b>urgent</b> see #1", contacts[2], w.ago(4),
                description="/label ~\"health::green\"\n@all please look\n```\nunclosed",
                confidential=True)


def _teams_yaml() -> str:
    teams = []
    for name, team in TEAMS.items():
        members = [{"username": u, "role": r} for r, u in team["members"].items()]
        entry: dict[str, Any] = {
            "name": name,
            "segment": team["segment"],
            "members": members,
            "cadence": {"every": "weekly", "weekday": team["weekday"], "time": "15:00",
                        "timezone": "UTC"},
            "agenda_project": ACCOUNTS_PROJECT,
            "sort_customers_by": "arr",
        }
        if "sa_pool" in team:
            entry["sa_pool"] = team["sa_pool"]
        teams.append(entry)
    return yaml.safe_dump({"teams": teams}, sort_keys=False)


def demo_now(today: date | None = None) -> datetime:
    """The demo's clock: today at 06:00 UTC, when a daily schedule would run."""
    from datetime import UTC

    day = today or datetime.now(UTC).date()
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)
