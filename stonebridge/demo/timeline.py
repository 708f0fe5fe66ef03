"""When the demo's story happens. The covenant's reporting year runs 1 October – 30 September, and
the demo's first buyer reports on its last completed year: so the engagement begins early in that
year (relationships, the code of conduct, a plan) and carries on into the current one. Dates are
counted from the start of the last completed year, never written as a year, so the demo reads the
same whatever day it is seeded on; none lies in the future.

The services stamp what they write with the seeding time; `backdate` moves those stamps to the
day the story gives them, as an importer of earlier records would. The audit log keeps the day
the records were entered."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Model
from django.utils import timezone

from stonebridge.reports.annual import Period, last_complete_period

# The covenant's reporting year starts on 1 October (demo/reports.py sets it).
YEAR_STARTS = (10, 1)


def last_year(today: date) -> Period:
    """The covenant's last completed reporting year on `today`."""
    return last_complete_period(today, *YEAR_STARTS)


def into_last_year(today: date, days: int) -> date:
    """The day `days` after the last completed reporting year began, within that year."""
    year = last_year(today)
    return min(year.start + timedelta(days=days), year.end)


def moment(day: date, hour: int = 10) -> datetime:
    """A working hour of `day` in the current time zone."""
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def backdate(instance: Model, **stamps: date | datetime) -> None:
    """Give a record the timestamps its story has (a day becomes 10:00 that day)."""
    values: dict[str, Any] = {
        name: value if isinstance(value, datetime) else moment(value)
        for name, value in stamps.items()
    }
    type(instance)._default_manager.filter(pk=instance.pk).update(**values)
    for name, value in values.items():
        setattr(instance, name, value)


def months_zh(first: date, last: date) -> str:
    """ "2025年7月至9月", or "2025年11月至2026年1月" across a new year."""
    if first.year == last.year:
        return f"{first.year}年{first.month}月至{last.month}月"
    return f"{first.year}年{first.month}月至{last.year}年{last.month}月"
