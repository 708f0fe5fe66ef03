"""The official calendars as data: moved days, bridging rest days and the 13 statutory days."""

from datetime import date

import pytest

from stonebridge.assessments.records import CalendarError, load_calendar
from stonebridge.assessments.records.calendar import HOLIDAY, REST_DAY, WORKDAY

CALENDAR = load_calendar()


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2026, 5, 1), HOLIDAY),
        (date(2026, 5, 2), HOLIDAY),
        (date(2026, 5, 4), REST_DAY),  # bridging day of the Labour Day block: 200 %
        (date(2026, 5, 9), WORKDAY),  # Saturday worked in exchange
        (date(2026, 2, 14), WORKDAY),
        (date(2026, 2, 16), HOLIDAY),  # New Year's Eve
        (date(2026, 2, 23), REST_DAY),
        (date(2026, 4, 5), HOLIDAY),  # Qingming on a Sunday
        (date(2026, 1, 4), WORKDAY),
        (date(2025, 1, 26), WORKDAY),
        (date(2025, 10, 6), HOLIDAY),  # Mid-Autumn 2025
        (date(2025, 10, 8), REST_DAY),
        (date(2025, 10, 11), WORKDAY),
        (date(2025, 5, 10), REST_DAY),
        (date(2026, 3, 10), WORKDAY),
    ],
)
def test_each_day_has_the_type_the_state_council_gave_it(day, kind):
    assert CALENDAR.day_type(day) == kind


def test_each_year_has_thirteen_statutory_days_and_cites_its_notice():
    for year in (2025, 2026):
        holidays = [d for d, kind in CALENDAR.days.items() if d.year == year and kind == HOLIDAY]
        assert len(holidays) == 13
        assert f"国务院办公厅关于{year}年部分节假日安排的通知" in CALENDAR.sources[year]


def test_may_2026_has_nineteen_workdays():
    assert CALENDAR.workdays(2026, 5) == 19


def test_a_year_not_shipped_is_a_clear_error():
    with pytest.raises(CalendarError, match="2027"):
        CALENDAR.day_type(date(2027, 1, 4))
