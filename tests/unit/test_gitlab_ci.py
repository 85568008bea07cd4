"""The .gitlab-ci.yml users copy into their accounts project: valid for GitLab, and safe."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from packaging.requirements import Requirement

CI_FILE = Path(__file__).resolve().parents[2] / ".gitlab-ci.yml"
JOBS = ("validate", "plan", "apply", "pages")


@pytest.fixture(scope="module")
def ci() -> dict[str, Any]:
    loaded = yaml.safe_load(CI_FILE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    # The schema ships inside check-jsonschema: nothing is downloaded.
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.gitlab-ci",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _ifs(job: dict[str, Any]) -> list[str]:
    return [rule.get("if", "") for rule in job.get("rules", [])]


def _script(ci: dict[str, Any], name: str) -> str:
    job = ci[name]
    parts = list(ci.get(job.get("extends", ""), {}).get("before_script", []))
    return "\n".join(parts + list(job.get("before_script", [])) + list(job["script"]))


def test_the_file_validates_against_gitlabs_ci_schema() -> None:
    result = _check_jsonschema(CI_FILE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_schema_check_rejects_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / ".gitlab-ci.yml"
    text = CI_FILE.read_text(encoding="utf-8")
    broken.write_text(text.replace("resource_group: salsatam", "resource_group: [salsatam]"))
    result = _check_jsonschema(broken)
    assert result.returncode == 1
    assert "$.apply.resource_group: ['salsatam'] is not of type 'string'" in result.stdout


def test_stages_run_in_order_and_every_job_has_one(ci: dict[str, Any]) -> None:
    assert ci["stages"] == ["validate", "plan", "apply"]
    for name in JOBS:
        assert ci[name]["stage"] in ci["stages"], name


def test_jobs_use_python_311_slim_and_install_salsatam(ci: dict[str, Any]) -> None:
    assert ci["default"]["image"] == "python:3.11-slim"
    for name in ("validate", "plan", "apply"):
        script = _script(ci, name)
        assert 'pip install --quiet "$SALSATAM_PACKAGE"' in script, name
        # pip needs git for a git+ URL, and the slim image has none.
        assert script.index("apt-get install") < script.index("pip install"), name


def _expand(value: str, variables: dict[str, str]) -> str:
    for name, known in variables.items():
        value = value.replace("${" + name + "}", known)
    return value


def test_salsatam_comes_from_the_users_own_gitlab_never_a_public_index(
    ci: dict[str, Any],
) -> None:
    # salsatam is not on a package index: a bare name fails, or installs someone else's.
    variables = ci["variables"]
    package = variables["SALSATAM_PACKAGE"]
    assert package == (
        "salsatam @ git+${CI_SERVER_URL}/${SALSATAM_SOURCE_PROJECT}.git@${SALSATAM_VERSION}"
    )
    assert variables["SALSATAM_SOURCE_PROJECT"] == "tools/salsatam"
    assert variables["SALSATAM_VERSION"] == "v0.1.0"
    expanded = _expand(package, {"CI_SERVER_URL": "https://gitlab.example.com", **variables})
    requirement = Requirement(expanded)
    assert requirement.name == "salsatam"
    assert requirement.url == "git+https://gitlab.example.com/tools/salsatam.git@v0.1.0"
    assert "$" not in expanded


def test_git_reads_the_job_token_from_the_environment_for_this_gitlab_only(
    ci: dict[str, Any],
) -> None:
    (line,) = [line for line in ci[".salsatam"]["before_script"] if "CI_JOB_TOKEN" in line]
    words = shlex.split(line)
    assert words[:4] == ["git", "config", "--global", "credential.${CI_SERVER_URL}.helper"]
    # Single-quoted: the shell stores the variable's name; git's helper reads its value.
    assert "'!f() { echo username=gitlab-ci-token; echo \"password=${CI_JOB_TOKEN}\"; }; f'" in line


def test_the_docs_install_from_a_copy_of_the_repository() -> None:
    docs = CI_FILE.parent / "docs"
    pipelines = (docs / "pipelines.md").read_text(encoding="utf-8")
    setup = (docs / "setup.md").read_text(encoding="utf-8")
    assert "SALSATAM_SOURCE_PROJECT" in pipelines and "SALSATAM_VERSION" in pipelines
    assert "salsatam>=" not in pipelines + setup
    installs = [line for line in setup.splitlines() if line.startswith("pip install")]
    assert installs == [
        "pip install 'salsatam @ git+https://gitlab.example.com/tools/salsatam.git@v0.1.0'"
    ]


def test_validate_runs_only_on_merge_requests_touching_policies_or_templates(
    ci: dict[str, Any],
) -> None:
    (rule,) = ci["validate"]["rules"]
    assert rule["if"] == '$CI_PIPELINE_SOURCE == "merge_request_event"'
    assert rule["changes"] == ["policies/**/*", "templates/**/*"]
    assert "salsatam validate" in _script(ci, "validate")


def test_plan_is_a_dry_run_on_merge_requests_with_json_and_markdown(ci: dict[str, Any]) -> None:
    plan = ci["plan"]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in _ifs(plan)
    assert '$CI_PIPELINE_SOURCE == "schedule"' not in _ifs(plan)
    script = _script(ci, "plan")
    assert "--format json --output plan.json" in script
    assert "--format markdown --output plan.md" in script
    assert "apply" not in script
    assert "salsatam report --html preview/ --plan-json plan.json" in script
    assert plan["artifacts"]["paths"] == ["plan.json", "plan.md", "preview/"]
    assert plan["artifacts"]["when"] == "always"


def test_apply_runs_only_on_schedules_one_at_a_time(ci: dict[str, Any]) -> None:
    apply = ci["apply"]
    assert _ifs(apply) == ['$CI_PIPELINE_SOURCE == "schedule"']
    assert apply["resource_group"] == "salsatam"
    assert apply["interruptible"] is False
    assert apply["artifacts"]["paths"] == ["public/", "public-debug.log"]
    assert apply["artifacts"]["when"] == "always"


def test_apply_chooses_kinds_from_the_schedule_and_writes_the_report(ci: dict[str, Any]) -> None:
    script = _script(ci, "apply")
    assert '${SALSATAM_ONLY:+--only "$SALSATAM_ONLY"}' in script
    assert "--report public/" in script
    assert ci["variables"]["SALSATAM_ONLY"] == ""
    cached = [path for entry in ci["apply"]["cache"] for path in entry["paths"]]
    assert "public/report.json" in cached


def _schedules(text: str) -> dict[str, str]:
    """The schedules the file's header documents: name -> SALSATAM_ONLY."""
    found = {}
    for line in text.splitlines():
        words = line.lstrip("# ").split()
        if len(words) == 2 and words[0].endswith(":") and words[1].startswith("SALSATAM_ONLY="):
            found[words[0][:-1]] = words[1].partition("=")[2]
    return found


