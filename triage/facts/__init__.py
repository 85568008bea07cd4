"""Facts computed from a snapshot: the inputs of health and of every other policy.

`build_accounts` turns the snapshot into accounts with facts and health; `notes_needed` tells
the GitLab layer whose notes to fetch. Importing this package declares every fact in
`registry.FACTS` (conditions may only name those).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from triage.facts import collaboration, record
from triage.facts.conversation import notes_needed

if TYPE_CHECKING:
    from triage.account import Account
    from triage.policy.loader import PolicySet
    from triage.snapshot import Snapshot

__all__ = ["build_accounts", "collaboration", "notes_needed", "record"]


def build_accounts(snapshot: Snapshot, policies: PolicySet, now: datetime) -> tuple[Account, ...]:
    """Every open account record, parsed, with its facts and health."""
    # Imported here: health (imported by accounts) uses the measures in this package.
    from triage.facts.accounts import build_accounts as build

    return build(snapshot, policies, now)
