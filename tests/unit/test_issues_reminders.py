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
    coloured_since,
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

from triage.changes import SetLabels, UpdateDescription
from triage.snapshot import Note, Snapshot, User

HUMAN = User(7, "tom.tam", "Tom Tam")

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


def test_a_late_renewal_review_is_due_a_few_days_out_and_says_when_it_was_due() -> None:
    # 120 days before a renewal 30 days away has passed: due in `late_due_days` (5), not today.
    [review] = creates(plan(book(record(labels=ADOPTION, renewal=days(30)))), "renewal-review")
    assert review.due_date == TODAY + timedelta(days=5)
    assert (
        f"The review was due around {days(-90)} (120 days before renewal); hold it by {days(5)}."
    ) in review.description
    [timely] = creates(plan(book(record(labels=ADOPTION, renewal=days(125)))), "renewal-review")
    assert f"Hold the internal renewal review by {days(5)}." in timely.description


def test_a_late_onboarding_milestone_is_due_a_few_days_out() -> None:
    late = record(labels=ONBOARDING, onboarding_started=days(-16))
    [first] = creates(plan(book(late)), "onboarding-first-engagement")
    assert first.due_date == TODAY + timedelta(days=5)
    assert f"was due around {days(-2)} (14 days after onboarding started)" in first.description


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


def test_triage_closes_when_the_account_has_been_green_for_three_days() -> None:
    snapshot = book(record(labels=ADOPTION, sentiment={"color": "red", "date": days(-2)}))
    opened = apply(snapshot, plan(snapshot).changes)
    green = record(labels=ADOPTION, sentiment={"color": "green", "date": days(-3)})
    green = with_records(opened, coloured_since(green, "green", days(-3)))
    result = plan(green)
    [close] = closes(result)
    assert close.issue.iid == opened.salsatam_issues[0].iid
    assert close.note is not None
    assert close.note.startswith(f"Closed: the account has been green since {days(-3)}.")
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


def test_a_meeting_since_onboarding_started_is_the_first_engagement() -> None:
    # A cadence call on onboarding day 6: no first-engagement reminder on day 10.
    started = days(-10)
    account = record(labels=ONBOARDING, onboarding_started=started, collaboration_project=COLLAB)
    met = book(account, collaboration={COLLAB: (meeting(COLLAB, 1, 4),)})
    assert creates(plan(met), "onboarding-first-engagement") == []
    # A meeting before onboarding started does not count.
    early = book(account, collaboration={COLLAB: (meeting(COLLAB, 1, 12),)})
    assert len(creates(plan(early), "onboarding-first-engagement")) == 1


def test_a_first_meeting_closes_the_open_first_engagement_reminder_as_done() -> None:
    started = days(-10)
    account = record(labels=ONBOARDING, onboarding_started=started, collaboration_project=COLLAB)
    question = customer_issue(COLLAB, 1, "Runner sizing")
    snapshot = book(account, collaboration={COLLAB: (question,)})
    opened = apply(snapshot, plan(snapshot).changes)
    calls = {COLLAB: (question, meeting(COLLAB, 2, 1))}
    met = replace(opened, collaboration_issues=calls)
    result = plan(met)
    [done] = [c for c in closes(result) if c.rule == "onboarding-first-engagement"]
    assert done.note is not None
    assert done.note.startswith(f"Done: first meeting on {days(-1).isoformat()}.")
    after = apply(met, result.changes)
    assert [c for c in plan(after).changes if c.rule.startswith("onboarding")] == []


def test_a_milestone_with_every_step_ticked_is_closed_as_done_not_missed() -> None:
    snapshot = book(record(labels=ONBOARDING, onboarding_started=days(-10)))
    opened = apply(snapshot, plan(snapshot).changes)
    [issue] = opened.salsatam_issues
    assert "tick every step above" in issue.description
    assert "counts as the first engagement" in issue.description
    ticked = replace(issue, description=issue.description.replace("- [ ]", "- [x]"))
    half = replace(issue, description=issue.description.replace("- [ ]", "- [x]", 1))
    assert plan(replace(opened, salsatam_issues=(half,))).changes == []

    done = replace(opened, salsatam_issues=(ticked,))
    result = plan(done)
    [close] = closes(result)
    assert close.issue == issue.ref
    assert close.note is not None and close.note.startswith("Done: every step is ticked.")
    closed = apply(done, result.changes)
    assert plan(closed).changes == []
    # Later, when the next milestone opens, nothing says it was missed.
    later = plan(closed, now=NOW + timedelta(days=15))
    assert closes(later) == []
    assert [c.rule for c in creates(later)] == ["onboarding-first-value"]


