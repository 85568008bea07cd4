"""Dates as the team counts them: local dates in the settings' time zone, business days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from triage.policy.model import Settings


def local_date(moment: datetime, settings: Settings) -> date:
    """The calendar date of `moment` in the team's time zone."""
    return moment.astimezone(ZoneInfo(settings.timezone)).date()


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days


def is_business_day(day: date, settings: Settings) -> bool:
    return day.weekday() in settings.business_days and day not in settings.holidays


def business_days_since(start: datetime, now: datetime, settings: Settings) -> int:
    """Business days after the day of `start`, up to and including today.

    A message on Friday afternoon has waited 1 business day on Monday; one sent this
    morning has waited 0. Weekends (days not in `business_days`) and holidays don't count.
    """
    first = local_date(start, settings) + timedelta(days=1)
    last = local_date(now, settings)
    count = 0
    day = first
    while day <= last:
        count += is_business_day(day, settings)
        day += timedelta(days=1)
    return count
