"""What the sandbox observes and perturbs: request counts and lost responses."""

from __future__ import annotations

import random
import re
import threading
from collections import Counter
from typing import Any

from triage.sandbox.store import Settings

WRITE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})
_PATH_VARIABLE = re.compile(r"<id:[a-z_]+>")
_VARIABLE = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")

BAD_GATEWAY_BODY = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def route_name(method: str, rule: str | None, prefix: str = "/api/v4") -> str:
    """`GET /projects/:id/issues` from Flask's `/api/v4/projects/<id:id>/issues`."""
    if rule is None:
        return f"{method} (unknown)"
    path = _PATH_VARIABLE.sub(":id", rule.removeprefix(prefix))
    path = _VARIABLE.sub(r":\1", path)
    return f"{method} {path}"


class RequestCounter:
    """Counts API requests by kind, method and route; the admin API reads and resets it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_route: Counter[str] = Counter()
        self._by_method: Counter[str] = Counter()

    def record(self, method: str, route: str) -> None:
        with self._lock:
            self._by_method[method] += 1
            self._by_route[route] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            writes = sum(n for method, n in self._by_method.items() if method in WRITE_METHODS)
            return {
                "total": sum(self._by_method.values()),
                "reads": sum(self._by_method.values()) - writes,
                "writes": writes,
                "by_method": dict(sorted(self._by_method.items())),
                "by_route": dict(sorted(self._by_route.items())),
            }

    def reset(self) -> None:
        with self._lock:
            self._by_route.clear()
            self._by_method.clear()


class LostResponses:
    """Decides, reproducibly from a seed, which committed writes answer 502 instead."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._random = random.Random(settings.seed)
        self._lock = threading.Lock()

    def reseed(self, seed: int) -> None:
        with self._lock:
            self.settings.seed = seed
            self._random = random.Random(seed)

    def lose(self, method: str) -> bool:
        if method not in WRITE_METHODS:
            return False
        if self.settings.lost_response_scope == "creates" and method != "POST":
            return False
        with self._lock:
            rate = self.settings.lost_response_rate
            return rate > 0 and self._random.random() < rate
