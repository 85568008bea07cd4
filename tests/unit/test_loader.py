"""Loading policies: every problem in every file, each with its file:line:col."""

from __future__ import annotations

import sys
import types
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from triage.policy.conditions import CONDITION_REF, Condition
from triage.policy.errors import PolicyError
from triage.policy.loader import PolicySet, load_policies
from triage.policy.parsing import ParseContext

SETTINGS = """\
accounts_project: account-management/accounts
customers_group: customers
timezone: Europe/Berlin
business_days: [mon, tue, wed, thu]
holidays: [2026-12-25, 2026-12-24]
bots: [triage-bot]
"""
LABELS = """\
labels:
  - {name: account, color: "#1f75cb", description: An account record}
  - {name: "health::red", color: "#dd2b0e"}
"""
KIND = "salsatam_test_kind"


@dataclass(frozen=True)
class SamplePolicy:
    rules: tuple[tuple[str, Condition, str, str], ...] = ()

    @classmethod
    def default(cls) -> SamplePolicy:
        return cls()


def _parse(data: Mapping[str, Any], ctx: ParseContext) -> SamplePolicy:
    rules = []
    for index, rule in enumerate(data.get("rules", [])):
        path = ("rules", index)
        rules.append(
            (
                rule["name"],
                ctx.condition((*path, "when"), rule["when"]),
                ctx.label((*path, "label"), rule["label"]),
                ctx.template((*path, "template"), rule["template"]),
            )
        )
    return SamplePolicy(tuple(rules))


_MEASURE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"weight": {"type": "number"}},
}


@pytest.fixture
def policies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A policy directory (with templates next to it) as the working directory."""
    kind = types.ModuleType(KIND)
    kind.SCHEMA = {  # type: ignore[attr-defined]
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "measures": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"waiting": _MEASURE},
            },
            "rules": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name", "when", "label", "template"],
                    "properties": {
                        "name": {"type": "string"},
                        "when": CONDITION_REF,
                        "label": {"type": "string"},
                        "template": {"type": "string"},
                    },
                },
            },
        },
    }
    kind.parse = _parse  # type: ignore[attr-defined]
    kind.HealthPolicy = SamplePolicy  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, KIND, kind)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policies").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "triage.md").write_text("Hello {{ account }}\n")
    (tmp_path / "policies" / "salsatam.yml").write_text(SETTINGS)
    (tmp_path / "policies" / "labels.yml").write_text(LABELS)
    return tmp_path / "policies"


def load(directory: Path) -> PolicySet:
    return load_policies(directory, directory.parent / "templates", kinds={"health": KIND})


def problems(directory: Path) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load(directory)
    return [str(p) for p in caught.value.problems]


def write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text)


RULE = """\
rules:
  - name: big
    when:
      all:
        - {fact: arr, gte: 50000}
        - {label: account}
    label: health::red
    template: triage.md
