"""`salsatam apply`: make the plan's changes in GitLab, say what was done, and sum up.

Each change is printed as it is applied (in CI inside a collapsed section of the job log).
SIGINT (Ctrl-C) or SIGTERM (what GitLab CI sends when a job is cancelled or times out) stops
the run after the change in hand: the changes done so far are summed up and written to the
report, and the exit code is 130 or 143. A second signal stops at once.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from triage import output
from triage.commands.options import RunOptions, run_options
from triage.commands.setup import (
    EXIT_FAILED,
    ReadFailed,
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
    from triage.gitlab.apply import ChangeResult, Outcome
    from triage.gitlab.client import Connection

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
SHOWN_FAILURES = 20  # failed lines repeated before the summary


@dataclass
class ApplyReport:
    plan: Plan
    outcome: Outcome
    requests: int  # reading and writing
    seconds: float
    throttled: int = 0  # 429 answers
    waited: float = 0.0  # seconds spent waiting for them
    stopped_by: int | None = None  # the signal that interrupted the run

    @property
    def return_code(self) -> int:
        if self.stopped_by is not None:
            return 128 + self.stopped_by  # as a shell reports a process the signal ended
        return EXIT_FAILED if self.outcome.failed else 0

    def interruption(self) -> str | None:
        if self.stopped_by is None:
            return None
        name = signal.Signals(self.stopped_by).name
        return (
            f"interrupted ({name}) after {len(self.outcome.results)} of "
            f"{len(self.plan.changes)} changes; the next run continues where this one stopped"
        )

    def summary(self) -> str:
        return outcome_summary(
            self.outcome,
            self.requests,
            self.seconds,
            self.plan,
            rate_limits=(self.throttled, self.waited),
        )


class _Stop:
    """Signals during apply: the first lets the change in hand finish, then nothing more is
    sent; a second stops at once."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.signal: int | None = None

    def __call__(self, signum: int, _frame: FrameType | None) -> None:
        from triage.gitlab.client import RunInterrupted

        if self.signal is not None:
            self.conn.halt()
            raise RunInterrupted()
        self.signal = signum
        output.err(
            f"salsatam: {signal.Signals(signum).name}: stopping after the change in hand "
            "(again to stop at once)"
        )

    def after_change(self) -> None:
        if self.signal is not None:
            self.conn.halt()  # the next request raises RunInterrupted


@contextmanager
def _stopping(conn: Connection) -> Iterator[_Stop]:
    stop = _Stop(conn)
    if threading.current_thread() is not threading.main_thread():
        yield stop  # signal handlers belong to the main thread
        return
    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def apply_run(
    opts: RunOptions, on_result: Callable[[ChangeResult], None] | None = None
) -> ApplyReport:
    """Load policies, read GitLab, evaluate, and write the changes; `on_result` hears of
    each change as soon as it is done (or failed, or skipped)."""
    from triage.gitlab.access import require_write_access
    from triage.gitlab.apply import Outcome, apply_plan
    from triage.gitlab.client import RunInterrupted

    started = time.monotonic()
    policies = load(opts)
    now = clock(opts, policies)
    conn = connect(opts, policies)
    snapshot, plan = read_and_evaluate(opts, policies, conn, now)
    if plan.changes:  # a Guest's writes lose their labels: refuse below Reporter (exit 2)
        home = snapshot.accounts_project
        require_write_access(conn, (home.id, home.path), policies.settings.customers_group)
    results: list[ChangeResult] = []
    applying, before = time.monotonic(), conn.requests
    with (
        output.section("apply", f"applying {len(plan.changes)} changes"),
        output.progress(len(plan.changes), "apply") as advance,
        _stopping(conn) as stop,
    ):

        def step(result: ChangeResult) -> None:
            results.append(result)
            advance(result)
            if on_result is not None:
                on_result(result)
            stop.after_change()

        try:
            outcome = apply_plan(conn, plan, snapshot, step)
        except RunInterrupted:
            outcome = Outcome(results, conn.requests - before, time.monotonic() - applying)
    finished = len(outcome.results) >= len(plan.changes)
    return ApplyReport(
        plan,
        outcome,
        conn.requests,
        time.monotonic() - started,
        throttled=conn.traffic.throttled,
        waited=conn.traffic.waited,
        stopped_by=None if finished else stop.signal,
    )


def write_report(report: ApplyReport, directory: Path) -> None:
    """outcome.json, outcome.md and the portfolio page in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    note = report.interruption()
    files = {
        "outcome.json": outcome_json(report.outcome, report.plan, interrupted=note),
        "outcome.md": outcome_markdown(report.outcome, report.plan, interrupted=note),
    }
    for name, text in files.items():
        (directory / name).write_text(output.redact(text) + "\n", encoding="utf-8")
    write_html_report(report.plan, directory)  # index.html and report.json


def write_read_failure(message: str, directory: Path) -> None:
    """outcome.json and outcome.md of a run that failed while reading (nothing written)."""
    from triage.gitlab.apply import Outcome

    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "outcome.json": outcome_json(Outcome(), error=message),
        "outcome.md": outcome_markdown(Outcome(), error=message),
    }
    for name, text in files.items():
        (directory / name).write_text(output.redact(text) + "\n", encoding="utf-8")


def failed_lines(report: ApplyReport, report_dir: Path | None) -> list[str]:
    """The failed changes again (the first `SHOWN_FAILURES`), to be found without scrolling."""
    failed = [r for r in report.outcome.results if r.status == "failed"]
    lines = [outcome_line(r) for r in failed[:SHOWN_FAILURES]]
    more = len(failed) - SHOWN_FAILURES
    if more > 0:
        where = report_dir / "outcome.md" if report_dir is not None else "the list above"
        lines.append(f"and {more} more failed in {where}")
    return lines


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
    """Apply the plan to GitLab; exit 1 if any change failed, 4 if reading GitLab failed,
    130/143 when stopped by SIGINT/SIGTERM (after the change in hand)."""
    start(opts, report_dir)
    try:
        report = apply_run(opts, lambda result: output.out(outcome_line(result)))
    except ReadFailed as error:
        if report_dir is not None:
            write_read_failure(str(error), report_dir)
        raise
    except KeyboardInterrupt:  # Ctrl-C before anything was written
        output.err("salsatam: interrupted (SIGINT) before applying anything; nothing was written")
        raise click.exceptions.Exit(128 + signal.SIGINT) from None
    for problem in report.plan.problems:
        output.err(f"problem: {problem.account}: {problem.rule}: {problem.message}")
    if report_dir is not None:
        write_report(report, report_dir)
    for line in failed_lines(report, report_dir):
        output.err(line)
    interruption = report.interruption()
    if interruption is not None:
        output.err(f"salsatam: {interruption}")
    output.err(report.summary())
    raise click.exceptions.Exit(report.return_code)
