"""A small client for the sandbox's admin API (/-/sandbox), used by tests and the demo."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import requests

from triage.sandbox.store import format_time


class SandboxAdmin:
    """Counters, clock, tier, lost responses, seed and reset of one running sandbox."""

    def __init__(self, url: str, session: requests.Session | None = None) -> None:
        self.url = url.rstrip("/")
        self.session = session or requests.Session()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.session.request(
            method, f"{self.url}/-/sandbox{path}", json=body, timeout=30
        )
        if response.status_code >= 400:
            raise RuntimeError(f"sandbox admin {path}: {response.status_code} {response.text}")
        return response.json()

    def requests(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/requests")
        return result

    def reset_requests(self) -> None:
        self._call("POST", "/requests/reset")

    def set_clock(self, now: datetime | None) -> None:
        self._call("POST", "/clock", {"now": None if now is None else format_time(now)})

    def settings(self, **values: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "/settings", values)
        return result

    def set_tier(self, tier: str) -> None:
        self.settings(tier=tier)

    def set_lost_response_rate(self, rate: float, seed: int = 0, scope: str = "writes") -> None:
        self.settings(lost_response_rate=rate, seed=seed, lost_response_scope=scope)

    def set_profile(self, profile: str, **limits: int) -> None:
        """`gitlab-com` or `self-managed`; limits (api_limit, issue_limit...) override."""
        self.settings(profile=profile, **limits)

    def set_faults(self, fault_rate: float = 0.0, latency_ms: int = 0, seed: int = 0) -> None:
        self.settings(fault_rate=fault_rate, latency_ms=latency_ms, seed=seed)

    def notifications(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/notifications")
        return result

    def reset_notifications(self) -> None:
        self._call("POST", "/notifications/reset")

    def seed(self, data: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "/seed", data)
        return result

    def reset(self) -> None:
        """All data (root and its token stay), counters, clock and settings back to defaults."""
        self._call("POST", "/reset")
        self.reset_requests()
        self.set_clock(None)
        self.settings(
            tier="free",
            lost_response_rate=0.0,
            lost_response_scope="writes",
            seed=0,
            profile="self-managed",
            latency_ms=0,
            fault_rate=0.0,
        )
