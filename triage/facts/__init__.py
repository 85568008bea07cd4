"""Facts computed from a snapshot: the inputs of health and of every other policy.

`build_accounts` turns the snapshot into accounts with facts and health; `notes_needed` tells
the GitLab layer whose notes to fetch. Importing this package declares every fact in
`registry.FACTS` (conditions may only name those).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from triage.facts import collaboration, conversation, record

if TYPE_CHECKING:
    from triage.account import Account
    from triage.policy.loader import PolicySet
    from triage.snapshot import IssueRef, Snapshot

__all__ = ["build_accounts", "collaboration", "notes_needed", "record"]


def build_accounts(snapshot: Snapshot, policies: PolicySet, now: datetime) -> tuple[Account, ...]:
    """Every open account record, parsed, with its facts and health."""
    # Imported here: health (imported by accounts) uses the measures in this package.
    from triage.facts.accounts import build_accounts as build

    return build(snapshot, policies, now)


def notes_needed(snapshot: Snapshot, policies: PolicySet, now: datetime) -> set[IssueRef]:
    """The issues whose notes this evaluation reads: collaboration issues whose turn is not
    known without them, and salsatam's open issues that ask for updates when, by their
    dates, a request could be due (at most once per cadence period each)."""
    from triage.kinds.issue_requests import requests_due

    return conversation.notes_needed(snapshot, policies, now) | requests_due(
        snapshot, policies, now
    )
