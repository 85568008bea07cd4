"""Finding quick actions and mentions in written text (no server needed)."""

from __future__ import annotations

from datetime import date

import pytest

from triage.sandbox.mentions import mentioned
from triage.sandbox.quick_action_run import parse_day
from triage.sandbox.quick_actions import Command, label_names, parse, usernames


def test_commands_are_removed_and_collected_in_order() -> None:
    parsed = parse('Intro\n/label ~bug ~"needs review"\n\n/Close\nOutro')
    assert parsed.text == "Intro\n\nOutro"
    assert parsed.commands == [Command("label", '~bug ~"needs review"'), Command("close", "")]


@pytest.mark.parametrize(
    "text",
    [
        "```\n/close\n```",
        "~~~~\n/close\n~~~~",
        ">>>\n/close\n>>>",
        "`/close`",
        " /close",
        "\\/close",
        "> /close",
        "/closing the gap",
        "text /close",
    ],
)
def test_inert_text_has_no_commands(text: str) -> None:
    assert parse(text).commands == [] and parse(text).text == text


def test_lines_kept_from_the_previous_text_are_not_run_again() -> None:
    parsed = parse("/close\nmore\n/close", previous="/close")
    assert (parsed.text, parsed.commands) == ("/close\nmore", [Command("close", "")])


def test_arguments() -> None:
    assert label_names('~bug ~"two words" ~health::red') == ["bug", "two words", "health::red"]
    assert label_names("bug, feature") == ["bug", "feature"]
    assert usernames("@tam, sa me", me="root") == ["tam", "sa", "root"]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-05-01", date(2024, 5, 1)),
        ("today", date(2024, 3, 1)),
        ("tomorrow", date(2024, 3, 2)),
        ("in 2 weeks", date(2024, 3, 15)),
        ("in 3 days", date(2024, 3, 4)),
        ("someday", None),
    ],
)
def test_due_dates(text: str, day: date | None) -> None:
    assert parse_day(text, date(2024, 3, 1)) == day


def test_mentions() -> None:
    text = "@tam and @acme/customers, mail bob@example.com, @all. @tam again"
    assert mentioned(text) == ["tam", "acme/customers", "all"]
