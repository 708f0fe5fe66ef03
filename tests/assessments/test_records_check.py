"""The records check on a hand-made month (records_may_2026.py): exactly the violations a person
counts, with the calendar's moved days, and the figures behind them."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation

from stonebridge.assessments.records import (
    ClockRecords,
    Records,
    check,
    load_calendar,
    load_rules,
    read_records,
)
from stonebridge.assessments.records.rows import Attendance
from tests.assessments import records_may_2026 as may

CALENDAR = load_calendar()
RULES = load_rules()


@pytest.fixture
def records(tmp_path):
    workers, attendance, payroll = may.write(tmp_path)
    return read_records(workers=workers, attendance=attendance, payroll=payroll)


def run(records, **options):
    options.setdefault("minimum_wage", Decimal("2500"))
    return check(records, calendar=CALENDAR, rules=RULES, **options)


def found(report):
    return [(v.worker_ref, v.month, v.rule) for v in report.violations]


def test_it_finds_exactly_the_violations_a_person_counts(records):
    assert found(run(records)) == may.EXPECTED


def test_it_reports_the_figures_and_the_legal_source(records):
    by_key = {(v.worker_ref, v.rule): v for v in run(records).violations}
    daily = by_key[("R1", "DAILY_OVERTIME_CAP")]
    assert daily.figures == {"days": "2", "most_hours": "5", "cap_hours": "3"}
    assert daily.source == "Labour Law Art. 41"
    assert daily.issue == "HOURS_WAGES"
    assert by_key[("R2", "MONTHLY_OVERTIME_CAP")].figures["overtime_hours"] == "42"
    holiday = by_key[("R2", "OVERTIME_PAY_HOLIDAY")]
    assert (holiday.figures["hours"], holiday.figures["due"], holiday.figures["paid"]) == (
        "8", "413.79", "275.86",
    )  # fmt: skip
    # Only 4 May counts as a rest day (200 %); 9 May is the make-up working day.
    assert by_key[("R2", "OVERTIME_PAY_RESTDAY")].figures["hours"] == "24"
    assert by_key[("R2", "NO_WEEKLY_REST")].figures == {"weeks": "1", "first_week": "2026-05-11"}
    assert by_key[("I1", "INTERN_OVERTIME")].figures == {"hours": "4", "days": "1"}
    assert by_key[("I1", "INTERN_NIGHT")].figures["nights"] == "2"
    assert by_key[("C1", "CHILD_LABOUR")].figures["age"] == "15"
    assert by_key[("J1", "JUVENILE_HAZARD")].figures["post"] == "抛光"
    assert by_key[("N1", "NO_CONTRACT")].figures == {
        "hired": "2026-03-02", "deadline": "2026-04-02", "signed": "",
    }  # fmt: skip
    assert by_key[("", "DISPATCH_SHARE")].figures["share_percent"] == "16.7"


def test_it_counts_per_rule_and_per_issue(records):
    counts = run(records).counts()
    assert counts.by_issue == {"HOURS_WAGES": 6, "YOUTH": 4, "CONTRACTS": 2}
    assert counts.by_rule["OVERTIME_PAY_HOLIDAY"] == 1


def test_the_report_says_what_was_checked_and_never_names(records):
    report = run(records)
    assert (report.workers, report.rows, report.months) == (7, 76, ["2026-05"])
    for name in ("王伟", "李娜", "张敏"):
        assert name not in repr(report)


def test_the_detail_is_a_sentence_in_the_users_language(records):
    violation = next(v for v in run(records).violations if v.rule == "MONTHLY_OVERTIME_CAP")
    assert violation.detail == "42 h of overtime in the month, above the cap of 36 h."
    with translation.override("zh-hans"):
        assert "36 小时" in violation.detail


def test_a_holiday_moves_with_the_years_calendar(records):
    """The same Saturday worked: 9 May 2026 is a make-up working day, 10 May 2025 a rest day."""

    def saturday(day):
        clock = ClockRecords.from_rows([Attendance("R1", day, 8 * 60, 17 * 60, 60)])
        return run(replace(records, attendance=clock, payroll=()), minimum_wage=None)

    from datetime import date

    assert found(saturday(date(2026, 5, 9))) == [
        ("", None, "DISPATCH_SHARE"),
        ("N1", None, "NO_CONTRACT"),
    ]
    intern = replace(records, attendance=ClockRecords.from_rows(
        [Attendance("I1", date(2025, 5, 10), 8 * 60, 17 * 60, 60)]), payroll=())  # fmt: skip
    assert ("I1", "2025-05", "INTERN_OVERTIME") in found(run(intern, minimum_wage=None))
    intern_2026 = replace(intern, attendance=ClockRecords.from_rows(
        [Attendance("I1", date(2026, 5, 9), 8 * 60, 17 * 60, 60)]))  # fmt: skip
    assert ("I1", "2026-05", "INTERN_OVERTIME") not in found(run(intern_2026, minimum_wage=None))


def test_only_the_statutory_days_are_paid_at_300_percent(records):
    """4 May 2026 is a day off of the Labour Day block but not a statutory day: 200 %."""
    report = run(records)
    r1 = [v.rule for v in report.violations if v.worker_ref == "R1"]
    assert "OVERTIME_PAY_HOLIDAY" not in r1
    assert "OVERTIME_PAY_RESTDAY" not in r1


def test_comprehensive_hours_apply_only_when_approved(records):
    report = run(records, comprehensive_hours_approved=True)
    r2 = {v.rule for v in report.violations if v.worker_ref == "R2"}
    # 19 workdays x 8 h = 152 h; R2 worked 152 + 10 + 24 h on non-holidays: 34 h at 150 %,
    # 8 h holiday at 300 %: 42 h above the cap; no weekly rest or daily cap test.
    assert "NO_WEEKLY_REST" not in r2
    assert "MONTHLY_OVERTIME_CAP" in r2
    r1 = {v.rule for v in report.violations if v.worker_ref == "R1"}
    assert "DAILY_OVERTIME_CAP" not in r1


def test_without_a_minimum_wage_the_wage_floor_is_not_tested(records):
    assert ("N1", "2026-05", "MINIMUM_WAGE") not in found(run(records, minimum_wage=None))


def test_a_date_outside_the_shipped_calendars_is_a_clear_error(records):
    from datetime import date

    from stonebridge.assessments.records import CalendarError

    late = replace(records, attendance=ClockRecords.from_rows(
        [Attendance("R1", date(2027, 1, 4), 480, 1020, 60)]))  # fmt: skip
    with pytest.raises(CalendarError, match="2027"):
        run(late)


def test_identical_clock_times_and_paid_hours_not_worked_are_indications_only(records):
    report = run(records)
    assert [(i.code, i.figures) for i in report.indications] == [
        (
            "IDENTICAL_CLOCK_TIMES",
            {"workers": "1", "days": "0"},
        ),  # R1: 08:00-17:00 on 19 of 21 days
    ]
    overpaid = replace(records, payroll=tuple(
        replace(row, overtime_pay_workday=Decimal("1000"), total_pay=row.total_pay + 1000)
        if row.worker_ref == "R1" else row
        for row in records.payroll
    ))  # fmt: skip
    codes = [i.code for i in run(overpaid).indications]
    assert "PAID_OVERTIME_NOT_IN_ATTENDANCE" in codes
    assert found(run(overpaid)) == may.EXPECTED


def test_a_whole_workforce_clocking_the_same_minute_is_flagged_by_day():
    from datetime import date

    from stonebridge.assessments.records import Worker

    workers = tuple(
        Worker(f"W{n}", date(1990, 1, 1), date(2020, 1, 1), date(2020, 1, 1), "regular", "saw")
        for n in range(12)
    )
    rows = [Attendance(f"W{n}", date(2026, 6, 1), 480, 1020, 60) for n in range(12)]
    report = check(Records(workers, ClockRecords.from_rows(rows), ()), calendar=CALENDAR,
                   rules=RULES, minimum_wage=None)  # fmt: skip
    assert [(i.code, i.figures["days"]) for i in report.indications] == [
        ("IDENTICAL_CLOCK_TIMES", "1")
    ]
    assert report.violations == ()
