"""Reading uploaded tables (.csv, .xlsx) defensively; the exports' writers, safe to open in a
spreadsheet program, are `stonebridge.downloads.files`."""

import csv
import datetime
import io
import itertools
import re
import string
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import charset_normalizer
import openpyxl
from django.utils.translation import gettext as _

# The writers live with the downloads every list page offers; imported here under their old names.
from stonebridge.downloads.files import (
    FORMULA_STARTS,
    safe_cell,
    write_csv,
    write_xlsx,
    write_xlsx_sheets,
)

__all__ = [
    "FORMULA_STARTS",
    "Table",
    "TableError",
    "read_table",
    "safe_cell",
    "write_csv",
    "write_xlsx",
    "write_xlsx_sheets",
]

MAX_BYTES = 20_000_000
MAX_ROWS = 200_000
MAX_UNCOMPRESSED_BYTES = 200_000_000
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 1000
# Excel's own limit; a crafted sheet could otherwise make the reader fill in billions of rows.
MAX_SHEET_ROW = 1_048_576
# Small members may compress extremely well (an empty style list) without being any danger.
_RATIO_CHECK_FROM_BYTES = 1_000_000

CSV_DELIMITERS = (",", ";", "\t")
_BLANK = string.whitespace + "".join(CSV_DELIMITERS)


