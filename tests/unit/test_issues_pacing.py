"""Pacing: a triage issue closes only after the account has stayed green a few days
(hysteresis), and one run opens at most a few new issues per owner (frequency cap)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from issues_book import (
    NOW,
    STAFF,
    apply,
    book,
    closes,
    coloured_since,
    creates,
    days,
    plan,
    record,
    with_issues,
    with_records,
)

from triage.changes import AddNote, SetLabels
from triage.kinds.issues import CAP_RULE
from triage.plan import Plan
from triage.policy.loader import PACKAGED, load_policies
from triage.snapshot import Issue, Snapshot

ADOPTION = ("segment::enterprise", "stage::adoption")
RED = {"color": "red", "date": days(-2)}


def red_then_green(green_days: int) -> tuple[Snapshot, Snapshot]:
    """A red account's open triage issue; then the account green for `green_days` days."""
    snapshot = book(record(labels=ADOPTION, sentiment=RED))
    opened = apply(snapshot, plan(snapshot).changes)
    since = days(-green_days)
    green = record(labels=ADOPTION, sentiment={"color": "green", "date": since})
    return opened, with_records(opened, coloured_since(green, "green", since))


def test_a_triage_issue_stays_open_when_the_account_is_green_for_one_day() -> None:
    _, green = red_then_green(1)
    assert plan(green).changes == []  # no close, no note, not marked ended


def test_a_triage_issue_closes_once_green_for_three_days_saying_since_when() -> None:
    opened, green = red_then_green(3)
    result = plan(green)
    [close] = closes(result)
    assert close.issue.iid == opened.salsatam_issues[0].iid
    assert close.note is not None
    assert close.note.startswith(f"Closed: the account has been green since {days(-3)}.")
    assert [c.add for c in result.changes if isinstance(c, SetLabels)] == [("trigger-ended",)]


def test_a_triage_issue_waits_until_the_third_green_day() -> None:
    _, green = red_then_green(0)
    assert plan(green, now=NOW + timedelta(days=2)).changes == []
    assert len(closes(plan(green, now=NOW + timedelta(days=3)))) == 1


def test_a_flapping_colour_keeps_the_same_issue() -> None:
    opened, green = red_then_green(1)
    assert plan(green).changes == []
    red = record(labels=ADOPTION, sentiment={"color": "red", "date": days(0)})
    again = plan(with_records(green, coloured_since(red, "red", days(0), previous="green")))
    # Back to red within the wait: the open triage issue carries on (no second issue, no
    # close), and nothing is written to any other issue.
    assert creates(again) == [] and closes(again) == []
    triage = opened.salsatam_issues[0].ref
    assert all(getattr(c, "issue", triage) == triage for c in again.changes)


def test_a_stage_change_closes_at_once_even_when_newly_green() -> None:
    snapshot = book(record(labels=ADOPTION, sentiment=RED))
    opened = apply(snapshot, plan(snapshot).changes)
    moved = record(
        labels=("segment::enterprise", "stage::prospect"),
        sentiment={"color": "green", "date": days(0)},
    )
    result = plan(with_records(opened, coloured_since(moved, "green", days(0))))
    assert [c.rule for c in closes(result)] == ["triage"]


def test_zero_green_days_closes_on_the_first_green_run() -> None:
    _, green = red_then_green(0)
    assert len(closes(plan(green, policy_set=with_issues(close_after_green_days=0)))) == 1


def red_accounts(count: int, tam: str = "tom.tam", first_iid: int = 10) -> list[Issue]:
    """`count` red accounts of one TAM (priority 2: no SA is called in), ARR rising."""
    return [
        record(
            iid=first_iid + n,
            name=f"{tam} account {n}",
            labels=ADOPTION,
            sentiment=RED,
            priority=2,
            arr=100000 + 1000 * n,
            team={"sal": "sam.sal", "sa": "sara.sa", "tam": tam},
        )
        for n in range(count)
    ]


def cap_problems(result: Plan) -> list[str]:
    return [p.message for p in result.problems if p.rule == CAP_RULE]


