"""TAM capacity: how loaded each TAM's book is, across every account record.

A TAM's book is the accounts whose record names them as TAM, after the sale and not
churned. A TAM is over-committed when the book breaks one of the limits in
`policies/issues.yml` (`capacity:`): too many accounts, too large a share at priority 1,
too many concurrent onboardings, too many red accounts. Over-commitment is a reason to
bring the SA back (the `tam-over-committed` engagement trigger) and a topic for the
account-team meeting (the agenda reads `tam_loads`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from triage.account import Account, FactValue, in_tam_book
from triage.facts.registry import fact


@dataclass(frozen=True)
class CapacityLimits:
    max_accounts: int = 20
    max_priority_1_share: float = 0.34  # about a third of a book at priority 1
    # Below this many accounts the priority-1 share says little (2 of 3 is not a crisis).
    share_from_accounts: int = 6
    max_onboardings: int = 3
    max_red: int = 2


@dataclass(frozen=True)
class TamLoad:
    tam: str
    accounts: tuple[str, ...]  # account names, the TAM's book
    priority_1: int
    onboardings: int
    red: int
    reasons: tuple[str, ...]  # one per limit broken, in words; empty when within limits

    @property
    def size(self) -> int:
        return len(self.accounts)

    @property
    def priority_1_share(self) -> float:
        return self.priority_1 / self.size if self.accounts else 0.0

    @property
    def over_committed(self) -> bool:
        return bool(self.reasons)


fact("tam_accounts", "number", "Accounts in the TAM's book (after the sale, not churned)")
fact("tam_priority_1_share", "number", "Share of the TAM's book at priority 1 (0 to 1)")
fact("tam_onboardings", "number", "The TAM's accounts onboarding at the same time")
fact("tam_red_accounts", "number", "The TAM's accounts whose health is red")
fact("tam_over_committed", "flag", "The TAM's book breaks a capacity limit (issues.yml)")


def in_book(account: Account) -> bool:
    """Whether an account counts in its TAM's book."""
    return in_tam_book(account.stage)


def tam_loads(accounts: Iterable[Account], limits: CapacityLimits) -> dict[str, TamLoad]:
    """Each TAM's load by username, from every valid record naming a TAM."""
    books: dict[str, list[Account]] = {}
    for account in accounts:
        if account.record and account.record.team.tam and in_book(account):
            books.setdefault(account.record.team.tam, []).append(account)
    return {tam: _load(tam, book, limits) for tam, book in sorted(books.items())}


def _load(tam: str, book: list[Account], limits: CapacityLimits) -> TamLoad:
    priority_1 = sum(1 for a in book if a.record and a.record.priority == 1)
    onboardings = sum(1 for a in book if a.stage == "onboarding")
    red = sum(1 for a in book if a.facts.get("health") == "red")
    load = TamLoad(tam, tuple(a.name for a in book), priority_1, onboardings, red, ())
    return TamLoad(tam, load.accounts, priority_1, onboardings, red, _broken(load, limits))


def _broken(load: TamLoad, limits: CapacityLimits) -> tuple[str, ...]:
    reasons: list[str] = []
    if load.size > limits.max_accounts:
        reasons.append(f"{load.size} accounts (limit {limits.max_accounts})")
    share = load.priority_1_share
    if load.size >= limits.share_from_accounts and share > limits.max_priority_1_share:
        reasons.append(
            f"{load.priority_1} of {load.size} accounts at priority 1 "
            f"({share:.0%}, limit {limits.max_priority_1_share:.0%})"
        )
    if load.onboardings > limits.max_onboardings:
        reasons.append(f"{load.onboardings} onboardings at once (limit {limits.max_onboardings})")
    if load.red > limits.max_red:
        reasons.append(f"{load.red} red accounts (limit {limits.max_red})")
    return tuple(reasons)


def capacity_facts(account: Account, loads: Mapping[str, TamLoad]) -> dict[str, FactValue]:
    """The capacity facts of one account: its TAM's load (no data without a TAM)."""
    tam = account.record.team.tam if account.record else None
    load = loads.get(tam) if tam else None
    if tam is None:
        return dict.fromkeys(
            (
                "tam_accounts",
                "tam_priority_1_share",
                "tam_onboardings",
                "tam_red_accounts",
                "tam_over_committed",
            ),
        )
    if load is None:  # a TAM with no account in their book yet
        return {
            "tam_accounts": 0,
            "tam_priority_1_share": 0.0,
            "tam_onboardings": 0,
            "tam_red_accounts": 0,
            "tam_over_committed": False,
        }
    return {
        "tam_accounts": load.size,
        "tam_priority_1_share": round(load.priority_1_share, 2),
        "tam_onboardings": load.onboardings,
        "tam_red_accounts": load.red,
        "tam_over_committed": load.over_committed,
    }
