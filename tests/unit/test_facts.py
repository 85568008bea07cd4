from dataclasses import replace
from datetime import UTC, date, datetime

from health_book import (
    ACME,
    ALICE,
    BOB,
    BOT,
    NOW,
    SA,
    TAM,
    at,
    issue,
    note,
    policies,
    record,
    record_text,
    snapshot,
)

from triage.facts import build_accounts
from triage.facts.calendar import business_days_since
from triage.facts.registry import FACTS

SETTINGS = policies().settings


def facts_of(*issues, **kwargs):  # type: ignore[no-untyped-def]
    snap = snapshot(issues=tuple(issues), **kwargs)
    return build_accounts(snap, policies(), NOW)[0].facts


def test_business_days_skip_weekends_across_a_month_end() -> None:
    friday = datetime(2024, 5, 31, 16, 0, tzinfo=UTC)
    assert business_days_since(friday, datetime(2024, 6, 1, 10, tzinfo=UTC), SETTINGS) == 0
    assert business_days_since(friday, datetime(2024, 6, 3, 10, tzinfo=UTC), SETTINGS) == 1
    assert business_days_since(friday, datetime(2024, 6, 7, 10, tzinfo=UTC), SETTINGS) == 5
    same_day = datetime(2024, 6, 3, 9, tzinfo=UTC)
    assert business_days_since(same_day, datetime(2024, 6, 3, 17, tzinfo=UTC), SETTINGS) == 0


def test_business_days_skip_holidays_and_use_the_team_time_zone() -> None:
    holidays = replace(SETTINGS, holidays=(date(2024, 6, 3),))
    friday = datetime(2024, 5, 31, 16, 0, tzinfo=UTC)
    assert business_days_since(friday, datetime(2024, 6, 4, 10, tzinfo=UTC), holidays) == 1
    tokyo = replace(SETTINGS, timezone="Asia/Tokyo")
    # Friday 16:00 UTC is already Saturday in Tokyo; Monday 10:00 UTC is Monday there.
    assert business_days_since(friday, datetime(2024, 6, 3, 10, tzinfo=UTC), tokyo) == 1
    sunday_work = replace(SETTINGS, business_days=(6, 0, 1, 2, 3))
    assert business_days_since(friday, datetime(2024, 6, 3, 10, tzinfo=UTC), sunday_work) == 2


def test_a_customer_issue_without_replies_waits_for_the_team() -> None:
    facts = facts_of(issue(1, ALICE, created=9))  # 2024-05-27 (Monday)
    assert facts["issues_waiting"] == 1
    assert facts["oldest_wait_business_days"] == 7
    assert facts["oldest_wait_since"] == date(2024, 5, 27)


def test_a_staff_reply_ends_the_wait_and_bots_and_system_notes_do_not() -> None:
    answered = issue(1, ALICE, created=9, notes=(note(TAM, 8),))
    bot_only = issue(2, ALICE, created=9, notes=(note(BOT, 8), note(TAM, 7, system=True)))
    internal = issue(3, ALICE, created=9, notes=(note(SA, 8, internal=True),))
    facts = facts_of(answered, bot_only, internal)
    assert facts["issues_waiting"] == 2
    assert facts["waiting_business_days"] == ("7", "7")


def test_the_wait_starts_at_the_first_customer_message_since_the_team_spoke() -> None:
    thread = issue(1, TAM, created=20, notes=(note(ALICE, 6), note(BOB, 2), note(BOT, 1)))
    facts = facts_of(thread)
    assert facts["issues_waiting"] == 1
    assert facts["oldest_wait_since"] == at(6).date()
    assert facts["customer_participants_90d"] == 2
    assert facts["last_customer_activity"] == at(2).date()
    assert facts["days_since_customer_activity"] == 2


def test_a_bot_issue_with_no_human_reply_waits_for_nobody() -> None:
    facts = facts_of(issue(1, BOT, created=3))
    assert facts["issues_waiting"] == 0
    assert facts["oldest_wait_business_days"] is None


