"""Account records that don't read: flag them (`record::invalid`), explain once, skip them.

The explanation note is posted together with the label, so the label is what remembers it
was posted: no notes need reading. Its key carries a hash of the problems, so a lost
response never doubles it. A record that reads again loses the label.
"""

from __future__ import annotations

import hashlib

from triage.account import Account
from triage.changes import AddNote, Change, Problem, SetLabels
from triage.plan import Context
from triage.render import inline
from triage.snapshot import marker

INVALID = "record::invalid"
RULE = "records.invalid"


def evaluate(ctx: Context) -> tuple[list[Change], list[Problem]]:
    changes: list[Change] = []
    problems: list[Problem] = []
    for account in ctx.accounts:
        flagged = account.issue.has_label(INVALID)
        if account.record is None:
            problems.extend(Problem(account.name, RULE, p) for p in account.record_problems)
            if not flagged:
                changes.extend(_flag(account))
        elif flagged:
            changes.append(
                SetLabels(
                    reason="the account record reads correctly again",
                    key=f"record-valid:{account.issue.ref}",
                    rule=RULE,
                    issue=account.issue.ref,
                    remove=(INVALID,),
                )
            )
    return changes, problems


def problems_key(account: Account) -> str:
    digest = hashlib.sha256("\n".join(account.record_problems).encode()).hexdigest()[:12]
    return f"record-invalid:{account.issue.ref}:{digest}"


def _flag(account: Account) -> list[Change]:
    key = problems_key(account)
    first = account.record_problems[0] if account.record_problems else "unreadable"
    reason = f"the account record does not read: {first}"
    return [
        SetLabels(reason=reason, key=key, rule=RULE, issue=account.issue.ref, add=(INVALID,)),
        AddNote(
            reason=reason,
            key=key,
            rule=RULE,
            issue=account.issue.ref,
            body=note(account),
            confidential=account.issue.confidential,
        ),
    ]


def note(account: Account) -> str:
    """The explanation: every problem with its place, and what happens until it is fixed."""
    lines = "\n".join(f"- {inline(problem)}" for problem in account.record_problems)
    colour = account.issue.scoped("health")
    label = f" (`health::{inline(colour)}`)" if colour else ""
    return (
        f"{marker(problems_key(account))}\n"
        "salsatam could not read this account's record, so it opens no reminders or "
        f"handoffs for it and its health stays as it was{label} until the record is "
        "fixed:\n\n"
        f"{lines}\n\n"
        "The record is the first fenced code block marked `yaml` in the description. "
        "Once it reads correctly, salsatam removes the `record::invalid` label.\n"
    )
