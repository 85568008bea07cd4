from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from health_book import ALICE, NOW, TAM, issue, note, policies, record, record_text, snapshot

from triage.facts import build_accounts
from triage.health import HealthResult, MeasureResult, evaluate_health
from triage.kinds.health import note_body
from triage.section import BotSection

TODAY = NOW.date()
POLICY = policies().health

# An adoption-stage account where every measure is green.
GREEN: dict[str, Any] = {
    "stage": "adoption",
    "priority": 1,
    "collaboration_missing": False,
    "issues_waiting": 0,
    "oldest_wait_business_days": None,
    "waiting_business_days": None,
    "escalations_open_critical": 0,
    "escalations_open_high": 0,
    "escalations_open_medium": 0,
    "escalations_open_low": 0,
    "escalations_closed_recent": 0,
    "days_since_customer_activity": 3,
    "last_customer_activity": date(2024, 6, 2),
    "days_since_last_meeting": 10,
    "last_meeting": date(2024, 5, 26),
    "customer_participants_90d": 3,
    "oldest_p1_days": None,
    "sentiment": "green",
    "sentiment_date": date(2024, 5, 20),
    "sentiment_age_days": 16,
}


def health(
    labels: tuple[str, ...] = (), previous: BotSection | None = None, **facts: Any
) -> HealthResult:
    return evaluate_health({**GREEN, **facts}, POLICY, labels, BotSection(), previous, TODAY)


def colour_of(result: HealthResult, name: str) -> str | None:
    return next(m.colour for m in result.measures if m.name == name)


def test_all_green() -> None:
    result = health()
    assert (result.colour, result.score, result.reasons) == (
        "green",
        100,
        ("every measure is green",),
    )


@pytest.mark.parametrize(
    ("days", "colour"), [(2, "green"), (3, "yellow"), (5, "yellow"), (6, "red")]
)
def test_waiting_for_the_team(days: int, colour: str) -> None:
    result = health(
        issues_waiting=1, oldest_wait_business_days=days, waiting_business_days=(str(days),)
    )
    assert colour_of(result, "waiting") == colour


def test_waiting_reason_names_each_wait() -> None:
    result = health(issues_waiting=2, oldest_wait_business_days=9, waiting_business_days=("6", "9"))
    assert (
        "2 customer issues waiting 6 and 9 business days for a reply (red over 5)" in result.reasons
    )


@pytest.mark.parametrize(
    ("facts", "colour"),
    [
        ({}, "green"),
        ({"escalations_open_low": 1}, "green"),
        ({"escalations_open_medium": 1}, "yellow"),
        ({"escalations_closed_recent": 1}, "yellow"),
        ({"escalations_open_high": 1}, "red"),
        ({"escalations_open_critical": 1}, "red"),
    ],
)
def test_escalations(facts: dict[str, int], colour: str) -> None:
    assert colour_of(health(**facts), "escalations") == colour


@pytest.mark.parametrize(
    ("days", "colour"), [(30, "green"), (31, "yellow"), (60, "yellow"), (61, "red")]
)
def test_customer_activity(days: int, colour: str) -> None:
    assert colour_of(health(days_since_customer_activity=days), "customer_activity") == colour


@pytest.mark.parametrize(
    ("priority", "days", "colour"),
    [
        (1, 35, "green"),
        (1, 36, "yellow"),
        (1, 61, "red"),
        (2, 65, "green"),
        (3, 90, "yellow"),
        (2, 91, "red"),
        (None, 70, "yellow"),
    ],
)
def test_last_meeting_by_priority(priority: int | None, days: int, colour: str) -> None:
    result = health(priority=priority, days_since_last_meeting=days)
    assert colour_of(result, "last_meeting") == colour


@pytest.mark.parametrize(("people", "colour"), [(2, "green"), (1, "yellow"), (0, "red")])
def test_customer_participants(people: int, colour: str) -> None:
    assert colour_of(health(customer_participants_90d=people), "participants") == colour


@pytest.mark.parametrize(
    ("days", "colour"),
    [(None, "green"), (13, "green"), (14, "yellow"), (30, "yellow"), (31, "red")],
)
def test_oldest_open_priority_one(days: int | None, colour: str) -> None:
    assert colour_of(health(oldest_p1_days=days), "oldest_p1") == colour


def test_sentiment_colour_and_stale_sentiment_is_no_data() -> None:
    assert colour_of(health(sentiment="yellow"), "sentiment") == "yellow"
    stale = health(sentiment="red", sentiment_age_days=91, sentiment_date=date(2024, 3, 6))
    assert colour_of(stale, "sentiment") is None
    assert stale.stale and stale.overrides == ()
    assert (
        "TAM sentiment red (2024-03-06) is stale (older than 90 days): please update it"
        in stale.reasons
    )
    undated = health(sentiment="green", sentiment_age_days=None, sentiment_date=None)
    assert undated.stale


