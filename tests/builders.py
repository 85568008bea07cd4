"""Accounts, health results and plans built in memory, for the report and agenda tests.

Each builder fills in what a test does not care about; a test module keeps a short builder
of its own (names, colours, records) on top of these.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from triage.account import Account
from triage.changes import Change, Problem
from triage.health import HealthResult, MeasureResult
from triage.plan import Plan
from triage.records import Record
from triage.section import BotSection
from triage.snapshot import Issue, User

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # the report tests' run: a Monday morning
BOT = User(1, "salsatam-bot")
GITLAB = "https://gitlab.example.com"


def open_issue(
    iid: int,
    title: str,
    *labels: str,
    created: datetime,
    updated: datetime,
    project: str = "am/accounts",
    issue_id: int | None = None,
    author: User = BOT,
    web_url: str | None = None,
    confidential: bool = False,
) -> Issue:
    """An open issue without a description; `web_url` None: GitLab's URL for it."""
    return Issue(
        id=iid if issue_id is None else issue_id,
        iid=iid,
        project_id=1,
        project_path=project,
        title=title,
        description="",
        state="opened",
        labels=labels,
        author=author,
        created_at=created,
        updated_at=updated,
        web_url=f"{GITLAB}/{project}/-/issues/{iid}" if web_url is None else web_url,
        confidential=confidential,
    )


def health_result(
    colour: str | None,
    *reasons: str,
    score: int | None = None,
    since: date | None = None,
    pinned: str | None = None,
    measures: tuple[MeasureResult, ...] = (),
) -> HealthResult:
    """A health evaluation's outcome: no overrides, nothing remembered."""
    return HealthResult(
        colour=colour,
        score=score,
        measures=measures,
        overrides=(),
        stale=False,
        pinned=pinned is not None,
        pinned_colour=pinned,
        previous=None,
        since=since,
        reasons=reasons,
        profile=None,
        memory=BotSection(),
    )


def account(
    issue: Issue,
    record: Record | None,
    health: HealthResult | None,
    collaboration: tuple[Issue, ...] = (),
) -> Account:
    """An account with a readable record (or none) and no facts or collaboration project."""
    return Account(
        issue=issue,
        record=record,
        record_problems=(),
        collaboration=None,
        collaboration_issues=collaboration,
        facts={},
        health=health,
    )


def plan(
    *accounts: Account,
    kinds: tuple[str, ...] = ("health",),
    changes: Iterable[Change] = (),
    problems: Iterable[Problem] = (),
    now: datetime = NOW,
) -> Plan:
    return Plan(
        now=now, kinds=kinds, changes=list(changes), problems=list(problems), accounts=accounts
    )
