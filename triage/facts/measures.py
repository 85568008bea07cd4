"""Health measures: one fact (or a few) turned into a colour, with words for every value.

`display` says the value the way a TAM would ("2 customer issues waiting 6 and 9 business
days for a reply"); `dated` says it with dates instead of ages, for the record's bot section,
so that section only changes when the facts do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from triage.account import FactValue
from triage.policy.health import Bands, HealthPolicy, Profile

TITLES = {
    "waiting": "Waiting for the team",
    "escalations": "Escalations",
    "customer_activity": "Customer activity",
    "last_meeting": "Last meeting",
    "participants": "Customer participants",
    "oldest_p1": "Oldest open priority::1",
    "sentiment": "TAM sentiment",
}


@dataclass(frozen=True)
class MeasureResult:
    name: str
    value: FactValue
    display: str  # the value in words, with ages
    colour: str | None  # None: no data (or not scored in this profile)
    threshold: str  # the whole rule, e.g. "green up to 2, yellow up to 5, red over 5 business days"
    weight: float  # 0 when not scored
    rule: str = ""  # the part of the rule the colour comes from, e.g. "over 5"
    dated: str = ""  # the value with dates, for the bot section
    stale: bool = False

    @property
    def title(self) -> str:
        return TITLES[self.name]


def _int(facts: Mapping[str, FactValue], name: str) -> int | None:
    value = facts.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _lower(value: float, bands: Bands) -> tuple[str, str]:
    if value <= bands.green:
        return "green", f"up to {bands.green:g}"
    if value <= bands.yellow:
        return "yellow", f"over {bands.green:g}"
    return "red", f"over {bands.yellow:g}"


def _higher(value: float, bands: Bands) -> tuple[str, str]:
    if value >= bands.green:
        return "green", f"at least {bands.green:g}"
    if value >= bands.yellow:
        return "yellow", f"under {bands.green:g}"
    return "red", f"under {bands.yellow:g}"


def _lower_text(bands: Bands, unit: str) -> str:
    green, yellow = f"{bands.green:g}", f"{bands.yellow:g}"
    return f"green up to {green}, yellow up to {yellow}, red over {yellow} {unit}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


Partial = tuple[
    FactValue, str, str | None, str, str, str
]  # value, display, colour, rule, dated, threshold


def _waiting(facts: Mapping[str, FactValue], policy: HealthPolicy) -> Partial | None:
    count = _int(facts, "issues_waiting")
    if count is None:
        return None
    threshold = _lower_text(policy.waiting, "business days")
    if count == 0:
        return 0, "no customer issue waiting for a reply", "green", "", "none waiting", threshold
    waits = [str(w) for w in facts.get("waiting_business_days") or ()]  # type: ignore[union-attr]
    oldest = _int(facts, "oldest_wait_business_days") or 0
    waits = waits or [str(oldest)]
    colour, rule = _lower(oldest, policy.waiting)
    issues = "customer issue" if count == 1 else "customer issues"
    display = f"{count} {issues} waiting {_and(waits)} business days for a reply"
    if waits == ["1"]:
        display = "1 customer issue waiting 1 business day for a reply"
    dated = f"{_plural(count, 'issue')} waiting, the oldest since {facts.get('oldest_wait_since')}"
    return oldest, display, colour, rule, dated, threshold


def _escalations(facts: Mapping[str, FactValue], policy: HealthPolicy) -> Partial | None:
    rule = policy.escalations
    open_counts = {
        s: _int(facts, f"escalations_open_{s}") for s in ("critical", "high", "medium", "low")
    }
    if any(v is None for v in open_counts.values()):
        return None
    closed = _int(facts, "escalations_closed_recent") or 0
    threshold = (
        f"red while a {'/'.join(rule.red_open)} escalation is open; yellow while a "
        f"{'/'.join(rule.yellow_open)} one is open or for {rule.recent_days} days after a "
        f"{'/'.join(rule.yellow_closed)} one closes; green otherwise"
    )
    opened = [f"{n} {s}" for s, n in open_counts.items() if n]
    total = sum(n or 0 for n in open_counts.values())
    display = f"{_and(opened)} escalation{'s' if total > 1 else ''} open" if opened else ""
    display = display or "no open escalation"
    if closed:
        display += f", {closed} closed in the last {rule.recent_days} days"
    if any(open_counts[s] for s in rule.red_open):
        return total, display, "red", "while open", display, threshold
    if any(open_counts[s] for s in rule.yellow_open) or closed:
        medium = any(open_counts[s] for s in rule.yellow_open)
        why = "while open" if medium else f"for {rule.recent_days} days after closing"
        return total, display, "yellow", why, display, threshold
    return total, display, "green", "", display, threshold


def _none_seen(facts: Mapping[str, FactValue], days: int, policy: HealthPolicy, none: str) -> str:
    """Nothing seen in the history read: in the window, or since the project started."""
    started = facts.get("collaboration_started")
    if days < policy.history_days and started is not None:
        return f"{none} since the project started {_plural(days, 'day')} ago"
    return f"{none} in the last {_plural(days, 'day')}"


def _none_dated(facts: Mapping[str, FactValue], days: int, policy: HealthPolicy, none: str) -> str:
    started = facts.get("collaboration_started")
    if days < policy.history_days and started is not None:
        return f"{none} since the project started on {started}"
    return f"{none} in the last {_plural(days, 'day')}"


def _days_measure(
    fact: str, date_fact: str, words: str, none: str, bands: Bands
) -> Callable[[Mapping[str, FactValue], HealthPolicy], Partial | None]:
    """Days since something. When nothing was seen in the history read (`date_fact` is None)
    the value is the window: at least that many days."""

    def evaluate(facts: Mapping[str, FactValue], policy: HealthPolicy) -> Partial | None:
        days = _int(facts, fact)
        if days is None:
            return None
        colour, rule = _lower(days, bands)
        if facts.get(date_fact) is None:
            display = _none_seen(facts, days, policy, none)
            dated = _none_dated(facts, days, policy, none)
        else:
            display = f"{words} {_plural(days, 'day')} ago"
            dated = f"{words} {facts.get(date_fact)}"
        return days, display, colour, rule + " days", dated, _lower_text(bands, "days")

    return evaluate


def _activity(facts: Mapping[str, FactValue], policy: HealthPolicy) -> Partial | None:
    return _days_measure(
        "days_since_customer_activity",
        "last_customer_activity",
        "last customer activity",
        "no customer activity",
        policy.customer_activity,
    )(facts, policy)


def _meeting(facts: Mapping[str, FactValue], policy: HealthPolicy) -> Partial | None:
    priority = _int(facts, "priority") or policy.no_priority
    bands = policy.last_meeting[priority]
    found = _days_measure(
        "days_since_last_meeting", "last_meeting", "last meeting", "no meeting", bands
    )(facts, policy)
    if found is None:
        return None
    value, display, colour, rule, dated, threshold = found
    return (
        value,
        display,
        colour,
        f"{rule} for priority {priority}",
        dated,
        f"priority {priority}: {threshold}",
    )


def _participants(facts: Mapping[str, FactValue], policy: HealthPolicy) -> Partial | None:
    count = _int(facts, "customer_participants_90d")
    if count is None:
        return None
    bands = policy.participants
    colour, rule = _higher(count, bands)
    window = policy.participants_days
    display = f"{_plural(count, 'customer participant')} in {window} days"
    threshold = f"green at least {bands.green:g}, yellow at least {bands.yellow:g}, red below"
    return count, display, colour, rule, display, threshold


def _p1(facts: Mapping[str, FactValue], policy: HealthPolicy) -> Partial | None:
    if facts.get("collaboration_missing") is not False:
        return None
    bands = policy.oldest_p1
    threshold = _lower_text(bands, "days")
    days = _int(facts, "oldest_p1_days")
    if days is None:
        return None, "no open priority::1 issue", "green", "", "none open", threshold
    colour, rule = _lower(days, bands)
    display = f"oldest open priority::1 issue opened {_plural(days, 'day')} ago"
    dated = f"oldest open since {facts.get('oldest_p1_opened')}"
    return days, display, colour, rule + " days", dated, threshold


def _sentiment(facts: Mapping[str, FactValue], policy: HealthPolicy) -> Partial | None:
    colour = facts.get("sentiment")
    if not isinstance(colour, str):
        return None
    when = facts.get("sentiment_date")
    text = f"TAM sentiment {colour}" + (f" ({when})" if when else " (no date)")
    return (
        colour,
        text,
        colour,
        "",
        text,
        "the TAM's own read; stale after " + f"{policy.sentiment_stale_days} days",
    )


_MEASURES: dict[str, Callable[[Mapping[str, FactValue], HealthPolicy], Partial | None]] = {
    "waiting": _waiting,
    "escalations": _escalations,
    "customer_activity": _activity,
    "last_meeting": _meeting,
    "participants": _participants,
    "oldest_p1": _p1,
    "sentiment": _sentiment,
}


def measure(
    name: str,
    facts: Mapping[str, FactValue],
    policy: HealthPolicy,
    scored: bool,
    profile: Profile | None,
) -> MeasureResult:
    found = _MEASURES[name](facts, policy)
    weight = policy.weights.get(name, 0.0)
    if not scored:
        reason = f"not scored ({profile.name if profile else 'profile'})"
        value = found[0] if found else None
        return MeasureResult(name, value, reason, None, reason, 0.0, dated=reason)
    if found is None:
        return MeasureResult(name, None, "no data", None, "", weight, dated="no data")
    value, display, colour, rule, dated, threshold = found
    if name == "sentiment":
        age = _int(facts, "sentiment_age_days")
        if age is None or age > policy.sentiment_stale_days:
            days = policy.sentiment_stale_days
            stale = f"{display} is stale (older than {days} days): please update it"
            return MeasureResult(
                name, value, stale, None, threshold, weight, dated=stale, stale=True
            )
    return MeasureResult(name, value, display, colour, threshold, weight, rule, dated)
