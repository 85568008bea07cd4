"""GitLab REST API v4 resources, one blueprint per resource."""

from __future__ import annotations

from importlib import import_module

from flask import Blueprint

RESOURCES = (
    "meta",
    "users",
    "groups",
    "projects",
    "members",
    "labels",
    "issues",
    "notes",
    "links",
    "events",
    "boards",
)


def blueprints() -> list[Blueprint]:
    found = []
    for name in RESOURCES:
        blueprint: Blueprint = import_module(f"triage.sandbox.api.{name}").blueprint
        found.append(blueprint)
    return found