def test_eight_triage_issues_for_one_owner_open_five_now_and_three_next_run() -> None:
    accounts = red_accounts(8)
    snapshot = book(*accounts)
    first = plan(snapshot)
    opened = creates(first)
    assert len(opened) == 5
    # The largest accounts first.
    assert sorted(c.key for c in opened) == [f"triage:{i}:1" for i in (13, 14, 15, 16, 17)]
    assert cap_problems(first) == [
        "3 more issues for @tom.tam deferred to the next run (limit 5 a run)"
    ]
    after = apply(snapshot, first.changes)
    second = plan(after, now=NOW + timedelta(days=1))
    assert sorted(c.key for c in creates(second)) == [f"triage:{i}:1" for i in (10, 11, 12)]
    assert cap_problems(second) == []
    done = apply(after, second.changes, now=NOW + timedelta(days=1))
    assert len({i.key for i in done.salsatam_issues}) == 8
    assert creates(plan(done, now=NOW + timedelta(days=2))) == []


def test_owners_are_capped_separately() -> None:
    accounts = [*red_accounts(7, "tom.tam"), *red_accounts(6, "tina.tam", first_iid=30)]
    snapshot = replace(book(*accounts), staff=STAFF | {"tina.tam"})
    result = plan(snapshot)
    owners = [c.assignees[0] for c in creates(result)]
    assert owners.count("tom.tam") == 5 and owners.count("tina.tam") == 5
    assert cap_problems(result) == [
        "1 more issue for @tina.tam deferred to the next run (limit 5 a run)",
        "2 more issues for @tom.tam deferred to the next run (limit 5 a run)",
    ]


@pytest.mark.parametrize("cap", [0, None])
def test_a_cap_of_zero_or_null_opens_everything(cap: int | None) -> None:
    result = plan(book(*red_accounts(8)), policy_set=with_issues(max_new_per_owner_per_run=cap))
    assert len(creates(result)) == 8
    assert cap_problems(result) == []


def test_red_triage_comes_before_yellow_whatever_the_arr() -> None:
    yellow = record(
        iid=20,
        name="Big yellow",
        labels=ADOPTION,
        priority=2,
        arr=900000,
        sentiment={"color": "yellow", "date": days(-2)},
    )
    red = record(iid=21, name="Small red", labels=ADOPTION, priority=2, arr=60000, sentiment=RED)
    one = with_issues(max_new_per_owner_per_run=1)
    [only] = creates(plan(book(yellow, red), policy_set=one))
    assert only.key == "triage:21:1"


def test_a_handoff_comes_before_engagement() -> None:
    # Both are the SA's (first assignee): the handoff of the smaller account opens first.
    expansion = record(
        iid=20, name="Expanding", labels=(*ADOPTION, "expansion"), priority=2, arr=900000
    )
    handoff = record(iid=21, name="New", arr=55000)  # technical win
    one = with_issues(max_new_per_owner_per_run=1)
    opened = {
        c.assignees[0]: c.rule for c in creates(plan(book(expansion, handoff), policy_set=one))
    }
    assert opened["sara.sa"] == "handoff"


def test_the_defaults_and_null_in_issues_yml(tmp_path: Path) -> None:
    loaded = load_policies(PACKAGED / "policies", PACKAGED / "templates")
    assert loaded.issues.close_after_green_days == 3
    assert loaded.issues.max_new_per_owner_per_run == 5
    directory = tmp_path / "policies"
    directory.mkdir()
    for source in (PACKAGED / "policies").iterdir():
        if source.is_file():
            (directory / source.name).write_bytes(source.read_bytes())
    text = (directory / "issues.yml").read_text()
    text = text.replace("max_new_per_owner_per_run: 5", "max_new_per_owner_per_run: null")
    (directory / "issues.yml").write_text(
        text.replace("close_after_green_days: 3", "close_after_green_days: 0")
    )
    custom = load_policies(directory, PACKAGED / "templates")
    assert custom.issues.max_new_per_owner_per_run is None
    assert custom.issues.close_after_green_days == 0


def test_a_note_is_not_an_issue_for_the_cap() -> None:
    # Update requests on open issues are not capped: only new issues are.
    snapshot = book(*red_accounts(6))
    first = apply(snapshot, plan(snapshot).changes)
    later = plan(apply(first, plan(first).changes), now=NOW + timedelta(days=14))
    assert len([c for c in later.changes if isinstance(c, AddNote)]) == 6
