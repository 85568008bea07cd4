"""The raw material of a customer's history: who is who, dated issues, notes, meetings.

`History` collects issues dated relative to `now`; the functions below write the common
parts of every collaboration project (meetings, questions asked and answered, recent open
questions). `triage.demo.scenarios` shapes them per account.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from triage.account import PRE_SALE

CUSTOMER_LABELS = (
    "meeting",
    "escalation::critical",
    "escalation::high",
    "escalation::medium",
    "escalation::low",
    "priority::1",
    "priority::2",
    "priority::3",
)
TOPICS = (
    "Runner autoscaling on Kubernetes",
    "SAML group sync",
    "Slow pipelines on main",
    "Upgrade path to the next release",
    "Container registry clean-up",
    "Merge trains for the monorepo",
    "Dependency scanning false positives",
    "Backup and restore drill",
    "Protected environments for production",
    "Audit events export",
    "Code owners for the platform team",
    "Package registry quotas",
)
REPLIES = (
    "Thanks for the details. Here is what we recommend, with a link to the docs.",
    "We reproduced it; the fix is in the next patch release. A workaround is below.",
    "Good question: the setting lives under Admin > CI/CD. Screenshot attached.",
)
THANKS = (
    "That worked, thank you!",
    "Confirmed on our side, we can close this.",
    "Rolled out to all teams, thanks.",
)


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
        if self.stage in PRE_SALE:
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
        moment = datetime.combine(
            self.day(max(days_ago, 1)),
            time(hour or self.rng.randrange(8, 17), self.rng.randrange(60)),
            tzinfo=self.now.tzinfo,
        )
        return min(moment, self.now - timedelta(hours=1))

    def weekday(self, days_ago: int) -> int:
        """`days_ago`, moved back to the Friday before when it falls on a weekend."""
        return days_ago + max(0, self.day(days_ago).weekday() - 4)

    @staticmethod
    def stamp(moment: datetime | date) -> str:
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(9, 0))
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def issue(
        self, project: str, title: str, author: str, opened: datetime, **fields: Any
    ) -> dict[str, Any]:
        issue: dict[str, Any] = {
            "project": project,
            "title": title,
            "author": author,
            "created_at": self.stamp(opened),
            "description": "",
            "labels": [],
            "notes": [],
        }
        issue.update(fields)
        self.issues.append(issue)
        return issue

    def note(self, issue: dict[str, Any], author: str, body: str, moment: datetime) -> None:
        issue["notes"].append({"author": author, "body": body, "created_at": self.stamp(moment)})

    def close(self, issue: dict[str, Any], moment: datetime) -> None:
        issue["state"] = "closed"
        issue["closed_at"] = self.stamp(moment)


def meetings(h: History, c: Customer, since: int, span: int) -> None:
    every = {"onboarding": 7, "pov": 7, "technical-win": 7}.get(c.stage, 7 + 7 * c.priority)
    latest = since + h.rng.randrange(2, max(3, every - 3))
    if c.scenario == "quiet":
        latest = since
    if c.scenario == "onboarding-late":
        latest = 12
    for days in range(latest, span, every):
        days = h.weekday(days)
        when = h.at(days, hour=15)
        title = "POV check-in" if c.stage in ("pov", "technical-win") else "Cadence call"
        meeting = h.issue(
            c.project or "",
            f"{title} {when.date().isoformat()}",
            c.voice,
            when,
            labels=["meeting"],
            due_date=when.date().isoformat(),
            description=minutes(c),
        )
        h.close(meeting, when + timedelta(hours=2))


def minutes(c: Customer) -> str:
    people = ", ".join(name for _, name in c.contacts[:2])
    return (
        f"Attendees: {people} ({c.name}); the account team.\n\n"
        "## Notes\n\n- Status of open issues\n- Adoption plan for the next quarter\n\n"
        "## Action items\n\n- [x] Share the runner sizing guide\n"
    )


def answered(h: History, c: Customer, talkers: list[str], since: int, span: int) -> None:
    """Questions asked over the months, answered and closed."""
    count = 3 if c.stage in ("pov", "technical-win") else 6
    for n, topic in enumerate(h.rng.sample(TOPICS, count)):
        opened_ago = since + 10 + n * (span - since) // count + h.rng.randrange(5)
        if opened_ago < 4:
            continue
        asked = h.at(opened_ago)
        issue = h.issue(
            c.project or "",
            topic,
            talkers[n % len(talkers)],
            asked,
            description=f"We would like help with: {topic.lower()}.",
            labels=[f"priority::{2 + n % 2}"],
        )
        h.note(issue, c.voice, h.rng.choice(REPLIES), asked + timedelta(days=1))
        h.note(
            issue, talkers[(n + 1) % len(talkers)], h.rng.choice(THANKS), asked + timedelta(days=2)
        )
        h.close(issue, asked + timedelta(days=2, hours=2))


def open_questions(h: History, c: Customer, talkers: list[str], since: int) -> None:
    """Recent open issues: answered (the customer's turn), and one just asked."""
    opened = h.at(since + h.rng.randrange(6, 14))
    topic = h.rng.choice(TOPICS)
    issue = h.issue(
        c.project or "",
        f"Question: {topic.lower()}",
        talkers[0],
        opened,
        description="Could you have a look before our next call?",
    )
    h.note(issue, c.voice, h.rng.choice(REPLIES), opened + timedelta(days=1))
    if since == 0 and c.scenario not in ("pov", "fresh-win"):
        latest = h.at(h.weekday(3))
        fresh = h.issue(
            c.project or "",
            "Runner minutes report for last month",
            talkers[-1],
            latest,
            description="Where do we find this report?",
        )
        h.note(
            fresh,
            c.voice,
            "Under Usage quotas; I will show it on our next call.",
            latest + timedelta(hours=3),
        )
        h.note(fresh, talkers[-1], "Found it, thanks.", latest + timedelta(hours=5))
