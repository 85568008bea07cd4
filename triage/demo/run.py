"""The demo end to end: a sandbox, the book of business, two runs of `salsatam apply`.

Both runs go through `triage.commands.apply.apply_run`, the code path of `salsatam apply`,
acting as the seeded bot user with its own token, with the sandbox's clock and salsatam's
`--now` at the same instant. The second run shows that a run with nothing new to do
writes nothing. The sandbox keeps running afterwards, for a look around.
"""

from __future__ import annotations

import errno
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import gitlab

from triage.commands.apply import ApplyReport, apply_run, write_report
from triage.commands.options import RunOptions
from triage.commands.setup import UsageProblem
from triage.demo.book import ACCOUNTS_PROJECT, BOT, Book, build_book
from triage.demo.policies import write_policies
from triage.policy.loader import PACKAGED
from triage.report.html import DATA, PAGE
from triage.sandbox.admin import SandboxAdmin
from triage.sandbox.app import SandboxConfig
from triage.sandbox.server import SandboxServer

DEFAULT_PORT = 8080
REPORT_FILES = (PAGE, DATA, "outcome.json", "outcome.md")
# What the summary points at: (label, the story whose account it is about).
POINTERS = {
    "handoff": ("handoff", "fresh-win"),
    "agenda": ("agenda", ""),
    "red": ("health::red", "escalated"),
}
HEALTH_BOARD = "Account health"  # the accounts project's board that boards.yml declares


@dataclass(frozen=True)
class DemoOptions:
    now: datetime
    seed: int = 7
    port: int | None = None  # None: 8080, or a free port when 8080 is taken
    report_dir: Path = Path("salsatam-demo-report")
    host: str = "127.0.0.1"


@dataclass(frozen=True)
class Pass:
    """One run of salsatam apply, with what the sandbox counted."""

    report: ApplyReport
    reads: int
    writes: int

    @property
    def requests(self) -> int:
        return self.reads + self.writes


@dataclass(frozen=True)
class Pointer:
    ref: str  # account-management/accounts#12
    title: str
    url: str  # the sandbox's web page for it (a read-only view, not GitLab's UI)


@dataclass
class DemoRun:
    options: DemoOptions
    server: SandboxServer
    book: Book
    policies: Path
    token: str
    first: Pass
    rerun: Pass
    page: Path
    seconds: float
    pointers: dict[str, Pointer] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def stop(self) -> None:
        self.server.stop()


def start_sandbox(host: str, port: int | None) -> SandboxServer:
    """A sandbox on `port`; without one, on 8080 or else any free port."""
    config = SandboxConfig(db=":memory:", tier="free")
    try:
        return SandboxServer(
            config, host=host, port=DEFAULT_PORT if port is None else port, threads=8
        ).start()
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        if port is not None:
            raise UsageProblem(
                f"port {port} is in use: choose another with --port, or --port 0 for any"
            ) from None
    return SandboxServer(config, host=host, port=0, threads=8).start()


def run_demo(options: DemoOptions) -> DemoRun:
    """Seed a fresh sandbox, run salsatam twice, write the report. The sandbox stays up."""
    started = time.monotonic()
    server = start_sandbox(options.host, options.port)
    try:
        return _run(options, server, started)
    except BaseException:
        server.stop()
        raise


def _run(options: DemoOptions, server: SandboxServer, started: float) -> DemoRun:
    admin = SandboxAdmin(server.url)
    admin.set_clock(options.now)
    book = build_book(options.now, options.seed)
    token = admin.seed(book.seed)["users"][BOT]["token"]
    _clear(options.report_dir)
    policies = write_policies(book, options.report_dir / "policies")
    opts = RunOptions(
        url=server.url,
        token=token,
        policies=policies,
        templates=PACKAGED / "templates",
        now=options.now,
    )
    first = _pass(admin, opts)
    write_report(first.report, options.report_dir)
    rerun = _pass(admin, opts)
    seconds = time.monotonic() - started
    return DemoRun(
        options,
        server,
        book,
        policies,
        token,
        first,
        rerun,
        options.report_dir / PAGE,
        seconds,
        _pointers(server.url, token, book),
    )


def _clear(directory: Path) -> None:
    """Forget an earlier demo's report, so this one compares with nothing."""
    for name in REPORT_FILES:
        (directory / name).unlink(missing_ok=True)


def _pass(admin: SandboxAdmin, opts: RunOptions) -> Pass:
    admin.reset_requests()
    report = apply_run(opts)
    counted = admin.requests()
    return Pass(report, int(counted["reads"]), int(counted["writes"]))


def _pointers(url: str, token: str, book: Book) -> dict[str, Pointer]:
    """One issue of each kind worth opening, and the health board, found as a user of
    python-gitlab would; each with the sandbox web page that shows it."""
    client = gitlab.Gitlab(url, private_token=token)
    project = client.projects.get(ACCOUNTS_PROJECT, lazy=True)
    found: dict[str, Pointer] = {}
    for what, (label, story) in POINTERS.items():
        query: dict[str, Any] = {"labels": label, "state": "opened", "per_page": 1}
        if story in book.stories:
            query.update(search=book.stories[story], **{"in": "title"})
        issues = project.issues.list(get_all=False, **query)
        if issues:
            issue = issues[0]
            ref = f"{ACCOUNTS_PROJECT}#{issue.iid}"
            found[what] = Pointer(ref, str(issue.title), str(issue.web_url))
    for board in project.boards.list(get_all=True):
        if board.name == HEALTH_BOARD:
            page = f"{url}/{ACCOUNTS_PROJECT}/-/boards/{board.id}"
            found["board"] = Pointer(ACCOUNTS_PROJECT, f'board "{HEALTH_BOARD}"', page)
    return found
