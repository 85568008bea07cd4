from datetime import UTC, date, datetime

import pytest

from triage.records import Pov, Sentiment, Team, parse_record
from triage.section import BotSection, current_text, parse_section, replace_section, section_text

FULL = """Intro written by the TAM.

```yaml
arr: 120000
renewal: 2024-12-01
industry: Banking
team:
  sal: sally
  sa: "@sam"
  tam: tina
collaboration_project: customers/acme
slack_channel: "#acme-gitlab"
pov: {started: 2024-01-10, completed: 2024-02-20, outcome: won}
onboarding_started: 2024-03-01
last_ebr: 2024-04-15
priority: 1
sentiment: {color: yellow, date: 2024-05-20}
success_plan: https://example.com/plan
stages_adopted: [create, verify]
snooze: {renewal-review: 2024-07-01}
champion: Jane Doe
custom: {nested: [1, 2]}
```

More notes.
"""


def test_a_full_record_reads_into_typed_fields() -> None:
    parsed = parse_record(FULL)
    assert parsed.problems == ()
    record = parsed.record
    assert record is not None
    assert record.arr == 120000.0
    assert record.renewal == date(2024, 12, 1)
    assert record.team == Team(sal="sally", sa="sam", tam="tina")
    assert record.pov == Pov(date(2024, 1, 10), date(2024, 2, 20), "won")
    assert record.priority == 1
    assert record.sentiment == Sentiment("yellow", date(2024, 5, 20))
    assert record.stages_adopted == ("create", "verify")
    assert record.snooze == {"renewal-review": date(2024, 7, 1)}
    assert record.slack_channel == "#acme-gitlab"


def test_unknown_keys_are_kept_as_they_are() -> None:
    record = parse_record(FULL).record
    assert record is not None
    assert record.extra == {"champion": "Jane Doe", "custom": {"nested": [1, 2]}}


def test_only_the_first_yaml_block_is_the_record() -> None:
    text = "```python\nx = 1\n```\n```yaml\narr: 5\n```\n```yaml\narr: nope\n```\n"
    record = parse_record(text).record
    assert record is not None and record.arr == 5.0


def test_no_block_is_a_problem() -> None:
    parsed = parse_record("Just words, no record.")
    assert parsed.record is None
    assert parsed.problems == ("no ```yaml record block in the description",)


def test_bad_yaml_says_the_line() -> None:
    parsed = parse_record("```yaml\narr: 1\nteam: [unclosed\n```\n")
    assert parsed.record is None
    assert len(parsed.problems) == 1
    assert parsed.problems[0].startswith("line 3 of the record block: not valid YAML")


def test_wrong_types_say_what_and_where() -> None:
    text = "```yaml\nslack_channel: x\nrenewal: soon\nindustry: Retail\narr: lots\npriority: 7\n```"
    parsed = parse_record(text)
    assert parsed.record is None
    assert parsed.problems == (
        "line 2 of the record block: 'renewal' must be a date (YYYY-MM-DD), got 'soon'",
        "line 4 of the record block: 'arr' must be a number, got 'lots'",
        "line 5 of the record block: 'priority' must be 1, 2 or 3, got '7'",
    )


def test_bad_usernames_and_colours_are_problems() -> None:
    text = (
        "```yaml\nteam:\n  tam: Jane Doe\n  csm: x\nsentiment: {color: purple}\n"
        "stages_adopted: create\n```"
    )
    assert parse_record(text).problems == (
        "line 2 of the record block: 'team.tam' must be a GitLab username, got 'Jane Doe'",
        "line 3 of the record block: 'team.csm' must be one of the roles sal, ae, sa, tam, "
        "got 'csm'",
        "line 4 of the record block: 'sentiment.color' must be green, yellow or red, got 'purple'",
        "line 5 of the record block: 'stages_adopted' must be a list of words, got 'create'",
    )


def test_a_key_given_twice_is_a_problem() -> None:
    assert parse_record("```yaml\narr: 1\narr: 2\n```").problems == (
        "line 2 of the record block: 'arr' is given twice",
    )


def test_a_record_that_is_not_a_mapping_or_is_empty() -> None:
    assert parse_record("```yaml\n- a\n- b\n```").problems == (
        "line 1 of the record block: expected 'key: value' lines",
    )
    assert parse_record("```yaml\n```").problems == ("the record block is empty",)


def test_empty_values_are_missing_data() -> None:
    record = parse_record("```yaml\narr:\nrenewal:\nsentiment:\n```").record
    assert record is not None
    assert record.arr is None and record.renewal is None and record.sentiment is None


