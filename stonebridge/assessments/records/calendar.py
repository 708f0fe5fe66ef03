"""The official working calendar: which days are workdays, rest days and statutory holidays.

Pure data access: the calendars are data (assessments/data/calendar.json, each year citing the
State Council General Office notice it copies). A date outside the shipped years raises
`CalendarError` rather than guessing: a year's make-up working days are only known once the
notice is published.
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent.parent / "data" / "calendar.json"

WORKDAY = "workday"
REST_DAY = "rest"
HOLIDAY = "holiday"  # a statutory holiday day itself: 300 % (Labour Law Art. 44)


class CalendarError(ValueError):
    """A date the shipped calendars do not cover."""


@dataclass(frozen=True)
class Calendar:
    """Day types for whole years. `years` are the years covered; `sources` their notices."""

    days: dict[date, str]
    years: tuple[int, ...]
    sources: dict[int, str]

    def day_type(self, day: date) -> str:
        try:
            return self.days[day]
        except KeyError:
            raise CalendarError(
                _(
                    "No official working calendar is shipped for %(year)s (shipped: %(years)s); "
                    "the records cannot be checked for %(day)s."
                )
                % {
                    "year": day.year,
                    "years": ", ".join(str(year) for year in self.years),
                    "day": day.isoformat(),
                }
            ) from None

    def workdays(self, year: int, month: int) -> int:
        """Working days of a month by the official calendar (make-up days included)."""
        first = date(year, month, 1)
        self.day_type(first)
        day, count = first, 0
        while day.month == month:
            count += self.days[day] == WORKDAY
            day += timedelta(days=1)
        return count


def load_calendar(path: Path = DATA) -> Calendar:
    data = json.loads(path.read_text(encoding="utf-8"))
    days: dict[date, str] = {}
    sources: dict[int, str] = {}
    for year_text, year_data in sorted(data["years"].items()):
        year = int(year_text)
        source = year_data["source"]
        sources[year] = f"{source['title']} ({source['published']}, {source['url']})"
        day = date(year, 1, 1)
        while day.year == year:
            days[day] = REST_DAY if day.weekday() >= 5 else WORKDAY
            day += timedelta(days=1)
        for block in year_data["off"]:
            day, last = date.fromisoformat(block["from"]), date.fromisoformat(block["to"])
            while day <= last:
                days[day] = REST_DAY
                day += timedelta(days=1)
        for text in year_data["makeup_workdays"]:
            days[date.fromisoformat(text)] = WORKDAY
        for text in year_data["statutory"]:
            days[date.fromisoformat(text)] = HOLIDAY
    return Calendar(days=days, years=tuple(sorted(sources)), sources=sources)
