"""Dates for issue rules: the period or date a key is anchored on, due dates, quarters."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from triage.account import FactValue
from triage.policy.issues import Due, IssueRule, Updates


def anchor(per: str, facts: Mapping[str, FactValue], today: date) -> str:
    """The part of a key that changes once per period or per date (no colons in it)."""
    if per == "week":
        year, week, _ = today.isocalendar()
        return f"{year}-W{week:02d}"
    if per == "two-weeks":
        year, week, _ = today.isocalendar()
        return f"{year}-W{week - (week - 1) % 2:02d}"
    if per == "month":
        return f"{today.year}-{today.month:02d}"
    if per == "quarter":
        return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    if per == "year":
        return str(today.year)
    value = facts.get(per)
    return _date_text(value if isinstance(value, date) else None)


def _date_text(value: date | None) -> str:
    if value is None:
        return "none"
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def due_date(
    rule: IssueRule,
    facts: Mapping[str, FactValue],
    today: date,
    every_days: int | None,
    late_days: int = 0,
) -> date | None:
    """When the issue is due: from the rule, or the update cadence. When the rule's date
    has passed already (`ideal_due`), `late_days` from today: never in the past, and never
    due the day it opens."""
    ideal = ideal_due(rule, facts, today)
    if ideal is not None:
        return today + timedelta(days=late_days) if ideal < today else ideal
    if rule.due is not None:
        start = _start(rule.due, facts, today)
        return max(start + timedelta(days=rule.due.days), today) if start else None
    if every_days is not None:
        return today + timedelta(days=every_days)
    return None


def ideal_due(rule: IssueRule, facts: Mapping[str, FactValue], today: date) -> date | None:
    """The date the rule asks for, counted from a date fact (None: from today, or no date)."""
    if rule.due is None or rule.due.after is None:
        return None
    value = facts.get(rule.due.after)
    start = value.date() if isinstance(value, datetime) else value
    return start + timedelta(days=rule.due.days) if isinstance(start, date) else None


def due_words(rule: IssueRule) -> str | None:
    """How the rule's due date is counted, in words ("120 days before renewal")."""
    if rule.due is None or rule.due.after is None:
        return None
    days = rule.due.days
    side = "before" if days < 0 else "after"
    unit = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {unit} {side} {rule.due.after.replace('_', ' ')}"


def _start(due: Due, facts: Mapping[str, FactValue], today: date) -> date | None:
    if due.after is None:
        return today
    value = facts.get(due.after)
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else today


def quarter_index(day: date) -> int:
    return day.year * 4 + (day.month - 1) // 3


def renewal_soon(facts: Mapping[str, FactValue], today: date) -> bool:
    """The renewal falls in this quarter or the next one."""
    renewal = facts.get("renewal")
    if not isinstance(renewal, date) or renewal < today:
        return False
    return quarter_index(renewal) - quarter_index(today) <= 1


def update_every(updates: Updates, facts: Mapping[str, FactValue], today: date) -> int | None:
    """Days between updates for the account's health colour (None: no cadence for it)."""
    colour = facts.get("health")
    if not isinstance(colour, str):
        return None
    if renewal_soon(facts, today) and colour in updates.renewal_soon_days:
        return updates.renewal_soon_days[colour]
    return updates.every_days.get(colour)
