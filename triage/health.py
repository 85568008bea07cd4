"""Explainable health: each measure's value, colour and threshold, the score, the overrides.

Each measure with data scores green/yellow/red (100/60/20 by default); the account's score is
the weighted mean of the measures that have data (a measure without data gives its weight to
the others) mapped to a colour. Overrides force red. Profiles decide which measures count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from triage.account import FactValue
from triage.facts.measures import MeasureResult, measure
from triage.policy.health import MEASURES, HealthPolicy
from triage.section import BotSection

__all__ = ["HealthResult", "MeasureResult", "evaluate_health", "unchanged_health"]


@dataclass(frozen=True)
class HealthResult:
    colour: str | None  # None: no measure had data
    score: int | None
    measures: tuple[MeasureResult, ...]
    overrides: tuple[str, ...]  # why the colour was forced to red, with values
    stale: bool  # the TAM's sentiment is too old to count
    pinned: bool  # a person pinned the label (`health-pinned`)
    pinned_colour: str | None  # the colour on the label when pinned
    previous: str | None  # the colour before the last change
    since: date | None  # when the colour last changed
    reasons: tuple[str, ...]  # human lines, worst first
    profile: str | None  # the profile that chose the measures
    memory: BotSection  # what the record's bot section should remember

    @property
    def changed(self) -> bool:
        """The computed colour differs from the one last recorded."""
        return self.unchanged is None and self.colour != self.memory_before

    memory_before: str | None = None  # the colour the bot section held before this run
    before_since: date | None = None  # since when it held that colour
    forced_by: tuple[str, ...] = ()  # the override rules that applied, without values
    # The measures those overrides come from: their own line would say the same again.
    forced_from: tuple[str, ...] = ()
    # Not judged this run (e.g. "the collaboration project customers/x can't be read"):
    # the colour is None, so nothing decides on it, and the label stays as it is.
    unchanged: str | None = None
    # What the colour was judged by when it is less than usual, in words.
    basis: str | None = None


def evaluate_health(
    facts: Mapping[str, FactValue],
    policy: HealthPolicy,
    labels: tuple[str, ...],
    memory: BotSection,
    previous: BotSection | None,
    today: date,
) -> HealthResult:
    """Health from an account's facts; `previous` is the bot section found in the record."""
    stage = facts.get("stage")
    onboarding = facts.get("days_in_onboarding")
    profile = policy.profile(
        stage if isinstance(stage, str) else None,
        onboarding if isinstance(onboarding, int) else None,
    )
    scored = profile.measures(MEASURES) if profile else MEASURES
    results = tuple(
        measure(name, facts, policy, scored=name in scored, profile=profile) for name in MEASURES
    )
    mean = _mean(results, policy)
    colour = _colour(mean, policy)
    score = None if mean is None else math.floor(mean)
    forced = _overrides(facts, policy, scored)
    overrides = tuple(text for text, _, _ in forced)
    behind = tuple(dict.fromkeys(name for _, _, name in forced))
    if overrides:
        colour = "red"
    before = previous.colour if previous else None
    if previous is not None and before == colour:
        since, earlier = previous.since, previous.previous
    else:
        since, earlier = today, before
    stale = any(r.name == "sentiment" and r.stale for r in results)
    pinned_colour = next((x[8:] for x in labels if x.startswith("health::")), None)
    return HealthResult(
        colour=colour,
        score=score,
        measures=results,
        overrides=overrides,
        forced_by=tuple(rule for _, rule, _ in forced),
        forced_from=behind,
        stale=stale,
        pinned="health-pinned" in labels,
        pinned_colour=pinned_colour,
        previous=earlier,
        since=since,
        reasons=_reasons(results, overrides, behind, colour),
        profile=profile.name if profile else None,
        memory=replace(memory, colour=colour, score=score, since=since, previous=earlier),
        memory_before=before,
        before_since=previous.since if previous is not None and before is not None else None,
        basis=_basis(facts, results),
    )