def test_escalations_by_severity_and_recent_closures() -> None:
    facts = facts_of(
        issue(1, labels=("escalation::critical",)),
        issue(2, labels=("escalation::medium",)),
        issue(3, labels=("escalation::medium",)),
        issue(4, labels=("escalation::high",), state="closed", closed=3),
        issue(5, labels=("escalation::high",), state="closed", closed=10),
        issue(6, labels=("escalation::low",), state="closed", closed=1),
    )
    assert facts["escalations_open_critical"] == 1
    assert facts["escalations_open_high"] == 0
    assert facts["escalations_open_medium"] == 2
    assert facts["escalations_open_low"] == 0
    assert facts["escalations_closed_recent"] == 1


def test_meetings_use_the_due_date_else_the_creation_date() -> None:
    facts = facts_of(
        issue(1, TAM, created=50, labels=("meeting",), state="closed", closed=40),
        issue(2, TAM, created=30, labels=("meeting",), due=date(2024, 5, 21)),
        issue(3, TAM, created=2, labels=("meeting",), due=date(2024, 7, 1)),  # not held yet
    )
    assert facts["last_meeting"] == date(2024, 5, 21)
    assert facts["days_since_last_meeting"] == 15


def test_a_meeting_due_today_is_held_only_once_its_issue_is_closed() -> None:
    # NOW is 12:00 on 2024-06-05: a reminder due today is for a call later today.
    due_today = issue(2, TAM, created=3, labels=("meeting",), due=NOW.date())
    earlier = issue(1, TAM, created=30, labels=("meeting",), due=date(2024, 5, 21))
    facts = facts_of(earlier, due_today)
    assert facts["last_meeting"] == date(2024, 5, 21)
    assert facts["days_since_last_meeting"] == 15
    closed = replace(due_today, state="closed", closed_at=at(0.1))
    facts = facts_of(earlier, closed)
    assert facts["last_meeting"] == NOW.date() and facts["days_since_last_meeting"] == 0
    # A closed meeting dated later is not held yet either.
    later = replace(closed, due_date=date(2024, 6, 7))
    assert facts_of(earlier, later)["last_meeting"] == date(2024, 5, 21)


def test_the_first_onboarding_meeting_follows_the_same_rule() -> None:
    labels = ("account", "segment::enterprise", "stage::onboarding")
    records = (record(record_text(onboarding_started="2024-05-06"), labels=labels),)
    due_today = issue(2, TAM, created=3, labels=("meeting",), due=NOW.date())
    facts = facts_of(due_today, records=records)
    assert facts["first_meeting_in_onboarding"] is None
    closed = replace(due_today, state="closed", closed_at=at(0.1))
    facts = facts_of(closed, records=records)
    assert facts["first_meeting_in_onboarding"] == NOW.date()


def test_oldest_open_priority_one() -> None:
    facts = facts_of(
        issue(1, labels=("priority::1",), created=20),
        issue(2, labels=("priority::1",), created=40, state="closed", closed=1),
        issue(3, labels=("priority::2",), created=90),
    )
    assert facts["oldest_p1_days"] == 20


def test_missing_data_is_none_not_zero() -> None:
    facts = facts_of()
    assert facts["collaboration_missing"] is False
    assert facts["issues_waiting"] == 0
    assert facts["days_since_last_meeting"] is None
    assert facts["days_since_customer_activity"] is None
    assert facts["oldest_p1_days"] is None
    bare = record(record_text(renewal="-", priority="-", sentiment="-", team="-"))
    facts = build_accounts(snapshot((bare,)), policies(), NOW)[0].facts
    assert facts["days_to_renewal"] is None
    assert facts["priority"] is None
    assert facts["sentiment"] is None
    assert facts["success_plan"] is None
    assert facts["tam"] is None


def test_an_unreachable_collaboration_project_gives_no_collaboration_facts() -> None:
    facts = facts_of(issue(1), unreachable={ACME: "404 Project Not Found"})
    assert facts["collaboration_missing"] is True
    assert facts["issues_waiting"] is None
    assert facts["escalations_open_high"] is None


