"""The records as typed rows, after reading and before checking.

Names are never kept: the reader accepts a name column (templates have one, factories' exports
do) and drops it. Clock times are minutes after midnight; a clock-out earlier than the clock-in
is the next morning (a night shift), counted on the day the shift began.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

REGULAR = "regular"
INTERN = "intern"
DISPATCHED = "dispatched"
EMPLOYMENT_TYPES = (REGULAR, INTERN, DISPATCHED)


@dataclass(frozen=True)
class Worker:
    worker_ref: str
    birth_date: date
    hire_date: date
    contract_signed_date: date | None
    employment_type: str  # one of EMPLOYMENT_TYPES
    post: str


class Attendance(NamedTuple):
    """One clock record."""

    worker_ref: str
    date: date
    clock_in: int  # minutes after midnight, 0-1439
    clock_out: int  # minutes after midnight; earlier than clock_in means the next day
    break_minutes: int


@dataclass(frozen=True)
class ClockRecords:
    """The clock records by column: a year of a factory's records is a million rows, which the
    check reads a column at a time. Iterating gives `Attendance` rows."""

    worker_ref: list[str]
    date: list[date]
    clock_in: list[int]
    clock_out: list[int]
    break_minutes: list[int]

    @classmethod
    def from_rows(cls, rows: Iterable[Attendance]) -> "ClockRecords":
        listed = list(rows)
        return cls(
            worker_ref=[row.worker_ref for row in listed],
            date=[row.date for row in listed],
            clock_in=[row.clock_in for row in listed],
            clock_out=[row.clock_out for row in listed],
            break_minutes=[row.break_minutes for row in listed],
        )

    def __len__(self) -> int:
        return len(self.worker_ref)

    def __iter__(self) -> Iterator[Attendance]:
        return map(
            Attendance,
            self.worker_ref,
            self.date,
            self.clock_in,
            self.clock_out,
            self.break_minutes,
        )


@dataclass(frozen=True)
class Payroll:
    worker_ref: str
    month: str  # "2026-05"
    base_wage: Decimal
    overtime_pay_workday: Decimal
    overtime_pay_restday: Decimal
    overtime_pay_holiday: Decimal
    total_pay: Decimal

    @property
    def overtime_pay(self) -> Decimal:
        return self.overtime_pay_workday + self.overtime_pay_restday + self.overtime_pay_holiday


@dataclass(frozen=True)
class Records:
    workers: tuple[Worker, ...]
    attendance: ClockRecords
    payroll: tuple[Payroll, ...]
