"""A rule whose condition is unknown (a fact it needs has no data) changes nothing and says
so in the plan; a rule that guards an optional fact with `present: true` is decided."""

from __future__ import annotations

from dataclasses import replace

from issues_book import (
    apply,
    book,
    closes,
    creates,
    days,
    plan,
    policies,
    premium,
    record,
    with_records,
)

from triage.plan import Plan
from triage.policy import issues
from triage.policy.loader import PACKAGED, PolicySet
from triage.policy.parsing import ParseContext
from triage.policy.yamlfile import load_yaml

ADOPTION = ("segment::enterprise", "stage::adoption")
GREEN = {"color": "green", "date": days(-10)}  # the TAM's read: the account has a colour
RULE = """\
rules:
  - name: pov-check
    says: POV follow-up
    when: {when}
    template: handoff.md.j2
    title: "POV follow-up: {{account}}"
    assign: [sa]
    key: pov-check
    per: once
"""
UNGUARDED = "{fact: pov_completed, more_than_days_ago: 1}"
GUARDED = (
    "{all: [{fact: pov_completed, present: true}, {fact: pov_completed, more_than_days_ago: 1}]}"
)


def custom(text: str) -> PolicySet:
    """The default policies with `text` as issues.yml."""
    doc = load_yaml(text, "policies/issues.yml")
    base = policies()
    ctx = ParseContext("policies/issues.yml", doc.positions, base.labels, PACKAGED / "templates")
    policy = issues.parse(doc.data, ctx)
    assert ctx.problems == []
    return replace(base, issues=policy)


def problems(result: Plan) -> list[tuple[str, str, str]]:
    return [(p.account, p.rule, p.message) for p in result.problems]


def test_an_unguarded_rule_reports_what_it_could_not_decide_and_changes_nothing() -> None:
    rule = custom(RULE.format(when=UNGUARDED))
    done = record(pov={"started": days(-30), "completed": days(-5)})
    snapshot = book(done)
    opened = apply(snapshot, plan(snapshot, policy_set=rule).changes)
    assert [i.key for i in opened.salsatam_issues] == ["pov-check:12"]

    # The record lost its POV dates: the open issue stays open, and the plan says why.
    result = plan(with_records(opened, record()), policy_set=rule)
    assert result.changes == []
    assert problems(result) == [
        (
            "Northwind",
            "pov-check",
            "rule 'pov-check' could not be decided for Northwind: no data for pov_completed",
        )
    ]


def test_a_guarded_rule_is_decided_and_reports_nothing() -> None:
    rule = custom(RULE.format(when=GUARDED))
    result = plan(book(record()), policy_set=rule)
    assert (result.changes, result.problems) == ([], [])
    fired = plan(book(record(pov={"completed": days(-5)})), policy_set=rule)
    assert [c.key for c in creates(fired)] == ["pov-check:12"]


def test_a_snoozed_rule_reports_nothing() -> None:
    rule = custom(RULE.format(when=UNGUARDED))
    snoozed = record(snooze={"pov-check": days(10)})
    assert plan(book(snoozed), policy_set=rule).problems == []


def test_the_triggers_left_undecided_are_named_once_per_rule() -> None:
    text = RULE.format(when="{label: expansion}").replace(
        "    template:",
        "    triggers:\n"
        "      renewal:\n"
        "        says: the renewal is near\n"
        "        when: {fact: renewal, within_next_days: 90}\n"
        "      ebr:\n"
        "        says: the last EBR is old\n"
        "        when: {fact: last_ebr, more_than_days_ago: 300}\n"
        "      label:\n"
        "        says: the SA asks\n"
        "        when: {label: tam-requested}\n"
        "    template:",
    )
    rule = custom(text)
    account = record(labels=("segment::enterprise", "stage::adoption", "expansion"), renewal=None)
    assert problems(plan(book(account), policy_set=rule)) == [
        (
            "Northwind",
            "pov-check",
            "rule 'pov-check' (triggers renewal, ebr) could not be decided for Northwind: "
            "no data for renewal, last_ebr",
        )
    ]
    # The rule's own condition does not hold: every trigger is decided.
    quiet = record(labels=("segment::enterprise", "stage::adoption"), renewal=None)
    assert plan(book(quiet), policy_set=rule).problems == []


def test_the_default_rules_report_nothing_for_data_that_is_missing_by_nature() -> None:
    accounts = (
        # A prospect has no renewal date yet.
        record(1, "Prospect", ("segment::enterprise", "stage::prospect"), renewal=None),
        # No EBR held yet, no collaboration project (so no meetings to read).
        record(2, "Young", ADOPTION, renewal=days(300), sentiment=GREEN),
        # No priority: the cadence after the sale follows it.
        record(4, "Unranked", ADOPTION, priority=None, sentiment=GREEN),
        # A Mid-Market account with no TAM: no TAM capacity to speak of.
        record(
            3,
            "Small",
            ("segment::mid-market", "stage::onboarding"),
            arr=20000,
            onboarding_started=days(-3),
            team={"ae": "ann.ae", "sa": "pia.sa"},
            sentiment=GREEN,
        ),
    )
    assert plan(book(*accounts), policy_set=premium()).problems == []


def test_the_default_rules_report_a_missing_renewal_after_the_sale() -> None:
    account = record(labels=ADOPTION, renewal=None, last_ebr=days(-200), sentiment=GREEN)
    result = plan(book(account))
    assert problems(result) == [
        (
            "Northwind",
            "ebr-prep",
            "rule 'ebr-prep' could not be decided for Northwind: no data for renewal",
        ),
        (
            "Northwind",
            "renewal-review",
            "rule 'renewal-review' could not be decided for Northwind: no data for renewal",
        ),
    ]
    assert closes(result) == []


def test_the_guarded_default_rules_still_fire() -> None:
    old_ebr = record(labels=ADOPTION, last_ebr=days(-340))
    assert [c.rule for c in creates(plan(book(old_ebr)))] == ["ebr-prep"]