def test_score_is_the_weighted_mean_and_missing_data_gives_its_weight_away() -> None:
    # waiting (2) red=20, escalations (2) 100, activity (2) 100, meeting (2) 100,
    # participants 100, p1 100, sentiment (2) 100 -> (40 + 200 + 600 + 200) / 12 = 86.7
    assert (
        health(issues_waiting=1, oldest_wait_business_days=6, waiting_business_days=("6",)).score
        == 86
    )
    missing = health(
        days_since_customer_activity=None, days_since_last_meeting=None, customer_participants_90d=0
    )
    # participants (1) red=20 among 2+2+1+1+2 = 8 -> (20 + 700) / 8 = 90
    assert missing.score == 90
    assert colour_of(missing, "customer_activity") is None


def test_score_maps_to_colours() -> None:
    yellowish = health(
        sentiment="yellow",
        escalations_open_medium=1,
        customer_participants_90d=1,
        days_since_customer_activity=40,
        days_since_last_meeting=40,
    )
    # (2*60 + 2*60 + 2*60 + 2*100 + 2*60 + 60 + 100) / 12 = 70
    assert yellowish.score == 70 and yellowish.colour == "yellow"
    reddish = health(
        days_since_customer_activity=90,
        days_since_last_meeting=90,
        customer_participants_90d=0,
        oldest_p1_days=40,
        issues_waiting=1,
        oldest_wait_business_days=3,
        sentiment="yellow",
        escalations_open_medium=1,
    )
    assert reddish.score is not None and reddish.score < 50 and reddish.colour == "red"


@pytest.mark.parametrize(
    ("facts", "override"),
    [
        ({"escalations_open_high": 1}, "an open high escalation makes the account red"),
        (
            {
                "issues_waiting": 1,
                "oldest_wait_business_days": 11,
                "waiting_business_days": ("11",),
            },
            "a customer has waited 11 business days (red over 10)",
        ),
        ({"sentiment": "red"}, "the TAM's sentiment is red"),
    ],
)
def test_overrides_force_red(facts: dict[str, Any], override: str) -> None:
    result = health(**facts)
    assert result.colour == "red"
    assert result.overrides == (override,)
    # One line per cause: the override stands for the measure it comes from.
    assert result.reasons == (override,)


def test_an_override_drops_only_the_line_of_its_own_measure() -> None:
    result = health(
        escalations_open_critical=1,
        sentiment="red",
        days_since_last_meeting=40,
        issues_waiting=1,
        oldest_wait_business_days=4,
        waiting_business_days=("4",),
    )
    assert result.reasons == (
        "an open critical escalation makes the account red",
        "the TAM's sentiment is red",
        "1 customer issue waiting 4 business days for a reply (yellow over 2)",
        "last meeting 40 days ago (yellow over 35 days for priority 1)",
    )
    assert result.forced_from == ("escalations", "sentiment")
    # The note lists each cause once; its table still shows every measure.
    body = note_body(result)
    assert body.count("critical escalation") == 2  # the reason, and the table's value
    assert "- 1 critical escalation open" not in body
    assert "- TAM sentiment red" not in body
    assert "| Escalations | 1 critical escalation open | red |" in body


def test_prospects_are_not_scored_on_activity_or_meetings() -> None:
    result = health(
        stage="discovery", days_since_customer_activity=200, days_since_last_meeting=200
    )
    assert result.colour == "green"
    assert result.profile == "prospect"
    assert colour_of(result, "customer_activity") is None
    assert next(m.weight for m in result.measures if m.name == "last_meeting") == 0


def test_first_days_of_onboarding_count_only_sentiment_and_escalations() -> None:
    early = health(
        stage="onboarding", days_in_onboarding=10, customer_participants_90d=0, oldest_p1_days=60
    )
    assert early.colour == "green" and early.profile == "first days of onboarding"
    later = health(
        stage="onboarding", days_in_onboarding=30, customer_participants_90d=0, oldest_p1_days=60
    )
    assert later.profile is None and colour_of(later, "oldest_p1") == "red"
    waiting = health(
        stage="onboarding", days_in_onboarding=10, issues_waiting=1, oldest_wait_business_days=20
    )
    assert waiting.overrides == ()


def test_no_data_at_all_gives_no_colour() -> None:
    facts = dict.fromkeys(GREEN)
    result = evaluate_health(facts, POLICY, (), BotSection(), None, TODAY)
    assert result.colour is None and result.score is None
    assert result.reasons == ("no measure has data",)


def test_pinned_health_is_reported_with_the_pinned_colour() -> None:
    result = health(labels=("health::green", "health-pinned"), sentiment="red")
    assert result.pinned and result.pinned_colour == "green" and result.colour == "red"


