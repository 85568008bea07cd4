"""`salsatam report`: the portfolio page (health, renewals, TAM workload, handoffs) as HTML."""

from __future__ import annotations

import json
from pathlib import Path

import click

from triage import output
from triage.commands.options import RunOptions, run_options
from triage.commands.setup import UsageProblem, ends_cleanly, start
from triage.report import portfolio_json
from triage.report.html import DATA, read_previous, write_portfolio
from triage.report.portfolio import Portfolio, build, compared


def portfolio_from_file(path: Path) -> Portfolio:
    """The portfolio in a `salsatam plan --format json` file or in an earlier report.json."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageProblem(f"{path}: not readable as JSON: {error}") from None
    if isinstance(data, dict) and "portfolio" in data:
        data = data["portfolio"]
    try:
        return portfolio_json.load(data)
    except portfolio_json.PortfolioFormatError as error:
        raise UsageProblem(
            f"{path}: {error}; make it with `salsatam plan --format json --output FILE`"
        ) from None


def portfolio_from_gitlab(opts: RunOptions) -> Portfolio:
    """Read GitLab and evaluate, as `salsatam plan` does (nothing is written to GitLab)."""
    from triage.commands.plan import make_plan

    return build(make_plan(opts))


@click.command()
@run_options
@click.option(
    "--html",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Write index.html and report.json into DIR.",
)
@click.option(
    "--plan-json",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Build the page from FILE (`salsatam plan --format json`) instead of reading GitLab.",
)
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=f"Compare with this earlier {DATA} [default: DIR/{DATA}].",
)
@ends_cleanly
def report(opts: RunOptions, outdir: Path, plan_json: Path | None, previous: Path | None) -> None:
    """Write the portfolio report: a static page that loads nothing and runs no script."""
    start(opts)
    portfolio = portfolio_from_file(plan_json) if plan_json else portfolio_from_gitlab(opts)
    before = read_previous(previous or outdir / DATA)
    if before is not None:
        portfolio = compared(portfolio, before)
    page = write_portfolio(portfolio, outdir)
    output.err(f"report written to {page}")
