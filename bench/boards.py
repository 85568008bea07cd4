"""Requests a boards run costs (`salsatam apply --only boards`) for N collaboration projects.

Runs the default policies against a fresh sandbox holding the accounts project and N
customer projects, three times: from nothing, again on the result (nothing to write), and
after one more customer project appears. Prints the requests of each run, as the sandbox
counted them, and how many of them touched boards.

    python bench/boards.py 1 10 100
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

import requests

from triage.gitlab.apply import apply_plan
from triage.gitlab.client import connect
from triage.gitlab.fetch import fetch_snapshot
from triage.plan import evaluate
from triage.policy.loader import PACKAGED, PolicySet, load_policies
from triage.sandbox.app import SandboxConfig
from triage.sandbox.server import SandboxServer

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
KINDS = ("boards",)


def seed(customers: int) -> dict[str, Any]:
    projects = [{"path": "account-management/accounts"}]
    projects += [{"path": f"customers/customer-{i:04d}"} for i in range(customers)]
    return {"groups": [{"path": "account-management"}, {"path": "customers"}], "projects": projects}


def counted(server: SandboxServer) -> dict[str, Any]:
    seen: dict[str, Any] = requests.get(f"{server.url}/-/sandbox/requests", timeout=30).json()
    requests.post(f"{server.url}/-/sandbox/requests/reset", timeout=30)
    return seen


def run(server: SandboxServer, policies: PolicySet) -> dict[str, Any]:
    """One boards run; the sandbox's counts for it."""
    counted(server)
    conn = connect(server.url, server.token)
    snapshot = fetch_snapshot(conn, policies, KINDS, None, NOW)
    plan = evaluate(snapshot, policies, NOW, kinds=KINDS)
    outcome = apply_plan(conn, plan, snapshot)
    if outcome.failed:
        raise SystemExit(f"{outcome.failed} changes failed")
    return counted(server)


def boards_share(seen: dict[str, Any]) -> int:
    return sum(n for route, n in seen["by_route"].items() if "boards" in route or "labels" in route)


def add_customer(server: SandboxServer, path: str) -> None:
    name = path.rsplit("/", 1)[1]
    group = requests.get(
        f"{server.url}/api/v4/groups/customers", headers={"PRIVATE-TOKEN": server.token}, timeout=30
    ).json()
    requests.post(
        f"{server.url}/api/v4/projects",
        json={"name": name, "path": name, "namespace_id": group["id"]},
        headers={"PRIVATE-TOKEN": server.token},
        timeout=30,
    ).raise_for_status()


def line(label: str, seen: dict[str, Any]) -> str:
    return (
        f"  {label:<28} {seen['total']:>6} requests ({seen['reads']} reads, "
        f"{seen['writes']} writes; boards and labels: {boards_share(seen)})"
    )


def bench(customers: int, policies: PolicySet) -> None:
    with SandboxServer(SandboxConfig(seed_data=seed(customers))) as server:
        first = run(server, policies)
        again = run(server, policies)
        add_customer(server, "customers/newcomer")
        newcomer = run(server, policies)
    print(f"N = {customers} collaboration projects")
    print(line("from nothing", first))
    print(line("rerun, nothing changed", again))
    print(line("one new project", newcomer))


def main(argv: list[str]) -> None:
    policies = load_policies(PACKAGED / "policies", PACKAGED / "templates")
    for customers in [int(a) for a in argv] or [1, 10, 100]:
        bench(customers, policies)


if __name__ == "__main__":
    main(sys.argv[1:])
