"""Health writes: the `health::*` label, a note when the colour changes, the bot section.

- The label: the computed colour is added and the other colours removed (both always sent,
  since scoped-label exclusivity is a paid feature). `health-pinned` means a person chose
  the colour: the label is left alone and the computed colour is still reported.
- The note: only when the computed colour differs from the one the bot section recorded;
  it explains every measure (value, threshold, colour), the previous colour and since when.
- The bot section: rewritten only when its content changes. It holds dates, not ages.
"""

from __future__ import annotations

from collections.abc import Callable

from triage.account import Account
from triage.changes import AddNote, Change, Problem, SetLabels, UpdateDescription
from triage.health import HealthResult, MeasureResult
from triage.plan import Context
from triage.section import current_text, replace_section, section_text
from triage.snapshot import marker

COLOURS = ("green", "yellow", "red")
RULE = "health"


def evaluate(ctx: Context) -> tuple[list[Change], list[Problem]]:
    changes: list[Change] = []
    problems: list[Problem] = []
    for account in ctx.accounts:
        health = account.health
        if account.record is None or health is None:
            continue
        changes.extend(_label(account, health))
        changes.extend(_note(account, health))
        changes.extend(_section(account, health))
        problems.extend(_problems(account, health))
    return changes, problems


def headline(health: HealthResult) -> str:
    """Why the account has its colour, in a TAM's words (without the thresholds).

    Green is the score, and the measures that are not green, to watch. Yellow and red are
    the measures that are not green, red ones first (an override without a measure of its
    own first of all); the score when no measure stands out.
    """
    if health.colour is None:
        return "; ".join(health.reasons)
    concerns = [m for m in health.measures if m.colour in ("red", "yellow") and m.weight > 0]
    concerns.sort(key=lambda m: m.colour != "red")
    score = f"score {_score(health)}"
    if health.colour == "green":
        watch = [m.display for m in concerns] + [m.display for m in health.measures if m.stale]
        return f"{score}; watch: {', '.join(watch)}" if watch else score
    shown = [m.display for m in concerns]
    # An override's own measure says it in a TAM's words; an override without one, as given.
    if health.colour == "red" and not any(m.name in health.forced_from for m in concerns):
        shown = [*health.overrides, *shown]
    return "; ".join(shown) or score


def transition(health: HealthResult) -> str:
    before = health.memory_before
    if before is None:
        return f"health set to {health.colour}"
    return f"health {before} → {health.colour}"


def _label(account: Account, health: HealthResult) -> list[Change]:
    if health.pinned or health.colour is None:
        return []
    wanted = f"health::{health.colour}"
    labels = account.issue.labels
    # The plan removes only the colours the issue carries: the update sends those removals
    # with the addition, so GitLab Free, which does not make scoped labels exclusive,
    # never keeps two colours.
    colours = (f"health::{c}" for c in COLOURS if c != health.colour)
    others = tuple(name for name in colours if name in labels)
    if wanted in labels and not others:
        return []
    current = account.issue.scoped("health")
    moved = f"health {current} → {health.colour}" if current else transition(health)
    return [
        SetLabels(
            reason=f"{moved}: {headline(health)}",
            key=f"health-label:{account.issue.ref}:{health.colour}",
            rule=f"{RULE}.label",
            issue=account.issue.ref,
            add=(wanted,),
            remove=others,
        )
    ]


def _note(account: Account, health: HealthResult) -> list[Change]:
    if not health.changed or health.colour is None:
        return []
    key = note_key(account, health)
    return [
        AddNote(
            reason=f"{transition(health)}: {headline(health)}",
            key=key,
            rule=f"{RULE}.note",
            issue=account.issue.ref,
            body=f"{marker(key)}\n{note_body(health)}",
            confidential=account.issue.confidential,
        )
    ]


def note_key(account: Account, health: HealthResult) -> str:
    """One key per real change: the colour and the day, and the colour it changes from with
    its own day (red → green → red on one day is two red notes; a rerun is none)."""
    key = f"health:{account.issue.ref}:{health.colour}:{health.since}"
    if health.memory_before is None:
        return key
    return f"{key}:from:{health.memory_before}:{health.before_since or 'unknown'}"


