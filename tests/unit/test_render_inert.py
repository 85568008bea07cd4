"""The neutralising filters against hostile text: line breaks of every kind, URLs to issues,
control characters, and values that only look like usernames, links or references."""

from __future__ import annotations

import pytest

from triage.render import ZWSP, inline, link, mention, quote, reference, title

LINE_BREAKS = ("\r", "\n", "\r\n", "\v", "\f", "\x1c", "\x85", "\u2028", "\u2029")


@pytest.mark.parametrize("brk", LINE_BREAKS, ids=repr)
def test_quote_starts_a_quoted_line_at_every_line_break(brk: str) -> None:
    text = str(quote(f"fine{brk}/close{brk}  /label ~x{brk}/CLOSE"))
    lines = text.split("\n")
    assert len(lines) == 4, lines
    assert all(line.startswith("> ") for line in lines)
    for separator in LINE_BREAKS:
        assert separator == "\n" or separator not in text


def test_urls_in_customer_text_are_not_autolinked() -> None:
    url = "https://gitlab.example.com/customers/acme/-/issues/1"
    for shown in (str(inline(f"see {url}")), str(quote(f"see {url}")), title(f"see {url}")):
        assert "https://" not in shown and f"https:{ZWSP}//" in shown
    assert "www." not in str(inline("www.example.com/x"))


def test_control_characters_are_dropped() -> None:
    hostile = "a\x1b[31mred\x1b[0m\x07 \u202eevil\x00"
    for shown in (str(inline(hostile)), str(quote(hostile)), title(hostile)):
        assert not any(c in shown for c in "\x1b\x07\u202e\x00"), repr(shown)
        assert "red" in shown


@pytest.mark.parametrize(
    "text", ["@all", "@here", "@customers/acme", "(@sara.sa)", "x@y", "#1", "!2", "&3", "g/p#4"]
)
def test_titles_carry_no_pings_or_references(text: str) -> None:
    shown = title(f"Account handoff: {text} Corp")
    assert ZWSP in shown
    assert shown.replace(ZWSP, "") == f"Account handoff: {text} Corp"


def test_a_title_is_one_line() -> None:
    assert title("a\nb\u2028c\r/close") == "a b c /close"


def test_trusted_filters_refuse_values_with_a_trailing_line_break() -> None:
    assert "\n" not in mention("sara.sa\n")
    assert "\n" not in str(link("plan", "https://docs.example.com/plan\n"))
    assert "\n" not in str(reference("customers/acme#1\n"))
    assert str(link("plan", 'https://x.example.com/"onmouseover')) == "plan"


def test_a_link_keeps_its_url_readable_in_its_text() -> None:
    url = "https://docs.example.com/plan"
    assert str(link(url, url)) == f"[{url}]({url})"


def test_with_staff_only_staff_are_mentioned() -> None:
    staff = frozenset({"sara.sa", "Tom.Tam"})
    assert mention("sara.sa", staff) == "@sara.sa"
    assert mention("tom.tam", staff) == "@tom.tam"  # GitLab usernames ignore case
    assert mention("customers", staff) == "customers"  # a group: printed, not pinged
    assert "@" not in mention("customers", staff)


def test_the_mention_filter_reads_staff_from_the_context() -> None:
    from pathlib import Path

    from triage.render import environment

    env = environment(Path("."))
    template = env.from_string("{{ name | mention }}")
    assert template.render(name="customers", staff=["sara.sa"]) == "customers"
    assert template.render(name="sara.sa", staff=["sara.sa"]) == "@sara.sa"
    assert template.render(name="sara.sa", staff=None) == "@sara.sa"