def unchanged_health(
    previous: BotSection | None, labels: tuple[str, ...], why: str
) -> HealthResult:
    """No new colour this run (`why`): the label, the memory and the section's colour stay."""
    memory = previous or BotSection()
    return HealthResult(
        colour=None,
        score=None,
        measures=(),
        overrides=(),
        stale=False,
        pinned="health-pinned" in labels,
        pinned_colour=next((x[8:] for x in labels if x.startswith("health::")), None),
        previous=memory.previous,
        since=memory.since,
        reasons=(f"health unchanged: {why}",),
        profile=None,
        memory=memory,
        memory_before=memory.colour,
        before_since=memory.since,
        unchanged=why,
    )


def _basis(facts: Mapping[str, FactValue], results: tuple[MeasureResult, ...]) -> str | None:
    """Say so when the record names no collaboration project: only the record is judged."""
    if facts.get("collaboration_project") is not None:
        return None
    counted = [r.title for r in results if r.colour is not None and r.weight > 0]
    if not counted:
        return "no collaboration project in the record, and no current TAM sentiment"
    return f"no collaboration project in the record: health from {' and '.join(counted)} only"


def _mean(results: tuple[MeasureResult, ...], policy: HealthPolicy) -> Fraction | None:
    """The weighted mean of the measures with data, exactly (74.6 is not green from 75).
    The score shown is its whole part, so it always sits in its colour's band."""
    counted = [r for r in results if r.colour is not None and r.weight > 0]
    total = sum((Fraction(r.weight) for r in counted), Fraction(0))
    if not counted or total <= 0:
        return None
    points = sum(
        (Fraction(r.weight) * Fraction(policy.scores[r.colour]) for r in counted if r.colour),
        Fraction(0),
    )
    return points / total


def _colour(mean: Fraction | None, policy: HealthPolicy) -> str | None:
    if mean is None:
        return None
    if mean >= policy.green_from:
        return "green"
    return "yellow" if mean >= policy.yellow_from else "red"


def _overrides(
    facts: Mapping[str, FactValue], policy: HealthPolicy, scored: tuple[str, ...]
) -> list[tuple[str, str, str]]:
    """Each override that applies: what happened, the rule, and the measure it comes from."""
    rule = policy.overrides
    found: list[tuple[str, str, str]] = []
    if "escalations" in scored:
        for severity in rule.open_escalations:
            count = facts.get(f"escalations_open_{severity}")
            if isinstance(count, int) and count > 0:
                text = f"an open {severity} escalation makes the account red"
                found.append((text, f"an open {severity} escalation", "escalations"))
    wait = facts.get("oldest_wait_business_days")
    limit = rule.waiting_over
    if "waiting" in scored and limit is not None and isinstance(wait, int) and wait > limit:
        text = f"a customer has waited {wait} business days (red over {limit:g})"
        found.append((text, f"a customer waiting over {limit:g} business days", "waiting"))
    age = facts.get("sentiment_age_days")
    fresh = isinstance(age, int) and age <= policy.sentiment_stale_days
    if "sentiment" in scored and rule.red_sentiment and facts.get("sentiment") == "red" and fresh:
        found.append(("the TAM's sentiment is red", "the TAM's red sentiment", "sentiment"))
    return found


_ORDER = {"red": 0, "yellow": 1, "green": 2}


def _reasons(
    results: tuple[MeasureResult, ...],
    overrides: tuple[str, ...],
    behind: tuple[str, ...],
    colour: str | None,
) -> tuple[str, ...]:
    """One line per cause, worst first: an override stands for the measure it comes from."""
    lines = [*overrides]
    worrying = [
        r
        for r in results
        if r.colour in ("red", "yellow") and r.weight > 0 and r.name not in behind
    ]
    for result in sorted(worrying, key=lambda r: _ORDER[r.colour or "green"]):
        rule = f" {result.rule}" if result.rule else ""
        lines.append(f"{result.display} ({result.colour}{rule})")
    lines.extend(r.display for r in results if r.stale)
    if not lines:
        lines.append("every measure is green" if colour else "no measure has data")
    return tuple(lines)
