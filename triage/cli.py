"""The `salsatam` command line: click commands only, each in triage/commands/."""

from __future__ import annotations

import click

from triage import __version__
from triage.commands.apply import apply
from triage.commands.demo import demo
from triage.commands.plan import plan
from triage.commands.report import report
from triage.commands.sandbox import sandbox
from triage.commands.validate import validate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="salsatam")
def main() -> None:
    """GitLab-native automation for customer account teams.

    Reads account records and collaboration projects, applies YAML policies, and writes
    health labels, handoff/engagement/agenda issues and triage boards back into GitLab.
    """


main.add_command(sandbox)
main.add_command(validate)
main.add_command(plan)
main.add_command(apply)
main.add_command(report)
main.add_command(demo)
