"""`manage.py check_records`: a factory's worker, attendance and payroll files checked on the
user's own machine. The output shows worker references as given (nothing is stored)."""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stonebridge.assessments.records import (
    CalendarError,
    RecordsError,
    check,
    load_calendar,
    load_rules,
    read_records,
)
from stonebridge.assessments.records.report import Report

NO_AREA_TABLE = (
    "No table of minimum wages by area is shipped: provincial minimum wages change every two to "
    "three years and the figures StoneBridge has are unverified examples. Look up the monthly "
    "minimum wage in the province's current notice and give it with --minimum-wage."
)


def amount(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or value <= 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Check a factory's worker, attendance and payroll files (XLSX or CSV) against the legal "
        "limits on hours, overtime pay, the minimum wage, youth, contracts and dispatch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", required=True, type=Path)
        parser.add_argument("--attendance", required=True, type=Path)
        parser.add_argument("--payroll", required=True, type=Path)
        wage = parser.add_mutually_exclusive_group()
        wage.add_argument(
            "--minimum-wage", type=amount, help="the area's monthly minimum wage in CNY"
        )
        wage.add_argument("--area", help="an area code (no table is shipped; see the message)")
        parser.add_argument(
            "--comprehensive-hours",
            action="store_true",
            help="the facility holds a labour bureau approval for comprehensive working hours",
        )
        parser.add_argument("--format", choices=("json", "table"), default="table")

    def handle(self, *args: object, **options: Any) -> None:
        if options["area"]:
            raise CommandError(NO_AREA_TABLE)
        for kind in ("workers", "attendance", "payroll"):
            if not options[kind].is_file():
                raise CommandError(f"No file at {options[kind]}.")
        try:
            records = read_records(
                workers=options["workers"],
                attendance=options["attendance"],
                payroll=options["payroll"],
            )
            report = check(
                records,
                calendar=load_calendar(),
                rules=load_rules(),
                minimum_wage=options["minimum_wage"],
                comprehensive_hours_approved=options["comprehensive_hours"],
            )
        except RecordsError as error:
            for problem in error.errors:
                self.stderr.write(
                    f"{problem.file}, row {problem.row}, {problem.column or '-'}: {problem.message}"
                )
            if error.more:
                self.stderr.write(f"… and {error.more} more problems.")
            raise CommandError("The records could not be read; nothing was checked.") from None
        except CalendarError as error:
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.write_json(report)
        else:
            self.write_table(report)

    def write_json(self, report: Report) -> None:
        for violation in report.violations:
            self.stdout.write(
                json.dumps(
                    {
                        "worker_ref": violation.worker_ref,
                        "month": violation.month,
                        "rule": violation.rule,
                        "detail": violation.detail,
                        "source": violation.source,
                    },
                    ensure_ascii=False,
                )
            )
        for indication in report.indications:
            self.stderr.write(f"Indication {indication.code}: {indication.detail}")

    def write_table(self, report: Report) -> None:
        self.stdout.write(
            f"{report.workers} workers, {report.rows} clock records, months "
            f"{', '.join(report.months) or '-'}: {len(report.violations)} violations."
        )
        for violation in report.violations:
            self.stdout.write(
                f"{violation.worker_ref or '(facility)':<12} {violation.month or '-':<8} "
                f"{violation.rule:<22} {violation.detail} [{violation.source}]"
            )
        counts = report.counts()
        for issue, count in sorted(counts.by_issue.items()):
            self.stdout.write(f"{issue}: {count}")
        for indication in report.indications:
            self.stdout.write(f"Indication {indication.code}: {indication.detail}")
