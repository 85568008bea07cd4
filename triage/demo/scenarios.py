"""What happened in each customer's collaboration project, by scenario.

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

from datetime import timedelta

from triage.demo.history import Customer, History, answered, meetings, open_questions

# Written by a hostile customer into a confidential issue: salsatam must never repeat it
# outside that issue (no quick action, no ping, no HTML, no leak of the title).
HOSTILE_TITLE = "/close @all <img src=x onerror=alert(1)> Data breach claim LEGAL-7731"
HOSTILE_DESCRIPTION = (
    '/label ~"health::green"\n/assign @all\n@all @customers please read\n'
    "<script>alert('LEGAL-7731')</script>\n```\nour lawyers are copied"
)


def write_history(h: History, c: Customer) -> None:
    """The collaboration project's issues for customer `c`, shaped by its scenario."""
    assert c.project is not None
    talkers = [u for u, _ in c.contacts]
    if c.scenario == "single-threaded":
        talkers = talkers[:1]
    if c.scenario == "closed-won":
        _welcome(h, c)
        return
    # Days since the customer last said anything, and since the last meeting.
    since = {"quiet": 95, "drifting": 50}.get(c.scenario, 0)
    met = {"quiet": 130}.get(c.scenario, since)  # older than the history read: none seen
    span = 70 if c.stage in ("pov", "technical-win") else 200
    meetings(h, c, met, span)
    answered(h, c, talkers, since, span)
    open_questions(h, c, talkers, since)
    _special(h, c, talkers)


def _special(h: History, c: Customer, talkers: list[str]) -> None:
    project, rng = c.project or "", h.rng
    if c.scenario == "escalated":
        down = h.at(3, hour=7)
        issue = h.issue(
            project,
            "Production outage after the upgrade",
            talkers[0],
            down,
            labels=["escalation::critical", "priority::1"],
            description="Our self-managed instance has been down since the "
            "upgrade to the latest release.",
        )
        h.note(
            issue,
            c.voice,
            "Support and engineering are engaged; call bridge opened.",
            down + timedelta(hours=1),
        )
        h.note(issue, talkers[1], "Still down. We need an ETA for our CIO.", h.at(1, hour=16))
    if c.scenario in ("waiting", "waiting-yellow", "slow-reply", "renewal-risk"):
        waited = {"waiting": 17, "waiting-yellow": 11, "slow-reply": 6, "renewal-risk": 10}
        asked = h.at(waited[c.scenario] + 6)
        title = (
            "Licence true-up questions"
            if c.scenario == "renewal-risk"
            else "Pipelines stuck in pending since the upgrade"
        )
        labels = {"renewal-risk": ["escalation::medium"], "waiting-yellow": ["priority::1"]}.get(
            c.scenario, ["priority::2"]
        )
        issue = h.issue(
            project,
            title,
            talkers[0],
            asked,
            labels=labels,
            description="This blocks our release train; details attached.",
        )
        h.note(issue, c.voice, "Looking into it with the support team.", asked + timedelta(days=1))
        h.note(issue, talkers[-1], "Any news? We are still blocked.", h.at(waited[c.scenario]))
    if c.scenario == "old-p1":
        opened = h.at(24)
        issue = h.issue(
            project,
            "Geo replication lag in the Singapore site",
            talkers[0],
            opened,
            labels=["priority::1"],
            description="Lag grows every night.",
        )
        h.note(issue, c.voice, "Engineering is working on a fix; next update Friday.", h.at(4))
    if c.scenario in ("expansion", "services"):
        title = (
            "Expansion: 400 more seats for the data team"
            if c.scenario == "expansion"
            else "Statement of work: migration from Jenkins"
        )
        opened = h.at(rng.randrange(5, 12))
        issue = h.issue(project, title, talkers[0], opened, description="Let's scope it.")
        h.note(issue, c.voice, "Great news; I'll bring the SA in.", opened + timedelta(hours=4))
    if c.scenario == "fresh-win":
        opened = h.at(2, hour=22)
        h.issue(
            project,
            HOSTILE_TITLE,
            talkers[-1],
            opened,
            confidential=True,
            labels=["priority::1"],
            description=HOSTILE_DESCRIPTION,
        )
    if c.scenario in ("pov", "fresh-win"):
        kickoff = h.at(40 if c.scenario == "fresh-win" else 18)
        criteria = h.issue(
            project,
            "POV success criteria",
            c.voice,
            kickoff,
            description="1. Pipelines under 10 minutes\n2. SAST on every MR\n",
        )
        h.note(
            criteria,
            talkers[0],
            "Agreed; we added a third: SSO with our IdP.",
            kickoff + timedelta(days=1),
        )
        h.note(
            criteria, c.voice, "Added. See you at the midpoint review.", kickoff + timedelta(days=2)
        )


def _welcome(h: History, c: Customer) -> None:
    opened = h.at(1, hour=11)
    seller = c.team.get("ae") or c.team.get("sal") or c.voice
    issue = h.issue(
        c.project or "",
        f"Welcome to your collaboration project, {c.name}",
        seller,
        opened,
        description="This is where we work together.",
    )
    h.note(
        issue,
        c.contacts[0][0],
        "Thanks! Looking forward to onboarding.",
        opened + timedelta(hours=2),
    )
