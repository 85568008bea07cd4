"""GitLab REST API v4 resources, one blueprint per resource."""

from __future__ import annotations

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    from triage.sandbox.api import (
        boards,
        events,
        groups,
        issues,
        labels,
        links,
        members,
        meta,
        notes,
        projects,
        users,
    )

    return [
        module.blueprint
        for module in (meta, users, groups, projects, members, labels, issues, notes, links,
                       events, boards)
    ]
