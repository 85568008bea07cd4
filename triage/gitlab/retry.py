"""Which failures are worth another try, and how long to wait.

Reads (GET), updates (PUT, always the full desired state) and deletes are retried on
transient errors: 5xx answers, timeouts and dropped connections. Creates (POST) are not
retried here: one whose response was lost may have been committed, so the apply step looks
the object up by its key before creating it again.
429 (rate limited) is retried for every method by python-gitlab itself, honouring
`Retry-After`, then `RateLimit-Reset`, then exponential back-off: GitLab rejected the
request, so sending it again cannot duplicate anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from gitlab import exceptions as gl_exc
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from triage.gitlab.errors import TRANSPORT_ERRORS, UNCERTAIN_STATUSES

T = TypeVar("T")

READ_ATTEMPTS = 5


def is_transient(exc: BaseException) -> bool:
    """A failure that may pass if the same read is sent again."""
    if isinstance(exc, TRANSPORT_ERRORS):
        return True
    return isinstance(exc, gl_exc.GitlabError) and exc.response_code in UNCERTAIN_STATUSES


def read_retrying(backoff: float, attempts: int = READ_ATTEMPTS) -> Retrying:
    """Retry transient read failures with exponential back-off starting at `backoff` s."""
    return Retrying(
        retry=retry_if_exception(is_transient),
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=backoff, max=max(backoff, 30.0)),
        reraise=True,
    )


def call_reading(backoff: float, read: Callable[[], T]) -> T:
    return read_retrying(backoff)(read)
