"""The portfolio view model: ordering, comparison, workload and what stays confidential."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from tests import builders
from tests.builders import NOW
from triage.account import POST_SALE, PRE_SALE, STAGES, Account
from triage.changes import CloseIssue, CreateIssue, Problem, SetLabels
from triage.health import HealthResult, MeasureResult
from triage.plan import Plan
from triage.records import Record, Team
from triage.report.portfolio import NO_TAM, build
from triage.report.portfolio_json import PortfolioFormatError, dump, load, readable
from triage.snapshot import Issue, User, marker


def issue(
    iid: int,
    title: str,
    *labels: str,
    project: str = "am/accounts",
    confidential: bool = False,
    updated: datetime = NOW,
) -> Issue:
    return builders.open_issue(
        iid,
        title,
        *labels,
        project=project,
        issue_id=1000 + iid,
        created=NOW - timedelta(days=200),
        updated=updated,
        confidential=confidential,
    )


def health(
    colour: str | None, score: int | None, *reasons: str, pinned: str | None = None
) -> HealthResult:
    since = date(2026, 10, 20) if colour else None
    return builders.health_result(colour, *reasons, score=score, since=since, pinned=pinned)


def account(
    iid: int,
    name: str,
    colour: str | None = "green",
    score: int | None = 90,
    *,
    tam: str | None = "tina",
    arr: float | None = 100_000,
    renewal: date | None = None,
    stage: str = "adoption",
    priority: int | None = 2,
    confidential: bool = False,
    collaboration: tuple[Issue, ...] = (),
    reasons: tuple[str, ...] = (),
) -> Account:
    return builders.account(
        issue(
            iid,
            name,
            "account",
            f"stage::{stage}",
            "segment::enterprise",
            confidential=confidential,
        ),
        Record(arr=arr, renewal=renewal, team=Team(sal="sal", tam=tam), priority=priority),
        health(colour, score, *reasons) if colour else None,
        collaboration,
    )


def plan(
    *accounts: Account, changes: tuple[Any, ...] = (), problems: tuple[Problem, ...] = ()
) -> Plan:
    return builders.plan(*accounts, kinds=("health", "issues"), changes=changes, problems=problems)


def test_accounts_are_listed_worst_first_then_by_renewal_then_arr() -> None:
    portfolio = build(
        plan(
            account(1, "Green late", "green", renewal=date(2027, 9, 1)),
            account(2, "Red", "red", 30),
            account(3, "Green soon", "green", renewal=date(2027, 1, 1)),
            account(4, "Presale", None, None, stage="discovery", tam=None),
            account(5, "Yellow small", "yellow", 60, arr=10_000),
            account(6, "Yellow big", "yellow", 60, arr=900_000),
        )
    )
    assert [row.name for row in portfolio.accounts] == [
        "Red",
        "Yellow big",
        "Yellow small",
        "Green soon",
        "Green late",
        "Presale",
    ]
    assert portfolio.accounts[-1].colour == "none"
    assert portfolio.accounts[-1].score is None


def test_reasons_come_from_the_health_result() -> None:
    why = ("2 customer issues waiting 6 and 9 business days for a reply",)
    (row,) = build(plan(account(1, "Acme", "red", 38, reasons=why))).accounts
    assert row.reasons == why
    assert row.url == "https://gitlab.example.com/am/accounts/-/issues/1"


def measured(
    colour: str,
    score: int,
    *measures: MeasureResult,
    overrides: tuple[str, ...] = (),
    forced_from: tuple[str, ...] = (),
) -> HealthResult:
    return replace(
        health(colour, score),
        measures=measures,
        overrides=overrides,
        forced_by=tuple(f"rule {n}" for n, _ in enumerate(overrides)),
        forced_from=forced_from,
    )


def result(
    name: str, display: str, colour: str | None, rule: str = "", **extra: Any
) -> MeasureResult:
    return MeasureResult(name, 1, display, colour, "", 1.0, rule, **extra)


WAITING = result("waiting", "2 customer issues waiting 2 and 7 business days", "red", "over 5")
P1 = result("oldest_p1", "oldest open priority::1 issue opened 17 days ago", "yellow", "over 13")
GREEN = result("participants", "3 customer participants in 90 days", "green", "at least 2")


def test_an_override_is_the_why_of_a_red_with_a_green_score() -> None:
    forced = measured(
        "red",
        86,
        WAITING,
        P1,
        GREEN,
        overrides=("a customer has waited 11 business days (red over 10)",),
        forced_from=("waiting",),
    )
    (row,) = build(plan(replace(account(1, "Lumen"), health=forced))).accounts
    assert (row.colour, row.score, row.overridden) == ("red", 86, True)
    assert row.reasons == ("red: override — a customer has waited 11 business days (red over 10)",)
    # The waiting measure is the override's cause: said once, as the why, not again to watch.
    assert row.watch == ("oldest open priority::1 issue opened 17 days ago (yellow over 13)",)


def test_measures_that_are_not_green_are_to_watch_on_a_green_or_yellow_account() -> None:
    green = measured("green", 76, P1, WAITING, GREEN)
    yellow = measured("yellow", 60, WAITING, GREEN)
    rows = build(
        plan(
            replace(account(1, "Falcon"), health=green),
            replace(account(2, "Delta"), health=yellow),
        )
    ).accounts
    by_name = {row.name: row for row in rows}
    falcon, delta = by_name["Falcon"], by_name["Delta"]
    assert falcon.reasons == ("score 76: the weighted mean of 3 measures",)
    assert falcon.watch == (  # red first
        "2 customer issues waiting 2 and 7 business days (red over 5)",
        "oldest open priority::1 issue opened 17 days ago (yellow over 13)",
    )
    assert not any("red over" in reason for reason in falcon.reasons)
    assert delta.reasons == ("score 60: the weighted mean of 2 measures",)
    assert delta.watch == ("2 customer issues waiting 2 and 7 business days (red over 5)",)
    assert not falcon.overridden and not delta.overridden


def test_a_red_score_is_explained_by_its_measures_and_a_stale_sentiment_is_to_watch() -> None:
    stale = result("sentiment", "TAM sentiment green (2025-10-31) is stale", None, stale=True)
    red = measured("red", 40, WAITING, P1, stale)
    (row,) = build(plan(replace(account(1, "Acme"), health=red))).accounts
    assert row.reasons == (
        "2 customer issues waiting 2 and 7 business days (red over 5)",
        "oldest open priority::1 issue opened 17 days ago (yellow over 13)",
    )
    assert row.watch == ("TAM sentiment green (2025-10-31) is stale",)
    assert not row.overridden


def test_the_explanation_survives_report_json() -> None:
    forced = measured("red", 86, WAITING, overrides=("an open critical escalation",))
    portfolio = build(plan(replace(account(1, "Lumen"), health=forced)))
    assert load(dump(portfolio)) == portfolio
    (saved,) = dump(portfolio)["accounts"]
    assert saved["overridden"] is True
    assert saved["watch"] == ["2 customer issues waiting 2 and 7 business days (red over 5)"]


def test_distribution_counts_every_colour_and_has_no_delta_without_a_previous_report() -> None:
    portfolio = build(plan(account(1, "A", "red", 20), account(2, "B"), account(3, "C")))
    assert dict(portfolio.distribution.current) == {"red": 1, "yellow": 0, "green": 2, "none": 0}
    assert portfolio.distribution.previous is None
    assert portfolio.distribution.delta("red") is None


def test_the_previous_report_gives_deltas_and_trends() -> None:
    first = build(plan(account(1, "A", "green"), account(2, "B", "red", 20), account(3, "C")))
    second = build(
        plan(
            account(1, "A", "red", 30),
            account(2, "B", "yellow", 60),
            account(3, "C"),
            account(4, "D"),
        ),
        previous=dump(first),
    )
    distribution = second.distribution
    assert distribution.previous_at == NOW
    assert [distribution.delta(c) for c in ("red", "yellow", "green", "none")] == [0, 1, 0, 0]
    trends = {row.name: row.trend for row in second.accounts}
    assert trends == {"A": "worse", "B": "better", "C": "same", "D": "new"}


def test_a_foreign_or_newer_report_is_not_compared_with() -> None:
    assert readable({"format": "salsatam-portfolio", "version": 99}) is None
    assert readable(["not", "a", "report"]) is None
    report = dump(build(plan(account(1, "A"))))
    assert readable(report) == report


def test_renewals_cover_the_next_twelve_months_soonest_first() -> None:
    portfolio = build(
        plan(
            account(1, "Later", renewal=date(2027, 6, 1)),
            account(2, "Past", renewal=date(2026, 10, 1)),
            account(3, "Too far", renewal=date(2028, 1, 1)),
            account(4, "Soon", renewal=date(2026, 11, 20)),
            account(5, "Unknown", renewal=None),
        )
    )
    assert [(r.name, r.days_to_renewal) for r in portfolio.renewals] == [
        ("Soon", 18),
        ("Later", 211),
    ]


def test_only_customers_have_renewals() -> None:
    soon = date(2027, 1, 1)
    portfolio = build(
        plan(
            account(1, "Prospect", stage="prospect", renewal=soon),
            account(2, "Discovery", stage="discovery", renewal=soon),
            account(3, "Pov", stage="pov", renewal=soon),
            account(4, "Won", stage="technical-win", renewal=soon),
            account(5, "Closed", stage="closed-won", renewal=soon),
            account(6, "Onboarding", stage="onboarding", renewal=soon),
            account(7, "Adoption", stage="adoption", renewal=soon),
            account(8, "Churned", stage="churned", renewal=soon),
        )
    )
    assert [row.name for row in portfolio.renewals] == ["Adoption", "Closed", "Onboarding"]


def test_an_unreadable_record_is_not_counted_as_without_a_tam() -> None:
    broken = replace(
        account(1, "Willow", None, None),
        record=None,
        record_problems=("line 1 of the record block: 'arr' must be a number",),
    )
    portfolio = build(plan(broken, account(2, "Acme", tam="tina")))
    assert [tam_load.tam for tam_load in portfolio.workload] == ["tina"]
    assert [row.name for row in portfolio.unreadable] == ["Willow"]
    (row,) = [row for row in portfolio.accounts if row.name == "Willow"]
    assert (row.readable, row.tam, row.colour) == (False, None, "none")
    assert load(dump(portfolio)) == portfolio


def test_workload_counts_accounts_per_tam_by_colour() -> None:
    portfolio = build(
        plan(
            account(1, "A", "red", 20, tam="tina", priority=1),
            account(2, "B", "yellow", 60, tam="tina", stage="onboarding"),
            account(3, "C", tam="sam"),
            account(4, "Prospect", None, None, tam=None, stage="prospect"),
            account(5, "Orphan", "yellow", 55, tam=None),
        )
    )
    loads = {load.tam: load for load in portfolio.workload}
    assert [load.tam for load in portfolio.workload] == ["tina", "sam", NO_TAM]
    assert dict(loads["tina"].counts) == {"red": 1, "yellow": 1, "green": 0, "none": 0}
    assert (loads["tina"].total, loads["tina"].priority_one, loads["tina"].onboarding) == (2, 1, 1)
    assert loads[NO_TAM].total == 1  # the pre-sale prospect without a TAM is not a gap


def test_workload_counts_each_tams_book_exactly_as_tam_capacity_does() -> None:
    from triage.facts.capacity import CapacityLimits, tam_loads

    accounts = [
        account(iid, f"{stage} {tam}", tam=tam, stage=stage)
        for iid, (stage, tam) in enumerate(
            ((stage, tam) for stage in STAGES for tam in ("tina", None)), start=1
        )
    ]
    portfolio = build(plan(*accounts))
    loads = {load.tam: load for load in portfolio.workload}
    capacity = tam_loads(accounts, CapacityLimits())
    assert loads["tina"].total == capacity["tina"].size == len(POST_SALE)
    # A technical win without a TAM is not a gap; a prospect's or a churned account's TAM
    # carries neither in their row.
    assert loads[NO_TAM].total == len(POST_SALE)
    assert set(loads) == {"tina", NO_TAM}


def test_the_stages_are_one_vocabulary() -> None:
    assert STAGES == (
        "prospect",
        "discovery",
        "pov",
        "technical-win",
        "closed-won",
        "onboarding",
        "adoption",
        "churned",
    )
    assert set(PRE_SALE) | set(POST_SALE) == set(STAGES) - {"churned"}
    assert not set(PRE_SALE) & set(POST_SALE)


def test_confidential_accounts_and_issues_are_never_named() -> None:
    secret = account(7, "Umbrella Secret", "red", 10, renewal=date(2027, 1, 1), confidential=True)
    hidden = issue(
        9, "Breach at Umbrella", "status::awaiting-team", project="c/u", confidential=True
    )
    shown = issue(
        8, "Runner down", "status::awaiting-team", project="c/u", updated=NOW - timedelta(days=5)
    )
    answered = issue(10, "Answered", "status::awaiting-customer", project="c/u")
    open_secret = CreateIssue(
        reason="renewal in 4 months",
        key="renewal:7",
        rule="renewal-review",
        project="am/accounts",
        title="Umbrella Secret renewal review",
        description="",
        confidential=True,
        link_to=secret.issue.ref,
    )
    portfolio = build(
        plan(
            secret,
            account(8, "Acme", collaboration=(shown, hidden, answered)),
            changes=(open_secret,),
            problems=(Problem("Umbrella Secret", "health", "no meeting recorded"),),
        )
    )
    assert portfolio.accounts[0].name == "confidential account am/accounts#7"
    assert portfolio.renewals[0].name == "confidential account am/accounts#7"
    (action,) = portfolio.actions
    assert (action.account, action.what) == (
        "confidential account am/accounts#7",
        "confidential issue",
    )
    assert [(w.what, w.url, w.idle_days) for w in portfolio.waiting] == [
        ("Runner down", "https://gitlab.example.com/c/u/-/issues/8", 5),
        ("confidential issue c/u#9", "", 0),
    ]
    assert portfolio.problems == (
        ("confidential account am/accounts#7", "health", "no meeting recorded"),
    )
    saved = dump(portfolio)
    assert "Umbrella" not in repr(saved)
    first = saved["accounts"][0]
    assert (first["key"], first["name"], first["confidential"]) == ("am/accounts#7", None, True)


def test_actions_list_the_issues_the_plan_opens_by_due_date_and_agendas_apart() -> None:
    acme = account(1, "Acme")
    handoff = CreateIssue(
        reason="technical win",
        key="handoff:1",
        rule="handoff",
        project="am/accounts",
        title="Handoff: Acme",
        description="",
        due_date=date(2026, 11, 9),
        link_to=acme.issue.ref,
    )
    agenda = CreateIssue(
        reason="weekly meeting",
        key="agenda:2026-11-05",
        rule="agenda",
        project="am/accounts",
        title="Account team meeting 2026-11-05",
        description="",
        due_date=date(2026, 11, 5),
    )
    label = SetLabels(reason="red", key="health:1", rule="health", issue=acme.issue.ref)
    portfolio = build(plan(acme, changes=(handoff, agenda, label)))
    assert [(a.due, a.account, a.what) for a in portfolio.actions] == [
        (date(2026, 11, 9), "Acme", "Handoff: Acme"),
    ]
    # An agenda is about a team's meeting, not an account: it has a list of its own.
    assert [(m.due, m.what) for m in portfolio.meetings] == [
        (date(2026, 11, 5), "Account team meeting 2026-11-05"),
    ]
    assert dict(portfolio.change_counts) == {"CreateIssue": 2, "SetLabels": 1}


def test_issues_this_run_labels_as_waiting_for_the_team_are_listed() -> None:
    fresh = issue(8, "Runner down", project="c/a", updated=NOW - timedelta(days=6))
    answered = issue(9, "Answered today", "status::awaiting-team", project="c/a")
    acme = account(1, "Acme", collaboration=(fresh, answered))
    changes = (
        SetLabels(
            reason="a customer is waiting",
            key="status:c/a#8",
            rule="collaboration.status",
            issue=fresh.ref,
            add=("status::awaiting-team",),
            remove=("status::awaiting-customer",),
        ),
        SetLabels(
            reason="the team answered",
            key="status:c/a#9",
            rule="collaboration.status",
            issue=answered.ref,
            add=("status::awaiting-customer",),
            remove=("status::awaiting-team",),
        ),
    )
    portfolio = build(plan(acme, changes=changes))
    assert [(w.account, w.what, w.idle_days) for w in portfolio.waiting] == [
        ("Acme", "Runner down", 6)
    ]


def salsatam_issue(
    iid: int, key: str, due: date | None, *, confidential: bool = False, state: str = "opened"
) -> Issue:
    made = issue(iid, f"Issue {iid}", "salsatam", confidential=confidential)
    return replace(
        made,
        description=f"{marker(key)}\nbody",
        due_date=due,
        state=state,
        assignees=(User(5, "tina"),),
    )


def test_open_salsatam_issues_are_listed_with_the_ones_the_plan_opens() -> None:
    acme, globex = account(1, "Acme"), account(2, "Globex Secret", confidential=True)
    late = salsatam_issue(40, "sa-after-sale:1", date(2026, 10, 20))
    secret = salsatam_issue(41, "renewal:2:2027-01-15", date(2026, 11, 20), confidential=True)
    third = salsatam_issue(42, "ebr:1:3", None)
    agenda = salsatam_issue(43, "agenda:East:2026-11-05", date(2026, 11, 5))
    done = salsatam_issue(44, "handoff:1", date(2026, 10, 1), state="closed")
    superseded = salsatam_issue(45, "triage:red:1:2026-10", date(2026, 10, 2))
    elsewhere = salsatam_issue(46, "handoff:7", date(2026, 10, 3))  # not in this plan
    opens = CreateIssue(
        reason="technical win",
        key="handoff:1",
        rule="handoff",
        project="am/accounts",
        title="Handoff: Acme",
        description="",
        assignees=("sam",),
        due_date=date(2026, 11, 9),
        link_to=acme.issue.ref,
    )
    closes = CloseIssue(reason="superseded", key="close:45", rule="triage", issue=superseded.ref)
    whole = replace(
        plan(acme, globex, changes=(opens, closes)),
        salsatam_issues=(late, secret, third, agenda, done, superseded, elsewhere),
    )
    actions = build(whole).actions
    assert [(a.due, a.account, a.what, a.owner, a.overdue, a.opens) for a in actions] == [
        (date(2026, 10, 20), "Acme", "Issue 40", "tina", True, False),
        (date(2026, 11, 9), "Acme", "Handoff: Acme", "sam", False, True),
        (
            date(2026, 11, 20),
            "confidential account am/accounts#2",
            "confidential issue am/accounts#41",
            "tina",
            False,
            False,
        ),
        (None, "Acme", "Issue 42", "tina", False, False),
    ]
    assert [a.url for a in actions] == [late.web_url, "", "", third.web_url]
    assert load(dump(build(whole))).actions == actions


def test_customer_issues_waiting_show_the_business_days_health_counts() -> None:
    waiting = issue(8, "Runner down", "status::awaiting-team", project="c/a")
    longer = issue(9, "Old question", "status::awaiting-team", project="c/a")
    acme = replace(
        account(1, "Acme", collaboration=(waiting, longer)),
        waits={waiting.ref: 3, longer.ref: 22},
    )
    portfolio = build(plan(acme))
    assert [(w.what, w.waited) for w in portfolio.waiting] == [
        ("Old question", 22),
        ("Runner down", 3),
    ]
    assert load(dump(portfolio)).waiting == portfolio.waiting


def test_a_reason_does_not_repeat_the_account_it_is_listed_under() -> None:
    acme = account(1, "Acme")
    review = CreateIssue(
        reason="Acme: renewal review (renewal 2027-01-15 within the next 127 days)",
        key="renewal:1",
        rule="renewal-review",
        project="am/accounts",
        title="Renewal review: Acme",
        description="",
        link_to=acme.issue.ref,
    )
    (action,) = build(plan(acme, changes=(review,))).actions
    assert (action.account, action.reason) == (
        "Acme",
        "renewal review (renewal 2027-01-15 within the next 127 days)",
    )


def test_a_saved_portfolio_loads_back_unchanged() -> None:
    acme = account(1, "Acme", "red", 30, renewal=date(2027, 1, 1), reasons=("open escalation",))
    portfolio = build(plan(acme, account(2, "Globex")), previous=dump(build(plan(acme))))
    assert load(dump(portfolio)) == portfolio


@pytest.mark.parametrize(
    "broken",
    [
        {"format": "salsatam-portfolio", "version": 1},
        {"format": "salsatam-portfolio", "version": 2},
        {"format": "salsatam-portfolio", "version": 1, "accounts": [{"colour": "purple"}]},
        "not a mapping",
    ],
)
def test_a_broken_portfolio_is_refused_with_a_clear_error(broken: object) -> None:
    with pytest.raises(PortfolioFormatError, match="salsatam-portfolio"):
        load(broken)
