"""Keep `status::awaiting-team` / `status::awaiting-customer` current on collaboration issues.

Whose turn it is comes from the notes when they were read, else from the issue alone (no
notes) or the status label already there (`triage.facts.conversation`). Meeting issues (label
`meeting`) are records of meetings, not conversations: their labels are left alone.
"""

from __future__ import annotations

from triage.changes import Change, Problem, SetLabels
from triage.facts.conversation import People, Turn, memory_for, turn
from triage.plan import Context
from triage.policy.collaboration import CollaborationPolicy
from triage.snapshot import IssueRef

RULE = "collaboration.status"
MEETING = "meeting"


def evaluate(ctx: Context) -> tuple[list[Change], list[Problem]]:
    policy: CollaborationPolicy = ctx.policies.collaboration
    people = People.of(ctx.snapshot, ctx.policies.settings)
    changes: list[Change] = []
    problems: list[Problem] = []
    done: set[IssueRef] = set()
    for account in ctx.accounts:
        path = account.record.collaboration_project if account.record else None
        if path is None:
            continue
        if path in ctx.snapshot.unreachable:
            reason = ctx.snapshot.unreachable[path]
            message = f"collaboration project {path} could not be read: {reason}"
            problems.append(Problem(account.name, "collaboration.unreachable", message))
            continue
        memory = memory_for(account.issue.description, path)
        for issue in account.collaboration_issues:
            if not issue.is_open or issue.ref in done:
                continue
            if issue.has_label(MEETING):
                continue  # the record of a meeting, not a conversation: nobody's turn

            found = turn(issue, people, policy, memory)
            if found.relabel and found.status is not None:
                done.add(issue.ref)
                changes.append(_relabel(found, policy))
    return changes, problems


def _relabel(found: Turn, policy: CollaborationPolicy) -> SetLabels:
    if found.status == "team":
        wanted, other = policy.awaiting_team, policy.awaiting_customer
        reason = "the customer spoke last: the account team's turn"
    else:
        wanted, other = policy.awaiting_customer, policy.awaiting_team
        reason = "the account team spoke last (or nobody is waiting): the customer's turn"
    ref = found.issue.ref
    return SetLabels(
        reason=reason,
        key=f"status:{ref}:{found.status}",
        rule=RULE,
        issue=ref,
        add=(wanted,),
        remove=(other,) if found.issue.has_label(other) else (),  # only what it carries
    )
