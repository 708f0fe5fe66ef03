"""Tables as files a spreadsheet program opens safely: CSV in UTF-8 with a byte order mark (so
Excel shows Chinese) and XLSX, with any text that could run as a formula made inert."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

import openpyxl
from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font

# OWASP "CSV injection": a spreadsheet may run text starting with these as a formula. Excel and
# WPS in a Chinese or Japanese setting also read the full-width = + - @ (U+FF1D, U+FF0B, U+FF0D,
# U+FF20), which a Chinese input method types by default, as their ASCII signs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)


def safe_cell(value: object) -> object:
    """A value that a spreadsheet program shows but never runs as a formula.

    Text starting with =, +, -, @ (or their full-width forms), tab or carriage return gets a
    leading ' (OWASP's advice on CSV injection). Numbers, dates and None stay as they are;
    anything else becomes text.
    """
    if value is None or isinstance(
        value, int | float | Decimal | datetime.date | datetime.time | datetime.timedelta
    ):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain(value: object) -> object:
    """Safe, and with aware datetimes in local time: spreadsheets know no time zones."""
    value = safe_cell(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def write_csv(headers: list[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a byte order mark, which Excel needs to show Chinese correctly.

    Text is quoted and numbers are not, so a reader can tell the delimiter reliably and
    spreadsheet programs read numbers as numbers.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([_plain(h) for h in headers])
    for row in rows:
        writer.writerow([_plain(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(headers: list[str], rows: Iterable[Sequence[object]], *, sheet_title: str) -> bytes:
    """A workbook of one sheet, headers in bold and kept in view when scrolling."""
    return write_xlsx_sheets([(sheet_title, headers, rows)])


def _xlsx_value(value: object) -> object:
    value = _plain(value)
    if isinstance(value, str):
        # Control characters are not allowed in the XML; pasted text sometimes carries them.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx_sheets(sheets: Iterable[tuple[str, list[str], Iterable[Sequence[object]]]]) -> bytes:
    """A workbook of several sheets, each given as (title, headers, rows), written as
    `write_xlsx` writes its one sheet."""
    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for number, (sheet_title, headers, rows) in enumerate(sheets, start=1):
        title = sheet_title.translate(_SHEET_TITLE_FORBIDDEN).strip()[:31] or f"Sheet{number}"
        sheet = workbook.create_sheet(title=title)
        sheet.freeze_panes = "A2"
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(header))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_table(
    fmt: str, headers: list[str], rows: Iterable[Sequence[object]], *, sheet_title: str
) -> bytes:
    """One table as "csv" or "xlsx"."""
    if fmt == "csv":
        return write_csv(headers, rows)
    if fmt == "xlsx":
        return write_xlsx(headers, rows, sheet_title=sheet_title)
    raise ValueError(f"unknown download format {fmt!r}")
