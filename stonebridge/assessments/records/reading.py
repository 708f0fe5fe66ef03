"""Reading the three records files (XLSX or CSV in UTF-8, UTF-8 with BOM or GB18030) into typed
rows, all or nothing: any bad cell and no row is returned, but one `RecordsError` listing every
problem with its file, row (the spreadsheet's row number, the header being row 1), column and
message. Names are read past and never kept (rows.py).
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple, TypeVar

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

from stonebridge.assessments.records.columns import (
    ATTENDANCE,
    COLUMNS,
    HEADERS,
    PAYROLL,
    WORKERS,
    header_key,
)
from stonebridge.assessments.records.rows import (
    DISPATCHED,
    INTERN,
    REGULAR,
    Attendance,
    Payroll,
    Records,
    Worker,
)

T = TypeVar("T")

XLSX_MAX_ROWS = 200_000  # an XLSX upload beyond this is refused: CSV reads many times faster
MAX_ERRORS = 200  # listed; the rest are counted

EMPLOYMENT_TYPES = {
    header_key(text): kind
    for kind, texts in {
        REGULAR: ("regular", "正式", "正式工", "合同工", "全职", "员工"),
        INTERN: ("intern", "实习", "实习生", "学生工", "顶岗实习"),
        DISPATCHED: ("dispatched", "派遣", "劳务派遣", "派遣工"),
    }.items()
    for text in texts
}


class RowError(NamedTuple):
    file: str
    row: int  # 1 is the header; 0 for the file as a whole
    column: str
    message: str


class RecordsError(ValueError):
    """The records could not be read; `errors` says where and why."""

    def __init__(self, errors: list[RowError], more: int = 0) -> None:
        self.errors = errors
        self.more = more  # problems found beyond the ones listed
        super().__init__("; ".join(f"{e.file} {e.row} {e.column}: {e.message}" for e in errors[:5]))


@dataclass(frozen=True)
class RecordsFile:
    name: str
    content: bytes


Source = RecordsFile | Path


class Problems:
    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.more = 0

    def add(self, file: str, row: int, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(file, row, column, message))
        else:
            self.more += 1


class CellError(ValueError):
    pass


# Cell converters: a CSV cell is text, an XLSX cell may already be a date, time or number.


def text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def to_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = text_of(value)
    match = DATE_PATTERN.match(text) or (
        re.match(r"^(\d{4})(\d{2})(\d{2})$", text) if len(text) == 8 else None
    )
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError(_("Not a date: “%(value)s”. Write dates as 2026-05-01.") % {"value": text})


def to_minute(value: object) -> int:
    if isinstance(value, datetime):
        return value.hour * 60 + value.minute
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    if isinstance(value, float) and 0 <= value <= 1:  # an Excel time as a fraction of a day
        return round(value * 1440)
    text = text_of(value)
    parts = text.replace("：", ":").split(":")
    if 2 <= len(parts) <= 3 and all(part.isdigit() for part in parts):
        hours, minutes = int(parts[0]), int(parts[1])
        if (hours < 24 and minutes < 60) or (hours == 24 and minutes == 0):
            return hours * 60 + minutes
    raise CellError(_("Not a time: “%(value)s”. Write times as 08:00 or 17:30.") % {"value": text})


def to_break(value: object) -> int:
    text = text_of(value)
    if not text:
        return 0
    if text.isdigit() and int(text) < 1440:
        return int(text)
    raise CellError(_("Not a number of minutes: “%(value)s”.") % {"value": text})


def to_money(value: object, *, empty_is_zero: bool = False) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        text = text_of(value).replace(",", "").replace("¥", "").replace("￥", "").strip()
        if not text and empty_is_zero:
            return Decimal(0)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(
                _("Not an amount in yuan: “%(value)s”.") % {"value": text_of(value)}
            ) from None
    if not amount.is_finite() or amount < 0:
        raise CellError(_("Not an amount in yuan: “%(value)s”.") % {"value": text_of(value)})
    return amount


def to_amount(value: object) -> Decimal:
    """An amount where an empty cell means none was paid."""
    return to_money(value, empty_is_zero=True)


MONTH_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?)?$")


def to_month(value: object) -> str:
    if isinstance(value, date):  # datetime too
        return f"{value.year:04d}-{value.month:02d}"
    text = text_of(value)
    match = MONTH_PATTERN.match(text) or (
        re.match(r"^(\d{4})(\d{2})$", text) if len(text) == 6 else None
    )
    if match and 1 <= int(match[2]) <= 12:
        return f"{int(match[1]):04d}-{int(match[2]):02d}"
    raise CellError(_("Not a month: “%(value)s”. Write months as 2026-05.") % {"value": text})


def to_employment_type(value: object) -> str:
    text = text_of(value)
    found = EMPLOYMENT_TYPES.get(header_key(text))
    if found is None:
        raise CellError(
            _("Unknown employment type “%(value)s”: write regular, intern or dispatched.")
            % {"value": text}
        )
    return found


# Files to rows of cells.


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030, as Chinese spreadsheet software saves CSV."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(content, cp_isolation=["gb18030", "utf_8"]).best()
    if best is None or best.encoding not in ("gb18030", "utf_8"):
        raise CellError(
            _("The text encoding was not recognised: save the file as CSV in UTF-8 or GB18030.")
        )
    return content.decode(best.encoding)


def cells(source: Source, problems: Problems) -> tuple[str, Iterator[tuple[int, list]] | None]:
    """The file's name and its rows as (row number, cells), or None when it cannot be opened."""
    if isinstance(source, Path):
        name, content = source.name, source.read_bytes()
    else:
        name, content = source.name, source.content
    try:
        if content.startswith(b"PK\x03\x04"):
            return name, xlsx_rows(name, content, problems)
        if content.startswith(b"\xd0\xcf\x11\xe0"):
            raise CellError(_("This is an old Excel file (XLS): save it as XLSX or CSV."))
        text = decode(content)
    except CellError as error:
        problems.add(name, 0, "", str(error))
        return name, None
    return name, enumerate(csv.reader(io.StringIO(text, newline="")), start=1)


