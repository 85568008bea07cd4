"""Crossing the line: the TAM before the sale, the SA after it, and the Mid-Market SA pool."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from issues_book import (
    NOW,
    apply,
    book,
    closed_by_person,
    closes,
    creates,
    days,
    plan,
    premium,
    record,
    with_pool,
    with_records,
)

from triage.changes import AddNote, SetLabels, UpdateDescription

POST_SALE = ("segment::enterprise", "stage::adoption")


def test_a_shared_slack_channel_before_the_sale_brings_the_tam_in_once() -> None:
    snapshot = book(
        record(labels=("segment::enterprise", "stage::discovery"), slack_channel="#ext-northwind")
    )
    result = plan(snapshot)
    [issue] = creates(result)
    assert issue.rule == "tam-before-sale"
    assert issue.key == "engagement:tam:slack-channel:12"
    assert issue.assignees == ("tom.tam",)
    assert issue.labels == ("salsatam", "engagement")
    assert "a shared Slack channel exists" in issue.description
    assert "a shared Slack channel exists" in issue.reason
    assert plan(apply(snapshot, result.changes)).changes == []


def test_tam_triggers_that_hold_together_share_one_issue_listing_each() -> None:
    account = record(
        labels=("segment::enterprise", "stage::pov", "tam-requested"),
        pov={"started": days(-3)},
        collaboration_project="customers/northwind",
    )
    snapshot = book(account)
    result = plan(snapshot)
    [issue] = creates(result)
    assert issue.key == "engagement:tam:pov:12"
    assert issue.title == "TAM engagement (pov, collaboration-project, requested): Northwind"
    text = issue.description
    assert f"- A proof of value started on {days(-3).isoformat()}" in text
    assert "- A collaboration project was created with the customer" in text
    assert "- The record is labelled tam-requested" in text
    assert (
        "<!-- salsatam:also=engagement:tam:collaboration-project:12,engagement:tam:requested:12 -->"
    ) in text
    # Each trigger keeps its key: a rerun opens nothing.
    assert plan(apply(snapshot, result.changes)).changes == []


def test_a_tam_trigger_that_fires_while_the_issue_is_open_is_noted_on_it() -> None:
    discovery = ("segment::enterprise", "stage::discovery")
    snapshot = book(record(labels=discovery, slack_channel="#ext-northwind"))
    opened = apply(snapshot, plan(snapshot).changes)
    [first] = opened.salsatam_issues

    later = with_records(
        opened, record(labels=discovery, slack_channel="#ext", collaboration_project="c/n")
    )
    result = plan(later, NOW + timedelta(days=2))
    assert creates(result) == []
    [update] = [c for c in result.changes if isinstance(c, UpdateDescription)]
    [note] = [c for c in result.changes if isinstance(c, AddNote)]
    assert update.issue == note.issue == first.ref
    assert "engagement:tam:collaboration-project:12" in update.description
    assert "Another reason for this issue" in note.body
    assert "- A collaboration project was created with the customer (c/n)" in note.body
    noted = apply(later, result.changes, NOW + timedelta(days=2))
    assert plan(noted, NOW + timedelta(days=3)).changes == []


def test_the_handoff_supersedes_tam_engagement() -> None:
    # Opening together: the handoff only.
    won = ("segment::enterprise", "stage::technical-win")
    snapshot = book(record(labels=won, slack_channel="#ext", collaboration_project="c/n"))
    assert [c.rule for c in creates(plan(snapshot))] == ["handoff"]

    # An open TAM engagement is closed when the handoff opens, pointing at it.
    discovery = ("segment::enterprise", "stage::discovery")
    before = book(record(labels=discovery, slack_channel="#ext"))
    engaged = apply(before, plan(before).changes)
    handed = with_records(engaged, record(labels=won, slack_channel="#ext"))
    result = plan(handed, NOW + timedelta(days=5))
    assert [c.rule for c in creates(result)] == ["handoff"]
    [close] = closes(result)
    assert close.rule == "tam-before-sale"
    assert close.note is not None
    assert close.note.startswith(
        "Closed: the SA → TAM account handoff supersedes this issue.\n\n"
        "See “Account handoff to the TAM: Northwind”, opened today."
    )
    after = apply(handed, result.changes, NOW + timedelta(days=5))
    assert plan(after, NOW + timedelta(days=6)).changes == []


def test_an_existing_handoff_is_named_by_its_reference_when_it_supersedes() -> None:
    won = ("segment::enterprise", "stage::technical-win")
    discovery = ("segment::enterprise", "stage::discovery")
    handed = book(record(labels=won))
    opened = apply(handed, plan(handed).changes)
    [handoff] = opened.salsatam_issues
    # A TAM engagement left open from before (opened by an earlier version).
    before = book(record(labels=discovery, slack_channel="#ext"))
    engaged = apply(before, plan(before).changes)
    both = replace(
        opened,
        salsatam_issues=(*opened.salsatam_issues, *engaged.salsatam_issues),
        account_issues=(record(labels=won, slack_channel="#ext"),),
    )
    [close] = closes(plan(both))
    assert close.note is not None
    assert f"See {handoff.ref}." in close.note.replace("\\", "")


def test_a_completed_pov_is_not_said_to_have_started() -> None:
    account = record(
        labels=("segment::mid-market", "stage::pov", "tam::qualifying"),
        team={"ae": "ann.ae", "tam": "tom.tam"},
        pov={"started": days(-20), "completed": days(-4), "outcome": "won"},
    )
    [issue] = creates(plan(book(account)))
    assert issue.rule == "tam-before-sale"
    text = issue.description
    assert "has started" not in text
    assert (
        f"The proof of value started on {days(-20).isoformat()} and was completed on "
        f"{days(-4).isoformat()} (outcome: won)"
    ) in text
    assert f"- POV started {days(-20)}, completed {days(-4)} (won)" in text


def test_no_tam_engagement_after_the_sale_or_for_small_accounts() -> None:
    after = record(labels=POST_SALE, slack_channel="#ext")
    small = record(
        iid=13, arr=10000, labels=("segment::enterprise", "stage::discovery"), slack_channel="#ext"
    )
    assert creates(plan(book(after, small)), "tam-before-sale") == []


def test_expansion_after_the_sale_brings_the_sa_back_once_per_occurrence() -> None:
    snapshot = book(record(labels=(*POST_SALE, "expansion")))
    first = plan(snapshot)
    [issue] = creates(first)
    assert (issue.rule, issue.key) == ("sa-after-sale", "engagement:sa:expansion:12:1")
    assert issue.assignees == ("sara.sa",)
    assert "expansion plans to develop with the SAL and TAM" in issue.reason
    opened = apply(snapshot, first.changes)
    assert plan(opened).changes == []

    # The label leaves the record: the issue closes with a note and is marked ended.
    removed = with_records(opened, record(labels=POST_SALE))
    ending = plan(removed)
    [close] = closes(ending)
    assert close.note is not None
    assert close.note.startswith("Closed: the label expansion was taken off the record.")
    assert [c.add for c in ending.changes if isinstance(c, SetLabels)] == [("trigger-ended",)]
    ended = apply(removed, ending.changes)
    assert plan(ended).changes == []

    # Added again later: a new occurrence.
    again = plan(with_records(ended, record(labels=(*POST_SALE, "expansion"))))
    assert [c.key for c in creates(again)] == ["engagement:sa:expansion:12:2"]


def test_closing_the_issue_while_the_label_stays_does_not_open_another() -> None:
    snapshot = book(record(labels=(*POST_SALE, "services-sow")))
    opened = apply(snapshot, plan(snapshot).changes)
    closed = closed_by_person(opened, "engagement:sa:services-sow:12:1")
    assert plan(closed).changes == []
    # Once the label is gone, the closed issue is marked ended (and nothing is reopened).
    gone = plan(with_records(closed, record(labels=POST_SALE)))
    assert closes(gone) == []
    assert [type(c).__name__ for c in gone.changes] == ["SetLabels"]


def test_sa_triggers_that_fire_the_same_day_share_one_issue() -> None:
    labels = ("new-pov", "license-expansion", "onsite-day")
    snapshot = book(record(labels=(*POST_SALE, *labels)))
    result = plan(snapshot)
    [issue] = creates(result)
    assert issue.key == "engagement:sa:new-pov:12:1"
    assert issue.title == "SA engagement (new-pov, license-expansion, onsite-day): Northwind"
    assert (
        "<!-- salsatam:also=engagement:sa:license-expansion:12:1,engagement:sa:onsite-day:12:1 -->"
    ) in issue.description
    assert "Remove the labels new-pov, license-expansion, onsite-day" in issue.description
    assert plan(apply(snapshot, result.changes)).changes == []


def test_a_shared_sa_issue_closes_when_its_last_trigger_ends() -> None:
    snapshot = book(record(labels=(*POST_SALE, "expansion", "onsite-day")))
    opened = apply(snapshot, plan(snapshot).changes)
    # One label leaves: the other still holds, so the issue stays open and unmarked.
    one = with_records(opened, record(labels=(*POST_SALE, "expansion")))
    assert plan(one).changes == []
    # A trigger that fires on a later day gets an occurrence of its own.
    later = plan(
        with_records(opened, record(labels=(*POST_SALE, "expansion", "onsite-day", "new-pov")))
    )
    assert [c.key for c in creates(later)] == ["engagement:sa:new-pov:12:1"]
    # Both gone: closed once and marked ended once; then a label back is a new occurrence.
    none = with_records(opened, record(labels=POST_SALE))
    ending = plan(none)
    assert len(closes(ending)) == 1
    assert [c.add for c in ending.changes if isinstance(c, SetLabels)] == [("trigger-ended",)]
    ended = apply(none, ending.changes)
    assert plan(ended).changes == []
    again = plan(with_records(ended, record(labels=(*POST_SALE, "onsite-day"))))
    assert [c.key for c in creates(again)] == ["engagement:sa:onsite-day:12:2"]


def test_pooled_sas_take_turns_from_what_salsatam_assigned_before() -> None:
    pool = ("pia.sa", "paul.sa")
    team = {"ae": "ann.ae", "tam": "tom.tam"}
    mm = ("segment::mid-market", "stage::adoption", "expansion")
    first = record(iid=21, name="Alpha", labels=mm, team=team)
    second = record(iid=22, name="Beta", labels=mm, team=team)
    snapshot = book(first, second)
    result = plan(snapshot, policy_set=with_pool(pool))
    assert [c.assignees for c in creates(result)] == [("pia.sa",), ("paul.sa",)]
    assert "SA: @pia.sa (from the Mid-Market SA pool)" in creates(result)[0].description

    # The next account starts after the last one salsatam assigned (paul.sa).
    opened = apply(snapshot, result.changes)
    third = record(iid=23, name="Gamma", labels=mm, team=team)
    later = plan(
        with_records(opened, first, second, third), NOW + timedelta(days=1), with_pool(pool)
    )
    assert [c.assignees for c in creates(later)] == [("pia.sa",)]


def test_a_record_sa_wins_over_the_pool() -> None:
    account = record(
        labels=("segment::mid-market", "stage::adoption", "expansion"),
        team={"ae": "ann.ae", "sa": "sara.sa", "tam": "tom.tam"},
    )
    [issue] = creates(plan(book(account), policy_set=with_pool(("pia.sa",))))
    assert issue.assignees == ("sara.sa",)


def test_an_over_committed_tam_brings_the_sa_to_onboarding_and_red_accounts() -> None:
    onboarding = ("segment::enterprise", "stage::onboarding")
    book_of_tam = [
        record(iid=30 + n, name=f"Account {n}", labels=onboarding, onboarding_started=days(-60))
        for n in range(4)
    ]
    quiet = record(iid=40, name="Quiet", labels=POST_SALE)
    result = plan(book(*book_of_tam, quiet), policy_set=premium())
    engaged = creates(result, "sa-after-sale")
    assert sorted(c.key for c in engaged) == [
        f"engagement:sa:tam-over-committed:{30 + n}:1" for n in range(4)
    ]
    assert all(c.assignees == ("sara.sa", "tom.tam") for c in engaged)
    assert "4 onboardings at once (limit 3)" in engaged[0].description


def _over_committed(team: dict[str, str] | None = None) -> list[Any]:
    onboarding = ("segment::enterprise", "stage::onboarding")
    extra = {"team": team} if team else {}
    accounts = [
        record(
            iid=30 + n,
            name=f"Account {n}",
            labels=onboarding,
            onboarding_started=days(-60),
            **extra,
        )
        for n in range(4)
    ]
    return creates(plan(book(*accounts)), "sa-after-sale")


def test_the_over_committed_issue_asks_for_no_label_removal() -> None:
    issue = _over_committed()[0]
    text = issue.description
    assert "Remove the label" not in text and "trigger label" not in text
    assert "- [ ] Close this issue when the SA's part is done" in text
    assert "Why: The TAM's book is over its limits" in text
    assert "tam_over_committed" not in text


def test_an_enterprise_record_without_an_sa_never_calls_the_tam_an_sa() -> None:
    issue = _over_committed({"sal": "sam.sal", "tam": "tom.tam"})[0]
    text = issue.description
    assert issue.assignees == ("tom.tam",)
    assert "SA: @tom.tam" not in text and "pool" not in text
    assert "- SA: _the record names no SA_: @sam.sal, please name one in the record" in text


def test_a_label_trigger_asks_to_remove_that_label() -> None:
    [issue] = creates(plan(book(record(labels=(*POST_SALE, "services-sow")))))
    assert "Remove the label services-sow from the record" in issue.description
    assert "Why: The record is labelled services-sow." in issue.description
