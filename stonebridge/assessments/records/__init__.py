"""The wage-and-hours records check (issue 15, point 3): a factory's worker, attendance and
payroll files read (`reading`), checked against the law and the official calendar (`check`,
`rules`, `calendar`), violations and signs of double books reported (`report`). Pure: no models,
no database; the assessments app stores uploads and reports and turns them into risk evidence.

    records = read_records(workers=..., attendance=..., payroll=...)
    report = check(records, calendar=load_calendar(), rules=load_rules(), minimum_wage=None)
"""

from stonebridge.assessments.records.calendar import Calendar, CalendarError, load_calendar
from stonebridge.assessments.records.check import check
from stonebridge.assessments.records.columns import template, write_templates
from stonebridge.assessments.records.reading import (
    RecordsError,
    RecordsFile,
    RowError,
    read_records,
)
from stonebridge.assessments.records.report import Counts, Indication, Report, Violation
from stonebridge.assessments.records.rows import (
    Attendance,
    ClockRecords,
    Payroll,
    Records,
    Worker,
)
from stonebridge.assessments.records.rules import RULE_CODES, Rules, load_rules

__all__ = [
    "RULE_CODES",
    "Attendance",
    "Calendar",
    "CalendarError",
    "ClockRecords",
    "Counts",
    "Indication",
    "Payroll",
    "Records",
    "RecordsError",
    "RecordsFile",
    "Report",
    "RowError",
    "Rules",
    "Violation",
    "Worker",
    "check",
    "load_calendar",
    "load_rules",
    "read_records",
    "template",
    "write_templates",
]
