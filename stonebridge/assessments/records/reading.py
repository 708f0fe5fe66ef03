"""Reading the three records files into typed rows, all or nothing: any bad cell and no row is
returned, but one `RecordsError` listing every problem with its file, row, column and message.
Names are read past and never kept (rows.py).
"""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from stonebridge.assessments.records.attendance import read_attendance
from stonebridge.assessments.records.cells import (
    BadCell,
    CellError,
    Problems,
    RecordsError,
    RecordsFile,
    RowError,
    Source,
    convert_cell,
    getter,
    required_ref,
    table,
    text_of,
    to_amount,
    to_date,
    to_employment_type,
    to_money,
    to_month,
    unknown_worker,
)
from stonebridge.assessments.records.columns import PAYROLL, WORKERS
from stonebridge.assessments.records.rows import Payroll, Records, Worker

AMOUNTS = (
    "base_wage",
    "overtime_pay_workday",
    "overtime_pay_restday",
    "overtime_pay_holiday",
    "total_pay",
)

__all__ = ["RecordsError", "RecordsFile", "RowError", "read_records"]


def read_workers(source: Source, problems: Problems) -> list[Worker]:
    found = table(source, WORKERS, problems)
    if found is None:
        return []
    name, columns, rows = found
    result: list[Worker] = []
    seen: set[str] = set()
    for number, values in rows:
        cell = getter(values, columns)
        if not any(text_of(value) for value in values):
            continue
        try:
            ref = required_ref(cell("worker_ref"))
            if ref in seen:
                raise CellError(_("Worker “%(ref)s” is listed twice.") % {"ref": ref})
            seen.add(ref)
        except CellError as error:
            problems.add(name, number, "worker_ref", str(error))
            continue
        fields: dict[str, object] = {}
        for column, convert in (
            ("birth_date", to_date),
            ("hire_date", to_date),
            ("employment_type", to_employment_type),
        ):
            try:
                fields[column] = convert(cell(column))
            except CellError as error:
                problems.add(name, number, column, str(error))
        signed: date | None = None
        if text_of(cell("contract_signed_date")):
            try:
                signed = to_date(cell("contract_signed_date"))
            except CellError as error:
                problems.add(name, number, "contract_signed_date", str(error))
        if len(fields) == 3:
            result.append(
                Worker(
                    worker_ref=ref,
                    birth_date=fields["birth_date"],  # type: ignore[arg-type]
                    hire_date=fields["hire_date"],  # type: ignore[arg-type]
                    contract_signed_date=signed,
                    employment_type=str(fields["employment_type"]),
                    post=text_of(cell("post")),
                )
            )
    return result


def read_payroll(source: Source, known: set[str], problems: Problems) -> list[Payroll]:
    found = table(source, PAYROLL, problems)
    if found is None:
        return []
    name, columns, rows = found
    result: list[Payroll] = []
    seen: set[tuple[str, str]] = set()
    # Amounts and months repeat across a payroll: each distinct cell is converted once.
    months: dict[object, str] = {}
    amounts_seen: dict[tuple[bool, object], Decimal] = {}

    def amount(column: str, value: object) -> Decimal:
        key = (column.startswith("overtime"), value)
        found = amounts_seen.get(key)
        if found is None:
            convert = to_amount if key[0] else to_money
            found = amounts_seen[key] = convert_cell(convert, value, column)
        return found

    for number, values in rows:
        if not any(text_of(value) for value in values):
            continue
        cell = getter(values, columns)
        try:
            ref = text_of(cell("worker_ref"))
            if ref not in known:
                raise BadCell("worker_ref", unknown_worker(ref))
            month_cell = cell("month")
            month = months.get(month_cell)
            if month is None:
                month = months[month_cell] = convert_cell(to_month, month_cell, "month")
            if (ref, month) in seen:
                raise BadCell("month", _("This worker's month is listed twice."))
            seen.add((ref, month))
            amounts = {column: amount(column, cell(column)) for column in AMOUNTS}
        except BadCell as bad:
            problems.add(name, number, bad.column, bad.message)
            continue
        result.append(Payroll(worker_ref=ref, month=month, **amounts))
    return result


def read_records(*, workers: Source, attendance: Source, payroll: Source) -> Records:
    """All three files read and cross-checked, or a `RecordsError` with every problem found."""
    problems = Problems()
    worker_rows = read_workers(workers, problems)
    known = {worker.worker_ref for worker in worker_rows}
    attendance_rows = read_attendance(attendance, known, problems)
    payroll_rows = read_payroll(payroll, known, problems)
    if problems.errors:
        raise RecordsError(problems.errors, problems.more)
    return Records(
        workers=tuple(worker_rows), attendance=attendance_rows, payroll=tuple(payroll_rows)
    )