def test_a_milestone_closed_by_a_person_is_done_not_missed() -> None:
    started = days(-10)
    snapshot = book(record(labels=ONBOARDING, onboarding_started=started))
    opened = apply(snapshot, plan(snapshot).changes)
    closed = closed_by_person(opened, f"reminder:onboarding-14:12:{started.isoformat()}")
    later = plan(closed, now=NOW + timedelta(days=15))
    assert closes(later) == []
    assert [c.rule for c in creates(later)] == ["onboarding-first-value"]


def _with_notes(snapshot: Snapshot, key: str, *added: Note) -> Snapshot:
    issues = tuple(
        replace(i, notes=(*(i.notes or ()), *added), updated_at=max(n.created_at for n in added))
        if i.key == key
        else i
        for i in snapshot.salsatam_issues
    )
    return replace(snapshot, salsatam_issues=issues)


def test_agenda_mentions_do_not_count_as_an_update_of_a_triage_issue() -> None:
    # Every weekly agenda listing the issue adds "mentioned in" (a system note, moving
    # updated_at); that is nobody's update: the request still comes after 14 quiet days.
    snapshot = book(record(labels=ADOPTION, sentiment={"color": "red", "date": days(-2)}))
    opened = apply(snapshot, plan(snapshot).changes)
    mentions = [
        Note(800 + d, HUMAN, "mentioned in issue #41", NOW + timedelta(days=d), system=True)
        for d in (6, 13)
    ]
    mentioned = _with_notes(opened, "triage:12:1", *mentions)
    [ask] = notes(plan(mentioned, now=NOW + timedelta(days=14)))
    assert ask.key == f"triage:12:1:update:{days(14)}"


def test_a_human_update_within_the_cadence_defers_the_request() -> None:
    snapshot = book(record(labels=ADOPTION, sentiment={"color": "red", "date": days(-2)}))
    opened = apply(snapshot, plan(snapshot).changes)
    update = Note(801, HUMAN, "Risk: ...", NOW + timedelta(days=10))
    updated = _with_notes(opened, "triage:12:1", update)
    result = plan(updated, now=NOW + timedelta(days=14))
    assert notes(result) == []
    # What was seen is kept in the description, so the notes are not read again before
    # a request could be due (14 days after the update).
    [seen] = [c for c in result.changes if isinstance(c, UpdateDescription)]
    assert f"seen={days(10)}" in seen.description
    later = apply(updated, result.changes, now=NOW + timedelta(days=14))
    assert plan(later, now=NOW + timedelta(days=15)).changes == []
    [ask] = notes(plan(later, now=NOW + timedelta(days=24)))
    assert ask.key == f"triage:12:1:update:{days(24)}"


def test_a_triage_issue_follows_the_account_from_yellow_to_red() -> None:
    yellow = record(
        labels=ADOPTION, renewal=days(300), sentiment={"color": "yellow", "date": days(-2)}
    )
    snapshot = book(yellow)
    opened = apply(snapshot, plan(snapshot).changes)
    [issue] = opened.salsatam_issues
    assert issue.due_date == TODAY + timedelta(days=30)
    red = record(labels=ADOPTION, renewal=days(300), sentiment={"color": "red", "date": days(3)})
    later = NOW + timedelta(days=3)
    turned = with_records(opened, red)
    result = plan(turned, now=later)
    [note] = notes(result)
    assert note.key.startswith("triage:12:1:health:red:")
    assert "Now **red** since" in note.body
    assert f"update every 14 days; next update due {days(17)}." in note.body
    [moved] = [c for c in result.changes if isinstance(c, UpdateDescription)]
    assert moved.due_date == days(17)
    assert plan(apply(turned, result.changes, now=later), now=later).changes == []


def test_a_cadence_reminder_closed_by_a_stage_change_does_not_claim_a_call() -> None:
    # Opened in onboarding (no call for 10 days); the stage moves to adoption, where
    # priority 2 allows 30 days: no call happened, and the closing note must not say one did.
    onboarding = record(labels=ONBOARDING, collaboration_project=COLLAB, priority=2)
    snapshot = book(onboarding, collaboration={COLLAB: (meeting(COLLAB, 1, 10),)})
    opened = apply(snapshot, plan(snapshot).changes)
    assert [i.key for i in opened.salsatam_issues if i.key.startswith("reminder:cadence")]
    adoption = record(labels=ADOPTION, collaboration_project=COLLAB, priority=2)
    moved = with_records(opened, adoption)
    [close] = [c for c in closes(plan(moved)) if c.rule == "cadence"]
    assert close.note is not None
    assert "last cadence call" not in close.note
    assert close.note.startswith("Closed: the account is at stage adoption now.")
