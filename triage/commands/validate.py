"""`salsatam validate`: check policies and templates; contacts nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from triage import output
from triage.commands.options import RunOptions, some_run_options
from triage.commands.setup import EXIT_USAGE, ends_cleanly, load, start
from triage.policy.errors import PolicyProblem
from triage.policy.loader import PolicySet, shown
from triage.policy.templates import check_templates


@dataclass
class ValidationReport:
    policies: PolicySet
    templates_compiled: int = 0
    templates_rendered: int = 0
    problems: list[PolicyProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth knowing; they don't fail

    @property
    def return_code(self) -> int:
        return EXIT_USAGE if self.problems else 0

    def summary(self) -> str:
        sources = self.policies.sources
        if self.problems:
            return f"salsatam: {len(self.problems)} template problem(s)"
        return (
            f"{_folder(sources.policies)} and {_folder(sources.templates)} are valid: "
            f"{self.templates_compiled} templates compile, "
            f"{self.templates_rendered} rendered with sample data"
        )


def _folder(path: Path) -> str:
    """`policies/`: a directory as the user should see it, marked as one."""
    text = shown(path)
    return text if text.endswith(("/", "\\")) else f"{text}/"


def validate_run(opts: RunOptions) -> ValidationReport:
    """Load the policies (PolicyError when they are wrong) and check the templates."""
    policies = load(opts)
    check = check_templates(policies)
    report = ValidationReport(policies, check.compiled, check.rendered, check.problems)
    report.warnings = warnings(policies)
    return report


def warnings(policies: PolicySet) -> list[str]:
    """Valid settings that are probably not what was meant."""
    found: list[str] = []
    if policies.agenda.enabled and not policies.teams.teams:
        found.append(
            f"no team in {shown(policies.sources.policies / 'teams.yml')}: "
            "no agendas will be opened (add the account teams, or set `enabled: false` "
            "in agenda.yml)"
        )
    return found


@click.command()
@some_run_options("policies", "templates", "verbose")
@ends_cleanly
def validate(opts: RunOptions) -> None:
    """Check the policies and templates (nothing is contacted)."""
    start(opts)
    report = validate_run(opts)
    for problem in report.problems:
        output.err(str(problem))
    for warning in report.warnings:
        output.err(f"warning: {warning}")
    (output.err if report.problems else output.out)(report.summary())
    raise click.exceptions.Exit(report.return_code)
