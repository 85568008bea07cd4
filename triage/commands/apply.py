"""`salsatam apply`: make the plan's changes in GitLab, say what was done, and sum up."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from triage import output
from triage.commands.options import RunOptions, run_options
from triage.commands.setup import (
    EXIT_FAILED,
    clock,
    connect,
    ends_cleanly,
    load,
    read_and_evaluate,
    start,
)
from triage.plan import Plan
from triage.report.html import write_report as write_html_report
from triage.report.plan import outcome_json, outcome_line, outcome_markdown, outcome_summary

if TYPE_CHECKING:
    from triage.gitlab.apply import Outcome


@dataclass
class ApplyReport:
    plan: Plan
    outcome: Outcome
    requests: int  # reading and writing
    seconds: float

    @property
    def return_code(self) -> int:
        return EXIT_FAILED if self.outcome.failed else 0

    def summary(self) -> str:
        return outcome_summary(self.outcome, self.requests, self.seconds, self.plan)


def apply_run(opts: RunOptions) -> ApplyReport:
    """Load policies, read GitLab, evaluate, and write the changes."""
    from triage.gitlab.apply import apply_plan

    started = time.monotonic()
    policies = load(opts)
    now = clock(opts, policies)
    conn = connect(opts, policies)
    snapshot, plan = read_and_evaluate(opts, policies, conn, now)
    with (
        output.section("apply", f"applying {len(plan.changes)} changes"),
        output.progress(len(plan.changes), "apply") as advance,
    ):
        outcome = apply_plan(conn, plan, snapshot, advance)
    return ApplyReport(plan, outcome, conn.requests, time.monotonic() - started)


def write_report(report: ApplyReport, directory: Path) -> None:
    """outcome.json, outcome.md and the portfolio page in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "outcome.json": outcome_json(report.outcome, report.plan),
        "outcome.md": outcome_markdown(report.outcome, report.plan),
    }
    for name, text in files.items():
        (directory / name).write_text(output.redact(text) + "\n", encoding="utf-8")
    write_html_report(report.plan, directory)  # index.html and report.json


@click.command()
@run_options
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the outcome (JSON, Markdown) and the portfolio page into DIR.",
)
@ends_cleanly
def apply(opts: RunOptions, report_dir: Path | None) -> None:
    """Apply the plan to GitLab; exit 1 if any change failed."""
    start(opts)
    report = apply_run(opts)
    for result in report.outcome.results:
        output.out(outcome_line(result))
    for problem in report.plan.problems:
        output.err(f"problem: {problem.account}: {problem.rule}: {problem.message}")
    if report_dir is not None:
        write_report(report, report_dir)
    output.err(report.summary())
    raise click.exceptions.Exit(report.return_code)