def test_since_and_previous_colour_come_from_the_last_section() -> None:
    before = BotSection(colour="green", since=date(2024, 1, 2), previous="red")
    same = health(previous=before)
    assert (same.since, same.previous, same.changed) == (date(2024, 1, 2), "red", False)
    changed = health(previous=before, sentiment="red")
    assert (changed.since, changed.previous, changed.changed) == (TODAY, "green", True)
    assert changed.memory.colour == "red" and changed.memory.since == TODAY


def test_health_from_a_snapshot_explains_in_words() -> None:
    issues = (
        issue(1, ALICE, created=9, notes=(note(TAM, 8), note(ALICE, 7))),  # May 29 -> 5 days
        issue(2, ALICE, created=13),  # May 23 -> 9 business days
        issue(3, TAM, created=5, labels=("meeting",)),
    )
    text = record_text(sentiment="{color: green, date: 2024-05-01}")
    account = build_accounts(snapshot((record(text),), issues), policies(), NOW)[0]
    assert account.health is not None
    assert account.facts["waiting_business_days"] == ("5", "9")
    assert (
        account.health.reasons[0]
        == "2 customer issues waiting 5 and 9 business days for a reply (red over 5)"
    )
    assert account.facts["health"] == account.health.colour


def test_a_changed_policy_changes_the_thresholds() -> None:
    strict = replace(POLICY, customer_activity=replace(POLICY.customer_activity, green=2, yellow=2))
    result = evaluate_health({**GREEN}, strict, (), BotSection(), None, TODAY)
    assert next(m for m in result.measures if m.name == "customer_activity").colour == "red"


def test_a_yellow_sentiment_reason_reads_cleanly() -> None:
    result = health(sentiment="yellow")
    assert result.reasons == ("TAM sentiment yellow (2024-05-20) (yellow)",)


def measure_of(result: HealthResult, name: str) -> MeasureResult:
    return next(m for m in result.measures if m.name == name)


def test_no_meeting_in_the_window_is_red_and_says_so() -> None:
    result = health(
        last_meeting=None,
        days_since_last_meeting=120,
        last_customer_activity=None,
        days_since_customer_activity=120,
        history_days=120,
    )
    meeting = measure_of(result, "last_meeting")
    assert (meeting.colour, meeting.value, meeting.weight) == ("red", 120, 2)
    assert meeting.display == "no meeting in the last 120 days"
    assert meeting.dated == "no meeting in the last 120 days"  # no date: it changes daily
    activity = measure_of(result, "customer_activity")
    assert (activity.colour, activity.display) == (
        "red",
        "no customer activity in the last 120 days",
    )
    assert "no meeting in the last 120 days (red over 60 days for priority 1)" in result.reasons
    # Both count, and a dormant account is not green: (200 + 200 + 2*20 + 2*20 + 100 + 100
    # + 200) / 12
    assert (result.score, result.colour) == (73, "yellow")


def test_a_young_project_without_a_meeting_is_judged_on_its_age() -> None:
    created = date(2024, 4, 21)
    result = health(
        last_meeting=None,
        days_since_last_meeting=45,
        history_days=45,
        collaboration_started=created,
    )
    meeting = measure_of(result, "last_meeting")
    assert meeting.colour == "yellow"
    assert meeting.display == "no meeting since the project started 45 days ago"
    assert meeting.dated == "no meeting since the project started on 2024-04-21"


def test_a_meeting_older_than_the_window_counts_against_the_account() -> None:
    # The account's only meeting was 130 days ago: not read. Staff answer the customer.
    issues = (issue(1, ALICE, created=10, notes=(note(TAM, 9),)),)
    text = record_text(sentiment="{color: yellow, date: 2024-05-20}")
    snap = replace(snapshot((record(text),), issues), projects={})
    old = build_accounts(snap, policies(), NOW)[0]
    assert old.health is not None
    meeting = measure_of(old.health, "last_meeting")
    # Without the project's creation date the window is the policy's: 120 days.
    assert (meeting.colour, meeting.display) == ("red", "no meeting in the last 120 days")
    # Counted, not given away: (200 + 200 + 2*100 + 2*20 + 60 + 100 + 2*60) / 12
    assert old.health.score == 76


def test_the_colour_comes_from_the_exact_mean_and_the_score_shown_stays_in_its_band() -> None:
    # sentiment yellow (60) weighing 17 among 10 of green (100): 74.8..., not 75.
    heavy = replace(POLICY, weights={**POLICY.weights, "sentiment": 17})
    result = evaluate_health({**GREEN, "sentiment": "yellow"}, heavy, (), BotSection(), None, TODAY)
    assert (result.colour, result.score) == ("yellow", 74)
