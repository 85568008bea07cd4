"""What `salsatam demo` prints: the book, what the two runs did, and where to look."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from triage.demo.run import DemoRun, Pass
from triage.report.plan import by_kind
from triage.report.portfolio import AccountRow, build

COLOURS = ("red", "yellow", "green", "none")
REASON_WIDTH = 70


def summary(run: DemoRun, live: bool = True) -> list[str]:
    """Every line the demo prints after it ran; `live`: the sandbox keeps running, so also
    where to reach it (its URLs, the token, issues to open, commands to try)."""
    return [
        *_book(run, live),
        "",
        *_first(run.first),
        "",
        *_health(run),
        "",
        *_problems(run),
        "",
        _rerun(run.rerun),
        "",
        *_where(run, live),
    ]


def _book(run: DemoRun, live: bool) -> list[str]:
    book, options = run.book, run.options
    teams = "; ".join(
        f"{team.title} ({', '.join(role.upper() for role in team.members)}"
        + (f", SA pool: {', '.join(team.sa_pool)})" if team.sa_pool else ")")
        for team in book.teams
    )
    projects = len(book.seed["projects"]) - 1
    return [
        f"salsatam demo: seed {options.seed}, now {options.now.isoformat()}",
        f"sandbox (a local GitLab, tier free){f' at {run.url}' if live else ''} "
        "with a book of business:",
        f"  {len(book.teams)} teams: {teams}",
        f"  {len(book.accounts)} accounts, {projects} collaboration projects, "
        f"{book.issues} issues, {book.notes} notes",
    ]


def _first(first: Pass) -> list[str]:
    report = first.report
    done = [r.change for r in report.outcome.results if r.status == "done"]
    return [
        "first run (salsatam apply as salsatam-bot, a Reporter):",
        f"  {len(done)} changes: {by_kind(done, report.plan.kind_of) or 'none'}",
        f"  {first.requests} requests ({first.reads} reads, {first.writes} writes), "
        f"{report.outcome.failed} failed, {report.seconds:.1f} s",
    ]


def _health(run: DemoRun) -> list[str]:
    rows = build(run.first.report.plan).accounts
    counts = Counter(row.colour for row in rows)
    shown = ", ".join(f"{counts[c]} {_colour(c)}" for c in COLOURS if counts[c])
    lines = [f"health of {len(rows)} accounts: {shown}"]
    lines.append(_row("health", "account", "team", "stage", "ARR", "renews", "why"))
    for row in rows:
        lines.append(
            _row(
                _colour(row.colour),
                row.name,
                run.book.team_of.get(row.name, ""),
                row.stage or "",
                _money(row.arr),
                row.renewal.isoformat() if row.renewal else "",
                _why(row),
            )
        )
    return lines


def _row(*cells: str) -> str:
    widths = (10, 19, 16, 14, 8, 11)
    head = "".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=False))
    return f"  {head}{cells[-1]}"


def _colour(colour: str) -> str:
    return "no colour" if colour == "none" else colour


def _money(arr: float | None) -> str:
    return "" if arr is None else f"{arr / 1000:,.0f}k"


def _why(row: AccountRow) -> str:
    if row.colour == "none":
        text = row.problems[0] if row.problems else "no data"
    elif row.watch:
        # The score explains a green or yellow colour; what to watch says why it isn't 100.
        text = f"watch: {row.watch[0]}"
    elif row.colour == "green":
        text = "every measure is green"
    else:
        text = row.reasons[0] if row.reasons else ""
    return text if len(text) <= REASON_WIDTH else text[: REASON_WIDTH - 1] + "…"


def _problems(run: DemoRun) -> list[str]:
    problems = run.first.report.plan.problems
    lines = [f"problems reported ({len(problems)}; the other accounts went ahead):"]
    lines += [f"  {p.account}: {p.rule}: {p.message}" for p in problems]
    return lines


def _rerun(rerun: Pass) -> str:
    changes = len(rerun.report.plan.changes)
    verdict = (
        "nothing left to do"
        if rerun.writes == 0 and changes == 0
        else (f"{changes} changes planned")
    )
    return (
        f"rerun: {rerun.writes} writes, {rerun.reads} reads "
        f"({verdict}; a run with nothing new in GitLab writes nothing)"
    )


def _where(run: DemoRun, live: bool) -> list[str]:
    report = _shown(run.page)
    lines = [
        "where to look:",
        f"  report    {report} (every change: {_shown(run.page.parent / 'outcome.md')})",
        f"  policies  {_shown(run.policies)}",
    ]
    if not live:  # the sandbox has stopped: nothing of it to point at
        return lines
    lines += [
        f"  GitLab    {run.url}/api/v4 (GitLab's REST API)",
        f"  web       {run.url}/ (a read-only view of the sandbox's data, not GitLab)",
        f"  token     {run.token} (salsatam's bot; every seeded user has token-<username>)",
    ]
    for what, pointer in run.pointers.items():
        lines.append(f"  {what:<9} {pointer.ref}: {pointer.title}")
        lines.append(f"  {'':<9} {pointer.url}")
    lines += [
        "",
        "with python-gitlab:",
        *_indent(_snippet(run)),
        "",
        "or run salsatam against it:",
        *_indent(_commands(run)),
    ]
    return lines


def _snippet(run: DemoRun) -> list[str]:
    return [
        "import gitlab",
        f'gl = gitlab.Gitlab("{run.url}", private_token="{run.token}")',
        'accounts = gl.projects.get("account-management/accounts")',
        'for issue in accounts.issues.list(labels="health::red", iterator=True):',
        '    print(issue.references["full"], issue.title, issue.labels)',
    ]


def _commands(run: DemoRun) -> list[str]:
    return [
        f"export SALSATAM_URL={run.url} SALSATAM_TOKEN={run.token}",
        f"salsatam plan --policies {_shown(run.policies)} --now {run.options.now.isoformat()}",
    ]


def _indent(lines: Iterable[str]) -> list[str]:
    return [f"    {line}" for line in lines]


def _shown(path: Path) -> str:
    """Relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative
