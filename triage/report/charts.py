"""The report's charts: pygal SVG inlined into the page, with no script and nothing fetched.

pygal writes an inline configuration script even when no script file is linked; it is removed
so the page runs no JavaScript at all. Labels are escaped by pygal's XML writer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import pygal
from markupsafe import Markup
from pygal.style import Style

from triage.report.portfolio import COLOURS, AccountRow, Distribution, TamLoad

# Colour-blind-safe enough and readable in print: red, amber, green, grey.
PALETTE = {"red": "#c0392b", "yellow": "#e0a800", "green": "#2e8540", "none": "#9aa0a6"}
LABELS = {"red": "red", "yellow": "yellow", "green": "green", "none": "no colour"}
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_RANDOM_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MONTHS = 12


def _style(colours: Iterable[str]) -> Style:
    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#222",
        foreground_strong="#111",
        foreground_subtle="#777",
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=12,
        value_font_size=12,
        title_font_size=15,
        colors=tuple(colours),
    )


def _config(title: str, colours: Iterable[str], **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "style": _style(colours),
        "js": [],  # no script is linked from the SVG
        "disable_xml_declaration": True,  # inlined into HTML
        "width": 640,
        "height": 300,
        "legend_at_bottom": True,
        "print_values": True,
        "print_zeroes": False,
        "show_y_guides": False,
        "show_y_labels": False,  # counts are printed on the bars; an axis of 0.2s helps no one
        "truncate_label": 30,
        "no_data_text": "nothing to show",
        **extra,
    }


def _svg(chart: Any, name: str) -> Markup:
    svg = str(chart.render(is_unicode=True))
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    # pygal names each chart with a random id; a stable one keeps the page reproducible.
    svg = _RANDOM_ID.sub(f"chart-{name}", svg)
    # pygal's markup is escaped XML built from our data; the page treats it as trusted.
    return Markup(svg)


def distribution_chart(distribution: Distribution) -> Markup:
    """Accounts per colour now, beside the previous report when there is one."""
    chart = pygal.Bar(**_config("Health distribution", (PALETTE[c] for c in COLOURS)))
    chart.x_labels = ["previous", "now"] if distribution.previous is not None else ["now"]
    for colour in COLOURS:
        values = [distribution.current.get(colour, 0)]
        if distribution.previous is not None:
            values.insert(0, distribution.previous.get(colour, 0))
        chart.add(LABELS[colour], values)
    return _svg(chart, "distribution")


def renewal_months(start: date, months: int = MONTHS) -> list[date]:
    """The first day of each month of the timeline, starting with `start`'s month."""
    firsts = []
    year, month = start.year, start.month
    for _ in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return firsts


def renewals_chart(renewals: Iterable[AccountRow], today: date) -> Markup:
    """Renewals per month over the next year, stacked by health colour."""
    months = renewal_months(today)
    index = {(m.year, m.month): i for i, m in enumerate(months)}
    counts = {colour: [0] * len(months) for colour in COLOURS}
    for row in renewals:
        slot = index.get((row.renewal.year, row.renewal.month)) if row.renewal else None
        if slot is not None:
            counts[row.colour][slot] += 1
    chart = pygal.StackedBar(
        **_config("Renewals by month", (PALETTE[c] for c in COLOURS), x_label_rotation=0)
    )
    chart.x_labels = [m.strftime("%b %y") for m in months]
    for colour in COLOURS:
        chart.add(LABELS[colour], [n or None for n in counts[colour]])
    return _svg(chart, "renewals")


def workload_chart(workload: Iterable[TamLoad]) -> Markup:
    """Accounts per TAM, stacked by health colour."""
    loads = list(workload)
    height = max(200, 90 + 34 * len(loads))
    chart = pygal.HorizontalStackedBar(
        **_config(
            "Accounts per TAM",
            (PALETTE[c] for c in COLOURS),
            height=height,
            # Axes swap in horizontal charts: keep the names, drop the value scale.
            show_y_labels=True,
            show_x_labels=False,
            show_x_guides=False,
        )
    )
    # Horizontal bars are drawn bottom-up; reverse so the busiest TAM is on top.
    chart.x_labels = [load.tam for load in reversed(loads)]
    for colour in COLOURS:
        chart.add(LABELS[colour], [load.counts.get(colour, 0) or None for load in reversed(loads)])
    return _svg(chart, "workload")
