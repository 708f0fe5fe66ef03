"""Reading the attendance file: a year of a factory's clock records is a million rows.

A plain CSV (no quoted cells, the same number of cells on every line) is split a column at a
time and each distinct date, time and break converted once; that is what makes a year readable in
a second or two. Anything else — XLSX, quoted cells, ragged lines, or any bad cell — is read row
by row, which also gives every problem its exact row number.
"""

from collections.abc import Callable
from datetime import date
from operator import ge, sub

from django.utils.translation import gettext as _

from stonebridge.assessments.records.cells import (
    BadCell,
    CellError,
    Problems,
    Source,
    convert_cell,
    decode,
    header_map,
    is_csv,
    opened,
    table,
    text_of,
    to_break,
    to_date,
    to_minute,
    unknown_worker,
)
from stonebridge.assessments.records.columns import ATTENDANCE
from stonebridge.assessments.records.rows import ClockRecords

EMPTY = ClockRecords([], [], [], [], [])


def read_attendance(source: Source, known: set[str], problems: Problems) -> ClockRecords:
    _name, content = opened(source)
    if is_csv(content):
        try:
            fast = columns_of(decode(content), known)
        except CellError:
            fast = None  # the row-by-row reader reports it
        if fast is not None:
            return fast
    return rows_of(source, known, problems)


def converted(values: list, convert: Callable[[object], int]) -> list[int] | None:
    """A column converted with one conversion per distinct cell; None if any cell is bad."""
    cache: dict[object, int] = {}
    try:
        for value in set(values):
            cache[value] = convert(value)
    except CellError:
        return None
    return list(map(cache.__getitem__, values))


def columns_of(text: str, known: set[str]) -> ClockRecords | None:
    """The fast path, or None when the file needs the row-by-row reader. The text is split once
    into cells (no copy of it per line); every line must hold exactly the header's cells."""
    if '"' in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.count("\n") + 1
    cells = text.replace("\n", ",").split(",")
    del text
    while cells and cells[-1] == "" and lines > 1:  # the file's closing line breaks
        cells.pop()
        lines -= 1
    width = cells_per_line(cells, lines)
    if width is None:
        return None
    header = cells[:width]
    columns = header_map("", ATTENDANCE, header, Problems())
    if columns is None or lines < 2 or len(cells) != width * lines:
        return None
    del cells[:width]
    refs = cells[columns["worker_ref"] :: width]
    if not known.issuperset(refs):
        return None
    date_cache: dict[object, date] = {}
    try:
        for value in set(cells[columns["date"] :: width]):
            date_cache[value] = to_date(value)
    except CellError:
        return None
    clock_in = converted(cells[columns["clock_in"] :: width], to_minute)
    clock_out = converted(cells[columns["clock_out"] :: width], to_minute)
    at = columns.get("break_minutes")
    breaks = [0] * len(refs) if at is None else converted(cells[at::width], to_break)
    if clock_in is None or clock_out is None or breaks is None:
        return None
    spans = list(map(sub, clock_out, clock_in))
    if 0 in spans:
        return None
    if min(spans) < 0:
        spans = [span if span > 0 else span + 1440 for span in spans]
    if any(map(ge, breaks, spans)):
        return None
    days = list(map(date_cache.__getitem__, cells[columns["date"] :: width]))
    return ClockRecords(refs, days, clock_in, clock_out, breaks)


def cells_per_line(cells: list[str], lines: int) -> int | None:
    """How many cells a line holds, if every line holds the same number."""
    if not lines or len(cells) % lines:
        return None
    return len(cells) // lines


def rows_of(source: Source, known: set[str], problems: Problems) -> ClockRecords:
    """Row by row, for XLSX and irregular CSV, with every problem's row number."""
    found = table(source, ATTENDANCE, problems)
    if found is None:
        return EMPTY
    name, columns, rows = found
    ref_at, date_at, in_at, out_at = (
        columns["worker_ref"], columns["date"], columns["clock_in"], columns["clock_out"],
    )  # fmt: skip
    break_at = columns.get("break_minutes")
    width = max(columns.values()) + 1
    dates: dict[object, date] = {}
    minutes: dict[object, int] = {}
    breaks: dict[object, int] = {"": 0, None: 0}
    result = ClockRecords([], [], [], [], [])
    for number, values in rows:
        try:
            if len(values) < width:
                if not any(text_of(value) for value in values):
                    continue
                values = values + [None] * (width - len(values))
            if not any(text_of(value) for value in values):
                continue
            ref = values[ref_at]
            if ref not in known:
                ref = text_of(ref)
                if ref not in known:
                    raise BadCell("worker_ref", unknown_worker(ref))
            day_cell, in_cell, out_cell = values[date_at], values[in_at], values[out_at]
            day = dates.get(day_cell)
            if day is None:
                day = dates[day_cell] = convert_cell(to_date, day_cell, "date")
            clock_in = minutes.get(in_cell)
            if clock_in is None:
                clock_in = minutes[in_cell] = convert_cell(to_minute, in_cell, "clock_in")
            clock_out = minutes.get(out_cell)
            if clock_out is None:
                clock_out = minutes[out_cell] = convert_cell(to_minute, out_cell, "clock_out")
            rest = 0
            if break_at is not None:
                break_cell = values[break_at]
                rest = breaks.get(break_cell, -1)
                if rest < 0:
                    rest = breaks[break_cell] = convert_cell(to_break, break_cell, "break_minutes")
            span = clock_out - clock_in
            if span <= 0:
                if clock_out == clock_in:
                    raise BadCell("clock_out", _("Clock-out is the same as clock-in."))
                span += 1440
            if rest >= span:
                raise BadCell("break_minutes", _("The break is as long as the shift or longer."))
        except BadCell as bad:
            problems.add(name, number, bad.column, bad.message)
            continue
        result.worker_ref.append(ref)
        result.date.append(day)
        result.clock_in.append(clock_in)
        result.clock_out.append(clock_out)
        result.break_minutes.append(rest)
    return result
