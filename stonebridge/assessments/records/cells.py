"""Reading records files cell by cell: the file opened (XLSX, or CSV in UTF-8, UTF-8 with BOM or
GB18030), headers matched in Chinese or English, each cell converted to its type, and every
problem collected with its file, row (the spreadsheet's row number, the header being row 1) and
column, so that a file is taken whole or not at all.
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

from stonebridge.assessments.records.columns import COLUMNS, HEADERS, header_key
from stonebridge.assessments.records.rows import DISPATCHED, INTERN, REGULAR

T = TypeVar("T")

XLSX_MAX_ROWS = 200_000  # an XLSX upload beyond this is refused: CSV reads many times faster
MAX_ERRORS = 200  # listed; the rest are counted

EMPLOYMENT_TYPES = {
    header_key(text): kind
    for kind, texts in {
        REGULAR: ("regular", "正式", "正式工", "合同工", "全职", "员工"),
        INTERN: ("intern", "实习", "实习生", "实习学生", "学生工", "顶岗实习"),
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


def opened(source: Source) -> tuple[str, bytes]:
    if isinstance(source, Path):
        return source.name, source.read_bytes()
    return source.name, source.content


def is_csv(content: bytes) -> bool:
    return not content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def cells(source: Source, problems: Problems) -> tuple[str, Iterator[tuple[int, list]] | None]:
    """The file's name and its rows as (row number, cells), or None when it cannot be opened."""
    name, content = opened(source)
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


def getter(values: list, columns: dict[str, int]) -> Callable[[str], object]:
    def cell(column: str) -> object:
        index = columns.get(column)
        return values[index] if index is not None and index < len(values) else None

    return cell


def required_ref(value: object) -> str:
    ref = text_of(value)
    if not ref:
        raise CellError(_("The worker reference is missing."))
    return ref


class BadCell(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column, self.message = column, message


def convert_cell(convert: Callable[[object], T], value: object, column: str) -> T:
    try:
        return convert(value)
    except CellError as error:
        raise BadCell(column, str(error)) from None


def unknown_worker(ref: str) -> str:
    if not ref:
        return _("The worker reference is missing.")
    return _("Worker “%(ref)s” is not in the workers file.") % {"ref": ref}