def note_body(health: HealthResult) -> str:
    title = transition(health).capitalize()
    lines = [f"**{title}** (score {_score(health)}) on {health.since}."]
    if health.memory_before is not None and health.before_since is not None:
        lines[0] += f" It was {health.memory_before} since {health.before_since}."
    elif health.memory_before is not None:
        lines[0] += f" It was {health.memory_before} before."
    if health.pinned:
        lines.append(
            f"\nA person pinned the label (`health-pinned`) at {health.pinned_colour or 'none'}: "
            "salsatam leaves it and reports the computed colour here."
        )
    if health.basis:
        lines.append(f"\n{_sentence(health.basis)}.")
    lines.append("")
    lines.extend(f"- {reason}" for reason in health.reasons)
    lines.append("")
    lines.append(table(health.measures, lambda m: m.display))
    return "\n".join(lines) + "\n"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _score(health: HealthResult) -> str:
    return "none" if health.score is None else str(health.score)


def table(measures: tuple[MeasureResult, ...], show: Callable[[MeasureResult], str]) -> str:
    rows = ["| Measure | Value | Colour | Threshold | Weight |", "|---|---|---|---|---|"]
    for m in measures:
        colour = m.colour or ("stale" if m.stale else "no data")
        weight = f"{m.weight:g}" if m.weight else "–"
        rows.append(f"| {m.title} | {show(m)} | {colour} | {m.threshold or '–'} | {weight} |")
    return "\n".join(rows)


def section_body(health: HealthResult) -> str:
    """The Markdown people read in the record's bot section (dates, never ages)."""
    kept = "_Kept by salsatam: edit the record block above, not this section._"
    if health.unchanged is not None:
        was = health.memory_before
        stays = f"{was} since {health.since}" if was and health.since else was or "without colour"
        return "\n".join(
            [
                "#### Health: unchanged",
                "",
                kept,
                "",
                f"Not judged this time: {health.unchanged}. The health stays as it was "
                f"({stays}) until the project can be read; fix `collaboration_project` in the "
                "record if the path is wrong.",
            ]
        )
    if health.colour is None:
        lines = ["#### Health: no colour yet", "", kept, ""]
        lines.append(f"Nothing to judge by: {health.basis or 'no measure has data yet'}.")
    else:
        lines = [f"#### Health: {health.colour} (score {_score(health)})", "", kept, ""]
        since = health.colour.capitalize()
        if health.since:
            since += f" since {health.since}"
        if health.previous:
            since += f", {health.previous} before"
        if health.profile:
            since += f". Profile: {health.profile}"
        lines.append(since + ".")
        if health.basis:
            lines.append(f"{_sentence(health.basis)}.")
    if health.pinned:
        lines.append(f"The label is pinned (`health-pinned`) at {health.pinned_colour or 'none'}.")
    lines.extend(f"Red whatever the score: {rule}." for rule in health.forced_by)
    lines.append("")
    lines.append(table(health.measures, lambda m: m.dated or m.display))
    return "\n".join(lines)


def _section(account: Account, health: HealthResult) -> list[Change]:
    wanted = section_text(section_body(health), health.memory)
    description = account.issue.description
    if current_text(description) == wanted:
        return []
    if health.unchanged is not None:
        reason = f"health unchanged: {health.unchanged}"
    elif health.changed:
        reason = f"{transition(health)}: {headline(health)}"
    else:
        reason = "the facts behind the health changed"
    return [
        UpdateDescription(
            reason=reason,
            key=f"health-section:{account.issue.ref}",
            rule=f"{RULE}.section",
            issue=account.issue.ref,
            description=replace_section(description, wanted),
            confidential=account.issue.confidential,
        )
    ]


def _problems(account: Account, health: HealthResult) -> list[Problem]:
    found = []
    if health.unchanged is not None:
        message = f"{health.unchanged}: health left as it was, no colour computed"
        return [Problem(account.name, f"{RULE}.collaboration", message)]
    if health.colour is None:
        why = health.basis or "no measure has data"
        found.append(
            Problem(account.name, f"{RULE}.score", f"no colour yet, nothing to judge by: {why}")
        )
    if health.stale:
        stale = next(m.display for m in health.measures if m.stale)
        found.append(Problem(account.name, f"{RULE}.sentiment", stale))
    if health.pinned and health.pinned_colour != health.colour:
        message = f"health pinned at {health.pinned_colour or 'none'}; computed {health.colour}"
        found.append(Problem(account.name, f"{RULE}.pinned", message))
    return found
