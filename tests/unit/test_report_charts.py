"""The report's charts: inline SVG, no script, escaped labels, a stable id."""

from __future__ import annotations

from datetime import date

from triage.report.charts import (
    distribution_chart,
    renewal_months,
    renewals_chart,
    workload_chart,
)
from triage.report.portfolio import Distribution, TamLoad

HOSTILE = "<script>alert(1)</script>"
COUNTS = {"red": 2, "yellow": 0, "green": 5, "none": 1}


def test_the_timeline_covers_twelve_months_across_the_year_end() -> None:
    months = renewal_months(date(2026, 11, 23))
    assert (months[0], months[1], months[2], months[-1]) == (
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 10, 1),
    )
    assert len(months) == 12


def test_charts_are_inline_svg_without_script_or_comments() -> None:
    charts = [
        distribution_chart(Distribution(COUNTS, {"red": 1, "yellow": 1, "green": 5, "none": 1})),
        renewals_chart((), date(2026, 11, 2)),
        workload_chart((TamLoad("tina", COUNTS, 1, 0),)),
    ]
    for svg in charts:
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        assert "<script" not in svg and "<!--" not in svg
        assert "xlink:href" not in svg and "http://pygal" not in svg


def test_chart_ids_are_stable_from_one_run_to_the_next() -> None:
    first = distribution_chart(Distribution(COUNTS, None))
    assert 'id="chart-distribution"' in first
    assert first == distribution_chart(Distribution(COUNTS, None))


def test_a_hostile_tam_name_is_escaped_in_the_svg() -> None:
    svg = workload_chart((TamLoad(HOSTILE, COUNTS, 0, 0),))
    assert HOSTILE not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


def test_the_distribution_shows_previous_beside_now_only_when_there_is_one() -> None:
    assert ">previous<" not in distribution_chart(Distribution(COUNTS, None))
    assert ">previous<" in distribution_chart(Distribution(COUNTS, COUNTS))
