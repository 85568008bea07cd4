"""All of salsatam's output: stdout for data, stderr for diagnostics, one logger, progress.

Secrets registered with `add_secret` (the token) are replaced by `[REDACTED]` in everything
written here: data, messages, log records and the tracebacks in the debug log.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import click

LOGGER = logging.getLogger("salsatam")
REDACTED = "[REDACTED]"
_SHORT = 12  # real GitLab tokens are longer (glpat-... is 26 characters)
_SECRETS: set[str] = set()
_HANDLERS: list[logging.Handler] = []


def add_secret(secret: str | None) -> None:
    """Never show `secret` (nor its URL-encoded form) anywhere."""
    if secret:
        _SECRETS.update({secret, quote(secret, safe="")})


def set_secrets(*secrets: str | None) -> None:
    """The secrets of this run (a new run forgets the previous run's)."""
    _SECRETS.clear()
    for secret in secrets:
        add_secret(secret)


def redact(text: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if len(secret) >= _SHORT:
            text = text.replace(secret, REDACTED)
        else:
            # A short secret is hidden where it stands alone, so ordinary words survive.
            alone = rf"(?<![A-Za-z0-9_.-]){re.escape(secret)}(?![A-Za-z0-9_.-])"
            text = re.sub(alone, REDACTED, text)
    return text


def out(text: str = "") -> None:
    """Data (a plan, a report) on stdout."""
    click.echo(redact(text))


def err(text: str = "", raw: bool = False) -> None:
    """A diagnostic on stderr; `raw` keeps control sequences even when not on a terminal."""
    click.echo(redact(text), err=True, color=True if raw else None)


class RedactingFilter(logging.Filter):
    """Takes secrets out of a record's message and traceback before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class _StderrHandler(logging.Handler):
    """Log records on whatever stderr is now (click's, under test runners too).

    One line each: tracebacks go to the debug log only.
    """

    def emit(self, record: logging.LogRecord) -> None:
        err(record.getMessage())


_LOG_FILE: list[Path] = []  # the run's own default for the debug log, if it chose one


def debug_log_path() -> Path:
    """Where the debug log goes: $SALSATAM_LOG, else the file this run chose (in CI, next to
    the report), else the user's cache directory."""
    explicit = os.environ.get("SALSATAM_LOG")
    if explicit:
        return Path(explicit)
    if _LOG_FILE:
        return _LOG_FILE[0]
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "salsatam" / "salsatam.log"


def setup_logging(verbose: bool, log_file: Path | None = None) -> Path:
    """Diagnostics on stderr (WARNING; with --verbose DEBUG too: progress and one line per
    request to GitLab) and everything in the log (`log_file` unless SALSATAM_LOG is set)."""
    for handler in _HANDLERS:
        LOGGER.removeHandler(handler)
        handler.close()
    _HANDLERS.clear()
    _LOG_FILE[:] = [log_file] if log_file is not None else []
    LOGGER.setLevel(logging.DEBUG)
    LOGGER.propagate = False
    console = _StderrHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    _add(console)
    path = debug_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        log_file_handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    except OSError:
        return path
    log_file_handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    _add(log_file_handler)
    return path


def _add(handler: logging.Handler) -> None:
    handler.addFilter(RedactingFilter())
    LOGGER.addHandler(handler)
    _HANDLERS.append(handler)


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


@contextmanager
def section(name: str, header: str) -> Iterator[None]:
    """A GitLab CI collapsible section in the job log (a plain header elsewhere)."""
    if not in_ci():
        LOGGER.info(header)
        yield
        return
    err(
        f"\x1b[0Ksection_start:{int(time.time())}:{name}[collapsed=true]\r\x1b[0K{header}", raw=True
    )
    try:
        yield
    finally:
        err(f"\x1b[0Ksection_end:{int(time.time())}:{name}\r\x1b[0K", raw=True)


Advance = Callable[[object], None]


@contextmanager
def progress(total: int, title: str) -> Iterator[Advance]:
    """Advance once per item: a bar on a terminal, a line every few seconds in CI."""
    if total <= 0:
        yield lambda _item: None
    elif in_ci():
        yield _PlainProgress(total, title)
    elif sys.stderr.isatty():
        with _bar(total, title) as advance:
            yield advance
    else:
        yield lambda _item: None


class _PlainProgress:
    def __init__(self, total: int, title: str, every: float = 10.0) -> None:
        self.total, self.title, self.every = total, title, every
        self.done = 0
        self.last = time.monotonic()

    def __call__(self, _item: object) -> None:
        self.done += 1
        now = time.monotonic()
        if self.done == self.total or now - self.last >= self.every:
            self.last = now
            err(f"{self.title}: {self.done}/{self.total}")


@contextmanager
def _bar(total: int, title: str) -> Iterator[Advance]:
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(title, total=total)
        yield lambda _item: bar.advance(task)