class TableError(ValueError):
    """The upload cannot be read as a table; the message says why, for the person uploading."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    headers: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    # Each row as the spreadsheet numbers it (the header usually row 1), so errors can point at it.
    row_numbers: list[int] = field(default_factory=list)


def read_table(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_compression_ratio: float = MAX_COMPRESSION_RATIO,
    max_zip_members: int = MAX_ZIP_MEMBERS,
) -> Table:
    """The first sheet of an uploaded .csv or .xlsx file, every value as text.

    The first non-blank row holds the headers; blank rows are left out. Raises TableError for
    anything that is not a reasonable table.
    """
    if len(data) > max_bytes:
        raise TableError(
            _("The file is too large: %(size)s MB. The most is %(max)s MB.")
            % {"size": _megabytes(len(data)), "max": _megabytes(max_bytes)}
        )
    if not data:
        raise TableError(_("The file is empty."))
    extension = PurePath(filename).suffix.lower()
    if extension == ".csv":
        records = _csv_records(data)
    elif extension == ".xlsx":
        _check_zip(data, max_uncompressed_bytes, max_compression_ratio, max_zip_members)
        return _read_xlsx(data, max_rows)
    else:
        raise TableError(
            _("Upload a .csv or .xlsx file; “%(name)s” is neither.") % {"name": filename}
        )
    return _table(records, max_rows)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".removesuffix(".0")


def _table(records: Iterable[Sequence[str]], max_rows: int) -> Table:
    """Headers from the first non-blank record, the other non-blank records as rows."""
    table: Table | None = None
    for number, record in enumerate(records, start=1):
        if number > MAX_SHEET_ROW:
            raise TableError(_("The table has more rows than a spreadsheet can hold."))
        if not any(value.strip() for value in record):
            continue
        if table is None:
            table = Table(headers=_headers(record))
            continue
        if len(table.rows) >= max_rows:
            raise TableError(
                _("The table has more than %(max)d rows. Split it into several files.")
                % {"max": max_rows}
            )
        width = len(table.headers)
        if any(value.strip() for value in record[width:]):
            raise TableError(
                _("Row %(row)d has values in columns that have no heading.") % {"row": number}
            )
        values = list(record[:width]) + [""] * (width - len(record))
        table.rows.append(dict(zip(table.headers, values, strict=True)))
        table.row_numbers.append(number)
    if table is None:
        raise TableError(_("The file has no heading row."))
    return table


def _headers(record: Sequence[str]) -> list[str]:
    headers = [value.strip() for value in record]
    # Spreadsheets often carry empty cells to the right of the last heading.
    while headers and not headers[-1]:
        headers.pop()
    for column, header in enumerate(headers, start=1):
        if not header:
            raise TableError(_("Column %(column)d has no heading.") % {"column": column})
    # Counted once: headers.count() for each heading took minutes on a row of many thousands.
    duplicates = sorted(h for h, count in Counter(headers).items() if count > 1)
    if duplicates:
        raise TableError(
            _("These headings appear more than once: %(headings)s.")
            % {"headings": ", ".join(duplicates)}
        )
    return headers


# What spreadsheet programs write for "CSV" when not asked for UTF-8: on a Chinese Windows (GBK,
# which GB18030 extends), in Taiwan and Hong Kong (Big5), and in Western Europe and the Americas.
LEGACY_ENCODINGS = ("gb18030", "big5", "cp1252")
# How much less chaotic (charset-normalizer's measure of unlikely characters) the best reading
# must be than the next one to be a clear answer, and the most chaos accepted. StoneBridge default.
_CLEAR_MARGIN = 0.02
_MAX_CHAOS = 0.1
# A UTF-8 letter such as ü read as Windows-1252 ("Ã¼"): the file is UTF-8 with a stray byte.
_UTF8_PAIR = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_WORD = re.compile(r"[^\W\d_]{2,}")


def _plausibly_western(text: str) -> bool:
    """Whether text read as Windows-1252 looks like Western writing: an accented letter sits in
    a word with plain letters ("Müller", "Liège"), or alone ("à"); words of nothing but accented
    letters ("ÿþ") are bytes of something else. StoneBridge default."""
    return not any(
        not word.isascii() and not any(c.isascii() for c in word) for word in _WORD.findall(text)
    )


def _decode(data: bytes) -> str:
    """The text of a CSV file: strict UTF-8 (with or without a byte order mark), else one of the
    LEGACY_ENCODINGS if the detector clearly prefers it. GB18030 alone would decode almost any
    bytes, so a Big5 or Windows-1252 file would be stored garbled; an unclear file is refused."""
    if b"\x00" in data:
        # Binary files, and also Excel's "Unicode text" (UTF-16), which is full of NUL bytes.
        raise TableError(_("This is not a CSV text file. Save it from Excel as “CSV UTF-8”."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    guesses = sorted(
        charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)),
        key=lambda guess: guess.chaos,
    )
    clear = (
        guesses
        and guesses[0].chaos <= _MAX_CHAOS
        and (len(guesses) == 1 or guesses[1].chaos - guesses[0].chaos >= _CLEAR_MARGIN)
    )
    if clear:
        encoding = guesses[0].encoding
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = None
        western = encoding == "cp1252"
        if text is not None and not (
            western and (_UTF8_PAIR.search(data) or not _plausibly_western(text))
        ):
            return text
    raise TableError(_("The text encoding of this CSV file is not known. Save it as “CSV UTF-8”."))


def _csv_records(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise TableError(
            _("Line %(line)d of the CSV file cannot be read: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon (Excel where the decimal separator is a comma) or tab.

    Each is tried on the first records: a strict parse must not fail, and the most columns,
    the same in every record, win; ties go to the comma. Quoted values protect their own
    delimiters, so a wrongly chosen delimiter usually breaks the strict parse.
    """
    sample = io.StringIO(text[:1_000_000], newline="")
    best, best_score = ",", (False, False, 0)
    for delimiter in CSV_DELIMITERS:
        sample.seek(0)
        reader = csv.reader(sample, delimiter=delimiter, strict=True)
        try:
            # Rows of nothing but delimiters are blank whichever delimiter is right.
            records = [r for r in itertools.islice(reader, 50) if "".join(r).strip(_BLANK)]
        except csv.Error:
            continue  # not even the first records parse with this delimiter
        if not records:
            continue
        width = len(records[0])
        score = (True, width > 1 and all(len(r) == width for r in records), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _check_zip(
    data: bytes, max_uncompressed_bytes: int, max_compression_ratio: float, max_members: int
) -> None:
    """Refuse zip bombs before openpyxl unpacks anything: an .xlsx is a zip of XML files.

    The sizes checked are those the zip declares; Python's zipfile stops at the declared size
    when it unpacks, so a member cannot lie its way past these checks.
    """
    not_a_workbook = _("This is not an Excel workbook (.xlsx), although its name says so.")
    if not data.startswith(b"PK\x03\x04"):
        raise TableError(not_a_workbook)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise TableError(not_a_workbook) from None
    too_big = _("This workbook unpacks to too much data to be a plain table.")
    if len(members) > max_members:
        raise TableError(too_big)
    if sum(m.file_size for m in members) > max_uncompressed_bytes:
        raise TableError(too_big)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_CHECK_FROM_BYTES and ratio > max_compression_ratio:
            raise TableError(too_big)


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    if not openpyxl.DEFUSEDXML:
        # Without defusedxml, openpyxl parses XML that can expand entities without bound.
        raise RuntimeError("defusedxml must be installed to read .xlsx files safely.")
    try:
        with warnings.catch_warnings():
            # Files from other programs often trigger harmless "unsupported extension" warnings.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
            try:
                if not workbook.worksheets:
                    raise TableError(_("The workbook has no worksheet."))
                sheet = workbook.worksheets[0]
                # Read-only mode trusts the size the file declares, which some programs get
                # wrong (often "A1"); forgetting it makes openpyxl read every row there is.
                sheet.reset_dimensions()
                records = (
                    [_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)
                )
                return _table(records, max_rows)
            finally:
                workbook.close()
    except TableError:
        raise
    except Exception:
        # A damaged or crafted workbook fails inside openpyxl in many ways (KeyError,
        # ParseError, defusedxml's EntitiesForbidden, …); to the user they are all the same.
        raise TableError(
            _("This Excel workbook cannot be read. Open it in Excel and save it again.")
        ) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float: 3 rather than 3.0
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()  # a date cell comes back as a datetime at midnight
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)
