"""Outages on demand: a share of API requests answered 500, 502 or 503 before anything runs.

Which requests fail is drawn from a seeded random generator, so a given seed and the same
sequence of requests fail the same way every time.
"""

from __future__ import annotations

import random
import threading

from flask import Response, jsonify

from triage.sandbox.traffic import BAD_GATEWAY_BODY

SERVICE_UNAVAILABLE_BODY = (
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx"
    "</center>\r\n</body>\r\n</html>\r\n"
)
STATUSES = (500, 502, 503)


class Faults:
    """Decides, reproducibly from a seed, which requests fail and how."""

    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._random = random.Random(seed)

    def draw(self, rate: float) -> Response | None:
        if rate <= 0:
            return None
        with self._lock:
            if self._random.random() >= rate:
                return None
            status = self._random.choice(STATUSES)
        return failure(status)


def failure(status: int) -> Response:
    if status == 500:
        response = jsonify({"message": "500 Internal Server Error"})
        response.status_code = 500
        return response
    body = BAD_GATEWAY_BODY if status == 502 else SERVICE_UNAVAILABLE_BODY
    return Response(body, status=status, content_type="text/html")
