"""GitLab.com's rate limits: fixed one-minute windows on the sandbox clock, GitLab's headers.

Like Rack::Attack and GitLab's application rate limiter, a window is a whole minute of epoch
time: every request counts (refused ones too), and a request over the limit is refused until
the minute ends. The general API throttle answers `429 Retry later` with `Retry-After`; the
issue and note creation limits answer GitLab's JSON error without `Retry-After`.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from flask import Response, jsonify

PERIOD_SECONDS = 60
AUTHENTICATED_API = "throttle_authenticated_api"
UNAUTHENTICATED_API = "throttle_unauthenticated_api"
RETRY_LATER = "Retry later\n"
TOO_MANY_REQUESTS: dict[str, Any] = {
    "message": {"error": "This endpoint has been requested too many times. Try again later."}
}


@dataclass(frozen=True)
class Window:
    """One client's count in the current minute of one throttle."""

    name: str
    limit: int
    observed: int
    resets_at: int

    @property
    def exceeded(self) -> bool:
        return self.observed > self.limit

    def headers(self, now: float) -> dict[str, str]:
        """The RateLimit-* headers GitLab sends for this throttle."""
        reset = datetime.fromtimestamp(self.resets_at, UTC)
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Observed": str(self.observed),
            "RateLimit-Remaining": str(max(0, self.limit - self.observed)),
            "RateLimit-Reset": str(self.resets_at),
            "RateLimit-ResetTime": format_datetime(reset, usegmt=True),
        }

    def retry_after(self, now: float) -> int:
        return max(1, math.ceil(self.resets_at - now))


class RateLimiter:
    """Counts requests per throttle and client in fixed windows."""

    def __init__(self) -> None:
        self._counts: dict[tuple[Any, ...], int] = {}
        self._lock = threading.Lock()

    def hit(self, name: str, client: tuple[Any, ...], limit: int, now: float) -> Window:
        index = int(now // PERIOD_SECONDS)
        key = (name, *client, index)
        with self._lock:
            self._counts = {k: v for k, v in self._counts.items() if k[-1] >= index}
            self._counts[key] = self._counts.get(key, 0) + 1
            observed = self._counts[key]
        return Window(name, limit, observed, (index + 1) * PERIOD_SECONDS)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


def throttled(window: Window, now: float) -> Response:
    """The general throttle's answer: plain `Retry later`, Retry-After and RateLimit-*."""
    response = Response(RETRY_LATER, status=429, content_type="text/plain")
    response.headers.update(window.headers(now))
    response.headers["RateLimit-Name"] = window.name
    response.headers["Retry-After"] = str(window.retry_after(now))
    return response


def endpoint_limited() -> Response:
    """The issue/note creation limiter's answer."""
    response = jsonify(TOO_MANY_REQUESTS)
    response.status_code = 429
    return response
