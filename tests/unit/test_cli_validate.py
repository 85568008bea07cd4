"""`salsatam validate`: templates compile, and render with each kind's sample context."""

from __future__ import annotations

import shutil
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from triage.cli import main
from triage.policy.loader import PACKAGED, load_policies
from triage.policy.templates import check_templates

KIND = "salsatam_sample_kind"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "policies").mkdir()
    for name in ("salsatam.yml", "labels.yml"):
        shutil.copy(PACKAGED / "policies" / name, tmp_path / "policies" / name)
    shutil.copytree(PACKAGED / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SALSATAM_LOG", str(tmp_path / "debug.log"))
    return tmp_path


def test_validate_passes_on_the_defaults_and_contacts_nothing(workdir: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("policies in policies are valid; ")


def test_a_template_syntax_error_has_its_line(workdir: Path) -> None:
    (workdir / "templates" / "broken.md.j2").write_text("Hello\n{% if account %}\nno end\n")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "templates/broken.md.j2:3: template syntax: Unexpected end of template. Jinja was "
        "looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block "
        "that needs to be closed is 'if'.",
        "salsatam: 1 template problem(s)",
    ]


def test_sample_contexts_catch_a_misspelt_variable(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "templates" / "hello.md.j2").write_text("Hello {{ account.name }}\n{{ acount }}\n")
    (workdir / "templates" / "fine.md.j2").write_text("Renewal {{ renewal }}\n")
    kind = types.ModuleType(KIND)
    kind.SCHEMA = {"type": "object"}  # type: ignore[attr-defined]
    kind.parse = lambda data, ctx: {"templates": ["hello.md.j2", "fine.md.j2"]}  # type: ignore[attr-defined]

    def sample_contexts(policy: dict[str, Any]) -> dict[str, dict[str, Any]]:
        sample = {"account": {"name": "Acme"}, "renewal": "2026-06-01"}
        return {name: sample for name in policy["templates"]}

    kind.sample_contexts = sample_contexts  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, KIND, kind)
    policies = load_policies(workdir / "policies", Path("templates"), kinds={"health": KIND})
    check = check_templates(policies, kinds={"health": KIND})
    assert check.rendered == 1
    assert [str(p) for p in check.problems] == [
        "templates/hello.md.j2:2: 'acount' is undefined (rendering a sample health context)"
    ]
