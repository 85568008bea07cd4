"""The published schema.json: current, and it accepts and rejects what the loader does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from triage.policy.schema import PUBLISHED, published_text


def validator(stem: str) -> Draft202012Validator:
    schema: dict[str, Any] = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    return Draft202012Validator(
        {**schema, "anyOf": [{"$ref": f"#/$defs/{stem}"}]}, format_checker=FormatChecker()
    )


def test_published_schema_is_current() -> None:
    assert PUBLISHED.read_text(encoding="utf-8") == published_text(), (
        "run: python -m triage.policy.schema"
    )


def test_published_schema_accepts_every_default_policy_file() -> None:
    Draft202012Validator.check_schema(json.loads(PUBLISHED.read_text(encoding="utf-8")))
    for path in sorted(Path(PUBLISHED.parent).glob("*.yml")):
        errors = list(validator(path.stem).iter_errors(_as_loaded(path)))
        assert errors == [], f"{path.name}: {errors[0].message if errors else ''}"


def _as_loaded(path: Path) -> Any:
    # Dates stay text (as the loader keeps them), everything else as YAML types it.
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.mark.parametrize(
    ("condition", "valid"),
    [
        ({"all": [{"fact": "arr", "gte": 5}, {"label": "x"}]}, True),
        ({"not": {"fact": "renewal", "before": "now+30d"}}, True),
        ({"fact": "renewal", "within_next_days": 90}, True),
        ({"fact": "arr", "bigger": 5}, False),
        ({"fact": "arr", "gte": 5, "lt": 9}, False),
        ({"fact": "renewal", "before": "next week"}, False),
        ({"all": []}, False),
        ({"label": "x", "extra": 1}, False),
    ],
)
def test_published_condition_schema_is_strict(condition: dict[str, Any], valid: bool) -> None:
    schema: dict[str, Any] = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    check = Draft202012Validator({**schema, "anyOf": [{"$ref": "#/$defs/condition"}]})
    assert check.is_valid(condition) is valid
