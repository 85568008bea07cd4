"""`agenda.yml`: when meeting agendas open, what goes in them, how the rotation works.

Teams, members and meeting times are in `teams.yml`; this file holds what every team's
agenda has in common.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from triage.policy.parsing import ParseContext

_LABEL_LIST: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string", "minLength": 1},
    "uniqueItems": True,
}


def _days(description: str, maximum: int = 3660) -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "maximum": maximum, "description": description}


SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "agenda.yml: account-team meeting agendas",
    "additionalProperties": False,
    "properties": {
        "enabled": {"type": "boolean"},
        "template": {"type": "string", "minLength": 1},
        "open_days_before": _days("Open the agenda this many days before the meeting.", 13),
        "close_previous": {
            "type": "boolean",
            "description": "Close the previous agenda (with a note) when the next one opens.",
        },
        "coverage_meetings": {
            "type": "integer",
            "minimum": 1,
            "maximum": 52,
            "description": "Every account appears at least once in this many meetings.",
        },
        "all_customers": {
            "type": "boolean",
            "description": "List every customer each time, not only those to discuss.",
        },
        "renewal_days": _days("Renewals this many days ahead are listed."),
        "onboarding_days": _days("Onboarding is due to finish this many days after it starts."),
        "ebr_key": {
            "type": "string",
            "minLength": 1,
            "description": "The `key` of the issue rule (issues.yml) that opens EBR "
            "preparation issues: the accounts with one open are listed as EBRs due.",
        },
        # Retired: EBRs due are those the EBR preparation rule opens an issue for.
        "ebr_interval_days": _days("No longer used: EBRs due follow `ebr_key`'s issues."),
        "ebr_notice_days": _days("No longer used: EBRs due follow `ebr_key`'s issues."),
        "new_prospect_days": _days("A pre-sale account opened this recently is new business."),
        "growth_labels": _LABEL_LIST,
        "sow_labels": _LABEL_LIST,
        "open_issue_labels": _LABEL_LIST,
        "labels": _LABEL_LIST,
    },
}


@dataclass(frozen=True)
class AgendaPolicy:
    enabled: bool = True
    template: str = "agenda.md.j2"
    open_days_before: int = 3
    close_previous: bool = True
    coverage_meetings: int = 4
    all_customers: bool = False
    renewal_days: int = 120
    onboarding_days: int = 45
    ebr_key: str = "reminder:ebr"
    new_prospect_days: int = 14
    growth_labels: tuple[str, ...] = ("expansion", "license-expansion", "new-pov")
    sow_labels: tuple[str, ...] = ("services-sow",)
    open_issue_labels: tuple[str, ...] = ("handoff", "engagement", "triage", "reminder")
    # Labels every agenda carries besides `salsatam`.
    labels: tuple[str, ...] = ("agenda",)

    @classmethod
    def default(cls) -> AgendaPolicy:
        return cls()


DEFAULT = AgendaPolicy()
# The label a person puts on an agenda when its meeting does not take place.
CANCELLED = "cancelled"
# Settings older agenda.yml files may still hold; accepted and ignored.
RETIRED = frozenset({"ebr_interval_days", "ebr_notice_days"})


def sample_contexts(policy: AgendaPolicy) -> Mapping[str, Mapping[str, Any]]:
    """The agenda template with every section filled (for `salsatam validate`)."""
    from triage.kinds.agenda_view import sample

    return {policy.template: sample().context()}


def parse(data: Mapping[str, Any], ctx: ParseContext) -> AgendaPolicy:
    """The typed agenda policy; labels and the template must exist."""
    values: dict[str, Any] = {}
    for key in SCHEMA["properties"]:
        if key not in data or key in RETIRED:
            continue
        value = data[key]
        if isinstance(value, list):
            value = tuple(ctx.label((key, i), str(v)) for i, v in enumerate(value))
        values[key] = value
    if "template" in values:
        ctx.template(("template",), str(values["template"]))
    else:
        ctx.template((), DEFAULT.template)
    ctx.label((), CANCELLED)
    return AgendaPolicy(**values)
