"""Markers a person typed (in the record's YAML block, or in a sentence) are not the section."""

from __future__ import annotations

from triage.section import END, START, BotSection, replace_section, section_text, span


def test_markers_inside_the_record_block_or_a_sentence_are_text() -> None:
    record = (
        "Account record.\n\n```yaml\narr: 1\nnext_step: |\n"
        f"  x\n{START}\n{END}\n```\nSee {START} here.\n"
    )
    assert span(record) is None
    section = section_text("| health | green |", BotSection(colour="green"))
    written = replace_section(record, section)
    assert written.startswith(record)  # the record is kept byte for byte
    again = replace_section(written, section_text("| health | red |", BotSection(colour="red")))
    assert again.startswith(record) and "| health | red |" in again
    assert "| health | green |" not in again
