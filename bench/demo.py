"""What `salsatam demo` costs: requests and time of its first run and of its rerun.

Runs the demo (a fresh sandbox, the book of business, the default policies) for each seed
given, at a fixed instant, and prints one row per run as the sandbox counted it.

    python bench/demo.py          # seed 7
    python bench/demo.py 1 2 3
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from triage.demo.run import DemoOptions, Pass, run_demo

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
HEADER = ("seed", "run", "accounts", "issues", "changes", "reads", "writes", "seconds")


def row(seed: int, name: str, accounts: int, issues: int, run: Pass) -> tuple[str, ...]:
    done = sum(1 for r in run.report.outcome.results if r.status == "done")
    return (
        str(seed),
        name,
        str(accounts),
        str(issues),
        str(done),
        str(run.reads),
        str(run.writes),
        f"{run.report.seconds:.2f}",
    )


def measure(seed: int, directory: Path) -> tuple[list[tuple[str, ...]], float]:
    started = time.monotonic()
    run = run_demo(DemoOptions(now=NOW, seed=seed, port=0, report_dir=directory / str(seed)))
    run.stop()
    accounts, issues = len(run.book.accounts), run.book.issues
    rows = [
        row(seed, "first run", accounts, issues, run.first),
        row(seed, "rerun", accounts, issues, run.rerun),
    ]
    return rows, time.monotonic() - started


def main(seeds: list[int]) -> None:
    rows: list[tuple[str, ...]] = [HEADER]
    totals: list[str] = []
    with tempfile.TemporaryDirectory() as directory:
        for seed in seeds:
            measured, seconds = measure(seed, Path(directory))
            rows += measured
            totals.append(f"seed {seed}: whole demo {seconds:.1f} s")
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    for cells in rows:
        print(
            "  ".join(
                c.rjust(w) if c[:1].isdigit() else c.ljust(w)
                for c, w in zip(cells, widths, strict=True)
            )
        )
    print("; ".join(totals) + " (sandbox start, seeding, both runs, report)")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [7])
