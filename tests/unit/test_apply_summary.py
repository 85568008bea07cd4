"""The end of an apply: failed changes repeated before the summary, rate-limit waits."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from triage.changes import SetLabels
from triage.commands.apply import ApplyReport, failed_lines
from triage.gitlab.apply import ChangeResult, Outcome
from triage.plan import Plan
from triage.report.plan import outcome_markdown
from triage.snapshot import IssueRef

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def results(failed: int, done: int) -> list[ChangeResult]:
    def change(n: int) -> SetLabels:
        return SetLabels(reason="r", key=f"k{n}", rule="r", issue=IssueRef("a/b", n),
                         add=("health::red",))

    return [ChangeResult(change(n), "failed", "500: boom") for n in range(failed)] + [
        ChangeResult(change(failed + n), "done") for n in range(done)
    ]


def report(outcome: Outcome, **extra: int | float) -> ApplyReport:
    plan = Plan(now=NOW, kinds=("health",), changes=[r.change for r in outcome.results])
    return ApplyReport(plan, outcome, 10, 1.0, **extra)  # type: ignore[arg-type]


def test_failed_lines_stop_at_twenty_and_say_where_the_rest_are() -> None:
    lines = failed_lines(report(Outcome(results(23, 5))), Path("public"))
    assert len(lines) == 21
    assert lines[0] == "failed: set ~health::red on a/b#0: r (500: boom)"
    assert lines[-1] == "and 3 more failed in public/outcome.md"
    assert failed_lines(report(Outcome(results(0, 5))), None) == []


def test_the_summary_counts_rate_limit_waits() -> None:
    done = report(Outcome(results(0, 2)), throttled=3, waited=110.4)
    assert done.summary().endswith("; 10 requests in 1.0 s; 3 × 429, waited about 110 s")
    assert "429" not in report(Outcome(results(0, 2))).summary()


def test_outcome_markdown_lists_the_failures_first() -> None:
    text = outcome_markdown(Outcome(results(1, 2)))
    assert text.index("### Failed (1)") < text.index("### All changes")
