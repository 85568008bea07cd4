"""GitLab errors as salsatam reports them: a status, a message, and never the token.

python-gitlab and requests errors can carry URLs, headers and response bodies. Everything
that leaves the GitLab layer goes through `GitLabError`, built with the token redacted.
"""

from __future__ import annotations

import re

import requests
from gitlab import exceptions as gl_exc

REDACTED = "[REDACTED]"
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)

# Statuses after which a write may or may not have been committed by GitLab.
UNCERTAIN_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522, 523, 524, 530})
TRANSPORT_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


class GitLabError(Exception):
    """A request to GitLab failed. `status` is None when no response came back."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return f"{self.status}: {self.message}" if self.status is not None else self.message

    def __repr__(self) -> str:
        return f"GitLabError({self.message!r}, status={self.status!r})"

    @property
    def outcome_unknown(self) -> bool:
        """True when a write may have happened although no success came back."""
        return self.status is None or self.status in UNCERTAIN_STATUSES

    @property
    def conflict(self) -> bool:
        return self.status == 409

    @property
    def not_found(self) -> bool:
        return self.status == 404


def redact(text: str, secret: str | None) -> str:
    if secret:
        text = text.replace(secret, REDACTED)
    return text


def _readable(message: str) -> str:
    """GitLab's message; for an HTML error page (a proxy's 502), the page's title."""
    if message.lstrip().startswith("<"):
        title = _TITLE.search(message)
        return title.group(1).strip() if title else "an HTML error page"
    return message


def translate(exc: BaseException, token: str | None) -> GitLabError:
    """The `GitLabError` for a python-gitlab or requests exception, token removed."""
    if isinstance(exc, GitLabError):
        return exc
    if isinstance(exc, gl_exc.GitlabError):
        message = exc.error_message
        text = _readable(message) if isinstance(message, str) else repr(message)
        return GitLabError(redact(text, token), exc.response_code)
    if isinstance(exc, TRANSPORT_ERRORS):
        kind = "timed out" if isinstance(exc, requests.Timeout) else "connection failed"
        return GitLabError(redact(f"{kind}: {type(exc).__name__}", token))
    return GitLabError(redact(f"{type(exc).__name__}: {exc}", token))
