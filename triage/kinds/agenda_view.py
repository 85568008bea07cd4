"""What the agenda template sees: plain values, printed through the template's filters.

Everything here that came from GitLab (names, reasons, item text, next steps) is printed
neutralised by the renderer; usernames are printed with `mention`, which pings only `staff`
(a group or anyone else a team or an item names is printed without the `@`), and
references with `reference`. A confidential account or issue is shown by reference only:
its name and details are left out here, not in the template.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any


@dataclass(frozen=True)
class AccountRow:
    ref: str  # the record issue, e.g. "account-management/accounts#12"
    name: str | None = None  # None: confidential, shown by reference only
    stage: str | None = None
    health: str | None = None  # green | yellow | red; None: no data
    reasons: tuple[str, ...] = ()  # why the health is not green
    arr: float | None = None
    renewal: date | None = None
    days_left: int | None = None  # until the renewal
    pov: str | None = None  # POV status in words
    next_step: str | None = None
    onboarding_started: date | None = None
    onboarding_day: int | None = None
    signals: tuple[str, ...] = ()  # growth: labels and "new prospect"
    last_ebr: date | None = None
    ebr_due: date | None = None  # when the EBR preparation issue is due
    overdue: bool = False  # that date has passed
    in_rotation: bool = False  # listed for coverage, nothing flagged


@dataclass(frozen=True)
class CarriedItem:
    text: str
    origin: str  # reference of the agenda the item was agreed in
    owner: str | None = None  # a staff username; None: the item needs an owner


@dataclass(frozen=True)
class OpenIssueRow:
    ref: str
    kind: str  # the first of `open_issue_labels` it has: handoff, engagement, triage, reminder
    title: str | None = None  # None: confidential
    account: str | None = None  # the account's record reference
    assignee: str | None = None
    due_date: date | None = None
    overdue: bool = False  # the due date has passed
    new: bool = False  # opened by the same run as the agenda: no reference yet


@dataclass(frozen=True)
class CapacityRow:
    tam: str
    accounts: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AgendaView:
    team: str
    team_title: str
    date: date
    weekday: str  # "Tuesday"
    time: str  # "15:00"
    timezone: str
    facilitator: str | None
    next_facilitator: str | None
    members: tuple[str, ...]
    # The accounts project's members: the only usernames `mention` pings (None: unknown).
    staff: tuple[str, ...] | None = None
    previous: str | None = None  # reference of the previous agenda
    previous_cancelled: bool = False
    carried: tuple[CarriedItem, ...] = ()
    prospects: tuple[AccountRow, ...] = ()
    customers: tuple[AccountRow, ...] = ()
    renewals: tuple[AccountRow, ...] = ()
    onboarding: tuple[AccountRow, ...] = ()
    growth: tuple[AccountRow, ...] = ()
    sows: tuple[AccountRow, ...] = ()
    ebrs: tuple[AccountRow, ...] = ()
    open_issues: tuple[OpenIssueRow, ...] = ()
    capacity: tuple[CapacityRow, ...] = ()
    records_to_fix: tuple[AccountRow, ...] = ()  # records that don't read: ref and title
    coverage_meetings: int = 4
    renewal_days: int = 120
    onboarding_days: int = 45

    def context(self) -> dict[str, Any]:
        """The template's variables: one per field."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def sample() -> AgendaView:
    """An agenda with every section filled, for `salsatam validate` and the docs."""
    ref = "account-management/accounts#"
    return AgendaView(
        team="east",
        team_title="East Enterprise",
        date=date(2026, 3, 10),
        weekday="Tuesday",
        time="15:00",
        timezone="Europe/Berlin",
        facilitator="sam.sal",
        next_facilitator="sara.sa",
        members=("sam.sal", "sara.sa", "tom.tam"),
        staff=("sam.sal", "sara.sa", "tom.tam"),
        previous=ref + "40",
        carried=(
            CarriedItem("send the EBR deck", ref + "38", "tom.tam"),
            CarriedItem("find a sponsor", ref + "40", None),
        ),
        prospects=(
            AccountRow(
                ref + "3",
                "Initech",
                "pov",
                pov="started 2026-02-01",
                next_step="POV review on Friday",
            ),
        ),
        customers=(
            AccountRow(
                ref + "1", "Acme", "adoption", "red", ("2 issues awaiting a reply",), 120000.0
            ),
            AccountRow(ref + "2", "Globex", "adoption", "green", in_rotation=True),
            AccountRow(ref + "9"),
        ),
        renewals=(
            AccountRow(
                ref + "1",
                "Acme",
                renewal=date(2026, 5, 1),
                days_left=52,
                arr=120000.0,
                health="red",
            ),
        ),
        onboarding=(
            AccountRow(
                ref + "4",
                "Hooli",
                "onboarding",
                onboarding_started=date(2026, 2, 20),
                onboarding_day=18,
            ),
        ),
        growth=(AccountRow(ref + "2", "Globex", signals=("expansion",)),),
        sows=(AccountRow(ref + "2", "Globex", signals=("services-sow",)),),
        ebrs=(
            AccountRow(
                ref + "1", "Acme", last_ebr=date(2025, 3, 1), ebr_due=date(2026, 3, 1), overdue=True
            ),
        ),
        open_issues=(
            OpenIssueRow(
                ref + "50", "handoff", "Handoff: Hooli", ref + "4", "tom.tam", date(2026, 3, 12)
            ),
            OpenIssueRow(ref + "51", "triage"),
            OpenIssueRow(
                ref + "52",
                "reminder",
                "EBR preparation: Acme",
                ref + "1",
                "tom.tam",
                date(2026, 3, 1),
                overdue=True,
            ),
        ),
        capacity=(CapacityRow("tom.tam", 22, ("22 accounts (limit 20)",)),),
        records_to_fix=(AccountRow(ref + "7", "Soylent"), AccountRow(ref + "8")),
    )
