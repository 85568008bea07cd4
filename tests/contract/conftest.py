"""GitLab's own response schemas (shared/gitlab-api), loaded with their known quirks eased.

The files are used as GitLab ships them; this loader works around what strict JSON Schema
tooling rejects: a type written "string " (trailing space), the non-standard type "date",
a pattern Python's `re` cannot compile, and `issue_links.json` hiding its `$ref` under
`properties` (each item is checked against `issue_link.json` or `issue.json` instead).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

REPO = Path(__file__).resolve().parents[2]
# GitLab's schemas live beside the checkout (../shared/gitlab-api, as CI lays it out), or
# wherever SALSATAM_GITLAB_SCHEMAS points (the folder holding `spec/`).
SCHEMA_ROOT = Path(os.environ.get("SALSATAM_GITLAB_SCHEMAS", REPO.parent / "shared" / "gitlab-api"))
SCHEMAS = SCHEMA_ROOT / "spec" / "fixtures" / "api" / "schemas" / "public_api" / "v4"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without GitLab's schemas the contract tests are skipped on a laptop and fail in CI."""
    if SCHEMAS.is_dir():
        return
    message = f"GitLab's response schemas not found at {SCHEMAS} (set SALSATAM_GITLAB_SCHEMAS)"
    if os.environ.get("CI"):
        raise pytest.UsageError(message)
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.skip(reason=message))
PATTERN_FIXES = {"^#[0-9A-Fa-f]{3}{1,2}$": "^#(?:[0-9A-Fa-f]{3}){1,2}$"}


def ease(node: Any) -> Any:
    """Rewrite the keywords strict validators reject into what their authors meant."""
    if isinstance(node, list):
        return [ease(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: ease(value) for key, value in node.items()}
    kind = result.get("type")
    if isinstance(kind, str):
        kind = kind.strip()
        if kind == "date":
            kind, result["format"] = "string", "date"
        result["type"] = kind
    elif isinstance(kind, list):
        result["type"] = ["string" if item.strip() == "date" else item.strip() for item in kind]
    if isinstance(result.get("pattern"), str):
        result["pattern"] = PATTERN_FIXES.get(result["pattern"], result["pattern"])
    return result


def _retrieve(uri: str) -> Resource[Any]:
    path = Path(uri.removeprefix("file://"))
    return Resource.from_contents(ease(json.loads(path.read_text())), default_specification=DRAFT4)


Validate = Callable[[str, Any], None]
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _checker() -> FormatChecker:
    """jsonschema checks date-time and uri only with extra packages; these are explicit."""
    checker = FormatChecker()
    checker.checks("date-time")(
        lambda value: not isinstance(value, str) or bool(_DATE_TIME.match(value))
    )
    checker.checks("uri")(
        lambda value: (
            not isinstance(value, str) or bool(urlparse(value).scheme and urlparse(value).netloc)
        )
    )
    return checker


@pytest.fixture(scope="session")
def schema() -> Validate:
    """`schema("issue.json", body)` fails the test with every violation listed."""
    assert SCHEMAS.is_dir(), f"GitLab's schemas not found at {SCHEMAS}"
    registry: Registry[Any] = Registry(retrieve=_retrieve)  # type: ignore[call-arg]

    def validate(name: str, body: Any) -> None:
        root = {"$ref": (SCHEMAS / name).resolve().as_uri()}
        validator = Draft4Validator(root, registry=registry, format_checker=_checker())
        errors = sorted(validator.iter_errors(body), key=lambda error: list(error.path))
        assert not errors, "\n".join(
            f"{name} at {'/'.join(map(str, error.path))}: {error.message}" for error in errors
        )

    return validate