def test_snooze_needs_dates() -> None:
    parsed = parse_record("```yaml\nsnooze:\n  renewal-review: later\n```")
    assert parsed.problems == (
        "line 2 of the record block: 'snooze.renewal-review' must be a date (YYYY-MM-DD), "
        "got 'later'",
    )


MEMORY = BotSection(
    colour="yellow",
    score=62,
    since=date(2024, 5, 1),
    previous="green",
    project="customers/acme",
    evaluated=datetime(2024, 6, 1, 9, 30, tzinfo=UTC),
    relabelled={7: 2},
    waiting={7: datetime(2024, 5, 30, 8, 0, tzinfo=UTC)},
    participants={"alice": datetime(2024, 5, 30, 8, 0, tzinfo=UTC)},
    activity=datetime(2024, 5, 30, 8, 0, tzinfo=UTC),
)


def test_bot_section_round_trip_keeps_peoples_text_byte_for_byte() -> None:
    section = section_text("#### Health: yellow\n\n| a | b |", MEMORY)
    written = replace_section(FULL, section)
    assert written.startswith(FULL)
    assert parse_section(written) == MEMORY
    assert parse_record(written).bot == MEMORY
    # People add text after the section; rewriting the section keeps it.
    edited = written + "\nLater note by the SAL -- with dashes.\r\n"
    newer = section_text("#### Health: red", MEMORY)
    rewritten = replace_section(edited, newer)
    assert rewritten == FULL + "\n" + newer + "\n" + "\nLater note by the SAL -- with dashes.\r\n"
    assert current_text(rewritten) == newer


def test_bot_section_is_deterministic_and_cannot_close_its_comment() -> None:
    tricky = BotSection(participants={"a--b": datetime(2024, 1, 1, tzinfo=UTC)})
    text = section_text("x", tricky)
    assert text == section_text("x", tricky)
    assert text.count("-->") == 3  # the two markers and the memory comment
    assert parse_section(text) == tricky


def test_a_damaged_section_reads_as_empty_memory() -> None:
    text = (
        "<!-- salsatam:health:start -->\n<!-- salsatam:memory {broken} -->\n"
        "<!-- salsatam:health:end -->"
    )
    assert parse_section(text) == BotSection()
    assert parse_section("no section") is None


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("renewal: 2027-13-45", "'renewal' is not a date: 2027-13-45"),
        ("renewal: 2027-02-30", "'renewal' is not a date: 2027-02-30"),
        ("snooze: {cadence: 2027-02-30}", "'snooze.cadence' is not a date: 2027-02-30"),
        (
            "sentiment: {color: red, date: 2026-02-30}",
            "'sentiment.date' is not a date: 2026-02-30",
        ),
        ("pov: {started: 2026-04-31}", "'pov.started' is not a date: 2026-04-31"),
        ("kickoff: 2026-13-01", "'kickoff' is not a date: 2026-13-01"),
        ("arr: !foo 3", "'arr' uses the YAML tag !foo, which is not allowed"),
        (
            "arr: !!python/object:os.system x",
            "'arr' uses the YAML tag !!python/object:os.system, which is not allowed",
        ),
        ("tags: !!binary xx", "'tags' uses the YAML tag !!binary, which is not allowed"),
        ("tags: !!binary aGVsbG8=", "'tags' uses the YAML tag !!binary, which is not allowed"),
        (
            "team: {tam: !!python/name:os.system x}",
            "'team.tam' uses the YAML tag !!python/name:os.system, which is not allowed",
        ),
        ("!foo key: 1", "'key' uses the YAML tag !foo, which is not allowed"),
        ("arr: -5", "'arr' must be a number, 0 or more, got '-5'"),
        ("arr: .nan", "'arr' must be a number, 0 or more, got '.nan'"),
        ("arr: -.inf", "'arr' must be a number, 0 or more, got '-.inf'"),
    ],
)
def test_values_that_cannot_be_built_are_problems_with_their_line(line: str, problem: str) -> None:
    parsed = parse_record(f"```yaml\nindustry: Retail\npriority: 2\n{line}\n```\n")
    assert parsed.record is None
    assert parsed.problems == (f"line 3 of the record block: {problem}",)


def test_an_explicit_plain_tag_is_fine_and_zero_arr_is_a_number() -> None:
    record = parse_record("```yaml\nindustry: !!str 42\narr: 0\n```\n").record
    assert record is not None and record.industry == "42" and record.arr == 0.0
