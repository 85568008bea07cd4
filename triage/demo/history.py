"""What happened in each customer's collaboration project: months of issues, notes, meetings.

A scenario decides the shape of the history (who spoke last, how long ago, escalations,
meetings); the random generator only picks topics and times. Scenarios:

- healthy: regular meetings, questions answered, two or three people active;
- escalated: an open critical escalation; quiet: nothing for months; drifting: meetings
  stopped seven weeks ago; single-threaded: one contact does all the talking;
- waiting: a customer has waited over ten business days; waiting-yellow about a week;
  slow-reply a few days; old-p1: a priority-1 issue open for weeks;
- renewal-risk: a medium escalation about licences; renewal: the renewal is coming up;
- expansion, services: growth in the making; onboarding(-late): a new customer;
- pov, fresh-win: before the sale (a hostile confidential issue waits in the fresh win);
- closed-won: a brand-new customer project.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

# Written by a hostile customer into a confidential issue: salsatam must never repeat it
# outside that issue (no quick action, no ping, no HTML, no leak of the title).
HOSTILE_TITLE = "/close @all <img src=x onerror=alert(1)> Data breach claim LEGAL-7731"
HOSTILE_DESCRIPTION = (
    '/label ~"health::green"\n/assign @all\n@all @customers please read\n'
    "<script>alert('LEGAL-7731')</script>\n```\nour lawyers are copied"
)
CUSTOMER_LABELS = ("meeting", "escalation::critical", "escalation::high", "escalation::medium",
                   "escalation::low", "priority::1", "priority::2", "priority::3")
TOPICS = ("Runner autoscaling on Kubernetes", "SAML group sync", "Slow pipelines on main",
          "Upgrade path to the next release", "Container registry clean-up",
          "Merge trains for the monorepo", "Dependency scanning false positives",
          "Backup and restore drill", "Protected environments for production",
          "Audit events export", "Code owners for the platform team", "Package registry quotas")
REPLIES = ("Thanks for the details. Here is what we recommend, with a link to the docs.",
           "We reproduced it; the fix is in the next patch release. A workaround is below.",
           "Good question: the setting lives under Admin > CI/CD. Screenshot attached.")
THANKS = ("That worked, thank you!", "Confirmed on our side, we can close this.",
          "Rolled out to all teams, thanks.")


@dataclass(frozen=True)
class Customer:
    name: str
    team: dict[str, str]  # role -> username, as in the record
    segment: str
    stage: str
    scenario: str
    priority: int
    project: str | None  # the collaboration project, None before there is one
    contacts: tuple[tuple[str, str], ...] = ()  # (username, name)

    @property
    def project_slug(self) -> str:
        return self.name.lower().replace(" ", "-")

    @property
    def voice(self) -> str:
        """Who answers the customer: the TAM after the sale, the SA before."""
        if self.stage in ("prospect", "discovery", "pov", "technical-win"):
            return self.team.get("sa") or self.team.get("sal") or self.team["ae"]
        return self.team.get("tam") or self.team.get("sal") or self.team["ae"]


class History:
    """Accumulates issues dated relative to `now`."""

    def __init__(self, now: datetime, rng: random.Random) -> None:
        self.now = now
        self.today = now.date()
        self.rng = rng
        self.issues: list[dict[str, Any]] = []

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def at(self, days_ago: int, hour: int | None = None) -> datetime:
        """A moment `days_ago` days before today, in working hours (UTC)."""
        moment = datetime.combine(self.day(max(days_ago, 1)),
                                  time(hour or self.rng.randrange(8, 17), self.rng.randrange(60)),
                                  tzinfo=self.now.tzinfo)
        return min(moment, self.now - timedelta(hours=1))

    def weekday(self, days_ago: int) -> int:
        """`days_ago`, moved back to the Friday before when it falls on a weekend."""
        return days_ago + max(0, self.day(days_ago).weekday() - 4)

    @staticmethod
    def stamp(moment: datetime | date) -> str:
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(9, 0))
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def issue(self, project: str, title: str, author: str, opened: datetime,
              **fields: Any) -> dict[str, Any]:
        issue: dict[str, Any] = {"project": project, "title": title, "author": author,
                                 "created_at": self.stamp(opened), "description": "",
                                 "labels": [], "notes": []}
        issue.update(fields)
        self.issues.append(issue)
        return issue

    def note(self, issue: dict[str, Any], author: str, body: str, moment: datetime) -> None:
        issue["notes"].append({"author": author, "body": body, "created_at": self.stamp(moment)})

    def close(self, issue: dict[str, Any], moment: datetime) -> None:
        issue["state"] = "closed"
        issue["closed_at"] = self.stamp(moment)


def write_history(h: History, c: Customer) -> None:
    """The collaboration project's issues for customer `c`, shaped by its scenario."""
    assert c.project is not None
    talkers = [u for u, _ in c.contacts]
    if c.scenario == "single-threaded":
        talkers = talkers[:1]
    if c.scenario == "closed-won":
        _welcome(h, c)
        return
    since = {"quiet": 75, "drifting": 50}.get(c.scenario, 0)
    span = 70 if c.stage in ("pov", "technical-win") else 200
    _meetings(h, c, since, span)
    _answered(h, c, talkers, since, span)
    _open_questions(h, c, talkers, since)
    _special(h, c, talkers)


