"""What a role may set on an issue, as GitLab's issue services filter it.

Without the right to manage issues (Reporter and above; administrators always have it),
GitLab silently drops the metadata of a create or edit request: labels, assignees,
milestone and due date. The rest of the request (title, description, confidential on
create) goes through.
"""

from __future__ import annotations

from triage.sandbox.access import REPORTER
from triage.sandbox.context import Call

METADATA = (
    "labels",
    "add_labels",
    "remove_labels",
    "assignee_id",
    "assignee_ids",
    "milestone_id",
    "due_date",
)


def drop_metadata(call: Call, level: int) -> None:
    """Remove the parameters the actor may not set, as GitLab does without a word."""
    if call.actor.is_admin or level >= REPORTER:
        return
    for name in METADATA:
        call.params.values.pop(name, None)