def test_record_facts_and_labels() -> None:
    text = record_text(
        success_plan="none", stages_adopted="[create]", onboarding_started="2024-05-06"
    )
    facts = build_accounts(snapshot((record(text),)), policies(), NOW)[0].facts
    assert facts["arr"] == 120000.0
    assert facts["days_to_renewal"] == 179
    assert facts["segment"] == "enterprise"
    assert facts["stage"] == "adoption"
    assert facts["success_plan"] is False
    assert facts["stages_adopted"] == ("create",)
    assert facts["days_in_onboarding"] == 30
    assert facts["sentiment_age_days"] == 16
    assert facts["tam"] == "tina"
    assert facts["health"] in ("green", "yellow", "red")


def test_every_fact_computed_is_declared() -> None:
    account = build_accounts(snapshot(issues=(issue(1),)), policies(), NOW)[0]
    assert set(account.facts) <= set(FACTS)
    assert FACTS["issues_waiting"].type == "number"
    assert FACTS["renewal"].type == "date"


def test_invalid_records_have_no_record_facts_and_closed_records_are_skipped() -> None:
    bad = record("```yaml\narr: lots\n```", iid=1)
    gone = replace(record(iid=2, title="Gone"), state="closed")
    accounts = build_accounts(snapshot((bad, gone)), policies(), NOW)
    assert [a.name for a in accounts] == ["Acme"]
    assert accounts[0].record is None
    assert accounts[0].health is None
    assert accounts[0].facts["stage"] == "adoption"
    assert "arr" not in accounts[0].facts


def test_no_meeting_or_customer_activity_in_the_history_window_is_a_fact() -> None:
    # Closed issues are read back 120 days (health's history_days): a meeting or a customer
    # message older than that is not in the snapshot, so "none in 120 days" is what we know.
    facts = facts_of(issue(1, TAM, created=20), created=400)
    assert facts["history_days"] == 120
    assert facts["last_meeting"] is None and facts["days_since_last_meeting"] == 120
    assert facts["last_customer_activity"] is None
    assert facts["days_since_customer_activity"] == 120
    assert facts["customer_participants_90d"] == 0


def test_an_old_project_with_nothing_in_the_window_is_judged_not_missing() -> None:
    facts = facts_of(created=400)
    assert facts["days_since_last_meeting"] == 120
    assert facts["days_since_customer_activity"] == 120
    assert facts["customer_participants_90d"] == 0
    assert facts["oldest_p1_days"] is None and facts["issues_waiting"] == 0


def test_a_younger_project_is_judged_over_its_own_age() -> None:
    facts = facts_of(issue(1, TAM, created=20), created=45)
    assert facts["history_days"] == 45
    assert facts["collaboration_started"] == at(45).date()
    assert facts["days_since_last_meeting"] == 45
    assert facts["days_since_customer_activity"] == 45


def test_a_brand_new_project_without_issues_has_no_engagement_data() -> None:
    for created in (5, None):  # created within the window, or not known to be older
        facts = facts_of(created=created)
        assert facts["collaboration_missing"] is False
        assert facts["days_since_last_meeting"] is None
        assert facts["days_since_customer_activity"] is None
        assert facts["customer_participants_90d"] is None
        assert facts["issues_waiting"] == 0 and facts["oldest_p1_days"] is None


def test_a_meeting_or_activity_older_than_the_window_but_still_known_keeps_its_date() -> None:
    # An open meeting issue (open issues are always read) and a customer's open issue.
    facts = facts_of(
        issue(1, TAM, created=150, labels=("meeting",)), issue(2, ALICE, created=140), created=400
    )
    assert facts["last_meeting"] == at(150).date() and facts["days_since_last_meeting"] == 150
    assert facts["days_since_customer_activity"] == 140


def test_an_imported_project_is_judged_over_the_whole_window() -> None:
    # Created in GitLab 3 days ago (moved or imported) with an issue from 80 days ago: its
    # age says nothing about its history.
    facts = facts_of(issue(1, TAM, created=80), created=3)
    assert facts["collaboration_started"] is None
    assert facts["days_since_last_meeting"] == 120
