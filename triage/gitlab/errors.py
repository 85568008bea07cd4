"""GitLab errors as salsatam reports them: a status, a message, and never the token.

python-gitlab and requests errors can carry URLs, headers and response bodies. Everything
that leaves the GitLab layer goes through `GitLabError`, built with the token redacted.
"""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus

import requests
from gitlab import exceptions as gl_exc

from triage import output

REDACTED = output.REDACTED
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)

# Statuses after which a write may or may not have been committed by GitLab.
UNCERTAIN_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522, 523, 524, 530})
INSUFFICIENT_SCOPE = "insufficient_scope"  # GitLab's `error` for a token lacking a scope
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

    @property
    def insufficient_scope(self) -> bool:
        """GitLab's 403 for a token without the scope a request needs (a `read_api` token
        on a write): `{"error": "insufficient_scope", "error_description": ...}`."""
        return self.status == 403 and self.message == INSUFFICIENT_SCOPE


class Blocked(GitLabError):
    """A change that was not tried because one it depends on failed (a list on a board that
    could not be created, with a label that could not be created): reported as skipped."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)


class SettingsError(GitLabError):
    """GitLab's answer shows that a setting or an option is wrong (the URL, a project's
    path, an account's name): the user must fix it before anything can be done."""


def redact(text: str, secret: str | None) -> str:
    """`text` without `secret`, as it is or URL-encoded (in a query string or a path),
    nor any secret registered with `triage.output` (the same redaction as all output)."""
    if secret:
        text = text.replace(secret, REDACTED)
        for form in {quote(secret, safe=""), quote_plus(secret)} - {secret}:
            # Percent-escapes may come back in either case (%2F or %2f).
            text = re.sub(re.escape(form), REDACTED, text, flags=re.IGNORECASE)
    return output.redact(text)


def _readable(message: str) -> str:
    """GitLab's message; for an HTML error page (a proxy's 502), the page's title."""
    if message.lstrip().startswith("<"):
        title = _TITLE.search(message)
        return title.group(1).strip() if title else "an HTML error page"
    return message


def _transport_problem(exc: BaseException) -> str:
    """What went wrong before any answer came: refused, unknown host, timed out, ..."""
    if isinstance(exc, requests.Timeout):
        return f"timed out: {type(exc).__name__}"
    text = str(exc)
    if "Connection refused" in text or "ConnectionRefusedError" in text:
        return "connection refused"
    if "NameResolutionError" in text or "Name or service not known" in text:
        return "host not found"
    return f"connection failed: {type(exc).__name__}"


def translate(exc: BaseException, token: str | None) -> GitLabError:
    """The `GitLabError` for a python-gitlab or requests exception, token removed."""
    if isinstance(exc, GitLabError):
        return exc
    if isinstance(exc, gl_exc.GitlabError):
        message = exc.error_message
        text = _readable(message) if isinstance(message, str) else repr(message)
        return GitLabError(redact(text, token), exc.response_code)
    if isinstance(exc, TRANSPORT_ERRORS):
        return GitLabError(redact(_transport_problem(exc), token))
    return GitLabError(redact(f"{type(exc).__name__}: {exc}", token))
