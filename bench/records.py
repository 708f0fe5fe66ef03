"""The wage-and-hours records check at a year's scale: 1,000,000 clock records for 2,000 workers
over 2026, as CSV, read and checked end to end; compared with a plain polars read and group-by
of the same file in the same run."""

import csv
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from stonebridge.assessments.records import check, load_calendar, load_rules, read_records

Emit = Callable[[str, float, str, int, str], None]

WORKERS = 2000
RECORDS_PER_WORKER = 500  # 310 working days, 190 of them split by a lunch break


def write_files(directory: Path, rng: random.Random) -> tuple[Path, Path, Path]:
    workers, attendance, payroll = (
        directory / "workers.csv",
        directory / "attendance.csv",
        directory / "payroll.csv",
    )
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    with workers.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["worker_ref", "name", "birth_date", "hire_date", "contract_signed_date",
                         "employment_type", "post"])  # fmt: skip
        for n in range(WORKERS):
            kind = "intern" if n % 50 == 0 else "dispatched" if n % 12 == 0 else "regular"
            signed = "" if n % 97 == 0 else "2024-03-05"
            writer.writerow([f"W{n:05d}", "工人", f"{1970 + n % 35}-04-12", "2024-03-01",
                             signed, kind, "抛光" if n % 7 == 0 else "切割"])  # fmt: skip
    with attendance.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["worker_ref", "date", "clock_in", "clock_out", "break_minutes"])
        for n in range(WORKERS):
            ref = f"W{n:05d}"
            worked = sorted(rng.sample(range(365), 310))
            split = set(rng.sample(worked, RECORDS_PER_WORKER - 310))
            for index in worked:
                day = days[index].isoformat()
                start = 7 * 60 + 30 + rng.randrange(40)
                if index in split:
                    writer.writerow([ref, day, f"{start // 60:02d}:{start % 60:02d}",
                                     f"12:{rng.randrange(10):02d}", 0])  # fmt: skip
                    end = 17 * 60 + rng.randrange(240)
                    writer.writerow([ref, day, f"13:{rng.randrange(10):02d}",
                                     f"{end // 60:02d}:{end % 60:02d}", 0])  # fmt: skip
                else:
                    end = 17 * 60 + rng.randrange(300)
                    writer.writerow([ref, day, f"{start // 60:02d}:{start % 60:02d}",
                                     f"{end // 60:02d}:{end % 60:02d}", 60])  # fmt: skip
    with payroll.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["worker_ref", "month", "base_wage", "overtime_pay_workday",
                         "overtime_pay_restday", "overtime_pay_holiday", "total_pay"])  # fmt: skip
        for n in range(WORKERS):
            for month in range(1, 13):
                writer.writerow([f"W{n:05d}", f"2026-{month:02d}", "2400", "600", "300", "0",
                                 "3300"])  # fmt: skip
    return workers, attendance, payroll


def records(emit: Emit) -> None:
    import polars as pl  # a development dependency, for the comparison only

    with tempfile.TemporaryDirectory() as directory:
        measure(emit, pl, *write_files(Path(directory), random.Random(15)))


def measure(emit: Emit, pl: Any, workers: Path, attendance: Path, payroll: Path) -> None:
    n = WORKERS * RECORDS_PER_WORKER
    calendar, rules = load_calendar(), load_rules()

    start, cpu = time.perf_counter(), time.process_time()
    found = read_records(workers=workers, attendance=attendance, payroll=payroll)
    report = check(found, calendar=calendar, rules=rules, minimum_wage=Decimal("2195"))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert report.rows == n, report.rows

    start = time.perf_counter()
    grouped = (
        pl.read_csv(attendance)
        .group_by("worker_ref", "date")
        .agg(pl.len(), pl.col("break_minutes").sum())
    )
    plain = time.perf_counter() - start
    assert grouped.height > 0

    ratio = plain / seconds
    emit(
        "assessments.records_rows_per_s",
        n / seconds,
        "rows/s",
        n,
        f"target: {n:,} clock records (CSV) read and checked in < 5 s, took {seconds:.2f} s "
        f"({cpu:.2f} s of CPU); "
        f"plain polars read + group-by of the same file: {n / plain:.0f} rows/s "
        f"(ratio {ratio:.3f}; {len(report.violations)} violations)",
    )
    emit(
        "assessments.records_ratio_to_polars",
        ratio,
        "ratio",
        n,
        "records check rows/s ÷ polars read + group-by rows/s, same file, same run "
        "(no target; polars parses in parallel and checks nothing)",
    )
