"""Signs of double books in a factory's records: indications to ask about, never findings.

Real time clocks give minutes that vary; a book written up afterwards for auditors shows the same
clock-in and clock-out day after day, or for the whole workforce on one day. And a payroll that
pays for more overtime than the attendance records show suggests the attendance shown is not the
one kept. The thresholds are StoneBridge defaults (rules data).
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import compress, repeat
from math import ceil
from operator import add, floordiv, ge, mod, mul

from stonebridge.assessments.records.report import (
    IDENTICAL_CLOCK_TIMES,
    PAID_OVERTIME_NOT_IN_ATTENDANCE,
    Indication,
)
from stonebridge.assessments.records.rows import ClockRecords
from stonebridge.assessments.records.rules import Rules

PAIRS = 1440 * 1441  # distinct (clock-in, clock-out) pairs, as one integer


def frequent(counts: Counter[int], least: int) -> Iterator[tuple[int, int]]:
    """The counted keys that occur at least `least` times, filtered at C speed: with real clock
    data nearly every (worker, minutes) pair is distinct."""
    return compress(counts.items(), map(ge, counts.values(), repeat(least)))


def counted(
    groups: list[int], values: Iterable[int], base: int, least: int
) -> Iterator[tuple[int, int]]:
    """(group, count) for each value found at least `least` times within its group."""
    keys = map(add, map(mul, groups, repeat(base)), values)
    for key, count in frequent(Counter(keys), least):
        yield key // base, count


def identical_times(
    clock: ClockRecords,
    wids: list[int],
    dids: list[int],
    worked: dict[int, int],
    span_days: int,
    rules: Rules,
) -> list[Indication]:
    """Workers whose records repeat the same minutes on most of their days, and days on which most
    workers clocked in and out at the same minutes. Counted on integer keys with C-level Counters,
    first on the clock-in minute alone (few distinct values), then on the exact pair of minutes
    for the workers and days that the first count leaves in doubt: a year of records is a million
    rows, and nearly every pair of a real clock's minutes is distinct."""
    days_per_worker = Counter(map(floordiv, worked, repeat(span_days)))
    workers_per_day = Counter(map(mod, worked, repeat(span_days)))
    records_per_worker = Counter(wids)
    share = float(rules.identical_times_worker_share)
    # A record "repeats" when its minutes occur on at least half of the worker's days.
    least = ceil(rules.identical_times_min_days / 2)

    def repeating_workers(groups: list[int], values: Iterable[int], base: int) -> set[int]:
        repeated: Counter[int] = Counter()
        for wid, count in counted(groups, values, base, least):
            if count * 2 >= days_per_worker[wid]:
                repeated[wid] += count
        return {
            wid
            for wid, count in repeated.items()
            if days_per_worker[wid] >= rules.identical_times_min_days
            and count >= share * records_per_worker[wid]
        }

    day_share = float(rules.identical_times_day_share)
    day_least = ceil(day_share * rules.identical_times_min_workers)

    def same_minute_days(groups: list[int], values: Iterable[int], base: int) -> set[int]:
        top: dict[int, int] = {}
        for did, count in counted(groups, values, base, day_least):
            top[did] = max(top.get(did, 0), count)
        return {
            did
            for did, count in top.items()
            if workers_per_day[did] >= rules.identical_times_min_workers
            and count >= day_share * workers_per_day[did]
        }

    def pairs_of(groups: list[int], candidates: set[int]) -> tuple[list[int], Iterator[int]]:
        keep = list(map(candidates.__contains__, groups))
        pairs = map(
            add,
            map(mul, compress(clock.clock_in, keep), repeat(1441)),
            compress(clock.clock_out, keep),
        )
        return list(compress(groups, keep)), pairs

    workers = repeating_workers(wids, clock.clock_in, 1440)
    if workers:
        workers = repeating_workers(*pairs_of(wids, workers), PAIRS)
    days = same_minute_days(dids, clock.clock_in, 1440)
    if days:
        days = same_minute_days(*pairs_of(dids, days), PAIRS)
    if not (workers or days):
        return []
    figures = {"workers": str(len(workers)), "days": str(len(days))}
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
