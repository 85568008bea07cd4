"""The collaboration policy (`policies/collaboration.yml`): the status labels on collaboration
issues that say whose turn it is, and which notes count as a reply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from triage.policy.parsing import ParseContext


@dataclass(frozen=True)
class CollaborationPolicy:
    enabled: bool = True
    awaiting_team: str = "status::awaiting-team"  # the customer spoke last
    awaiting_customer: str = "status::awaiting-customer"  # the team spoke last
    # Internal notes are invisible to customers, so by default they are no reply.
    internal_notes_reply: bool = False

    @property
    def labels(self) -> tuple[str, str]:
        return (self.awaiting_team, self.awaiting_customer)


SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "enabled": {"type": "boolean"},
        "labels": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "awaiting_team": {"type": "string", "minLength": 1},
                "awaiting_customer": {"type": "string", "minLength": 1},
            },
        },
        "internal_notes_reply": {"type": "boolean"},
    },
}


def parse(data: Any, ctx: ParseContext) -> CollaborationPolicy:
    """The typed policy from data that passed SCHEMA; unknown labels go to `ctx`."""
    data = data or {}
    default = CollaborationPolicy()
    labels = data.get("labels") or {}
    team = ctx.label(
        ("labels", "awaiting_team"), labels.get("awaiting_team", default.awaiting_team)
    )
    customer = ctx.label(
        ("labels", "awaiting_customer"), labels.get("awaiting_customer", default.awaiting_customer)
    )
    if team == customer:
        ctx.problem(("labels",), "the two status labels must differ")
    return CollaborationPolicy(
        enabled=bool(data.get("enabled", True)),
        awaiting_team=team,
        awaiting_customer=customer,
        internal_notes_reply=bool(data.get("internal_notes_reply", False)),
    )
