"""`salsatam plan`: what apply would change, and why; writes nothing to GitLab."""

from __future__ import annotations

from pathlib import Path

import click

from triage import output
from triage.commands.options import RunOptions, run_options
from triage.commands.setup import clock, connect, ends_cleanly, load, read_and_evaluate, start
from triage.plan import Plan
from triage.report.plan import FORMATS, render_plan


def make_plan(opts: RunOptions) -> Plan:
    """Load policies, read GitLab, evaluate. Policies are checked before connecting."""
    from triage.gitlab.access import shortfall

    policies = load(opts)
    now = clock(opts, policies)
    conn = connect(opts, policies)
    snapshot, result = read_and_evaluate(opts, policies, conn, now)
    home = snapshot.accounts_project
    below = shortfall(conn, (home.id, home.path), policies.settings.customers_group)
    if below is not None:  # a Guest can't see confidential issues
        output.err(f"warning: {below.warning()}")
    return result


@click.command()
@run_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for a log, json for machines, markdown for a merge request comment.",
)
@click.option(
    "--output",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the plan to FILE instead of stdout.",
)
@ends_cleanly
def plan(opts: RunOptions, fmt: str, target: Path | None) -> None:
    """Show what apply would change, and why (dry run: nothing is written)."""
    start(opts)
    result = make_plan(opts)
    text = render_plan(result, fmt)
    if target is None:
        output.out(text)
    else:
        target.write_text(output.redact(text) + "\n", encoding="utf-8")
        output.err(f"plan written to {target}")
