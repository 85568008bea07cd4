"""The health policy (`policies/health.yml`): measures, thresholds, weights, overrides, profiles.

Every number is a setting; the defaults are the dataclass defaults and match the shipped file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.account import PRE_SALE
from triage.policy.parsing import KeyPath, ParseContext

MEASURES = (
    "waiting",
    "escalations",
    "customer_activity",
    "last_meeting",
    "participants",
    "oldest_p1",
    "sentiment",
)
COLOURS = ("green", "yellow", "red")
SEVERITIES = ("critical", "high", "medium", "low")


@dataclass(frozen=True)
class Bands:
    """Two limits: green up to `green`, yellow up to `yellow`, red beyond (or, for measures
    where more is better, green from `green`, yellow from `yellow`, red below)."""

    green: float
    yellow: float


@dataclass(frozen=True)
class EscalationRule:
    red_open: tuple[str, ...] = ("critical", "high")
    yellow_open: tuple[str, ...] = ("medium",)
    yellow_closed: tuple[str, ...] = ("critical", "high")
    recent_days: int = 7


@dataclass(frozen=True)
class Overrides:
    """Conditions that make an account red whatever its score."""

    open_escalations: tuple[str, ...] = ("critical", "high")
    waiting_over: float | None = 10  # business days
    red_sentiment: bool = True


@dataclass(frozen=True)
class Profile:
    """Which measures count for accounts in some stages (the first matching profile wins)."""

    name: str
    stages: tuple[str, ...]
    skip: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    onboarding_days_under: int | None = None  # applies only this early in onboarding

    def measures(self, all_measures: tuple[str, ...]) -> tuple[str, ...]:
        kept = [m for m in all_measures if m not in self.skip]
        return tuple(m for m in kept if m in self.only) if self.only else tuple(kept)


def _default_weights() -> dict[str, float]:
    return {
        "waiting": 2,
        "escalations": 2,
        "customer_activity": 2,
        "last_meeting": 2,
        "participants": 1,
        "oldest_p1": 1,
        "sentiment": 2,
    }


def _default_meeting_bands() -> dict[int, Bands]:
    return {1: Bands(35, 60), 2: Bands(65, 90), 3: Bands(65, 90)}


def _default_profiles() -> tuple[Profile, ...]:
    return (
        Profile(
            "prospect",
            PRE_SALE,
            skip=("customer_activity", "last_meeting"),
        ),
        Profile(
            "first days of onboarding",
            ("onboarding",),
            only=("sentiment", "escalations"),
            onboarding_days_under=30,
        ),
    )


@dataclass(frozen=True)
class HealthPolicy:
    enabled: bool = True
    scores: Mapping[str, int] = field(
        default_factory=lambda: {"green": 100, "yellow": 60, "red": 20}
    )
    green_from: int = 75  # score at or above: green
    yellow_from: int = 50  # score at or above: yellow; below: red
    weights: Mapping[str, float] = field(default_factory=_default_weights)
    waiting: Bands = Bands(2, 5)  # business days
    escalations: EscalationRule = EscalationRule()
    customer_activity: Bands = Bands(30, 60)  # days
    last_meeting: Mapping[int, Bands] = field(default_factory=_default_meeting_bands)
    no_priority: int = 3  # whose meeting thresholds apply when the record has no priority
    participants: Bands = Bands(2, 1)  # people, more is better
    participants_days: int = 90
    oldest_p1: Bands = Bands(13, 30)  # days
    sentiment_stale_days: int = 90
    # How far back closed collaboration issues are read: a meeting or a customer message
    # older than this is not seen, so "none in the last `history_days`" is the fact.
    history_days: int = 120
    overrides: Overrides = Overrides()
    profiles: tuple[Profile, ...] = field(default_factory=_default_profiles)

    def profile(self, stage: str | None, days_in_onboarding: int | None) -> Profile | None:
        for profile in self.profiles:
            if stage not in profile.stages:
                continue
            limit = profile.onboarding_days_under
            if limit is None or (days_in_onboarding is not None and days_in_onboarding < limit):
                return profile
        return None


_NUMBER = {"type": "number", "minimum": 0}
_BANDS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"green": _NUMBER, "yellow": _NUMBER},
}
_WEIGHT = {"weight": _NUMBER}
_MEASURE_LIST = {"type": "array", "items": {"enum": list(MEASURES)}, "uniqueItems": True}
_SEVERITY_LIST = {"type": "array", "items": {"enum": list(SEVERITIES)}, "uniqueItems": True}


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "properties": properties, **extra}


SCHEMA: dict[str, Any] = _object(
    {
        "enabled": {"type": "boolean"},
        "history_days": {"type": "integer", "minimum": 1},
        "scores": _object({c: _NUMBER for c in COLOURS}),
        "colours": _object({"green": _NUMBER, "yellow": _NUMBER}),
        "measures": _object(
            {
                "waiting": _object({**_WEIGHT, "green": _NUMBER, "yellow": _NUMBER}),
                "escalations": _object(
                    {
                        **_WEIGHT,
                        "red_open": _SEVERITY_LIST,
                        "yellow_open": _SEVERITY_LIST,
                        "yellow_closed": _SEVERITY_LIST,
                        "recent_days": {"type": "integer", "minimum": 0},
                    }
                ),
                "customer_activity": _object({**_WEIGHT, "green": _NUMBER, "yellow": _NUMBER}),
                "last_meeting": _object(
                    {
                        **_WEIGHT,
                        "priority_1": _BANDS,
                        "priority_2": _BANDS,
                        "priority_3": _BANDS,
                        "no_priority": {"enum": [1, 2, 3]},
                    }
                ),
                "participants": _object(
                    {
                        **_WEIGHT,
                        "days": {"type": "integer", "minimum": 1},
                        "green": _NUMBER,
                        "yellow": _NUMBER,
                    }
                ),
                "oldest_p1": _object({**_WEIGHT, "green": _NUMBER, "yellow": _NUMBER}),
                "sentiment": _object({**_WEIGHT, "stale_days": {"type": "integer", "minimum": 1}}),
            }
        ),
        "overrides": _object(
            {
                "open_escalations": _SEVERITY_LIST,
                "waiting_over": {"type": ["number", "null"], "minimum": 0},
                "red_sentiment": {"type": "boolean"},
            }
        ),
        "profiles": {
            "type": "array",
            "items": _object(
                {
                    "name": {"type": "string", "minLength": 1},
                    "stages": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "skip": _MEASURE_LIST,
                    "only": _MEASURE_LIST,
                    "onboarding_days_under": {"type": "integer", "minimum": 1},
                },
                required=["name", "stages"],
            ),
        },
    }
)


def parse(data: Any, ctx: ParseContext) -> HealthPolicy:
    """The typed policy from data that passed SCHEMA; semantic problems go to `ctx`."""
    data = data or {}
    default = HealthPolicy()
    measures = data.get("measures") or {}
    weights = dict(default.weights)
    for name in MEASURES:
        if "weight" in (measures.get(name) or {}):
            weights[name] = float(measures[name]["weight"])
    colours = data.get("colours") or {}
    policy = HealthPolicy(
        enabled=bool(data.get("enabled", True)),
        scores={**default.scores, **(data.get("scores") or {})},
        green_from=colours.get("green", default.green_from),
        yellow_from=colours.get("yellow", default.yellow_from),
        weights=weights,
        waiting=_bands(measures, "waiting", default.waiting, ctx, lower=True),
        escalations=_escalations(measures.get("escalations") or {}, default.escalations),
        customer_activity=_bands(
            measures, "customer_activity", default.customer_activity, ctx, lower=True
        ),
        last_meeting=_meeting_bands(measures.get("last_meeting") or {}, default, ctx),
        no_priority=(measures.get("last_meeting") or {}).get("no_priority", default.no_priority),
        participants=_bands(measures, "participants", default.participants, ctx, lower=False),
        participants_days=(measures.get("participants") or {}).get(
            "days", default.participants_days
        ),
        oldest_p1=_bands(measures, "oldest_p1", default.oldest_p1, ctx, lower=True),
        sentiment_stale_days=(measures.get("sentiment") or {}).get(
            "stale_days", default.sentiment_stale_days
        ),
        history_days=data.get("history_days", default.history_days),
        overrides=_overrides(data.get("overrides") or {}, default.overrides),
        profiles=_profiles(data, default.profiles, ctx),
    )
    _check_history(policy, ctx)
    if policy.yellow_from > policy.green_from:
        ctx.problem(("colours", "yellow"), "the yellow score must not be above the green score")
    if sum(policy.weights.values()) <= 0:
        ctx.problem(("measures",), "at least one measure needs a weight above 0")
    return policy


def _check_history(policy: HealthPolicy, ctx: ParseContext) -> None:
    """The history window must reach past every limit that "none in the window" is judged
    against, so that no meeting or customer message in it is red, not a guess."""
    limits = {
        "customer_activity yellow": policy.customer_activity.yellow,
        **{f"last_meeting priority_{p} yellow": b.yellow for p, b in policy.last_meeting.items()},
        "participants days": policy.participants_days,
        "escalations recent_days": policy.escalations.recent_days,
    }
    name, longest = max(limits.items(), key=lambda item: item[1])
    if policy.history_days <= longest:
        ctx.problem(
            ("history_days",),
            f"history_days ({policy.history_days}) must be over {name} ({longest:g}): "
            "older meetings and messages are not read",
        )


def _checked(bands: Bands, path: KeyPath, ctx: ParseContext, lower: bool) -> Bands:
    if lower and bands.yellow < bands.green:
        ctx.problem((*path, "yellow"), f"yellow ({bands.yellow:g}) must not be below green")
    if not lower and bands.yellow > bands.green:
        ctx.problem((*path, "yellow"), f"yellow ({bands.yellow:g}) must not be above green")
    return bands


def _bands(
    measures: Mapping[str, Any], name: str, default: Bands, ctx: ParseContext, lower: bool
) -> Bands:
    given = measures.get(name) or {}
    bands = Bands(given.get("green", default.green), given.get("yellow", default.yellow))
    return _checked(bands, ("measures", name), ctx, lower)


def _meeting_bands(
    given: Mapping[str, Any], default: HealthPolicy, ctx: ParseContext
) -> dict[int, Bands]:
    bands = dict(default.last_meeting)
    for priority in (1, 2, 3):
        key = f"priority_{priority}"
        if key in given:
            base = bands[priority]
            value = Bands(
                given[key].get("green", base.green), given[key].get("yellow", base.yellow)
            )
            bands[priority] = _checked(value, ("measures", "last_meeting", key), ctx, True)
    return bands


def _escalations(given: Mapping[str, Any], default: EscalationRule) -> EscalationRule:
    return EscalationRule(
        red_open=tuple(given.get("red_open", default.red_open)),
        yellow_open=tuple(given.get("yellow_open", default.yellow_open)),
        yellow_closed=tuple(given.get("yellow_closed", default.yellow_closed)),
        recent_days=given.get("recent_days", default.recent_days),
    )


def _overrides(given: Mapping[str, Any], default: Overrides) -> Overrides:
    return Overrides(
        open_escalations=tuple(given.get("open_escalations", default.open_escalations)),
        waiting_over=given.get("waiting_over", default.waiting_over),
        red_sentiment=bool(given.get("red_sentiment", default.red_sentiment)),
    )


def _profiles(
    data: Mapping[str, Any], default: tuple[Profile, ...], ctx: ParseContext
) -> tuple[Profile, ...]:
    if "profiles" not in data:
        return default
    profiles = []
    for index, item in enumerate(data["profiles"] or ()):
        for position, stage in enumerate(item["stages"]):
            ctx.label(("profiles", index, "stages", position), f"stage::{stage}")
        if item.get("skip") and item.get("only"):
            ctx.problem(("profiles", index), "a profile has either 'skip' or 'only', not both")
        profiles.append(
            Profile(
                name=item["name"],
                stages=tuple(item["stages"]),
                skip=tuple(item.get("skip", ())),
                only=tuple(item.get("only", ())),
                onboarding_days_under=item.get("onboarding_days_under"),
            )
        )
    return tuple(profiles)
