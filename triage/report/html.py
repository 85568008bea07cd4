"""The portfolio report as a static page: index.html (self-contained) and report.json.

The page loads nothing: its CSS is inlined, its charts are inline SVG, it runs no script.
Everything printed is autoescaped; account names and reasons are data, never markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from triage import __version__
from triage.output import LOGGER, redact
from triage.plan import Plan
from triage.report import charts, portfolio_json
from triage.report.portfolio import Portfolio, build

log = LOGGER.getChild("report")  # the debug log, redacted, as every salsatam message

HERE = Path(__file__).parent
PAGE = "index.html"
DATA = "report.json"


def write_report(plan: Plan, outdir: Path, previous: Path | None = None) -> Path:
    """Write the report for `plan` into `outdir` and return the page's path.

    `previous` is an earlier report.json to compare with; by default the one already in
    `outdir`, which this run then replaces.
    """
    before = read_previous(previous or outdir / DATA)
    return write_portfolio(build(plan, before), outdir)


def write_portfolio(portfolio: Portfolio, outdir: Path) -> Path:
    """Write index.html and report.json for `portfolio` into `outdir`."""
    outdir.mkdir(parents=True, exist_ok=True)
    page = outdir / PAGE
    page.write_text(redact(render_page(portfolio)), encoding="utf-8")
    data = json.dumps(portfolio_json.dump(portfolio), indent=2, ensure_ascii=False)
    (outdir / DATA).write_text(redact(data) + "\n", encoding="utf-8")
    return page


def read_previous(path: Path) -> Mapping[str, Any] | None:
    """An earlier report.json, or None when there is none or it can't be read."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        log.warning("ignoring the previous report %s: %s", path, err)
        return None
    found = portfolio_json.readable(data)
    if found is None:
        log.warning("ignoring the previous report %s: not a salsatam portfolio report", path)
    return found


def render_page(portfolio: Portfolio) -> str:
    today = portfolio.generated_at.date()
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            p=portfolio,
            version=__version__,
            css=Markup((HERE / "report.css").read_text(encoding="utf-8")),
            charts={
                "distribution": charts.distribution_chart(portfolio.distribution),
                "renewals": charts.renewals_chart(portfolio.renewals, today),
                "workload": charts.workload_chart(portfolio.workload),
            },
        )
    )


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=money, day=day, signed=signed, score=score, web=web)
    return env


def money(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 1_000_000:
        return f"{value / 1_000_000:.2f}M".replace(".00M", "M")
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    return f"{value:,.0f}"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    return value.isoformat()


def signed(value: int | None) -> str:
    if value is None:
        return ""
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{-value}")


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def web(url: str) -> str:
    """A link target only when it is an http(s) URL (GitLab's web_url); else nothing."""
    return url if re.match(r"^https?://[^\s<>\"']+$", url) else ""