def xlsx_rows(name: str, content: bytes, problems: Problems) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise CellError(_("The file could not be opened as XLSX.")) from None
    sheet = workbook.worksheets[0]

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > XLSX_MAX_ROWS + 1:
                    problems.add(
                        name,
                        number,
                        "",
                        _("More than %(max)s rows: upload large records as CSV.")
                        % {"max": f"{XLSX_MAX_ROWS:,}"},
                    )
                    return
                yield number, list(values)
        finally:
            workbook.close()

    return rows()


def header_map(name: str, kind: str, header: list, problems: Problems) -> dict[str, int] | None:
    """Canonical column → index; missing required columns are errors on row 1."""
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        column = HEADERS[kind].get(header_key(text_of(value)))
        if column and column not in found:
            found[column] = index
    missing = [c for c in COLUMNS[kind] if c.required and c.name not in found]
    for absent in missing:
        problems.add(
            name,
            1,
            absent.name,
            _("Missing column “%(name)s” (Chinese: %(chinese)s).")
            % {"name": absent.name, "chinese": absent.chinese},
        )
    return None if missing else found


def table(
    source: Source, kind: str, problems: Problems
) -> tuple[str, dict[str, int], Iterable[tuple[int, list]]] | None:
    name, rows = cells(source, problems)
    if rows is None:
        return None
    for _number, header in rows:
        if any(text_of(value) for value in header):
            columns = header_map(name, kind, header, problems)
            return None if columns is None else (name, columns, rows)
    problems.add(name, 1, "", _("The file is empty."))
    return None


def read_workers(source: Source, problems: Problems) -> list[Worker]:
    found = table(source, WORKERS, problems)
    if found is None:
        return []
    name, columns, rows = found
    result: list[Worker] = []
    seen: set[str] = set()
    for number, values in rows:
        cell = _getter(values, columns)
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


