"""The condition language: parsing with exact messages, evaluation with reasons and unknowns."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from triage.facts.registry import FACTS, FactSpec
from triage.policy.conditions import Condition, FactEnv, Truth
from triage.policy.model import LabelCatalog, LabelSpec
from triage.policy.parsing import ParseContext
from triage.policy.yamlfile import load_yaml

TODAY = date(2026, 3, 10)
NOT_NEXT_120 = "not within the next 120 days"


@pytest.fixture(autouse=True)
def facts(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, type_ in [
        ("arr", "number"),
        ("renewal", "date"),
        ("industry", "text"),
        ("stages_adopted", "list"),
        ("success_plan", "flag"),
        ("days_to_renewal", "days"),
    ]:
        monkeypatch.setitem(FACTS, name, FactSpec(name, type_, name))  # type: ignore[arg-type]


def parse(text: str) -> tuple[Condition, list[str]]:
    doc = load_yaml(text, "policies/t.yml")
    assert not doc.problems
    catalog = LabelCatalog({"expansion": LabelSpec("expansion", "#00b140")})
    ctx = ParseContext("policies/t.yml", doc.positions, catalog, Path("templates"))
    condition = ctx.condition(("when",), doc.data["when"])
    return condition, [str(p) for p in ctx.problems]


def check(text: str, **facts: Any) -> Truth:
    condition, problems = parse(text)
    assert problems == []
    labels = frozenset(facts.pop("labels", ()))
    env = FactEnv(facts, labels, datetime(2026, 3, 10, 9, tzinfo=UTC), TODAY)
    return condition.evaluate(env)


@pytest.mark.parametrize(
    ("when", "arr", "value", "reason"),
    [
        ("{fact: arr, gte: 50000}", 120000, True, "arr 120,000 ≥ 50,000"),
        ("{fact: arr, gte: 50000}", 20000, False, "arr 20,000 < 50,000"),
        ("{fact: arr, gt: 50000}", 50000, False, "arr 50,000 ≤ 50,000"),
        ("{fact: arr, lt: 50000}", 49999.5, True, "arr 49,999.5 < 50,000"),
        ("{fact: arr, lte: 50000}", 50000, True, "arr 50,000 ≤ 50,000"),
        ("{fact: arr, eq: 50000}", 50000.0, True, "arr 50,000 = 50,000"),
        ("{fact: arr, ne: 50000}", 50000, False, "arr 50,000 = 50,000"),
        ("{fact: arr, in: [1, 2]}", 2, True, "arr 2 is one of 1, 2"),
    ],
)
def test_number_operators(when: str, arr: float, value: bool, reason: str) -> None:
    truth = check(f"when: {when}", arr=arr)
    assert truth == Truth(value, (reason,))


def test_text_flag_and_list_operators() -> None:
    assert check("when: {fact: industry, eq: finance}", industry="retail") == Truth(
        False, ("industry is retail, not finance",)
    )
    assert check("when: {fact: industry, in: [retail, finance]}", industry="retail").value
    assert check("when: {fact: success_plan, eq: true}", success_plan=True) == Truth(
        True, ("success_plan is yes",)
    )
    truth = check("when: {fact: stages_adopted, contains: plan}", stages_adopted=("create",))
    assert truth == Truth(False, ("stages_adopted does not include plan",))
    assert check("when: {fact: stages_adopted, contains: plan}", stages_adopted=("plan",)).value


@pytest.mark.parametrize(
    ("when", "renewal", "value", "reason"),
    [
        ("within_next_days: 120", date(2026, 7, 8), True, "2026-07-08 within the next 120 days"),
        (
            "within_next_days: 120",
            date(2026, 7, 9),
            False,
            "2026-07-09 not within the next 120 days",
        ),
        (
            "within_next_days: 120",
            date(2026, 3, 9),
            False,
            "2026-03-09 not within the next 120 days",
        ),
        ("within_last_days: 30", date(2026, 2, 8), True, "2026-02-08 within the last 30 days"),
        ("within_last_days: 30", date(2026, 2, 7), False, "2026-02-07 not within the last 30 days"),
        ("more_than_days_ago: 30", date(2026, 2, 7), True, "2026-02-07 more than 30 days ago"),
        ("more_than_days_ago: 30", date(2026, 2, 8), False, "2026-02-08 not more than 30 days ago"),
        ("before: 2026-04-01", date(2026, 3, 31), True, "2026-03-31 before 2026-04-01"),
        ("before: now+21d", date(2026, 3, 31), False, "2026-03-31 not before 2026-03-31"),
        ("after: now-10d", date(2026, 3, 1), True, "2026-03-01 after 2026-02-28"),
        ("after: now", date(2026, 3, 10), False, "2026-03-10 not after 2026-03-10"),
    ],
)
def test_date_operators_count_from_today(
    when: str, renewal: date, value: bool, reason: str
) -> None:
    truth = check(f"when: {{fact: renewal, {when}}}", renewal=renewal)
    assert truth == Truth(value, (f"renewal {reason}",))


def test_a_missing_fact_makes_the_answer_unknown_not_false() -> None:
    truth = check("when: {fact: arr, gte: 50000}")
    assert truth == Truth(None, ("no data for arr",), ("arr",))
    assert check("when: {fact: arr, present: false}") == Truth(True, ("no data for arr",))
    assert check("when: {fact: arr, present: true}", arr=None).value is False
    assert check("when: {fact: arr, present: true}", arr=1).value is True


ALL = "when: {all: [{fact: arr, gte: 50000}, {fact: renewal, within_next_days: 90}]}"
ANY = "when: {any: [{fact: arr, gte: 50000}, {fact: renewal, within_next_days: 90}]}"


def test_all_is_false_on_any_false_else_unknown_on_any_unknown() -> None:
    assert check(ALL, arr=1, renewal=None).value is False
    truth = check(ALL, arr=60000, renewal=None)
    assert (truth.value, truth.missing) == (None, ("renewal",))
    truth = check(ALL, arr=60000, renewal=date(2026, 4, 1))
    assert truth.value is True
    assert truth.reasons == ("arr 60,000 ≥ 50,000", "renewal 2026-04-01 within the next 90 days")


def test_any_is_true_on_any_true_else_unknown_on_any_unknown() -> None:
    assert check(ANY, arr=60000, renewal=None) == Truth(True, ("arr 60,000 ≥ 50,000",))
    assert check(ANY, arr=1, renewal=None).value is None
    assert check(ANY, arr=1, renewal=date(2027, 1, 1)).value is False


def test_not_flips_and_keeps_unknown() -> None:
    assert check("when: {not: {label: expansion}}", labels=["expansion"]).value is False
    assert check("when: {not: {label: expansion}}") == Truth(True, ("not labelled ~expansion",))
    truth = check("when: {not: {fact: arr, gt: 1}}")
    assert (truth.value, truth.missing) == (None, ("arr",))


def test_nesting_and_description() -> None:
    text = (
        "when:\n  all:\n    - label: expansion\n    - any:\n"
        "        - {fact: arr, gte: 100000}\n        - {fact: industry, in: [finance, retail]}\n"
        "    - not: {fact: days_to_renewal, lt: 30}\n"
    )
    condition, problems = parse(text)
    assert problems == []
    assert condition.describe() == (
        "labelled ~expansion and (arr ≥ 100,000 or industry is one of finance, retail) "
        "and not days_to_renewal < 30"
    )
    env = FactEnv(
        {"arr": 5, "industry": "retail", "days_to_renewal": 40},
        frozenset({"expansion"}),
        datetime(2026, 3, 10, tzinfo=UTC),
        TODAY,
    )
    assert condition.evaluate(env) == Truth(
        True,
        (
            "labelled ~expansion",
            "industry retail is one of finance, retail",
            "days_to_renewal 40 ≥ 30",
        ),
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("when: {fact: wibble, gt: 1}", "policies/t.yml:1:8: unknown fact 'wibble'"),
        ("when: {fact: ar, gt: 1}", "policies/t.yml:1:8: unknown fact 'ar' (did you mean 'arr'?)"),
        ("when: {label: nope}", "policies/t.yml:1:8: unknown label 'nope' (not in labels.yml)"),
        (
            "when: {fact: arr, bigger: 1}",
            "policies/t.yml:1:19: unknown operator 'bigger' (use one of eq, ne, lt, lte, gt, gte, "
            "in, contains, present, within_next_days, within_last_days, more_than_days_ago, "
            "before, after)",
        ),
        (
            "when: {fact: arr}",
            "policies/t.yml:1:8: fact 'arr' needs exactly one operator, got no operator",
        ),
        (
            "when: {fact: arr, gt: 1, lt: 5}",
            "policies/t.yml:1:8: fact 'arr' needs exactly one operator, got 2 operators (gt, lt)",
        ),
        (
            "when: {fact: renewal, gt: 1}",
            "policies/t.yml:1:23: 'gt' does not apply to fact 'renewal' (a date); use eq, ne, "
            "present, within_next_days, within_last_days, more_than_days_ago, before, after",
        ),
        (
            "when: {fact: arr, gte: heavy}",
            "policies/t.yml:1:19: 'gte' for fact 'arr' must be a number, got 'heavy'",
        ),
        (
            "when: {fact: renewal, before: 2026-02-30}",
            "policies/t.yml:1:23: 'before' must be a date (YYYY-MM-DD) or now±Nd, got '2026-02-30'",
        ),
        (
            "when: {fact: renewal, after: next week}",
            "policies/t.yml:1:23: 'after' must be a date (YYYY-MM-DD) or now±Nd, got 'next week'",
        ),
        (
            "when: {fact: renewal, within_next_days: -3}",
            "policies/t.yml:1:23: 'within_next_days' for fact 'renewal' must be a whole number "
            "of days (0 or more), got -3",
        ),
        ("when: {all: []}", "policies/t.yml:1:8: 'all' must be a list of conditions"),
        (
            "when: {all: [{label: expansion}], any: [{label: expansion}]}",
            "policies/t.yml:1:35: a condition takes one of 'all' and 'any': nest them in all/any",
        ),
        (
            "when: {whenever: true}",
            "policies/t.yml:1:8: unknown condition 'whenever' (use all, any, not, label or fact)",
        ),
        (
            "when: {not: {label: expansion}, x: 1}",
            "policies/t.yml:1:33: unknown key 'x' in a 'not' condition",
        ),
        (
            "when: [1]",
            "policies/t.yml:1:1: a condition must be a mapping with one of all, any, "
            "not, label, fact",
        ),
    ],
)
def test_mistakes_are_reported_where_they_are(text: str, problem: str) -> None:
    assert parse(text)[1] == [problem]


def test_today_is_the_date_of_now_in_the_settings_time_zone() -> None:
    from triage.account import Account
    from triage.policy.conditions import fact_env
    from triage.policy.model import Settings
    from triage.snapshot import Issue, User

    issue = Issue(
        1,
        1,
        1,
        "am/accounts",
        "Acme",
        "",
        "opened",
        ("account",),
        User(1, "sam"),
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    acme = Account(issue, None, (), None, (), {"renewal": date(2026, 3, 11)})
    late = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    tokyo = Settings(None, "am/accounts", "customers", timezone="Asia/Tokyo")
    condition, _ = parse("when: {fact: renewal, within_next_days: 0}")
    assert fact_env(acme, late, tokyo).today == date(2026, 3, 11)
    assert condition.evaluate(fact_env(acme, late, tokyo)).value is True
    utc = Settings(None, "am/accounts", "customers")
    assert condition.evaluate(fact_env(acme, late, utc)).value is False
    assert fact_env(acme, late, utc).labels == frozenset({"account"})
