"""Shared fixtures. The one most tests want is `sandbox`: a local GitLab over real HTTP.

`sandbox` (function scope) resets the per-worker sandbox before each test (all data except
the admin `root` and its token, request counters, clock back to real time, tier `free`, no
lost responses) and returns a `SandboxHandle`:

    sandbox.url                      base URL without /api/v4, e.g. "http://127.0.0.1:41234"
    sandbox.token                    root's personal access token (admin, all scopes, sudo)
    sandbox.gitlab(token=None, sudo=None, **options) -> gitlab.Gitlab
                                     python-gitlab client; root's token unless `token` is
                                     given; `sudo` (username or id) acts as that user; no
                                     retries unless asked (options go to gitlab.Gitlab)
    sandbox.requests() -> dict       {"total", "reads", "writes", "by_method", "by_route"};
                                     by_route keys look like "GET /projects/:id/issues"
    sandbox.reset_requests()
    sandbox.set_clock(datetime | None)   fixes the server's "now" (None: real time)
    sandbox.set_tier("free" | "premium" | "ultimate")
    sandbox.set_lost_response_rate(rate, seed=0, scope="writes")
                                     share of writes ("creates": POSTs only) that commit and
                                     then answer 502, reproducible for a given seed
    sandbox.seed(dict) -> dict       loads a seed (format in docs/sandbox.md); answers
                                     {"users": {name: {"id", "token"}}, "groups": {path: id},
                                      "projects": {path: id}, "issues": {"path#iid": id},
                                      "issue_refs": [...in seed order], "boards": {...}};
                                     every seeded user has the token "token-<username>"
    sandbox.reset()                  the same reset the fixture does
    sandbox.set_profile("gitlab-com" | "self-managed", **limits)
                                     GitLab.com's rate limits (limits such as api_limit=5,
                                     issue_limit=2, note_limit=2 override the published ones)
    sandbox.set_faults(fault_rate, latency_ms=0, seed=0)
                                     a share of API requests answers 500/502/503 (seeded)
    sandbox.notifications() -> list  mentions recorded: {"mention", "recipients", "author",
                                     "project", "issue_iid", "noteable", "note_id", ...}
    sandbox.reset_notifications()

One sandbox server runs per pytest-xdist worker (session scope); tests stay independent
because each starts from the reset state.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import gitlab
import pytest

from triage.sandbox.admin import SandboxAdmin
from triage.sandbox.app import SandboxConfig
from triage.sandbox.server import SandboxServer

ROOT_TOKEN = "sandbox-root-token"

# The sandbox answers in a millisecond: retries after a lost answer need not wait half a
# second as they would on GitLab.com (tests count attempts, never time them).
os.environ.setdefault("SALSATAM_RETRY_BACKOFF", "0.01")

# What a developer's shell or a CI job may set that would change what a command does:
# every test starts without them (a test that wants one sets it).
RUN_ENVIRONMENT = (
    "SALSATAM_URL",
    "SALSATAM_TOKEN",
    "SALSATAM_SHARD",
    "SALSATAM_ONLY",
    "CI_SERVER_URL",
    "CI",
)


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No run settings from the environment, and the debug log in the test's tmp_path
    (SALSATAM_RETRY_BACKOFF and SALSATAM_GITLAB_SCHEMAS are kept)."""
    for name in RUN_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SALSATAM_LOG", str(tmp_path / "debug.log"))


@dataclass
class SandboxHandle:
    """What a test needs of the running sandbox."""

    url: str
    token: str
    admin: SandboxAdmin

    def gitlab(
        self, token: str | None = None, sudo: str | int | None = None, **options: Any
    ) -> gitlab.Gitlab:
        options.setdefault("retry_transient_errors", False)
        client = gitlab.Gitlab(self.url, private_token=token or self.token, **options)
        if sudo is not None:
            client.headers["Sudo"] = str(sudo)
        return client

    def requests(self) -> dict[str, Any]:
        return self.admin.requests()

    def reset_requests(self) -> None:
        self.admin.reset_requests()

    def set_clock(self, now: datetime | None) -> None:
        self.admin.set_clock(now)

    def set_tier(self, tier: str) -> None:
        self.admin.set_tier(tier)

    def set_lost_response_rate(self, rate: float, seed: int = 0, scope: str = "writes") -> None:
        self.admin.set_lost_response_rate(rate, seed=seed, scope=scope)

    def seed(self, data: dict[str, Any]) -> dict[str, Any]:
        return self.admin.seed(data)

    def reset(self) -> None:
        self.admin.reset()

    def set_profile(self, profile: str, **limits: int) -> None:
        self.admin.set_profile(profile, **limits)

    def set_faults(self, fault_rate: float = 0.0, latency_ms: int = 0, seed: int = 0) -> None:
        self.admin.set_faults(fault_rate, latency_ms=latency_ms, seed=seed)

    def notifications(self) -> list[dict[str, Any]]:
        return self.admin.notifications()

    def reset_notifications(self) -> None:
        self.admin.reset_notifications()


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    server = SandboxServer(SandboxConfig(root_token=ROOT_TOKEN)).start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> SandboxHandle:
    handle = SandboxHandle(
        sandbox_server.url, sandbox_server.token, SandboxAdmin(sandbox_server.url)
    )
    handle.reset()
    return handle
