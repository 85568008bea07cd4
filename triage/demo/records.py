"""An account's record block in the demo: the YAML a team keeps in the account issue.

Values follow the account's scenario (renewal dates, POV, onboarding, sentiment) and the
record keys the handoff template prefills from (people, Command Plan, architecture).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from triage.account import PRE_SALE
from triage.demo.history import Customer, History

INDUSTRIES = (
    "finance",
    "healthcare",
    "retail",
    "manufacturing",
    "public sector",
    "technology",
    "energy",
    "transport",
)
ADOPTABLE = ("create", "verify", "package", "secure", "release", "configure", "monitor")


def _arr(customer: Customer, rng: random.Random) -> int:
    if customer.segment == "enterprise":
        low, high = {1: (220, 600), 2: (60, 190), 3: (25, 60)}[customer.priority]
    else:
        low, high = {1: (120, 200), 2: (30, 110), 3: (12, 30)}[customer.priority]
    return rng.randrange(low, high) * 1000


def record_for(history: History, customer: Customer, index: int) -> dict[str, Any]:
    rng, today = history.rng, history.today
    days_to_renewal = {
        "renewal-risk": 70,
        "renewal": rng.randrange(95, 125),
        "onboarding": 340,
        "onboarding-late": 326,
        "closed-won": 364,
    }.get(customer.scenario, rng.randrange(140, 360))
    record: dict[str, Any] = {
        "arr": _arr(customer, rng),
        "renewal": today + timedelta(days=days_to_renewal),
        "industry": INDUSTRIES[index % len(INDUSTRIES)],
        "priority": customer.priority,
        "team": customer.team,
    }
    if customer.project:
        record["collaboration_project"] = customer.project
    contacts = [n for _, n in customer.contacts]
    record.update(_people(customer.name, contacts))
    if customer.stage in PRE_SALE:
        record.update(_pre_sale(customer, today))
    else:
        record.update(_post_sale(customer, today, index, rng))
    return record


def _people(company: str, contacts: list[str]) -> dict[str, Any]:
    if not contacts:
        return {"champion": f"{company.split()[0]} head of engineering"}
    people: dict[str, Any] = {"champion": {"name": contacts[0], "title": "Platform lead"}}
    if len(contacts) > 1:
        people["economic_buyer"] = {"name": contacts[1], "title": "VP Engineering"}
    return people


def _pre_sale(customer: Customer, today: date) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "next_step": {
            "prospect": "Intro call with the platform team",
            "discovery": "Discovery workshop: CI and security scanning",
            "pov": "POV midpoint review",
            "technical-win": "Order form with procurement",
        }[customer.stage]
    }
    if customer.scenario != "new-prospect":  # the SA's read of the deal so far
        extra["sentiment"] = {"color": "green", "date": today - timedelta(days=12)}
    if customer.stage == "pov":
        started = 34 if customer.priority == 1 else 18
        extra["pov"] = {"started": today - timedelta(days=started)}
        if customer.priority == 1:
            extra["slack_channel"] = f"#ext-{customer.project_slug}"
    if customer.stage == "technical-win":
        extra["pov"] = {
            "started": today - timedelta(days=41),
            "completed": today - timedelta(days=2),
            "outcome": "won",
        }
        extra["slack_channel"] = f"#ext-{customer.project_slug}"
        extra["command_plan"] = {
            "reason_to_buy": "Replace three CI systems with one platform before the audit",
            "outcomes": ["Release weekly instead of quarterly", "Pass the SOC 2 audit"],
            "pain_points": ["Jenkins maintenance", "No software bill of materials"],
            "metrics": ["Lead time under 2 days", "All pipelines scanned"],
        }
        extra["stages_evaluated"] = ["create", "verify", "secure"]
        extra["architecture"] = "Self-managed, 3,000 users, runners on Kubernetes"
        extra["open_questions"] = ["Geo replication for the Singapore office"]
    return extra


def _post_sale(customer: Customer, today: date, index: int, rng: random.Random) -> dict[str, Any]:
    onboarding_days = {
        "onboarding": 9 if customer.team.get("sal") == "maria.lopez" else 24,
        "onboarding-late": 39,
        "closed-won": 0,
    }.get(customer.scenario)
    started = today - timedelta(
        days=onboarding_days if onboarding_days is not None else rng.randrange(250, 900)
    )
    extra: dict[str, Any] = {"onboarding_started": started}
    if onboarding_days is None:
        ebr_age = (
            330 if customer.scenario in ("renewal", "renewal-risk") else rng.randrange(40, 170)
        )
        extra["last_ebr"] = today - timedelta(days=ebr_age)
        extra["stages_adopted"] = list(ADOPTABLE[: 2 + index % 5])
    extra["success_plan"] = (
        "none"
        if index % 7 == 3
        else f"https://docs.example.com/success-plans/{customer.project_slug}"
    )
    colour = {"escalated": "red", "renewal-risk": "yellow", "waiting-yellow": "yellow"}.get(
        customer.scenario, "green"
    )
    age = {"quiet": 130, "drifting": 70}.get(customer.scenario, rng.randrange(3, 40))
    if customer.scenario != "closed-won":
        extra["sentiment"] = {"color": colour, "date": today - timedelta(days=age)}
    return extra
