"""The connection to GitLab: python-gitlab configured for salsatam, with a request count.

python-gitlab's own `retry_transient_errors` stays off because it re-sends POSTs after a
5xx, which duplicates creates. Reads, updates and deletes are retried here instead (see
`retry.py`); creates are made safe by `creates.py`.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import gitlab
import requests
from requests.adapters import HTTPAdapter

from triage import __version__
from triage.gitlab.errors import translate
from triage.gitlab.retry import call_reading

USER_AGENT = f"salsatam/{__version__}"
log = logging.getLogger("salsatam.gitlab")
PER_PAGE = 100


class RunInterrupted(BaseException):
    """The run was asked to stop (SIGINT, SIGTERM): raised instead of sending a request.

    A BaseException, so that no `except Exception` on the way turns it into a failed change.
    """


@dataclass
class Traffic:
    """What went over the wire: requests by method, rate-limit waits, the last failure."""

    counts: Counter[str] = field(default_factory=Counter)
    throttled: int = 0  # 429 answers
    waited: float = 0.0  # seconds python-gitlab sleeps after them (as it computes them)
    failure: str | None = None  # `GET /api/v4/projects/1/issues: 500`, the last failed request
    attempts: int = 0  # sends of that same request in a row
    halted: bool = False  # send nothing more (an interrupted run)
    _last: str = field(default="", repr=False)

    def sent(self, method: str, request: requests.PreparedRequest) -> None:
        url = f"{method} {request.path_url}"
        self.attempts = self.attempts + 1 if url == self._last else 1
        self._last = url

    def answered(self, method: str, request: requests.PreparedRequest, status: str) -> None:
        ok = status.isdigit() and int(status) < 400
        self.failure = None if ok else f"{method} {_path(request)}: {status}"

    def rate_limited(self, method: str, request: requests.PreparedRequest, wait: float) -> None:
        self.throttled += 1
        self.waited += wait
        path = _path(request)
        log.warning("GitLab rate limit (429) on %s %s: waiting %.0f s", method, path, wait)


def _path(request: requests.PreparedRequest) -> str:
    """The request's path without its query string (which may carry a username, a search)."""
    return urlsplit(request.path_url).path


def retry_wait(headers: Mapping[str, str]) -> float:
    """How long python-gitlab sleeps after a 429 (its first wait when GitLab says nothing)."""
    # Only for the warning line: a header this can't read (an HTTP date) must not fail the
    # request, so it falls back to python-gitlab's first back-off.
    try:
        if "Retry-After" in headers:
            return float(int(headers["Retry-After"]))
        if "RateLimit-Reset" in headers:
            return max(0.0, int(headers["RateLimit-Reset"]) - time.time())
    except ValueError:
        pass
    return 0.1


class CountingAdapter(HTTPAdapter):
    """Counts every request sent on the wire, answered or not, by HTTP method; says when
    GitLab rate-limits one (python-gitlab then sleeps silently and sends it again)."""

    def __init__(self, traffic: Traffic) -> None:
        super().__init__()
        self.traffic = traffic
        self.counts = traffic.counts

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        method = (request.method or "GET").upper()
        if self.traffic.halted:
            raise RunInterrupted()
        self.counts[method] += 1
        self.traffic.sent(method, request)
        started = time.monotonic()
        try:
            response = super().send(request, *args, **kwargs)
        except Exception as exc:
            _log_request(method, request, type(exc).__name__, started)
            self.traffic.answered(method, request, type(exc).__name__)
            raise
        _log_request(method, request, str(response.status_code), started)
        self.traffic.answered(method, request, str(response.status_code))
        if response.status_code == 429:
            self.traffic.rate_limited(method, request, retry_wait(response.headers))
        return response


def _log_request(
    method: str, request: requests.PreparedRequest, status: str, started: float
) -> None:
    """One DEBUG line per request: method, path, status (or the failure), time. The path
    carries no secret (the token travels in a header only), and all logging is redacted."""
    seconds = time.monotonic() - started
    log.debug("%s %s %s %.3fs", method, request.path_url, status, seconds)


# Requests that may be sent again after an unclear failure: reads, updates that carry the
# full desired state, and deletes (a repeated delete answers 404, which means done).
REPEATABLE = frozenset({"get", "put", "delete"})