def _getter(values: list, columns: dict[str, int]) -> Callable[[str], object]:
    def cell(column: str) -> object:
        index = columns.get(column)
        return values[index] if index is not None and index < len(values) else None

    return cell


def required_ref(value: object) -> str:
    ref = text_of(value)
    if not ref:
        raise CellError(_("The worker reference is missing."))
    return ref


def read_attendance(source: Source, known: set[str], problems: Problems) -> list[Attendance]:
    """The hot path: a year of a factory's clock records is a million rows. Dates, times and
    break minutes repeat, so each distinct cell is converted once."""
    found = table(source, ATTENDANCE, problems)
    if found is None:
        return []
    name, columns, rows = found
    ref_at, date_at, in_at, out_at = (
        columns["worker_ref"],
        columns["date"],
        columns["clock_in"],
        columns["clock_out"],
    )
    break_at = columns.get("break_minutes")
    width = max(columns.values()) + 1
    dates: dict[object, date] = {}
    minutes: dict[object, int] = {}
    breaks: dict[object, int] = {"": 0, None: 0}
    result: list[Attendance] = []
    append = result.append
    for number, values in rows:
        try:
            if len(values) < width:
                if not any(text_of(value) for value in values):
                    continue
                values = values + [None] * (width - len(values))
            ref = values[ref_at]
            if ref not in known:
                ref = text_of(ref)
                if ref not in known:
                    raise _Bad("worker_ref", _unknown(ref))
            day_cell, in_cell, out_cell = values[date_at], values[in_at], values[out_at]
            day = dates.get(day_cell)
            if day is None:
                day = dates[day_cell] = _cell(to_date, day_cell, "date")
            clock_in = minutes.get(in_cell)
            if clock_in is None:
                clock_in = minutes[in_cell] = _cell(to_minute, in_cell, "clock_in")
            clock_out = minutes.get(out_cell)
            if clock_out is None:
                clock_out = minutes[out_cell] = _cell(to_minute, out_cell, "clock_out")
            rest = 0
            if break_at is not None:
                break_cell = values[break_at]
                rest = breaks.get(break_cell, -1)
                if rest < 0:
                    rest = breaks[break_cell] = _cell(to_break, break_cell, "break_minutes")
            span = clock_out - clock_in
            if span <= 0:
                if clock_out == clock_in:
                    raise _Bad("clock_out", _("Clock-out is the same as clock-in."))
                span += 1440
            if rest >= span:
                raise _Bad("break_minutes", _("The break is as long as the shift or longer."))
            append(Attendance(ref, day, clock_in, clock_out, rest))
        except _Bad as bad:
            problems.add(name, number, bad.column, bad.message)
    return result


class _Bad(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column, self.message = column, message


def _cell(convert: Callable[[object], T], value: object, column: str) -> T:
    try:
        return convert(value)
    except CellError as error:
        raise _Bad(column, str(error)) from None


def _unknown(ref: str) -> str:
    if not ref:
        return _("The worker reference is missing.")
    return _("Worker “%(ref)s” is not in the workers file.") % {"ref": ref}


def read_payroll(source: Source, known: set[str], problems: Problems) -> list[Payroll]:
    found = table(source, PAYROLL, problems)
    if found is None:
        return []
    name, columns, rows = found
    result: list[Payroll] = []
    seen: set[tuple[str, str]] = set()
    for number, values in rows:
        if not any(text_of(value) for value in values):
            continue
        cell = _getter(values, columns)
        try:
            ref = text_of(cell("worker_ref"))
            if ref not in known:
                raise _Bad("worker_ref", _unknown(ref))
            month = _cell(to_month, cell("month"), "month")
            if (ref, month) in seen:
                raise _Bad("month", _("This worker's month is listed twice."))
            seen.add((ref, month))
            amounts = {
                column: _cell(
                    to_amount if column.startswith("overtime") else to_money, cell(column), column
                )
                for column in (
                    "base_wage",
                    "overtime_pay_workday",
                    "overtime_pay_restday",
                    "overtime_pay_holiday",
                    "total_pay",
                )
            }
        except _Bad as bad:
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
