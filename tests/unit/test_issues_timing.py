"""Periods and dates of issue rules: key anchors, due dates, the renewal quarter."""

from __future__ import annotations

from datetime import date

import pytest

from triage.kinds.issue_timing import anchor, renewal_soon

MONDAY = date(2026, 3, 2)  # ISO week 10


@pytest.mark.parametrize(
    ("per", "today", "part"),
    [
        ("week", MONDAY, "2026-W10"),
        ("two-weeks", MONDAY, "2026-W09"),
        ("two-weeks", date(2026, 2, 23), "2026-W09"),
        ("two-weeks", date(2026, 3, 9), "2026-W11"),
        ("month", MONDAY, "2026-03"),
        ("quarter", MONDAY, "2026-Q1"),
        ("quarter", date(2026, 12, 31), "2026-Q4"),
        ("year", MONDAY, "2026"),
        ("renewal", MONDAY, "2026-09-30"),
        ("last_ebr", MONDAY, "none"),
    ],
)
def test_the_part_of_a_key_that_changes_once_per_period(per: str, today: date, part: str) -> None:
    assert anchor(per, {"renewal": date(2026, 9, 30)}, today) == part


@pytest.mark.parametrize(
    ("renewal", "soon"),
    [
        (date(2026, 3, 31), True),  # this quarter
        (date(2026, 6, 30), True),  # next quarter
        (date(2026, 7, 1), False),
        (date(2026, 2, 1), False),  # already past
    ],
)
def test_renewal_soon_means_this_or_next_quarter(renewal: date, soon: bool) -> None:
    assert renewal_soon({"renewal": renewal}, MONDAY) is soon
