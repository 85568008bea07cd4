"""Reminders: renewal review, EBR preparation, onboarding milestones, cadence calls, triage."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from issues_book import (
    NOW,
    TODAY,
    apply,
    book,
    closed_by_person,
    closes,
    creates,
    customer_issue,
    days,
    meeting,
    notes,
    plan,
    premium,
    record,
    with_records,
)

from triage.changes import SetLabels

ADOPTION = ("segment::enterprise", "stage::adoption")
ONBOARDING = ("segment::enterprise", "stage::onboarding")
COLLAB = "customers/northwind"


def test_renewal_review_opens_about_four_months_ahead_for_seller_and_tam() -> None:
    renewal = days(125)
    snapshot = book(record(labels=ADOPTION, renewal=renewal))
    result = plan(snapshot, policy_set=premium())
    [review] = creates(result, "renewal-review")
    assert review.key == f"reminder:renewal:12:{renewal.isoformat()}"
    assert review.assignees == ("sam.sal", "tom.tam")
    assert review.due_date == renewal - timedelta(days=120)
    assert review.title == f"Renewal review: Northwind renews {renewal.isoformat()}"
    assert review.labels == ("salsatam", "reminder")
    assert plan(apply(snapshot, result.changes), policy_set=premium()).changes == []


def test_no_renewal_review_while_the_renewal_is_far() -> None:
    assert creates(plan(book(record(labels=ADOPTION, renewal=days(200)))), "renewal-review") == []


def test_a_late_renewal_review_is_due_today_not_in_the_past() -> None:
    [review] = creates(plan(book(record(labels=ADOPTION, renewal=days(30)))), "renewal-review")
    assert review.due_date == TODAY


def test_the_renewal_review_closes_when_the_account_renewed() -> None:
    snapshot = book(record(labels=ADOPTION, renewal=days(100)))
    opened = apply(snapshot, plan(snapshot).changes)
    renewed = with_records(opened, record(labels=ADOPTION, renewal=days(465)))
    # The EBR preparation the near renewal opened (no EBR recorded) is no longer due either.
    ebr, close = closes(plan(renewed))
    assert (ebr.rule, close.rule) == ("ebr-prep", "renewal-review")
    assert close.note is not None
    renewal = days(465).isoformat()
    assert close.note.startswith(
        f"Closed: the renewal is now on {renewal}, more than four months away; "
        "the next review opens in time."
    )
    assert close.note.rstrip().endswith(f"<!-- salsatam:key={close.key} -->")
    assert plan(apply(renewed, plan(renewed).changes)).changes == []


def test_ebr_preparation_when_the_last_ebr_is_over_eleven_months_old() -> None:
    snapshot = book(record(labels=ADOPTION, last_ebr=days(-340)))
    result = plan(snapshot)
    [ebr] = creates(result, "ebr-prep")
    assert ebr.key == f"reminder:ebr:12:{days(-340).isoformat()}"
    assert ebr.assignees == ("tom.tam",)
    held = with_records(apply(snapshot, result.changes), record(labels=ADOPTION, last_ebr=days(-1)))
    assert [c.rule for c in closes(plan(held))] == ["ebr-prep"]


def test_ebr_preparation_seven_months_before_renewal() -> None:
    assert (
        creates(
            plan(book(record(labels=ADOPTION, renewal=days(200), last_ebr=days(-200)))), "ebr-prep"
        )
        != []
    )
    recent = record(labels=ADOPTION, renewal=days(200), last_ebr=days(-30))
    assert creates(plan(book(recent)), "ebr-prep") == []


def test_onboarding_milestones_follow_one_another() -> None:
    started = days(-10)
    snapshot = book(record(labels=ONBOARDING, onboarding_started=started))
    first = plan(snapshot)
    [engagement] = creates(first, "onboarding-first-engagement")
    assert engagement.due_date == started + timedelta(days=14)
    assert engagement.key == f"reminder:onboarding-14:12:{started.isoformat()}"

    later = apply(snapshot, first.changes)
    result = plan(later, now=NOW + timedelta(days=15))
    assert [c.rule for c in creates(result)] == ["onboarding-first-value"]
    [missed] = closes(result)
    assert missed.rule == "onboarding-first-engagement"
    # Still open when the next milestone came: nobody marked it done, so it was missed.
    assert missed.note is not None
    assert missed.note.startswith(
        "Missed: the onboarding passed day 23 (25 days now) and the first engagement, "
        "due by day 14, was not marked done here."
    )
    assert "days\\_in\\_onboarding" not in missed.note and "no longer due" not in missed.note


def test_onboarding_reminders_close_when_onboarding_ends() -> None:
    snapshot = book(record(labels=ONBOARDING, onboarding_started=days(-40)))
    opened = apply(snapshot, plan(snapshot).changes)
    adopted = with_records(opened, record(labels=ADOPTION, onboarding_started=days(-40)))
    assert "onboarding-complete" in [c.rule for c in closes(plan(adopted))]


def test_cadence_reminder_when_priority_one_has_no_call_for_over_two_weeks() -> None:
    account = record(labels=ADOPTION, collaboration_project=COLLAB)
    snapshot = book(account, collaboration={COLLAB: (meeting(COLLAB, 1, 20),)})
    result = plan(snapshot)
    [cadence] = creates(result, "cadence")
    assert cadence.key == f"reminder:cadence:12:{days(-20).isoformat()}"
    assert cadence.assignees == ("tom.tam",)
    assert plan(apply(snapshot, result.changes)).changes == []

    calls = {COLLAB: (meeting(COLLAB, 1, 20), meeting(COLLAB, 2, 1))}
    called = replace(apply(snapshot, result.changes), collaboration_issues=calls)
    assert [c.rule for c in closes(plan(called))] == ["cadence"]


def test_cadence_reminder_when_no_meeting_is_left_in_the_history_window() -> None:
    # The last call is older than the closed issues read (120 days): not seen, so overdue.
    account = record(labels=ADOPTION, collaboration_project=COLLAB)
    question = customer_issue(COLLAB, 1, "Runner sizing")
    snapshot = book(account, collaboration={COLLAB: (question,)})
    [cadence] = creates(plan(snapshot), "cadence")
    assert cadence.key == "reminder:cadence:12:none"
    assert "No cadence call in 120 days; priority 1 accounts need one every 14 days." in (
        cadence.description
    )
    assert "No meeting is recorded in that time." in cadence.description


def test_an_account_without_a_priority_gets_the_priority_three_cadence() -> None:
    # The health measure treats a missing priority as `no_priority` (3); so does the reminder.
    account = record(labels=ADOPTION, collaboration_project=COLLAB, priority=None)
    overdue = book(account, collaboration={COLLAB: (meeting(COLLAB, 1, 61),)})
    result = plan(overdue)
    assert list(result.problems) == []
    [cadence] = creates(result, "cadence")
    assert (
        "No cadence call in 61 days; no priority in the record: treated as priority 3, "
        "which needs one every 60 days."
    ) in cadence.description
    recent = book(account, collaboration={COLLAB: (meeting(COLLAB, 1, 59),)})
    assert creates(plan(recent), "cadence") == []


def test_no_cadence_reminder_within_the_priority_allowance() -> None:
    account = record(labels=ADOPTION, collaboration_project=COLLAB, priority=2)
    snapshot = book(account, collaboration={COLLAB: (meeting(COLLAB, 1, 20),)})
    assert creates(plan(snapshot), "cadence") == []


def test_a_red_account_gets_one_triage_issue_and_an_update_request_every_two_weeks() -> None:
    red = record(labels=ADOPTION, sentiment={"color": "red", "date": days(-2)})
    snapshot = book(red)
    result = plan(snapshot)
    [triage] = creates(result, "triage")
    assert triage.key == "triage:12:1"
    assert triage.labels == ("salsatam", "triage")
    assert triage.due_date == TODAY + timedelta(days=14)
    assert "Risk: the risk in one sentence" in triage.description
    opened = apply(snapshot, result.changes)

    assert plan(opened, now=NOW + timedelta(days=13)).changes == []
    due = plan(opened, now=NOW + timedelta(days=14))
    [ask] = notes(due)
    assert ask.key == f"triage:12:1:update:{(TODAY + timedelta(days=14)).isoformat()}"
    assert ask.body.startswith("@tom.tam ")
    asked = apply(opened, due.changes, now=NOW + timedelta(days=14))
    assert plan(asked, now=NOW + timedelta(days=15)).changes == []


def test_yellow_with_renewal_next_quarter_is_asked_weekly_and_monthly_otherwise() -> None:
    soon = record(
        labels=ADOPTION, renewal=days(60), sentiment={"color": "yellow", "date": days(-2)}
    )
    snapshot = book(soon)
    opened = apply(snapshot, plan(snapshot).changes)
    assert [n.rule for n in notes(plan(opened, now=NOW + timedelta(days=7)))] == ["triage"]

    far = record(
        labels=ADOPTION, renewal=days(300), sentiment={"color": "yellow", "date": days(-2)}
    )
    snapshot = book(far)
    opened = apply(snapshot, plan(snapshot).changes)
    assert notes(plan(opened, now=NOW + timedelta(days=20))) == []
    assert len(notes(plan(opened, now=NOW + timedelta(days=30)))) == 1


def test_triage_closes_when_the_account_is_green_again() -> None:
    snapshot = book(record(labels=ADOPTION, sentiment={"color": "red", "date": days(-2)}))
    opened = apply(snapshot, plan(snapshot).changes)
    green = with_records(
        opened, record(labels=ADOPTION, sentiment={"color": "green", "date": days(0)})
    )
    result = plan(green)
    [close] = closes(result)
    assert close.issue.iid == opened.salsatam_issues[0].iid
    assert close.note is not None and close.note.startswith("Closed: the account is green again.")
    assert [c.add for c in result.changes if isinstance(c, SetLabels)] == [("trigger-ended",)]
    assert plan(apply(green, result.changes)).changes == []


def test_a_triage_issue_closed_by_the_tam_is_not_reopened_while_still_red() -> None:
    snapshot = book(record(labels=ADOPTION, sentiment={"color": "red", "date": days(-2)}))
    opened = apply(snapshot, plan(snapshot).changes)
    assert plan(closed_by_person(opened, "triage:12:1"), NOW + timedelta(days=30)).changes == []


def test_snooze_silences_one_rule_only() -> None:
    account = record(
        labels=ADOPTION, renewal=days(100), last_ebr=days(-340), snooze={"renewal-review": days(30)}
    )
    rules = [c.rule for c in creates(plan(book(account)))]
    assert "renewal-review" not in rules
    assert "ebr-prep" in rules


def test_snoozing_one_trigger_of_a_rule() -> None:
    account = record(
        labels=(*ADOPTION, "expansion", "onsite-day"), snooze={"sa-after-sale:onsite-day": days(5)}
    )
    keys = [c.key for c in creates(plan(book(account)))]
    assert keys == ["engagement:sa:expansion:12:1"]


def test_only_staff_are_mentioned_in_an_issue() -> None:
    team = {"sal": "sam.sal", "sa": "sara.sa", "tam": "customers"}
    account = record(labels=("segment::enterprise", "stage::adoption", "expansion"), team=team)
    [issue] = creates(plan(book(account)), "sa-after-sale")
    assert "- TAM: customers" in issue.description
    assert "@customers" not in issue.description
    assert "@sam.sal" in issue.description  # staff are still mentioned
