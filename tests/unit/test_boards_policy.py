"""boards.yml: its schema, its parser's checks, and the default boards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from triage.policy import boards, labels
from triage.policy.boards import BoardSpec, BoardsPolicy
from triage.policy.errors import PolicyError
from triage.policy.loader import load_policies
from triage.policy.model import LabelCatalog
from triage.policy.parsing import ParseContext

POLICIES = Path(boards.__file__).resolve().parent.parent / "defaults" / "policies"


def catalog() -> LabelCatalog:
    data = yaml.safe_load((POLICIES / "labels.yml").read_text())
    return labels.parse(data, context(LabelCatalog()))


def context(known: LabelCatalog) -> ParseContext:
    positions = {("accounts_project", 0, "lists", 1): (4, 7), ("accounts_project", 1): (9, 5)}
    return ParseContext("policies/boards.yml", positions, known, POLICIES)


def parse(data: dict[str, Any]) -> tuple[BoardsPolicy, list[str]]:
    ctx = context(catalog())
    policy = boards.parse(data, ctx)
    return policy, [str(p) for p in ctx.problems]


def schema_errors(data: object) -> list[str]:
    validator = Draft202012Validator(boards.SCHEMA)
    return sorted(error.message for error in validator.iter_errors(data))


def test_the_default_boards_are_the_declared_ones() -> None:
    data = yaml.safe_load((POLICIES / "boards.yml").read_text())
    assert schema_errors(data) == []
    policy, problems = parse(data)
    assert problems == []
    health, lifecycle, handoffs = policy.accounts_project
    assert health == BoardSpec("Account health", ("health::red", "health::yellow", "health::green"))
    assert lifecycle.lists == tuple(
        f"stage::{s}"
        for s in (
            "prospect",
            "discovery",
            "pov",
            "technical-win",
            "closed-won",
            "onboarding",
            "adoption",
            "churned",
        )
    )
    assert handoffs == BoardSpec(
        "Handoffs and engagement", ("handoff", "engagement", "reminder", "triage")
    )
    assert policy.collaboration_projects == (
        BoardSpec("Customer issues", ("status::awaiting-team", "status::awaiting-customer")),
    )
    assert policy.new_project_days == 7


def test_an_empty_file_declares_no_boards() -> None:
    assert schema_errors({}) == []
    assert parse({}) == (BoardsPolicy(), [])


def test_unknown_labels_are_reported_where_they_are() -> None:
    data = {"accounts_project": [{"name": "Health", "lists": ["health::red", "health::blue"]}]}
    _, problems = parse(data)
    assert problems == ["policies/boards.yml:4:7: unknown label 'health::blue' (not in labels.yml)"]


def test_a_label_listed_twice_and_a_board_declared_twice_are_reported() -> None:
    data = {
        "accounts_project": [
            {"name": "Health", "lists": ["health::red", "health::red"]},
            {"name": "Health", "lists": ["health::green"]},
            {"name": "Health", "lists": ["health::green"], "group": True},
        ]
    }
    policy, problems = parse(data)
    assert problems == [
        "policies/boards.yml:4:7: label 'health::red' has a list on this board already",
        "policies/boards.yml:9:5: board 'Health' is declared twice",
    ]
    assert [(b.name, b.group, b.lists) for b in policy.accounts_project] == [
        ("Health", False, ("health::red",)),
        ("Health", True, ("health::green",)),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"boards": []}, "Additional properties are not allowed ('boards' was unexpected)"),
        ({"accounts_project": [{"name": "x"}]}, "'lists' is a required property"),
        ({"accounts_project": [{"name": "x", "lists": []}]}, "[] should be non-empty"),
        (
            {"collaboration_projects": [{"name": "x", "lists": ["a"], "group": True}]},
            "Additional properties are not allowed ('group' was unexpected)",
        ),
        (
            {"accounts_project": [{"name": "x", "lists": ["a"], "exact": "yes"}]},
            "'yes' is not of type 'boolean'",
        ),
        ({"new_project_days": -1}, "-1 is less than the minimum of 0"),
    ],
)
def test_the_schema_rejects_what_the_parser_cannot_read(data: object, message: str) -> None:
    assert schema_errors(data) == [message]


def test_the_loader_names_the_place_of_a_bad_list(tmp_path: Path) -> None:
    for name in ("salsatam.yml", "labels.yml"):
        (tmp_path / name).write_text((POLICIES / name).read_text())
    (tmp_path / "boards.yml").write_text(
        "accounts_project:\n  - name: Health\n    lists: [health::red, health::purple]\n"
    )
    with pytest.raises(PolicyError) as raised:
        load_policies(tmp_path, POLICIES.parent / "templates")
    assert [p.message for p in raised.value.problems] == [
        "unknown label 'health::purple' (not in labels.yml)"
    ]
    assert raised.value.problems[0].location.endswith("boards.yml:3:26")
