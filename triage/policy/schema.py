"""The policy files' JSON Schema: assembled from each file's `SCHEMA`, checked, published.

Each policy file has its schema next to its parser (`settings.SCHEMA`, `labels.SCHEMA`,
`<kind>.SCHEMA`). Conditions are referred to as `{"$ref": "#/$defs/condition"}`. Loading
checks a file with a lenient condition schema (the condition parser gives the precise
message); the published `schema.json`, for editors and `check-jsonschema`, is strict.

Regenerate the published file with `python -m triage.policy.schema`.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match

from triage.policy import labels, settings
from triage.policy.conditions import CONDITION_SCHEMA
from triage.policy.parsing import KeyPath, ParseContext

# Policy file stem -> module holding its SCHEMA, its `<Kind>Policy` and `parse()`.
KIND_MODULES: dict[str, str] = {
    "health": "triage.policy.health",
    "collaboration": "triage.policy.collaboration",
    "issues": "triage.policy.issues",
    "agenda": "triage.policy.agenda",
    "teams": "triage.policy.teams",
    "boards": "triage.policy.boards",
}
PUBLISHED = Path(__file__).resolve().parent.parent / "defaults" / "policies" / "schema.json"
SCHEMA_ID = "https://gitlab.com/salsatam/salsatam/-/raw/main/policies/schema.json"


def import_kind(module: str) -> ModuleType | None:
    """The module of a policy kind, or None while the project does not have it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name == module:
            return None
        raise


def file_schemas(kinds: Mapping[str, str] = KIND_MODULES) -> dict[str, dict[str, Any]]:
    """Each policy file's top-level schema by file stem, in loading order."""
    schemas: dict[str, dict[str, Any]] = {"salsatam": settings.SCHEMA, "labels": labels.SCHEMA}
    for stem, name in kinds.items():
        module = import_kind(name)
        if module is not None:
            schemas[stem] = module.SCHEMA
    return schemas


def checking_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """`schema` ready to check one file at load time (lenient conditions)."""
    defs = {"condition": {"type": "object"}, **schema.get("$defs", {})}
    return {**schema, "$defs": defs}


def published_schema(kinds: Mapping[str, str] = KIND_MODULES) -> dict[str, Any]:
    """One document for every policy file: `$defs/<stem>` each, the root accepts any."""
    defs: dict[str, Any] = {"condition": CONDITION_SCHEMA}
    schemas = file_schemas(kinds)
    for stem, schema in schemas.items():
        own = dict(schema)
        defs.update(own.pop("$defs", {}))
        defs[stem] = own
    stems = list(schemas)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "salsatam policy file",
        "description": "Any file in policies/; $defs/<file stem> is each file's own schema.",
        "anyOf": [{"$ref": f"#/$defs/{stem}"} for stem in stems],
        "$defs": defs,
    }


def published_text(kinds: Mapping[str, str] = KIND_MODULES) -> str:
    return json.dumps(published_schema(kinds), indent=2, ensure_ascii=False) + "\n"


def validate(data: Any, schema: Mapping[str, Any], ctx: ParseContext) -> bool:
    """Check `data` against `schema`, adding a problem per error; True when it is valid."""
    validator = Draft202012Validator(checking_schema(schema), format_checker=FormatChecker())
    found = False
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        found = True
        path, message = describe_error(error)
        ctx.problem(path, message)
    return not found


def describe_error(error: ValidationError) -> tuple[KeyPath, str]:
    """Where an error is (key path) and what it says, naming the key."""
    path: KeyPath = tuple(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties":
        extra = _extra_keys(error)
        where = f" in {_dotted(path)}" if path else ""
        return (*path, extra), f"unknown key '{extra}'{where}"
    if kind in ("anyOf", "oneOf") and error.context:
        return describe_error(best_match(error.context))
    return path, _message(error, path)


def _message(error: ValidationError, path: KeyPath) -> str:
    instance: Any = error.instance
    want: Any = error.validator_value
    got, kind = _show(instance), error.validator
    name = f"'{_name(path)}'" if path else "the file"
    if kind == "type":
        return f"{name} must be {_types(want)}, got {got}"
    if kind == "required":
        missing = _missing_key(error)
        return f"missing key '{missing}'" + (f" in {_dotted(path)}" if path else "")
    if kind in ("enum", "const"):
        options = ", ".join(str(v) for v in (want if kind == "enum" else [want]))
        return f"{name} must be one of {options}, got {got}"
    if kind == "format":
        what = "a date (YYYY-MM-DD)" if want == "date" else f"a valid {want}"
        return f"{name} must be {what}, got {got}"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">"}.get(kind, "<")
        return f"{name} must be {sign} {want}, got {got}"
    if kind == "pattern":
        return f"{name} does not have the expected form ({want}), got {got}"
    if kind in ("minItems", "minLength", "minProperties"):
        return f"{name} must not be empty" if want == 1 else f"{name} is too short"
    if kind == "uniqueItems":
        return f"{name} lists the same value twice"
    return f"{name}: {error.message}"


def _missing_key(error: ValidationError) -> str:
    """The key this error is about: jsonschema reports each missing key in its own error
    ("'per' is a required property"), so two missing keys are named once each."""
    want: Any = error.validator_value
    instance: Any = error.instance
    missing = [str(k) for k in want if k not in instance]
    named = next((k for k in missing if error.message.startswith(f"{k!r} ")), None)
    return named or (missing[0] if missing else "?")


def _extra_keys(error: ValidationError) -> str:
    own: Any = error.schema
    instance: Any = error.instance
    allowed = set(own.get("properties", {}))
    patterns = own.get("patternProperties", {})
    for key in instance:
        if key not in allowed and not any(re.search(p, key) for p in patterns):
            return str(key)
    return "?"


def _dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _name(path: KeyPath) -> str:
    last = max((i for i, p in enumerate(path) if isinstance(p, str)), default=-1)
    return _dotted(path[last:]) if last >= 0 else (_dotted(path) or "the file")


_TYPE_WORDS = {
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


def _types(want: Any) -> str:
    names = [want] if isinstance(want, str) else list(want)
    return " or ".join(_TYPE_WORDS.get(n, n) for n in names)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return str(value)


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, verify) the published schema file."""
    args = sys.argv[1:] if argv is None else argv
    text = published_text()
    if "--check" in args:
        current = PUBLISHED.read_text(encoding="utf-8") if PUBLISHED.exists() else ""
        if current != text:
            sys.stderr.write(f"{PUBLISHED} is out of date: run python -m triage.policy.schema\n")
            return 1
        return 0
    PUBLISHED.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
