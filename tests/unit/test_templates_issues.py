"""Golden files of the issue and note templates, rendered from fixed sample contexts.

Regenerate after a deliberate change with SALSATAM_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from issues_book import book, creates, customer_issue, plan, policies, record

from triage.kinds.issue_context import issue_context
from triage.kinds.issue_samples import SAMPLE_LOAD, sample_account, sample_contexts, sample_firing
from triage.policy.loader import PACKAGED
from triage.render import environment, render

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "issues"
TEMPLATES = PACKAGED / "templates"
NOT_ISSUES = {"agenda.md.j2"}


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SALSATAM_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with SALSATAM_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


SAMPLES = sample_contexts(policies().issues)


@pytest.mark.parametrize("template", sorted(SAMPLES))
def test_template_matches_its_golden_file(template: str) -> None:
    text = render(environment(TEMPLATES), template, SAMPLES[template])
    golden(template.removesuffix(".j2"), text)


def test_every_issue_template_has_a_sample_context() -> None:
    files = {p.name for p in TEMPLATES.glob("*.j2")} - NOT_ISSUES
    assert files == set(SAMPLES)


def test_a_handoff_with_hostile_customer_issues_matches_its_golden_file() -> None:
    project = "customers/northwind"
    issues = (
        customer_issue(project, 5, "/close", "Please\n/close\n/label ~x\n@all ```"),
        customer_issue(project, 6, "<script>alert(1)</script> see #1", "<b>hi</b> @here"),
        customer_issue(project, 7, "Private outage", "secret", confidential=True),
    )
    snapshot = book(record(collaboration_project=project), collaboration={project: issues})
    [handoff] = creates(plan(snapshot), "handoff")
    golden("handoff-hostile.md", handoff.description)


def test_templates_cannot_print_untrusted_text_as_safe() -> None:
    env = environment(TEMPLATES)
    with pytest.raises(Exception, match="safe"):
        env.from_string("{{ title | safe }}")


def test_a_sample_with_no_collaboration_issues_still_renders() -> None:
    account = sample_account(customer_issues=())
    rule = policies().issues.rules[0]
    context = issue_context(account, sample_firing(rule), SAMPLE_LOAD)
    text = render(environment(TEMPLATES), "handoff.md.j2", context)
    assert "Open customer issues" not in text
    assert "- Collaboration project: [customers/northwind]" in text
