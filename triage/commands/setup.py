"""What every run command does before its own work, and how a run ends when it fails.

Policies are loaded before anything connects: a policy error contacts nothing. Exit codes:
0 done; 1 a change failed or GitLab answered with an error; 2 the policies, the options or
the connection settings need fixing; 3 something unexpected (see the debug log); 4 GitLab
failed while reading, nothing was written; 130/143 an apply interrupted by SIGINT/SIGTERM.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import click

from triage import output
from triage.commands.options import RunOptions
from triage.policy.errors import PolicyError
from triage.policy.loader import PolicySet, default_dirs, load_policies

if TYPE_CHECKING:
    from triage.gitlab.client import Connection
    from triage.gitlab.errors import GitLabError
    from triage.plan import Plan
    from triage.snapshot import Snapshot

EXIT_FAILED, EXIT_USAGE, EXIT_UNEXPECTED, EXIT_READ_FAILED = 1, 2, 3, 4
F = TypeVar("F", bound=Callable[..., Any])


class UsageProblem(Exception):
    """Something the user must set or fix before salsatam can run (exit 2)."""


class ReadFailed(Exception):
    """GitLab failed while salsatam was reading, before anything was written (exit 4)."""


def read_failure(error: GitLabError, conn: Connection) -> ReadFailed:
    """What failed while reading: the request (method, path without its query), its status
    and how many times it was sent, from what the connection saw on the wire."""
    traffic = conn.traffic
    request = ""
    if traffic.failure is not None:
        tries = traffic.attempts
        request = f" ({traffic.failure}, {tries} attempt{'s' if tries != 1 else ''})"
    return ReadFailed(
        f"GitLab failed while reading{request}: {error.message}; nothing was written "
        f"(every request is in the debug log: {output.debug_log_path()})"
    )


def load(opts: RunOptions) -> PolicySet:
    """The policies, with the command line's overrides of the settings."""
    policies_dir, templates_dir = default_dirs()
    policies = load_policies(opts.policies or policies_dir, opts.templates or templates_dir)
    overrides = {
        "accounts_project": opts.accounts_project,
        "customers_group": opts.customers_group,
    }
    given = {key: value for key, value in overrides.items() if value}
    return policies.with_settings(**given) if given else policies


def clock(opts: RunOptions, policies: PolicySet) -> datetime:
    """--now (a date alone: its midnight in the settings' time zone), else the real time."""
    zone = ZoneInfo(policies.settings.timezone)
    if isinstance(opts.now, datetime):
        return opts.now
    if isinstance(opts.now, date):
        return datetime.combine(opts.now, time(0, 0), tzinfo=zone)
    return datetime.now(zone)


def gitlab_url(opts: RunOptions, policies: PolicySet) -> str:
    url = opts.url or os.environ.get("CI_SERVER_URL") or policies.settings.gitlab_url
    if not url:
        raise UsageProblem(
            "no GitLab URL: pass --url, set SALSATAM_URL, or set gitlab_url in salsatam.yml"
        )
    return url


def connect(opts: RunOptions, policies: PolicySet) -> Connection:
    """A connection to GitLab (no request is made yet)."""
    from triage.gitlab.client import connect as open_connection

    url = gitlab_url(opts, policies)
    if not opts.token:
        raise UsageProblem(
            "no GitLab token: set SALSATAM_TOKEN (a masked CI/CD variable) or pass --token"
        )
    return open_connection(url, opts.token)


def read_and_evaluate(
    opts: RunOptions, policies: PolicySet, conn: Connection, now: datetime
) -> tuple[Snapshot, Plan]:
    """Read what the run needs and evaluate it; a shard reads the notes of its own accounts
    only (unless it runs the agenda, which shows every account's health)."""
    from triage.gitlab.fetch import fetch_snapshot
    from triage.gitlab.notes import notes_needed
    from triage.plan import evaluate

    shard, kinds = opts.shard, opts.only
    selector = None
    if shard is not None:
        kinds = shard.kinds(kinds)
        if not shard.reads_every_note(kinds):
            selector = shard.notes_needed(notes_needed)
    from triage.gitlab.errors import GitLabError, SettingsError

    try:
        with output.section("fetch", f"reading GitLab{f' (shard {shard})' if shard else ''}"):
            snapshot = fetch_snapshot(
                conn, policies, kinds, opts.account, now, notes_needed=selector
            )
    except GitLabError as error:
        if isinstance(error, SettingsError) or error.status == 401:
            raise  # a setting to fix (exit 2)
        output.LOGGER.debug("GitLab failed while reading", exc_info=error)
        raise read_failure(error, conn) from None
    output.LOGGER.info("read GitLab with %d requests", conn.requests)
    return snapshot, evaluate(snapshot, policies, now, kinds, opts.account, shard)


def start(opts: RunOptions, report_dir: Path | None = None) -> Path:
    """Logging, and the token kept out of every output. In CI, a run that writes a report
    keeps its debug log next to it (`<report dir>-debug.log`), so the job can keep it as an
    artefact; SALSATAM_LOG still wins."""
    output.set_secrets(opts.token)
    log_file = None
    if report_dir is not None and output.in_ci():
        log_file = report_dir.absolute().parent / f"{report_dir.name}-debug.log"
    return output.setup_logging(opts.verbose, log_file)


def ends_cleanly(command: F) -> F:
    """Turn the errors a run can end with into a message and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except PolicyError as error:
            for problem in error.problems:
                output.err(str(problem))
            output.err(f"salsatam: {len(error.problems)} policy problem(s); nothing was done")
            raise click.exceptions.Exit(EXIT_USAGE) from None
        except UsageProblem as error:
            output.err(f"salsatam: {error}")
            raise click.exceptions.Exit(EXIT_USAGE) from None
        except ReadFailed as error:
            output.err(f"salsatam: {error}")
            raise click.exceptions.Exit(EXIT_READ_FAILED) from None
        except Exception as error:  # the last resort: one line, and the debug log
            raise click.exceptions.Exit(_unexpected(error)) from None

    result: F = wrapper  # type: ignore[assignment]
    return result


def _unexpected(error: Exception) -> int:
    from triage.gitlab.errors import GitLabError, SettingsError

    if isinstance(error, SettingsError):
        output.LOGGER.debug("GitLab error", exc_info=error)
        output.err(f"salsatam: {error.message}")
        return EXIT_USAGE
    if isinstance(error, GitLabError):
        output.LOGGER.debug("GitLab error", exc_info=error)
        if error.status == 401:
            output.err("salsatam: the token was rejected (401): check SALSATAM_TOKEN")
            return EXIT_USAGE
        output.err(f"salsatam: GitLab error: {error}")
        return EXIT_FAILED
    output.LOGGER.debug("unexpected error", exc_info=error)
    output.err(
        f"salsatam: unexpected error: {type(error).__name__}: {error} "
        f"(details in {output.debug_log_path()})"
    )
    return EXIT_UNEXPECTED
