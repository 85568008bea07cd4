"""`salsatam.yml`: where the accounts live, the GitLab tier, the team's calendar and bots."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from triage.policy.model import Settings, Tier
from triage.policy.parsing import ParseContext

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_PROJECT_PATH = r"^[A-Za-z0-9_.][A-Za-z0-9_.\-]*(/[A-Za-z0-9_.][A-Za-z0-9_.\-]*)+$"
_GROUP_PATH = r"^[A-Za-z0-9_.][A-Za-z0-9_.\-]*(/[A-Za-z0-9_.][A-Za-z0-9_.\-]*)*$"

SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "salsatam.yml: settings",
    "additionalProperties": False,
    "required": ["accounts_project", "customers_group"],
    "properties": {
        "gitlab_url": {
            "type": ["string", "null"],
            "pattern": "^https?://",
            "description": "GitLab's URL; --url, SALSATAM_URL and CI_SERVER_URL win over it.",
        },
        "accounts_project": {
            "type": "string",
            "pattern": _PROJECT_PATH,
            "description": "Full path of the project with one issue per account.",
        },
        "customers_group": {
            "type": "string",
            "pattern": _GROUP_PATH,
            "description": "Full path of the group holding the collaboration projects.",
        },
        "tier": {"enum": ["free", "premium"], "description": "GitLab tier (default free)."},
        "timezone": {"type": "string", "description": "IANA time zone, e.g. Europe/Paris."},
        "business_days": {
            "type": "array",
            "items": {"enum": list(DAY_NAMES)},
            "uniqueItems": True,
            "minItems": 1,
        },
        "holidays": {"type": "array", "items": {"type": "string", "format": "date"}},
        "bots": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Usernames whose notes never count as a reply.",
        },
    },
}


def parse(data: Mapping[str, Any], ctx: ParseContext) -> Settings:
    """Typed settings from schema-valid data; semantic problems go to `ctx`."""
    return Settings(
        gitlab_url=_url(data.get("gitlab_url")),
        accounts_project=str(data["accounts_project"]),
        customers_group=str(data["customers_group"]),
        tier=cast(Tier, data.get("tier", "free")),
        timezone=_timezone(data.get("timezone", "UTC"), ctx),
        business_days=_business_days(data.get("business_days")),
        holidays=_holidays(data.get("holidays", []), ctx),
        bots=tuple(str(b) for b in data.get("bots", [])),
    )


def _url(value: Any) -> str | None:
    return str(value).rstrip("/") if value else None


def _business_days(names: list[str] | None) -> tuple[int, ...]:
    if names is None:
        return (0, 1, 2, 3, 4)
    return tuple(sorted(DAY_NAMES.index(name) for name in names))


def _timezone(name: str, ctx: ParseContext) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        ctx.problem(("timezone",), f"unknown time zone '{name}' (use an IANA name like UTC)")
        return "UTC"
    return name


def _holidays(values: list[str], ctx: ParseContext) -> tuple[date, ...]:
    days: list[date] = []
    for index, text in enumerate(values):
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            ctx.problem(("holidays", index), f"'holidays[{index}]' is not a date: '{text}'")
    return tuple(sorted(days))
