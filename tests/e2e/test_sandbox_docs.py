"""The seed examples in docs/sandbox.md load, and a seed that doesn't is one line, exit 2."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from triage.cli import main
from triage.commands.sandbox import read_seed_file
from triage.sandbox.app import SandboxConfig
from triage.sandbox.server import SandboxServer

pytestmark = pytest.mark.e2e

DOC = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"
FENCE = re.compile(r"^```(yaml|json)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
SECTIONS = {"users", "groups", "group_labels", "projects", "issues", "boards"}


def _blocks() -> list[tuple[str, Any]]:
    """Every fenced yaml and json block of the page, parsed."""
    found = []
    for language, text in FENCE.findall(DOC.read_text(encoding="utf-8")):
        found.append((language, json.loads(text) if language == "json" else yaml.safe_load(text)))
    return found


def _is_seed(data: Any) -> bool:
    # A seed's sections are lists; the answer to a seed has the same names with mappings.
    return (
        isinstance(data, dict)
        and set(data) <= SECTIONS
        and all(isinstance(value, list) for value in data.values())
    )


SEEDS = [data for _language, data in _blocks() if _is_seed(data)]
ANSWERS = [
    data
    for _language, data in _blocks()
    if isinstance(data, dict) and "issue_refs" in data and not _is_seed(data)
]


def test_the_page_has_seed_examples_and_an_answer() -> None:
    assert SEEDS, "no seed example found in docs/sandbox.md"
    assert len(ANSWERS) == 1


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: ",".join(seed))
def test_every_seed_example_loads(seed: dict[str, Any], sandbox: Any) -> None:
    # Over HTTP a seed is JSON: YAML's dates and times travel as ISO 8601 text.
    answer = sandbox.seed(json.loads(json.dumps(seed, default=lambda when: when.isoformat())))
    (documented,) = ANSWERS
    assert set(answer) == set(documented)
    for section in ("users", "projects", "boards"):
        assert set(documented[section]) <= set(answer[section]), section
    assert documented["issue_refs"] == answer["issue_refs"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: ",".join(seed))
def test_every_seed_example_loads_as_a_seed_file_at_start(
    seed: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "seed.yml"
    path.write_text(yaml.safe_dump(seed), encoding="utf-8")
    config = SandboxConfig(root_token="t0ken", seed_data=read_seed_file(path))
    with SandboxServer(config) as server:
        assert server.url.startswith("http://127.0.0.1:")


BAD_SEEDS = {
    "unknown group": (
        "projects:\n  - path: customers/globex\n",
        "project customers/globex: unknown namespace 'customers'",
    ),
    "shared with an unknown group": (
        "groups: [{path: customers}]\n"
        "projects:\n  - {path: customers/globex, shared_with: [{group: nobody}]}\n",
        "project customers/globex: unknown namespace 'nobody'",
    ),
    "missing key": ("projects: [{name: Globex}]\n", "an entry has no 'path'"),
    "not a mapping": ("- users\n", "a seed is a mapping (users, groups, projects...)"),
    "not YAML": (
        "users: [\n",
        "not YAML or JSON: line 2, column 1: expected the node content, but found '<stream end>'",
    ),
}


@pytest.mark.parametrize("case", BAD_SEEDS)
def test_serve_with_a_bad_seed_file_says_what_is_wrong_in_one_line(
    case: str, tmp_path: Path
) -> None:
    text, problem = BAD_SEEDS[case]
    path = tmp_path / "seed.yml"
    path.write_text(text, encoding="utf-8")
    args = ["sandbox", "serve", "--port", "0", "--root-token", "t0ken", "--seed-file", str(path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"salsatam: seed file {path}: {problem}\n"
    assert result.stdout == ""
