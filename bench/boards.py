"""Requests boards cost for N collaboration projects, on the weekly boards run and on the
daily runs that give a new project its board.

Runs the default policies against a fresh sandbox holding the accounts project and N
customer projects created a month ago: a boards run from nothing (`--only boards`), the
same again on the result (nothing to write), then, after one customer project appears, a
daily run (`--only health,collaboration,issues,agenda`) and that run again. Prints the
requests of each run as the sandbox counted them, and how many of them touched boards and
labels.

    python bench/boards.py 1 10 100
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from triage.gitlab.apply import apply_plan
from triage.gitlab.client import connect
from triage.gitlab.fetch import fetch_snapshot
from triage.plan import evaluate
from triage.policy.loader import PACKAGED, PolicySet, load_policies
from triage.sandbox.admin import SandboxAdmin
from triage.sandbox.app import SandboxConfig
from triage.sandbox.server import SandboxServer

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
WEEKLY = ("boards",)
DAILY = ("health", "collaboration", "issues", "agenda")


def seed(customers: int) -> dict[str, Any]:
    projects = [{"path": "account-management/accounts"}]
    projects += [{"path": f"customers/customer-{i:04d}"} for i in range(customers)]
    return {"groups": [{"path": "account-management"}, {"path": "customers"}], "projects": projects}


def run(server: SandboxServer, policies: PolicySet, kinds: tuple[str, ...]) -> dict[str, Any]:
    """One run of `kinds` at NOW; the sandbox's counts for it."""
    admin = SandboxAdmin(server.url)
    admin.set_clock(NOW)
    admin.reset_requests()
    conn = connect(server.url, server.token)
    snapshot = fetch_snapshot(conn, policies, kinds, None, NOW)
    plan = evaluate(snapshot, policies, NOW, kinds=kinds)
    outcome = apply_plan(conn, plan, snapshot)
    if outcome.failed:
        raise SystemExit(f"{outcome.failed} changes failed")
    return admin.requests()


def boards_share(seen: dict[str, Any]) -> int:
    return sum(n for route, n in seen["by_route"].items() if "boards" in route or "labels" in route)


def line(label: str, seen: dict[str, Any]) -> str:
    return (
        f"  {label:<28} {seen['total']:>6} requests ({seen['reads']} reads, "
        f"{seen['writes']} writes; boards and labels: {boards_share(seen)})"
    )


def bench(customers: int, policies: PolicySet) -> None:
    with SandboxServer(SandboxConfig()) as server:
        admin = SandboxAdmin(server.url)
        admin.set_clock(NOW - timedelta(days=30))
        admin.seed(seed(customers))
        first = run(server, policies, WEEKLY)
        again = run(server, policies, WEEKLY)
        admin.set_clock(NOW - timedelta(days=1))
        admin.seed({"projects": [{"path": "customers/newcomer"}]})
        daily = run(server, policies, DAILY)
        daily_again = run(server, policies, DAILY)
    print(f"N = {customers} collaboration projects")
    print(line("boards run, from nothing", first))
    print(line("boards run, nothing changed", again))
    print(line("daily run, one new project", daily))
    print(line("daily run, nothing changed", daily_again))


def main(argv: list[str]) -> None:
    policies = load_policies(PACKAGED / "policies", PACKAGED / "templates")
    for customers in [int(a) for a in argv] or [1, 10, 100]:
        bench(customers, policies)


if __name__ == "__main__":
    main(sys.argv[1:])
