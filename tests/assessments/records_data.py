"""A hand-made month of records (March 2026: no statutory holiday, weekends Saturday and
Sunday) for five workers, whose violations a person can count:

- W001 王建国, adult, contract, Monday to Friday 08:00–17:00 with an hour's break, paid 3,000:
  nothing wrong.
- W002 林秀英, like W001 but no contract signed since starting in June 2025: NO_CONTRACT.
- W003 陈志明, like W001 but also every Saturday (4 Saturdays × 8 h = 32 h of rest-day overtime,
  within the 36 h cap, still a rest day every Sunday) and paid no overtime for it:
  OVERTIME_PAY_RESTDAY.
- W004 张丽华, born 1 August 2010, 15 years old: CHILD_LABOUR.
- W005 刘海涛, like W001 but paid 1,800 a month, below the minimum wage of 2,265:
  MINIMUM_WAGE.
"""

import csv
import io
from datetime import date, timedelta

MINIMUM_WAGE = "2265"
NAMES = {"W001": "王建国", "W002": "林秀英", "W003": "陈志明", "W004": "张丽华", "W005": "刘海涛"}
EXPECTED = {
    ("W002", "NO_CONTRACT"),
    ("W003", "OVERTIME_PAY_RESTDAY"),
    ("W004", "CHILD_LABOUR"),
    ("W005", "MINIMUM_WAGE"),
}
MARCH = [date(2026, 3, 1) + timedelta(days=n) for n in range(31)]


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def workers() -> bytes:
    contract = "2024-01-05"
    return _csv(
        [
            "worker_ref",
            "name",
            "birth_date",
            "hire_date",
            "contract_signed_date",
            "employment_type",
            "post",
        ],
        [
            ["W001", NAMES["W001"], "1985-04-02", "2024-01-02", contract, "regular", "sawing"],
            ["W002", NAMES["W002"], "1990-07-11", "2025-06-01", "", "regular", "sawing"],
            ["W003", NAMES["W003"], "1979-11-23", "2024-01-02", contract, "regular", "sawing"],
            ["W004", NAMES["W004"], "2010-08-01", "2025-12-01", "2025-12-01", "regular", "packing"],
            ["W005", NAMES["W005"], "1988-02-14", "2024-01-02", contract, "regular", "packing"],
        ],
    )


def attendance() -> bytes:
    rows: list[list[object]] = []
    for ref in NAMES:
        for day in MARCH:
            weekday = day.weekday()
            if weekday < 5 or (ref == "W003" and weekday == 5):
                # Minutes apart per worker, so that no double-books sign hides what is counted.
                minute = list(NAMES).index(ref)
                rows.append([ref, day.isoformat(), f"08:0{minute}", f"17:0{minute}", 60])
    return _csv(["worker_ref", "date", "clock_in", "clock_out", "break_minutes"], rows)


def payroll() -> bytes:
    pay = {"W001": 3000, "W002": 3000, "W003": 3000, "W004": 3000, "W005": 1800}
    return _csv(
        [
            "worker_ref",
            "month",
            "base_wage",
            "overtime_pay_workday",
            "overtime_pay_restday",
            "overtime_pay_holiday",
            "total_pay",
        ],
        [[ref, "2026-03", amount, 0, 0, 0, amount] for ref, amount in pay.items()],
    )