class _Gitlab(gitlab.Gitlab):
    """python-gitlab with transient failures of repeatable requests retried, page by page."""

    read_backoff: float = 0.5
    rate_limit_retries: int = 10

    def http_request(self, verb: str, path: str, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("max_retries", self.rate_limit_retries)
        send = super().http_request
        if verb.lower() not in REPEATABLE:
            return send(verb, path, *args, **kwargs)
        return call_reading(self.read_backoff, lambda: send(verb, path, *args, **kwargs))


def project_path(path_or_id: str | int) -> str:
    """`/projects/<id>`: a numeric id or a URL-encoded full path."""
    return f"/projects/{quote(str(path_or_id), safe='')}"


def group_path(path_or_id: str | int) -> str:
    return f"/groups/{quote(str(path_or_id), safe='')}"


class Connection:
    """An authenticated python-gitlab client; its `requests` counts HTTP requests sent.

    The methods below are the ones the GitLab layer uses; each raises `GitLabError`
    (token redacted) instead of python-gitlab's or requests' exceptions.
    """

    def __init__(self, gl: gitlab.Gitlab, token: str, traffic: Traffic) -> None:
        self.gl = gl
        self._token = token
        self.traffic = traffic
        self._counts = traffic.counts
        # Answers read once per connection (the token's user, its roles): see `access.py`.
        self.cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Connection({self.gl.url!r}, requests={self.requests})"

    @property
    def url(self) -> str:
        return str(self.gl.url)

    @property
    def requests(self) -> int:
        return sum(self._counts.values())

    @property
    def writes(self) -> int:
        return self.requests - self._counts["GET"]

    def halt(self) -> None:
        """Send no more requests: each one raises `RunInterrupted` instead."""
        self.traffic.halted = True

    def get(self, path: str, **query: Any) -> dict[str, Any]:
        try:
            result = self.gl.http_get(path, query_data=query)
        except Exception as exc:
            raise translate(exc, self._token) from None
        assert isinstance(result, dict)
        return result

    def list(self, path: str, *, get_all: bool = True, **query: Any) -> list[dict[str, Any]]:
        """Every page of a list (100 per page), or only the first with get_all=False."""
        query.setdefault("per_page", PER_PAGE)
        try:
            result = self.gl.http_list(path, query_data=query, get_all=get_all)
        except Exception as exc:
            raise translate(exc, self._token) from None
        return list(result)

    def post(self, path: str, data: dict[str, Any], *, repeatable: bool = False) -> dict[str, Any]:
        """POST once; `repeatable` (a create GitLab refuses with 409 once it exists: an
        issue link, a label) retries transient failures like a read, with back-off."""
        try:
            if repeatable:
                backoff = float(getattr(self.gl, "read_backoff", 0.5))
                result = call_reading(backoff, lambda: self.gl.http_post(path, post_data=data))
            else:
                result = self.gl.http_post(path, post_data=data)
        except Exception as exc:
            raise translate(exc, self._token) from None
        return result if isinstance(result, dict) else {}

    def put(self, path: str, data: dict[str, Any]) -> dict[str, Any]:
        try:
            result = self.gl.http_put(path, post_data=data)
        except Exception as exc:
            raise translate(exc, self._token) from None
        return result if isinstance(result, dict) else {}

    def delete(self, path: str) -> None:
        try:
            self.gl.http_delete(path)
        except Exception as exc:
            raise translate(exc, self._token) from None


DEFAULT_BACKOFF = 0.5  # seconds before the first retry of a transient failure


def connect(
    url: str,
    token: str,
    *,
    timeout: float = 30.0,
    user_agent: str = USER_AGENT,
    read_backoff: float | None = None,
    max_rate_limit_retries: int = 10,
) -> Connection:
    """A `Connection` to the GitLab at `url`, authenticating with a token (PRIVATE-TOKEN).

    Makes no request: the first read tells whether the URL and token work. The first wait
    before a retry is `read_backoff` seconds, doubling each time; by default 0.5, or
    SALSATAM_RETRY_BACKOFF from the environment.
    """
    if read_backoff is None:
        read_backoff = float(os.environ.get("SALSATAM_RETRY_BACKOFF", DEFAULT_BACKOFF))
    traffic = Traffic()
    gl = _Gitlab(
        url,
        private_token=token,
        timeout=timeout,
        user_agent=user_agent,
        retry_transient_errors=False,
    )
    gl.read_backoff = read_backoff
    gl.rate_limit_retries = max_rate_limit_retries
    adapter = CountingAdapter(traffic)
    gl.session.mount("http://", adapter)
    gl.session.mount("https://", adapter)
    return Connection(gl, token, traffic)