def test_agendas_run_daily_and_boards_weekly() -> None:
    # A meeting on any day gets its agenda: the daily run opens it inside the window.
    text = CI_FILE.read_text(encoding="utf-8")
    assert _schedules(text) == {
        "daily": "health,collaboration,issues,agenda",
        "weekly": "boards",
    }
    docs = (CI_FILE.parent / "docs" / "pipelines.md").read_text(encoding="utf-8")
    assert "`SALSATAM_ONLY` = `health,collaboration,issues,agenda`" in docs
    assert "`SALSATAM_ONLY` = `boards`" in docs
    assert "agenda,boards" not in text + docs


def test_no_job_that_writes_runs_outside_schedules(ci: dict[str, Any]) -> None:
    for name in JOBS:
        if "salsatam apply" in "\n".join(ci[name]["script"]):
            assert all("schedule" in condition for condition in _ifs(ci[name])), name


def test_pages_publishes_the_report_only_when_asked(ci: dict[str, Any]) -> None:
    pages = ci["pages"]
    assert pages["needs"] == [{"job": "apply", "artifacts": True}]
    assert _ifs(pages) == ['$CI_PIPELINE_SOURCE == "schedule" && $SALSATAM_PAGES == "true"']
    assert ci["variables"]["SALSATAM_PAGES"] == "false"
    assert pages["artifacts"]["paths"] == ["public/"]


def test_the_token_is_never_on_a_command_line_or_echoed(ci: dict[str, Any]) -> None:
    assert "SALSATAM_TOKEN" not in ci["variables"]  # a masked CI/CD variable, not YAML
    for name in JOBS:
        for line in _script(ci, name).splitlines():
            if "SALSATAM_TOKEN" in line or "SALSATAM_READ_TOKEN" in line:
                assert line.startswith("if [ -n") and "export SALSATAM_TOKEN=" in line, line
            assert not line.lstrip().startswith(("echo", "printenv", "env", "set -x")), line


EXAMPLE_VARIABLES = {
    '${SALSATAM_ONLY:+--only "$SALSATAM_ONLY"}': "--only health,collaboration,issues,agenda",
    '"$CI_PIPELINE_CREATED_AT"': "2026-11-02T06:00:00Z",
}


def _salsatam_commands(ci: dict[str, Any]) -> list[list[str]]:
    commands = []
    for name in JOBS:
        for line in ci[name]["script"]:
            if line.startswith("salsatam "):
                for variable, value in EXAMPLE_VARIABLES.items():
                    line = line.replace(variable, value)
                commands.append(shlex.split(line)[1:])
    return commands


def test_every_salsatam_command_in_the_file_parses(
    ci: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from triage.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.json").write_text("{}")  # --plan-json must name an existing file
    commands = _salsatam_commands(ci)
    assert [args[0] for args in commands] == ["validate", "plan", "plan", "report", "apply"]
    for args in commands:
        command = main.get_command(click.Context(main), args[0])
        assert command is not None, args
        with command.make_context(args[0], args[1:]) as ctx:  # raises on a bad option
            assert ctx.params is not None
