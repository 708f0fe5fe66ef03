"""Signs of double books in a factory's records: indications to ask about, never findings.

Real time clocks give minutes that vary; a book written up afterwards for auditors shows the same
clock-in and clock-out day after day, or for the whole workforce on one day. And a payroll that
pays for more overtime than the attendance records show suggests the attendance shown is not the
one kept. The thresholds are StoneBridge defaults (rules data).
"""

from collections import Counter
from decimal import Decimal
from itertools import repeat
from math import ceil
from operator import add, floordiv, mod, mul

from stonebridge.assessments.records.report import (
    IDENTICAL_CLOCK_TIMES,
    PAID_OVERTIME_NOT_IN_ATTENDANCE,
    Indication,
)
from stonebridge.assessments.records.rows import ClockRecords
from stonebridge.assessments.records.rules import Rules

PAIRS = 1440 * 1441  # distinct (clock-in, clock-out) pairs, as one integer


def identical_times(
    clock: ClockRecords,
    wids: list[int],
    dids: list[int],
    worked: dict[int, int],
    span_days: int,
    rules: Rules,
) -> list[Indication]:
    """Workers whose records repeat the same minutes on most of their days, and days on which most
    workers clocked in and out at the same minutes. Counted on integer keys with C-level Counters:
    a year of records is a million rows."""
    pairs = list(map(add, map(mul, clock.clock_in, repeat(1441)), clock.clock_out))
    days_per_worker = Counter(map(floordiv, worked, repeat(span_days)))
    workers_per_day = Counter(map(mod, worked, repeat(span_days)))

    # A record "repeats" when its exact pair occurs on at least half of the worker's days.
    least = ceil(rules.identical_times_min_days / 2)
    records_per_worker = Counter(wids)
    repeated: Counter[int] = Counter()
    for key, count in Counter(map(add, map(mul, wids, repeat(PAIRS)), pairs)).items():
        if count >= least:
            wid = key // PAIRS
            if count * 2 >= days_per_worker[wid]:
                repeated[wid] += count
    share = float(rules.identical_times_worker_share)
    flagged_workers = sum(
        1
        for wid, count in repeated.items()
        if days_per_worker[wid] >= rules.identical_times_min_days
        and count >= share * records_per_worker[wid]
    )

    day_share = float(rules.identical_times_day_share)
    least = ceil(day_share * rules.identical_times_min_workers)
    top: dict[int, int] = {}
    for key, count in Counter(map(add, map(mul, dids, repeat(PAIRS)), pairs)).items():
        if count >= least:
            did = key // PAIRS
            top[did] = max(top.get(did, 0), count)
    flagged_days = sum(
        1
        for did, count in top.items()
        if workers_per_day[did] >= rules.identical_times_min_workers
        and count >= day_share * workers_per_day[did]
    )
    if not (flagged_workers or flagged_days):
        return []
    figures = {"workers": str(flagged_workers), "days": str(flagged_days)}
    return [Indication(code=IDENTICAL_CLOCK_TIMES, figures=figures)]


def paid_not_worked(worker_months: int, minutes: Decimal) -> list[Indication]:
    """Worker-months whose payroll pays for more overtime than attendance shows (found by the
    pay check, which works out the hours each payment stands for)."""
    if not worker_months:
        return []
    hours = (minutes / 60).quantize(Decimal("0.1")).normalize()
    return [
        Indication(
            code=PAID_OVERTIME_NOT_IN_ATTENDANCE,
            figures={"worker_months": str(worker_months), "hours": f"{hours:f}"},
        )
    ]
