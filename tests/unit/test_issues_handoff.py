"""The SA → TAM handoff: when it opens, for whom, what it says, and that it opens once."""

from __future__ import annotations

from datetime import timedelta

from issues_book import (
    ACCOUNTS,
    TODAY,
    apply,
    book,
    closed_by_person,
    creates,
    customer_issue,
    days,
    plan,
    premium,
    record,
)

from triage.snapshot import IssueRef, find_key

COLLAB = "customers/northwind"


def test_enterprise_technical_win_opens_one_handoff_for_the_sa_mentioning_the_tam() -> None:
    result = plan(book(record()))

    [handoff] = creates(result, "handoff")
    assert handoff.key == "handoff:12"
    assert find_key(handoff.description) == "handoff:12"
    assert handoff.project == ACCOUNTS
    assert handoff.title == "Account handoff to the TAM: Northwind"
    assert handoff.labels == ("salsatam", "handoff")
    assert handoff.assignees == ("sara.sa",)
    assert handoff.due_date == TODAY + timedelta(days=14)
    assert handoff.link_to == IssueRef(ACCOUNTS, 12)
    assert "@tom.tam — this handoff is yours too" in handoff.description
    assert "(account-management/accounts#12)" in handoff.description
    assert "labelled ~stage::technical-win" in handoff.reason
    assert result.problems == []


def test_premium_assigns_the_sa_and_the_tam() -> None:
    [handoff] = creates(plan(book(record()), policy_set=premium()), "handoff")
    assert handoff.assignees == ("sara.sa", "tom.tam")
    assert "yours too" not in handoff.description


def test_mid_market_hands_off_at_closed_won_to_the_ae_and_tam() -> None:
    account = record(
        labels=("segment::mid-market", "stage::closed-won", "tam::qualifying"),
        team={"ae": "ann.ae", "tam": "tom.tam"},
    )
    [handoff] = creates(plan(book(account), policy_set=premium()), "handoff")
    assert handoff.assignees == ("ann.ae", "tom.tam")


def test_no_handoff_for_an_account_that_does_not_qualify_for_a_tam() -> None:
    small = record(arr=20000)
    assert creates(plan(book(small)), "handoff") == []
    flagged = record(
        arr=20000, labels=("segment::enterprise", "stage::technical-win", "tam::qualifying")
    )
    assert len(creates(plan(book(flagged)), "handoff")) == 1


def test_a_completed_pov_hands_off_before_the_technical_win() -> None:
    running = record(labels=("segment::enterprise", "stage::pov"), pov={"started": days(-30)})
    assert creates(plan(book(running)), "handoff") == []
    done = record(
        labels=("segment::enterprise", "stage::pov"),
        pov={"started": days(-30), "completed": days(-2), "outcome": "won"},
    )
    assert len(creates(plan(book(done)), "handoff")) == 1


def test_the_handoff_opens_once_even_after_someone_closes_it() -> None:
    snapshot = book(record())
    after = apply(snapshot, plan(snapshot).changes)
    assert plan(after).changes == []
    assert plan(closed_by_person(after, "handoff:12")).changes == []


def test_snooze_silences_the_handoff_until_its_date() -> None:
    snoozed = book(record(snooze={"handoff": days(10)}))
    assert creates(plan(snoozed), "handoff") == []
    later = plan(snoozed, now=snoozed.fetched_at + timedelta(days=10))
    assert len(creates(later, "handoff")) == 1


def test_the_handoff_prefills_what_the_record_knows_and_leaves_clear_blanks() -> None:
    account = record(
        industry="Logistics",
        champion={"name": "Dana Lee", "title": "Head of Platform"},
        command_plan={"reason_to_buy": "One platform", "metrics": ["Lead time"]},
        pov={"started": days(-40), "completed": days(-5), "outcome": "won on speed"},
        collaboration_project=COLLAB,
    )
    issues = (customer_issue(COLLAB, 4, "Runner sizing", labels=("escalation::high",)),)
    [handoff] = creates(plan(book(account, collaboration={COLLAB: issues})), "handoff")
    text = handoff.description
    assert "| Industry | Logistics |" in text
    assert "- Champion: Dana Lee (Head of Platform)" in text
    assert "- Economic buyer: _to be filled by the SAL_" in text
    assert "  - One platform" in text
    assert "- Pain points: _to be filled by the SAL_" in text
    assert "outcome: won on speed" in text
    assert "- Intended architecture: _to be filled by the SA_" in text
    assert "- customers/northwind#4: Runner sizing · escalation high" in text
    assert "- [ ] TAM introduced to the customer by the SAL or SA" in text


def test_a_handoff_without_a_tam_in_the_record_goes_to_the_sa_and_says_so() -> None:
    account = record(team={"sal": "sam.sal", "sa": "sara.sa"})
    result = plan(book(account), policy_set=premium())
    [handoff] = creates(result, "handoff")
    assert handoff.assignees == ("sara.sa",)
    assert [p.message for p in result.problems] == ["the record names no TAM for 'handoff'"]


def test_a_mid_market_handoff_names_the_ae_and_no_sal_or_absent_sa() -> None:
    account = record(
        labels=("segment::mid-market", "stage::closed-won", "tam::qualifying"),
        team={"ae": "ann.ae", "tam": "tom.tam"},
    )
    [handoff] = creates(plan(book(account)), "handoff")
    text = handoff.description
    assert "## Account handoff: AE → TAM" in text
    assert "### 1. General account review (AE, TAM)" in text
    assert "### 2. Technical handoff (AE, TAM)" in text
    assert "_to be filled by the AE_" in text
    assert "TAM introduced to the customer by the AE\n" in text
    assert "SAL" not in text and "_to be filled by the SA_" not in text
    assert "SA," not in text and "or SA" not in text


def test_a_mid_market_handoff_with_an_sa_in_the_record_includes_the_sa() -> None:
    account = record(
        labels=("segment::mid-market", "stage::closed-won", "tam::qualifying"),
        team={"ae": "ann.ae", "sa": "sara.sa", "tam": "tom.tam"},
    )
    [handoff] = creates(plan(book(account)), "handoff")
    text = handoff.description
    assert "### 1. General account review (AE, SA, TAM)" in text
    assert "TAM introduced to the customer by the AE or SA" in text
    assert "SAL" not in text
