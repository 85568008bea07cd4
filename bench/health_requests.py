"""Requests a health + collaboration run costs for a generated book of N accounts.

Each account has a record and a collaboration project with a few issues: one waiting for
the team, one answered, one without notes, a meeting and, for every fourth account, an
escalation. The default policies run against a fresh sandbox (fixed clock) four times: from
nothing, again on the result (nothing changed), after one customer comment, and again;
then once more as two shards (`--shard 1/2`, `2/2`).
Prints accounts, issues, and the reads (notes reads among them) and writes of each run, as
the sandbox counted them.

    python bench/health_requests.py 10 100
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from triage.gitlab.apply import apply_plan
from triage.gitlab.client import connect
from triage.gitlab.fetch import fetch_snapshot
from triage.gitlab.notes import notes_needed
from triage.plan import evaluate
from triage.policy.loader import PACKAGED, PolicySet, load_policies
from triage.sandbox.admin import SandboxAdmin
from triage.sandbox.app import SandboxConfig
from triage.sandbox.server import SandboxServer
from triage.shard import Shard

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
KINDS = ("health", "collaboration")
HOME = "account-management/accounts"
STAFF = ("sam", "sara", "tom")


def _ts(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record(index: int) -> dict[str, Any]:
    description = (
        f"Customer {index}.\n\n```yaml\narr: {50000 + index * 1000}\nrenewal: 2026-09-01\n"
        f"team: {{sal: sam, sa: sara, tam: tom}}\ncollaboration_project: customers/c{index:04d}\n"
        f"priority: {1 + index % 3}\nsentiment: {{color: green, date: 2026-03-01}}\n```\n"
    )
    return {
        "project": HOME,
        "title": f"Customer {index:04d}",
        "description": description,
        "labels": ["account", "segment::enterprise", "stage::adoption"],
        "author": "sam",
        "created_at": _ts(300),
    }


def _collaboration(index: int) -> list[dict[str, Any]]:
    project, customer = f"customers/c{index:04d}", f"cust{index}"
    issues: list[dict[str, Any]] = [
        {
            "project": project,
            "title": "Waiting",
            "author": customer,
            "created_at": _ts(3 + index % 9),
        },
        {
            "project": project,
            "title": "Answered",
            "author": customer,
            "created_at": _ts(20),
            "notes": [
                {"author": customer, "body": "details", "created_at": _ts(19)},
                {"author": "tom", "body": "done", "created_at": _ts(18)},
            ],
        },
        {"project": project, "title": "Quiet", "author": "tom", "created_at": _ts(10)},
        {
            "project": project,
            "title": "Cadence call",
            "author": "tom",
            "labels": ["meeting"],
            "created_at": _ts(10 + index % 70),
        },
    ]
    if index % 4 == 0:
        issues.append(
            {
                "project": project,
                "title": "Outage",
                "author": customer,
                "labels": ["escalation::high"],
                "created_at": _ts(2),
                "notes": [{"author": "tom", "body": "looking", "created_at": _ts(1)}],
            }
        )
    return issues


def seed(accounts: int) -> dict[str, Any]:
    customers = [f"cust{i}" for i in range(accounts)]
    return {
        "users": [{"username": u} for u in (*STAFF, *customers)],
        "groups": [
            {"path": "account-management", "members": [{"username": u} for u in STAFF]},
            {"path": "customers", "members": [{"username": "tom"}]},
        ],
        "projects": [{"path": HOME}]
        + [
            {
                "path": f"customers/c{i:04d}",
                "members": [{"username": f"cust{i}", "access_level": 20}],
            }
            for i in range(accounts)
        ],
        "issues": [_record(i) for i in range(accounts)]
        + [issue for i in range(accounts) for issue in _collaboration(i)],
    }


def counted(server: SandboxServer) -> dict[str, Any]:
    seen: dict[str, Any] = requests.get(f"{server.url}/-/sandbox/requests", timeout=30).json()
    requests.post(f"{server.url}/-/sandbox/requests/reset", timeout=30)
    return seen


def run(server: SandboxServer, policies: PolicySet, shard: Shard | None = None) -> dict[str, Any]:
    counted(server)
    conn = connect(server.url, server.token)
    select = shard.notes_needed(notes_needed) if shard else None
    snapshot = fetch_snapshot(conn, policies, KINDS, None, NOW, notes_needed=select)
    plan = evaluate(snapshot, policies, NOW, kinds=KINDS, shard=shard)
    outcome = apply_plan(conn, plan, snapshot)
    if outcome.failed:
        raise SystemExit(f"{outcome.failed} changes failed")
    return counted(server)


def comment(server: SandboxServer) -> None:
    """cust0 answers on their answered issue, an hour later."""
    requests.post(
        f"{server.url}/-/sandbox/clock", json={"now": _ts(-1 / 24)}, timeout=30
    ).raise_for_status()
    requests.post(
        f"{server.url}/api/v4/projects/customers%2Fc0000/issues/2/notes",
        json={"body": "one more question"},
        headers={"PRIVATE-TOKEN": "token-cust0"},
        timeout=30,
    ).raise_for_status()


def notes_reads(seen: dict[str, Any]) -> int:
    return sum(n for r, n in seen["by_route"].items() if r.startswith("GET") and "/notes" in r)


def line(label: str, seen: dict[str, Any]) -> str:
    return (
        f"  {label:<26} {seen['total']:>6} requests: {seen['reads']} reads "
        f"({notes_reads(seen)} of notes), {seen['writes']} writes"
    )


def load(server: SandboxServer, data: dict[str, Any]) -> None:
    """Seed `data` with its projects older than their issues, then set the clock to NOW."""
    admin = SandboxAdmin(server.url)
    admin.set_clock(NOW - timedelta(days=365))
    admin.seed(data)
    admin.set_clock(NOW)


def bench(accounts: int, policies: PolicySet) -> None:
    data = seed(accounts)
    with SandboxServer(SandboxConfig()) as server:
        load(server, data)
        first = run(server, policies)
        again = run(server, policies)
        comment(server)
        commented = run(server, policies)
        settled = run(server, policies)
    with SandboxServer(SandboxConfig()) as server:  # the first run again, as two shards
        load(server, data)
        shards = [run(server, policies, Shard(i, 2)) for i in (1, 2)]
    issues = len(data["issues"]) - accounts
    print(f"{accounts} accounts, {issues} collaboration issues (kinds: {', '.join(KINDS)})")
    print(line("first run", first))
    print(line("rerun, nothing changed", again))
    print(line("after one comment", commented))
    print(line("rerun", settled))
    for index, seen in enumerate(shards, start=1):
        print(line(f"first run, shard {index}/2", seen))


def main(argv: list[str]) -> None:
    policies = load_policies(PACKAGED / "policies", PACKAGED / "templates")
    for accounts in [int(a) for a in argv] or [10, 100]:
        bench(accounts, policies)


if __name__ == "__main__":
    main(sys.argv[1:])
