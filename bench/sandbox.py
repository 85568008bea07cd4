"""Throughput and latency of the local GitLab sandbox on this machine.

    python bench/sandbox.py [--requests N]

Starts an in-process sandbox (waitress, SQLite in memory), then times issue creation and
issue listing (100 per page, with filters) over HTTP with one client. Prints a table of
requests per second and p50/p95 latency; it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import requests

from triage.sandbox.admin import SandboxAdmin
from triage.sandbox.app import SandboxConfig
from triage.sandbox.server import SandboxServer

PROJECT = "bench%2Faccounts"


def _measure(count: int, call: Callable[[int], requests.Response]) -> tuple[float, float, float]:
    latencies = []
    started = time.perf_counter()
    for n in range(count):
        before = time.perf_counter()
        response = call(n)
        latencies.append((time.perf_counter() - before) * 1000)
        response.raise_for_status()
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=20)
    return count / elapsed, statistics.median(latencies), quantiles[18]


def run(count: int) -> list[tuple[str, float, float, float]]:
    with SandboxServer(SandboxConfig(root_token="bench")) as server:
        SandboxAdmin(server.url).seed(
            {"groups": [{"path": "bench"}], "projects": [{"path": "bench/accounts"}]}
        )
        session = requests.Session()
        session.headers["PRIVATE-TOKEN"] = "bench"
        api = f"{server.url}/api/v4/projects/{PROJECT}"
        rows = [
            (
                "create issue",
                *_measure(
                    count,
                    lambda n: session.post(
                        f"{api}/issues",
                        json={"title": f"Account {n}", "labels": ["account", f"t{n % 7}"]},
                        timeout=30,
                    ),
                ),
            )
        ]
        rows.append(
            (
                "list issues (100/page)",
                *_measure(
                    count,
                    lambda n: session.get(
                        f"{api}/issues", params={"per_page": 100, "page": n % 5 + 1}, timeout=30
                    ),
                ),
            )
        )
        rows.append(
            (
                "list issues, filtered",
                *_measure(
                    count,
                    lambda n: session.get(
                        f"{api}/issues",
                        params={"labels": f"account,t{n % 7}", "state": "opened", "per_page": 100},
                        timeout=30,
                    ),
                ),
            )
        )
        rows.append(
            (
                "create note",
                *_measure(
                    count,
                    lambda n: session.post(
                        f"{api}/issues/{n % 50 + 1}/notes", json={"body": f"note {n}"}, timeout=30
                    ),
                ),
            )
        )
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per operation")
    options = parser.parse_args()
    rows = run(options.requests)
    print(f"{'operation':<26}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for name, rate, p50, p95 in rows:
        print(f"{name:<26}{rate:>10.0f}{p50:>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    main()
