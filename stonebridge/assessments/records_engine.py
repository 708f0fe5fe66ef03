"""The bridge between a stored records check and the pure engine in `assessments/records/`:
files in, the engine's report out, in the shapes the service stores. Nothing here touches the
database."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import ngettext

from . import records as engine


class RecordsError(Exception):
    """The files cannot be read: every problem with its file, row and column."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass(frozen=True)
class Found:
    worker_ref: str
    month: str
    rule: str
    figures: dict[str, Any]
    source: str


@dataclass(frozen=True)
class Sign:
    code: str
    workers: int
    month: str
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    violations: list[Found]
    indications: list[Sign]
    workers: int
    rows: int
    months: list[str]


def _month_in(month: str, start: date, end: date) -> bool:
    return f"{start:%Y-%m}" <= month <= f"{end:%Y-%m}"


def run(
    files: dict[str, tuple[str, bytes]],
    *,
    period_start: date,
    period_end: date,
    minimum_wage: Decimal,
    comprehensive_hours_approved: bool,
    on_progress: Callable[[int], None] = lambda percent: None,
) -> Result:
    try:
        records = engine.read_records(
            **{kind: engine.RecordsFile(name, content) for kind, (name, content) in files.items()}
        )
    except engine.RecordsError as error:
        errors = [_error(e) for e in error.errors]
        if error.more:
            errors.append({"file": "", "row": None, "column": "", "message": _more(error.more)})
        raise RecordsError(errors) from None
    on_progress(50)
    try:
        report = engine.check(
            records,
            calendar=engine.load_calendar(),
            rules=engine.load_rules(),
            minimum_wage=minimum_wage,
            comprehensive_hours_approved=comprehensive_hours_approved,
        )
    except engine.CalendarError as error:
        raise RecordsError(
            [{"file": "", "row": None, "column": "", "message": str(error)}]
        ) from None
    on_progress(90)
    return Result(
        violations=[
            Found(v.worker_ref or "", v.month or "", v.rule, _plain(v.figures), v.source)
            for v in report.violations
            if v.month is None or _month_in(v.month, period_start, period_end)
        ],
        indications=[
            Sign(i.code, int(i.figures.get("workers") or 0), "", _plain(i.figures))
            for i in report.indications
        ],
        workers=report.workers,
        rows=report.rows,
        months=[str(m) for m in report.months],
    )


QUOTED = re.compile("“[^”]*”")


def _error(error: engine.RowError) -> dict[str, Any]:
    """An error as stored. Any value quoted in a message gives way to “…”: a worker's own
    reference is only ever kept as its keyed hash, and a name typed in the wrong column must
    not be kept either; the row and column still point to the cell."""
    message = QUOTED.sub("“…”", error.message)
    return {
        "file": error.file,
        "row": error.row or None,
        "column": error.column,
        "message": message,
    }


def _more(count: int) -> str:
    return ngettext("… and %(count)d more problem.", "… and %(count)d more problems.", count) % {
        "count": count
    }


def _plain(figures: Any) -> dict[str, Any]:
    """Figures as JSON keeps them: decimals and dates as text."""
    return {
        str(k): v if isinstance(v, int | float | str) else str(v) for k, v in dict(figures).items()
    }
