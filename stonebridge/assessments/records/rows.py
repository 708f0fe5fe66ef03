"""The records as typed rows, after reading and before checking.

Names are never kept: the reader accepts a name column (templates have one, factories' exports
do) and drops it. Clock times are minutes after midnight; a clock-out earlier than the clock-in
is the next morning (a night shift), counted on the day the shift began.
"""

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
    """One clock record. A tuple, because a year of a factory's records is a million of them."""

    worker_ref: str
    date: date
    clock_in: int  # minutes after midnight, 0-1439
    clock_out: int  # minutes after midnight; earlier than clock_in means the next day
    break_minutes: int


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
    attendance: list[Attendance]
    payroll: tuple[Payroll, ...]
