"""`salsatam demo`: a local GitLab with a book of business, and the default policies run on it."""

from __future__ import annotations

import logging
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import click

from triage import output
from triage.commands.options import parse_now
from triage.commands.setup import EXIT_FAILED, ends_cleanly
from triage.demo.book import demo_now
from triage.demo.run import DemoOptions, DemoRun, run_demo


def _now(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime:
    """--now as a date-time: a date alone is that day's 06:00 UTC, none is today's."""
    moment = parse_now(value)
    if isinstance(moment, datetime):
        return moment
    return demo_now(moment if isinstance(moment, date) else None)


@click.command(short_help="Try salsatam on a local GitLab with a book of business.")
@click.option("--port", type=int, help="Sandbox port [8080, else a free one]; 0 picks a free one.")
@click.option("--seed", default=7, show_default=True, help="Seed of the book of business.")
@click.option("--once", is_flag=True, help="Run, print, stop the sandbox and exit (for CI).")
@click.option(
    "--now",
    metavar="ISO-DATETIME",
    callback=_now,
    help="The demo's clock, for the sandbox and salsatam [today 06:00 UTC].",
)
@click.option(
    "--report",
    "report_dir",
    default="salsatam-demo-report",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the HTML report and the demo's policies go.",
)
@click.option("--verbose", "-v", is_flag=True, help="Say more on stderr.")
@ends_cleanly
def demo(
    port: int | None, seed: int, once: bool, now: datetime, report_dir: Path, verbose: bool
) -> None:
    """Start a local GitLab with a book of business and run the default policies on it.

    Seeds three account teams and about forty accounts with months of history, runs
    `salsatam apply` twice (the second run writes nothing), writes the HTML report, and
    keeps the sandbox running for a look around until Ctrl-C (unless --once).
    """
    output.set_secrets()  # the sandbox's tokens are meant to be shown
    output.setup_logging(verbose)
    output.err("starting the sandbox and seeding the book of business...")
    run = run_demo(DemoOptions(now=now, seed=seed, port=port, report_dir=report_dir))
    try:
        for line in _lines(run, live=not once):
            output.out(line)
        if not once:
            _serve(run)
    finally:
        run.stop()
    if run.first.report.return_code or run.rerun.writes:
        raise click.exceptions.Exit(EXIT_FAILED)


def _lines(run: DemoRun, live: bool) -> list[str]:
    from triage.demo.summary import summary

    return [*summary(run, live), "", f"done in {run.seconds:.1f} s"]


def _serve(run: DemoRun) -> None:
    """Keep the sandbox up, logging each request, until Ctrl-C."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("sandbox: %(message)s"))
    sandbox_log = logging.getLogger("triage.sandbox")
    sandbox_log.addHandler(handler)
    sandbox_log.setLevel(logging.INFO)
    output.out(f"\nthe sandbox keeps running at {run.url}: press Ctrl-C to stop it.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        output.err("stopping the sandbox")
    finally:
        sandbox_log.removeHandler(handler)
