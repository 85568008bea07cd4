"""A plan (what would change) and an outcome (what changed) as text, JSON and Markdown.

Text is for a terminal or a CI log, JSON for machines and golden files, Markdown for a merge
request comment; Markdown lines are made inert (no quick actions, pings or references).
The description of a confidential issue is never shown.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from triage.changes import Change, Problem
from triage.plan import Plan, kind_of
from triage.render import inline, plain
from triage.report import portfolio, portfolio_json
from triage.report.activity import confidential_name
from triage.snapshot import IssueRef

FORMATS = ("text", "json", "markdown")
_HIDDEN = "(confidential: not shown)"


class Result(Protocol):
    @property
    def change(self) -> Change: ...

    @property
    def status(self) -> str: ...

    @property
    def detail(self) -> str: ...


class Outcome(Protocol):
    @property
    def results(self) -> Sequence[Result]: ...

    @property
    def requests(self) -> int: ...

    @property
    def elapsed(self) -> float: ...


def by_kind(
    items: Iterable[Change | Problem], kind: Callable[[Change | Problem], str] = kind_of
) -> str:
    """`health 3, issues 2` (in order of appearance)."""
    counts = Counter(kind(item) for item in items)
    return ", ".join(f"{kind} {count}" for kind, count in counts.items())


def plan_summary(plan: Plan) -> str:
    n = len(plan.changes)
    text = "no changes" if n == 0 else f"{n} change{'s' if n != 1 else ''} would be made"
    if n:
        text += f" ({by_kind(plan.changes, plan.kind_of)})"
    problems = len(plan.problems)
    return text + (f"; {problems} problem{'s' if problems != 1 else ''}" if problems else "")


def plan_text(plan: Plan) -> str:
    lines = [f"salsatam plan at {plan.now.isoformat()}: {', '.join(plan.kinds) or 'records'}"]
    lines += [change.describe(dry_run=True) for change in plan.changes]
    lines += [f"problem: {_problem(p)}" for p in plan.problems]
    lines.append(plan_summary(plan))
    # Text that came from GitLab never drives the terminal or forges CI log sections.
    return "\n".join(plain(line) for line in lines)


def plan_markdown(plan: Plan) -> str:
    lines = [
        "## salsatam plan",
        "",
        f"Evaluated at {plan.now.isoformat()} for "
        f"{len(plan.accounts)} accounts; kinds: {', '.join(plan.kinds) or 'records'}.",
        "",
    ]
    groups: dict[str, list[Change]] = {}
    for change in plan.changes:
        groups.setdefault(plan.kind_of(change), []).append(change)
    for kind, changes in groups.items():
        lines += [f"### {kind} ({len(changes)})", ""]
        lines += [f"- {inline(c.describe(dry_run=True), limit=1000)}" for c in changes]
        lines.append("")
    if plan.problems:
        lines += ["### Problems", ""]
        lines += [f"- {inline(_problem(p), limit=1000)}" for p in plan.problems]
        lines.append("")
    lines.append(f"**{plan_summary(plan)}**")
    return "\n".join(lines) + "\n"


def plan_json(plan: Plan) -> str:
    data = {
        "now": plan.now.isoformat(),
        "kinds": list(plan.kinds),
        "accounts": len(plan.accounts),
        "summary": plan_summary(plan),
        "changes": [change_data(c, plan.kind_of(c), secret_refs(plan)) for c in plan.changes],
        "problems": [dataclasses.asdict(p) for p in plan.problems],
        # Health by account and the rest of the portfolio page (`salsatam report --plan-json`).
        "portfolio": portfolio_json.dump(portfolio.build(plan)),
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def render_plan(plan: Plan, fmt: str) -> str:
    return {"text": plan_text, "json": plan_json, "markdown": plan_markdown}[fmt](plan)


def secret_refs(plan: Plan | None) -> frozenset[IssueRef]:
    """The confidential account records of `plan`: what is written into them is not shown."""
    accounts = plan.accounts if plan else ()
    return frozenset(a.issue.ref for a in accounts if a.issue.confidential)


def conceal(value: Any, plan: Plan | None) -> Any:
    """`value` (text, or lists and dicts of it) with the titles of the plan's confidential
    account records replaced by the name the report gives them."""
    names = {
        a.issue.title: confidential_name(a.issue.ref)
        for a in (plan.accounts if plan else ())
        if a.issue.confidential and a.issue.title
    }
    return _conceal(value, names) if names else value


def _conceal(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        for title in sorted(names, key=len, reverse=True):
            value = value.replace(title, names[title])
        return value
    if isinstance(value, list):
        return [_conceal(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _conceal(v, names) for k, v in value.items()}
    return value


def change_data(
    change: Change, kind: str | None = None, hidden: Collection[IssueRef] = ()
) -> dict[str, Any]:
    """A change as JSON-ready data: its type, kind, wording and every field.

    The text written into a confidential issue (a change marked `confidential`, or one
    into an issue of `hidden`) is not shown.
    """
    data: dict[str, Any] = {"type": type(change).__name__, "kind": kind or kind_of(change)}
    data["summary"] = change.describe(dry_run=True)
    for item in dataclasses.fields(change):
        data[item.name] = _plain(getattr(change, item.name))
    secret = getattr(change, "confidential", False) is True
    if secret or getattr(change, "issue", None) in hidden:
        for name in ("description", "body", "note"):
            if isinstance(data.get(name), str):
                data[name] = _HIDDEN
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, IssueRef):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _problem(problem: Problem) -> str:
    return f"{problem.account}: {problem.rule}: {problem.message}"


# -- outcomes ---------------------------------------------------------------------------


def outcome_line(result: Result) -> str:
    change = result.change
    if result.status == "done":
        return plain(change.describe(dry_run=False))
    tail = f" ({result.detail})" if result.detail else ""
    return plain(f"{result.status}: {change.describe(dry_run=True).removeprefix('would ')}{tail}")


def outcome_summary(
    outcome: Outcome,
    requests: int | None = None,
    seconds: float | None = None,
    plan: Plan | None = None,
    rate_limits: tuple[int, float] = (0, 0.0),
) -> str:
    """`applied 3 changes (health 3); 0 failed; 41 requests in 1.2 s`.

    `requests` and `seconds` cover the whole run when given (reading included); `plan`
    tells which kind made each change; `rate_limits` (429 answers, seconds waited for them)
    adds `; 2 × 429, waited about 100 s`.
    """
    statuses = Counter(r.status for r in outcome.results)
    done = [r.change for r in outcome.results if r.status == "done"]
    text = f"applied {statuses['done']} change{'s' if statuses['done'] != 1 else ''}"
    if done:
        text += f" ({by_kind(done, plan.kind_of if plan else kind_of)})"
    text += f"; {statuses['failed']} failed"
    if statuses["skipped"]:
        text += f", {statuses['skipped']} skipped"
    used = outcome.requests if requests is None else requests
    took = outcome.elapsed if seconds is None else seconds
    text += f"; {used} requests in {took:.1f} s"
    throttled, waited = rate_limits
    if throttled:
        text += f"; {throttled} × 429, waited about {waited:.0f} s"
    return text


def outcome_text(outcome: Outcome) -> str:
    return "\n".join([*(outcome_line(r) for r in outcome.results), outcome_summary(outcome)])


def outcome_markdown(
    outcome: Outcome,
    plan: Plan | None = None,
    interrupted: str | None = None,
    error: str | None = None,
) -> str:
    """The outcome for a merge request or a published page: a confidential account named by
    its reference only (given `plan`). `interrupted` says why the run stopped early, `error`
    why it wrote nothing."""
    lines = ["## salsatam apply", ""]
    lines += [f"**{inline(note, limit=1000)}**" for note in (error, interrupted) if note]
    lines += [""] if error or interrupted else []
    failed = [r for r in outcome.results if r.status == "failed"]
    if failed:  # first, so that they are found among hundreds of changes
        lines += [f"### Failed ({len(failed)})", ""]
        lines += [f"- {inline(conceal(outcome_line(r), plan), limit=1000)}" for r in failed]
        lines += ["", "### All changes", ""]
    lines += [f"- {inline(conceal(outcome_line(r), plan), limit=1000)}" for r in outcome.results]
    return "\n".join([*lines, "", f"**{outcome_summary(outcome)}**"]) + "\n"


def outcome_json(
    outcome: Outcome,
    plan: Plan | None = None,
    interrupted: str | None = None,
    error: str | None = None,
) -> str:
    """Each result as its change's data (as `plan_json` gives it) with status and detail;
    `plan` tells which kind made each change. `interrupted` (why the run stopped before the
    end) and `error` (why it wrote nothing) are added when given."""
    kind = plan.kind_of if plan else kind_of
    hidden = secret_refs(plan)
    results = [
        {**change_data(r.change, kind(r.change), hidden), "status": r.status, "detail": r.detail}
        for r in outcome.results
    ]
    results = [conceal(result, plan) for result in results]
    data: dict[str, Any] = {
        "summary": outcome_summary(outcome),
        **({"interrupted": interrupted} if interrupted else {}),
        **({"error": error} if error else {}),
        "requests": outcome.requests,
        "elapsed": round(outcome.elapsed, 3),
        "results": results,
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