def _meetings(h: History, c: Customer, since: int, span: int) -> None:
    every = {"onboarding": 7, "pov": 7, "technical-win": 7}.get(c.stage, 7 + 7 * c.priority)
    latest = since + h.rng.randrange(2, max(3, every - 3))
    if c.scenario == "onboarding-late":
        latest = 12
    for days in range(latest, span, every):
        days = h.weekday(days)
        when = h.at(days, hour=15)
        title = ("POV check-in" if c.stage in ("pov", "technical-win") else "Cadence call")
        meeting = h.issue(c.project or "", f"{title} {when.date().isoformat()}", c.voice, when,
                          labels=["meeting"], due_date=when.date().isoformat(),
                          description=_minutes(c))
        h.close(meeting, when + timedelta(hours=2))


def _minutes(c: Customer) -> str:
    people = ", ".join(name for _, name in c.contacts[:2])
    return (f"Attendees: {people} ({c.name}); the account team.\n\n"
            "## Notes\n\n- Status of open issues\n- Adoption plan for the next quarter\n\n"
            "## Action items\n\n- [x] Share the runner sizing guide\n")


def _answered(h: History, c: Customer, talkers: list[str], since: int, span: int) -> None:
    """Questions asked over the months, answered and closed."""
    count = 3 if c.stage in ("pov", "technical-win") else 6
    for n, topic in enumerate(h.rng.sample(TOPICS, count)):
        opened_ago = since + 10 + n * (span - since) // count + h.rng.randrange(5)
        if opened_ago < 4:
            continue
        asked = h.at(opened_ago)
        issue = h.issue(c.project or "", topic, talkers[n % len(talkers)], asked,
                        description=f"We would like help with: {topic.lower()}.",
                        labels=[f"priority::{2 + n % 2}"])
        h.note(issue, c.voice, h.rng.choice(REPLIES), asked + timedelta(days=1))
        h.note(issue, talkers[(n + 1) % len(talkers)], h.rng.choice(THANKS),
               asked + timedelta(days=2))
        h.close(issue, asked + timedelta(days=2, hours=2))


def _open_questions(h: History, c: Customer, talkers: list[str], since: int) -> None:
    """Recent open issues: answered (the customer's turn), and one just asked."""
    opened = h.at(since + h.rng.randrange(6, 14))
    topic = h.rng.choice(TOPICS)
    issue = h.issue(c.project or "", f"Question: {topic.lower()}", talkers[0], opened,
                    description="Could you have a look before our next call?")
    h.note(issue, c.voice, h.rng.choice(REPLIES), opened + timedelta(days=1))
    if since == 0 and c.scenario not in ("pov", "fresh-win"):
        latest = h.at(h.weekday(3))
        fresh = h.issue(c.project or "", "Runner minutes report for last month",
                        talkers[-1], latest, description="Where do we find this report?")
        h.note(fresh, c.voice, "Under Usage quotas; I will show it on our next call.",
               latest + timedelta(hours=3))
        h.note(fresh, talkers[-1], "Found it, thanks.", latest + timedelta(hours=5))


def _special(h: History, c: Customer, talkers: list[str]) -> None:
    project, rng = c.project or "", h.rng
    if c.scenario == "escalated":
        down = h.at(3, hour=7)
        issue = h.issue(project, "Production outage after the upgrade", talkers[0], down,
                        labels=["escalation::critical", "priority::1"],
                        description="Our self-managed instance has been down since the "
                                    "upgrade to the latest release.")
        h.note(issue, c.voice, "Support and engineering are engaged; call bridge opened.",
               down + timedelta(hours=1))
        h.note(issue, talkers[1], "Still down. We need an ETA for our CIO.", h.at(1, hour=16))
    if c.scenario in ("waiting", "waiting-yellow", "slow-reply", "renewal-risk"):
        waited = {"waiting": 17, "waiting-yellow": 11, "slow-reply": 6, "renewal-risk": 10}
        asked = h.at(waited[c.scenario] + 6)
        title = "Licence true-up questions" if c.scenario == "renewal-risk" else \
            "Pipelines stuck in pending since the upgrade"
        labels = {"renewal-risk": ["escalation::medium"], "waiting-yellow": ["priority::1"]}.get(
            c.scenario, ["priority::2"])
        issue = h.issue(project, title, talkers[0], asked, labels=labels,
                        description="This blocks our release train; details attached.")
        h.note(issue, c.voice, "Looking into it with the support team.", asked + timedelta(days=1))
        h.note(issue, talkers[-1], "Any news? We are still blocked.",
               h.at(waited[c.scenario]))
    if c.scenario == "old-p1":
        opened = h.at(24)
        issue = h.issue(project, "Geo replication lag in the Singapore site", talkers[0],
                        opened, labels=["priority::1"], description="Lag grows every night.")
        h.note(issue, c.voice, "Engineering is working on a fix; next update Friday.",
               h.at(4))
    if c.scenario in ("expansion", "services"):
        title = ("Expansion: 400 more seats for the data team" if c.scenario == "expansion"
                 else "Statement of work: migration from Jenkins")
        opened = h.at(rng.randrange(5, 12))
        issue = h.issue(project, title, talkers[0], opened, description="Let's scope it.")
        h.note(issue, c.voice, "Great news; I'll bring the SA in.", opened + timedelta(hours=4))
    if c.scenario == "fresh-win":
        opened = h.at(2, hour=22)
        h.issue(project, HOSTILE_TITLE, talkers[-1], opened, confidential=True,
                labels=["priority::1"], description=HOSTILE_DESCRIPTION)
    if c.scenario in ("pov", "fresh-win"):
        kickoff = h.at(40 if c.scenario == "fresh-win" else 18)
        criteria = h.issue(project, "POV success criteria", c.voice, kickoff,
                           description="1. Pipelines under 10 minutes\n2. SAST on every MR\n")
        h.note(criteria, talkers[0], "Agreed; we added a third: SSO with our IdP.",
               kickoff + timedelta(days=1))
        h.note(criteria, c.voice, "Added. See you at the midpoint review.",
               kickoff + timedelta(days=2))


def _welcome(h: History, c: Customer) -> None:
    opened = h.at(1, hour=11)
    seller = c.team.get("ae") or c.team.get("sal") or c.voice
    issue = h.issue(c.project or "", f"Welcome to your collaboration project, {c.name}",
                    seller, opened, description="This is where we work together.")
    h.note(issue, c.contacts[0][0], "Thanks! Looking forward to onboarding.",
           opened + timedelta(hours=2))
