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
    return tmp_path


def test_validate_passes_on_the_defaults_and_contacts_nothing(workdir: Path) -> None:
    result = CliRunner().invoke(main, ["validate"], env={"SALSATAM_URL": "http://127.0.0.1:9"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("policies/ and templates/ are valid: ")
    assert " templates compile, " in result.stdout


def test_validate_names_the_folders_it_checked(workdir: Path) -> None:
    (workdir / "checked").mkdir()
    (workdir / "policies").rename(workdir / "checked" / "policies")
    args = ["validate", "--policies", "checked/policies", "--templates", "templates/"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("checked/policies/ and templates/ are valid: ")


@pytest.mark.parametrize(
    "option",
    ["--url=x", "--token=x", "--account=x", "--now=2026-03-10", "--shard=1/2", "--only=health"],
)
def test_validate_has_no_options_it_cannot_use(workdir: Path, option: str) -> None:
    result = CliRunner().invoke(main, ["validate", option])
    assert result.exit_code == 2
    assert f"No such option '{option.partition('=')[0]}'" in result.stderr


def test_validate_ignores_the_run_settings_in_the_environment(workdir: Path) -> None:
    env = {"SALSATAM_SHARD": "not-a-shard", "SALSATAM_TOKEN": "x", "SALSATAM_URL": "x"}
    result = CliRunner().invoke(main, ["validate"], env=env)
    assert result.exit_code == 0, result.output


NO_TEAM = (
    "warning: no team in policies/teams.yml: no agendas will be opened (add the account "
    "teams, or set `enabled: false` in agenda.yml)"
)
TEAM = """teams:
  - name: east
    members: [{username: sam.sal, role: sal}]
    meeting: {cadence: weekly, weekday: tue}
"""


def test_validate_warns_when_no_team_is_listed_but_passes(workdir: Path) -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [NO_TEAM]
    (workdir / "policies" / "teams.yml").write_text("teams: []\n")
    assert CliRunner().invoke(main, ["validate"]).stderr.splitlines() == [NO_TEAM]


def test_no_warning_with_a_team_or_with_agendas_turned_off(workdir: Path) -> None:
    (workdir / "policies" / "teams.yml").write_text(TEAM)
    result = CliRunner().invoke(main, ["validate"])
    assert (result.exit_code, result.stderr) == (0, "")
    (workdir / "policies" / "teams.yml").unlink()
    (workdir / "policies" / "agenda.yml").write_text("enabled: false\n")
    result = CliRunner().invoke(main, ["validate"])
    assert (result.exit_code, result.stderr) == (0, "")


def test_a_template_syntax_error_has_its_line(workdir: Path) -> None:
    (workdir / "templates" / "broken.md.j2").write_text("Hello\n{% if account %}\nno end\n")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "templates/broken.md.j2:3: template syntax: Unexpected end of template. Jinja was "
        "looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block "
        "that needs to be closed is 'if'.",
        NO_TEAM,
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
    assert [str(p) for p in check.problems] == ["templates/hello.md.j2:2: 'acount' is undefined"]


def test_a_misspelt_variable_in_a_branch_the_sample_skips_is_found(workdir: Path) -> None:
    agenda = workdir / "templates" / "agenda.md.j2"
    text = agenda.read_text(encoding="utf-8")
    broken = "{% else %}{{ facilitatr }}{% endif %} · next time"
    assert "{% else %}_anyone_{% endif %} · next time" in text
    agenda.write_text(text.replace("{% else %}_anyone_{% endif %} · next time", broken, 1))
    line = 1 + text.splitlines().index(
        next(t for t in text.splitlines() if t.startswith("Facilitator:"))
    )
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"templates/agenda.md.j2:{line}: 'facilitatr' is undefined",
        NO_TEAM,
        "salsatam: 1 template problem(s)",
    ]


def test_names_a_template_sets_or_loops_over_and_jinja_globals_are_defined(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "templates" / "ok.md.j2").write_text(
        "{% set who = account.name %}{% for i in range(2) %}{{ who }} {{ loop.index }}"
        "{% endfor %}{% if not account %}{{ missing_one }}{% endif %}\n"
    )
    kind = types.ModuleType(KIND)
    kind.SCHEMA = {"type": "object"}  # type: ignore[attr-defined]
    kind.parse = lambda data, ctx: {}  # type: ignore[attr-defined]
    kind.SAMPLE_CONTEXTS = {"ok.md.j2": {"account": {"name": "Acme"}}}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, KIND, kind)
    policies = load_policies(workdir / "policies", Path("templates"), kinds={"health": KIND})
    check = check_templates(policies, kinds={"health": KIND})
    assert check.rendered == 1
    assert [str(p) for p in check.problems] == ["templates/ok.md.j2:1: 'missing_one' is undefined"]
