"""`labels.yml`: the one label catalog every policy and board refers to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from triage.policy.model import LabelCatalog, LabelSpec
from triage.policy.parsing import ParseContext

SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "labels.yml: the label catalog",
    "additionalProperties": False,
    "required": ["labels"],
    "properties": {
        "labels": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "color"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 255},
                    "color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
                    "description": {"type": "string"},
                },
            },
        }
    },
}


def parse(data: Mapping[str, Any], ctx: ParseContext) -> LabelCatalog:
    """The catalog; names with commas and names listed twice are problems."""
    catalog: dict[str, LabelSpec] = {}
    for index, entry in enumerate(data.get("labels", [])):
        name = str(entry["name"]).strip()
        if "," in name:
            ctx.problem(("labels", index, "name"), f"label name '{name}' contains a comma")
            continue
        if name in catalog:
            ctx.problem(("labels", index, "name"), f"label '{name}' is listed twice")
            continue
        catalog[name] = LabelSpec(name, str(entry["color"]), str(entry.get("description", "")))
    return LabelCatalog(catalog)


def salvage(data: Any) -> LabelCatalog:
    """The well-formed entries of a labels file that failed its schema.

    Kind files are still checked against them, so one mistake in labels.yml does not
    make every label the other files use look unknown.
    """
    entries = data.get("labels") if isinstance(data, dict) else None
    catalog: dict[str, LabelSpec] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            name = entry["name"].strip()
            catalog.setdefault(name, LabelSpec(name, str(entry.get("color", ""))))
    return LabelCatalog(catalog)