"""


def test_settings_labels_and_a_kind_load_typed(policies: Path) -> None:
    write(policies, "health.yml", RULE)
    loaded = load(policies)
    assert loaded.settings.timezone == "Europe/Berlin"
    assert loaded.settings.business_days == (0, 1, 2, 3)
    assert loaded.settings.holidays == (date(2026, 12, 24), date(2026, 12, 25))
    assert loaded.settings.bots == ("triage-bot",)
    assert loaded.settings.tier == "free"
    assert list(loaded.labels.labels) == ["account", "health::red"]
    assert loaded.labels.labels["account"].description == "An account record"
    (name, condition, label, template) = loaded.health.rules[0]
    assert (name, label, template) == ("big", "health::red", "triage.md")
    assert condition.describe() == "arr ≥ 50,000 and labelled ~account"
    assert loaded.sources.templates == policies.parent / "templates"


def test_a_missing_kind_file_means_an_empty_policy(policies: Path) -> None:
    assert load(policies).health == SamplePolicy()


def test_an_empty_kind_file_means_an_empty_policy(policies: Path) -> None:
    write(policies, "health.yml", "# nothing yet\n")
    assert load(policies).health == SamplePolicy()


def test_unknown_key_names_the_key_and_where_it_is(policies: Path) -> None:
    write(policies, "health.yml", "measures:\n  waiting:\n    wieght: 3\n")
    assert problems(policies) == [
        "policies/health.yml:3:5: unknown key 'wieght' in measures.waiting"
    ]


def test_wrong_type_names_the_key_and_the_value(policies: Path) -> None:
    write(policies, "health.yml", "measures:\n  waiting:\n    weight: heavy\n")
    assert problems(policies) == ["policies/health.yml:3:5: 'weight' must be a number, got 'heavy'"]


def test_yaml_syntax_error_has_its_place(policies: Path) -> None:
    write(policies, "health.yml", "measures:\n  waiting: [1, 2\n")
    assert problems(policies) == [
        "policies/health.yml:3:1: YAML syntax error: expected ',' or ']', but got "
        "'<stream end>' (while parsing a flow sequence)"
    ]


def test_duplicate_keys_are_errors(policies: Path) -> None:
    write(policies, "salsatam.yml", SETTINGS + "timezone: UTC\n")
    assert problems(policies) == ["policies/salsatam.yml:7:1: duplicate key 'timezone'"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            "{fact: arrr, gte: 1}",
            "policies/health.yml:3:12: unknown fact 'arrr' (did you mean 'arr'?)",
        ),
        ("{label: nope}", "policies/health.yml:3:12: unknown label 'nope' (not in labels.yml)"),
        (
            "{fact: renewal, before: 2026-13-01}",
            "policies/health.yml:3:27: 'before' must be a date (YYYY-MM-DD) or now±Nd, "
            "got '2026-13-01'",
        ),
    ],
)
def test_condition_mistakes_have_their_place(policies: Path, change: str, problem: str) -> None:
    write(
        policies,
        "health.yml",
        f"rules:\n  - name: x\n    when: {change}\n    label: account\n    template: triage.md\n",
    )
    assert problems(policies) == [problem]


def test_unknown_label_and_template_in_a_kind(policies: Path) -> None:
    write(
        policies,
        "health.yml",
        "rules:\n  - name: x\n    when: {label: account}\n"
        "    label: health::blue\n    template: triag.md\n",
    )
    assert problems(policies) == [
        "policies/health.yml:4:5: unknown label 'health::blue' (not in labels.yml)",
        "policies/health.yml:5:5: unknown template 'triag.md' (no such file in templates)",
    ]


def test_all_problems_of_all_files_are_collected(policies: Path) -> None:
    write(
        policies, "salsatam.yml", SETTINGS.replace("Europe/Berlin", "Mars/Olympus") + "tier: gold\n"
    )
    write(
        policies,
        "labels.yml",
        LABELS + '  - {name: "a,b", color: red}\n  - {name: account, color: "#000000"}\n',
    )
    write(
        policies,
        "health.yml",
        "rules:\n  - name: x\n    when: {label: health::red}\n"
        "    label: nope\n    template: triage.md\n",
    )
    assert problems(policies) == [
        "policies/salsatam.yml:7:1: 'tier' must be one of free, premium, got 'gold'",
        "policies/labels.yml:4:19: 'color' does not have the expected form "
        "(^#[0-9a-fA-F]{6}$), got 'red'",
        "policies/health.yml:4:5: unknown label 'nope' (not in labels.yml)",
    ]


def test_semantic_settings_problems(policies: Path) -> None:
    write(policies, "salsatam.yml", SETTINGS.replace("Europe/Berlin", "Mars/Olympus"))
    write(
        policies,
        "labels.yml",
        LABELS + '  - {name: "a,b", color: "#ffffff"}\n  - {name: account, color: "#000000"}\n',
    )
    assert problems(policies) == [
        "policies/salsatam.yml:3:1: unknown time zone 'Mars/Olympus' (use an IANA name like UTC)",
        "policies/labels.yml:4:6: label name 'a,b' contains a comma",
        "policies/labels.yml:5:6: label 'account' is listed twice",
    ]


def test_bad_holiday_and_missing_required_keys(policies: Path) -> None:
    write(policies, "salsatam.yml", "customers_group: c\nholidays: [2026-02-30]\nbots: alice\n")
    assert problems(policies) == [
        "policies/salsatam.yml:1:1: missing key 'accounts_project'",
        "policies/salsatam.yml:2:12: 'holidays[0]' must be a date (YYYY-MM-DD), got '2026-02-30'",
        "policies/salsatam.yml:3:1: 'bots' must be a list, got 'alice'",
    ]


def test_each_missing_key_is_named_once(policies: Path) -> None:
    write(policies, "salsatam.yml", "timezone: UTC\n")
    assert problems(policies) == [
        "policies/salsatam.yml:1:1: missing key 'accounts_project'",
        "policies/salsatam.yml:1:1: missing key 'customers_group'",
    ]


def test_required_files(policies: Path) -> None:
    (policies / "salsatam.yml").unlink()
    (policies / "labels.yml").unlink()
    assert problems(policies) == [
        "policies/salsatam.yml: missing: this file is required",
        "policies/labels.yml: missing: this file is required",
    ]


def test_packaged_default_policies_load() -> None:
    from triage.policy.loader import PACKAGED

    loaded = load_policies(PACKAGED / "policies", PACKAGED / "templates")
    assert loaded.settings.accounts_project == "account-management/accounts"
    assert "health::red" in loaded.labels
