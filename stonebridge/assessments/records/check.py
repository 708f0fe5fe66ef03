"""The wage-and-hours records check: a factory's own worker, attendance and payroll records
against Chinese labour law (DOMAIN.md, 'China: legal thresholds that checks can test').

Pure: records, the official calendar and the rules in; a `Report` out. No database, no clock —
the period checked is the period the records cover. Thresholds are data (`rules.py`), day types
come from the State Council's yearly calendar (`calendar.py`), so work on a make-up working day
is a normal workday and only the statutory days themselves are paid at 300 %.

Readings that are StoneBridge's own (labelled so in the rules data):
- a week is Monday to Sunday; a week worked on all seven days breaks the weekly rest only if the
  worker worked on one of the calendar's days off in it (the calendar's own make-up Saturdays
  and Sundays can make a seven-day week that the State Council ordered);
- a shift is counted on the day it began; the daily cap counts overtime on workdays; rest-day
  and holiday hours count towards the monthly cap;
- pay rules (overtime pay, minimum wage) apply to employees (regular and dispatched); interns
  fall under the internship rules instead (no overtime, no nights, no days off worked);
- under an approved comprehensive working-hours system the period is the calendar month: hours
  above the month's statutory total are overtime at 150 %, holiday hours 300 %, and the daily
  cap and weekly rest are not tested.

A year of a factory's records is a million clock rows, so the rows are worked through a column at
a time with integer keys (worker by day), and each worker-day once.
"""

from calendar import monthrange
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import compress, repeat
from operator import add, ge, mul, sub

from stonebridge.assessments.records import rules as r
from stonebridge.assessments.records.calendar import REST_DAY, WORKDAY, Calendar
from stonebridge.assessments.records.doublebooks import identical_times, paid_not_worked
from stonebridge.assessments.records.report import Report, Violation
from stonebridge.assessments.records.rows import DISPATCHED, INTERN, REGULAR, Records, Worker
from stonebridge.assessments.records.rules import Rules

CENT = Decimal("0.01")
DAY = 1440
KIND_CODES = {WORKDAY: 0, REST_DAY: 1}  # anything else: a statutory holiday, 2

Add = Callable[[str, str | None, str, dict[str, str]], None]


def hours_text(minutes: int | Decimal) -> str:
    """Minutes as hours for a person: 180 → '3', 150 → '2.5', 100 → '1.67'."""
    if isinstance(minutes, int):
        if minutes % 60 == 0:
            return str(minutes // 60)
        return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    value = (Decimal(minutes) / 60).quantize(CENT, ROUND_HALF_UP).normalize()
    return f"{value:f}"


def money_text(value: Decimal) -> str:
    return f"{value.quantize(CENT, ROUND_HALF_UP):f}"


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_months(day: date, months: int) -> date:
    """The same day some months later, or the month's last day (31 Jan + 1 → 28 or 29 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


class MonthTable:
    """Per worker and month, flat lists indexed by worker and month: minutes of overtime on
    workdays, rest days and holidays; workdays over the daily cap; the most workday overtime in
    a day; minutes on days that are not statutory holidays; days worked; days with overtime."""

    def __init__(self, workers: int, months: list[str]) -> None:
        self.months = months
        self.index = {month: i for i, month in enumerate(months)}
        size = workers * len(months)
        self.ot_workday = [0] * size
        self.ot_rest = [0] * size
        self.ot_holiday = [0] * size
        self.over_cap = [0] * size
        self.most = [0] * size
        self.non_holiday = [0] * size
        self.days = [0] * size
        self.ot_days = [0] * size

    def slot(self, worker: int, month: str) -> int | None:
        index = self.index.get(month)
        return None if index is None else worker * len(self.months) + index

    def overtime(self, slot: int) -> int:
        return self.ot_workday[slot] + self.ot_rest[slot] + self.ot_holiday[slot]


def check(
    records: Records,
    *,
    calendar: Calendar,
    rules: Rules,
    minimum_wage: Decimal | None,
    comprehensive_hours_approved: bool = False,
) -> Report:
    """Check the records; raises `CalendarError` for a date no shipped calendar covers."""
    workers = {worker.worker_ref: worker for worker in records.workers}
    refs_in_order = list(workers)
    worker_index = {ref: i for i, ref in enumerate(refs_in_order)}
    clock = records.attendance
    unique_days = set(clock.date)
    for day in unique_days:
        calendar.day_type(day)  # a clear error for a year that is not shipped
    first = min(unique_days) if unique_days else date(2000, 1, 3)
    last = max(unique_days) if unique_days else first
    span_days = (last - first).days + 1
    all_days = [first + timedelta(days=i) for i in range(span_days)]
    months = sorted({month_of(day) for day in all_days} if unique_days else set())
    table = MonthTable(len(workers), months)
    first_monday = first - timedelta(days=first.weekday())
    weeks = (last - first_monday).days // 7 + 1
    day_kind = [KIND_CODES.get(calendar.days[day], 2) for day in all_days] if unique_days else []
    day_month = [table.index[month_of(day)] for day in all_days] if unique_days else []
    day_week = [(day - first_monday).days // 7 for day in all_days]

    # Minutes worked per worker-day, keyed worker * span_days + day.
    day_number = {day: (day - first).days for day in unique_days}
    wids = list(map(worker_index.__getitem__, clock.worker_ref))
    dids = list(map(day_number.__getitem__, clock.date))
    spans = list(map(sub, clock.clock_out, clock.clock_in))
    if spans and min(spans) <= 0:
        spans = [span if span > 0 else span + DAY for span in spans]
    keys = list(map(add, map(mul, wids, repeat(span_days)), dids))
    worked: dict[int, int] = {}
    get = worked.get
    for key, minutes in zip(keys, map(sub, spans, clock.break_minutes), strict=True):
        worked[key] = get(key, 0) + minutes

    interns = {worker_index[ref] for ref, w in workers.items() if w.employment_type == INTERN}
    young = {
        worker_index[ref]: worker.birth_date
        for ref, worker in workers.items()
        if unique_days and add_months(worker.birth_date, 12 * rules.adult_age) > first
    }
    youth: dict[int, list[int]] = {}  # slot → youngest age, days worked
    week_days = [0] * (len(workers) * weeks)
    week_off = [0] * (len(workers) * weeks)
    standard, cap, month_count = (
        rules.standard_day_minutes,
        rules.daily_overtime_cap_minutes,
        len(months),
    )
    ot_workday, ot_rest, ot_holiday = table.ot_workday, table.ot_rest, table.ot_holiday
    over_cap, most, non_holiday, days_worked, ot_days = (
        table.over_cap, table.most, table.non_holiday, table.days, table.ot_days,
    )  # fmt: skip
    for key, minutes in worked.items():
        wid, did = divmod(key, span_days)
        slot = wid * month_count + day_month[did]
        week_slot = wid * weeks + day_week[did]
        days_worked[slot] += 1
        week_days[week_slot] += 1
        kind = day_kind[did]
        if kind == 0:
            non_holiday[slot] += minutes
            overtime = minutes - standard
            if overtime > 0:
                ot_workday[slot] += overtime
                ot_days[slot] += 1
                if overtime > cap:
                    over_cap[slot] += 1
                if overtime > most[slot]:
                    most[slot] = overtime
        else:
            week_off[week_slot] += 1
            ot_days[slot] += 1
            if kind == 1:
                ot_rest[slot] += minutes
                non_holiday[slot] += minutes
            else:
                ot_holiday[slot] += minutes
        if wid in young:
            age = age_on(young[wid], all_days[did])
            if age < rules.adult_age:
                entry = youth.setdefault(slot, [age, 0])
                entry[0] = min(entry[0], age)
                entry[1] += 1

    violations: list[Violation] = []

    def add_violation(ref: str, month: str | None, rule: str, figures: dict[str, str]) -> None:
        violations.append(
            Violation(ref, month, rule, figures, rules.sources[rule], rules.issues[rule])
        )

    for slot in range(len(days_worked)):
        if not days_worked[slot]:
            continue
        wid, month_number = divmod(slot, month_count)
        ref, month = refs_in_order[wid], months[month_number]
        # Interns may not work beyond the standard day nor on days off, whatever the hours system.
        if wid in interns and ot_days[slot]:
            add_violation(ref, month, r.INTERN_OVERTIME, {
                "hours": hours_text(table.overtime(slot)), "days": str(ot_days[slot]),
            })  # fmt: skip
        if comprehensive_hours_approved:
            statutory = calendar.workdays(int(month[:4]), int(month[5:])) * standard
            ot_workday[slot] = max(0, non_holiday[slot] - statutory)
            ot_rest[slot] = over_cap[slot] = 0
        if over_cap[slot]:
            add_violation(ref, month, r.DAILY_OVERTIME_CAP, {
                "days": str(over_cap[slot]),
                "most_hours": hours_text(most[slot]),
                "cap_hours": hours_text(cap),
            })  # fmt: skip
        if table.overtime(slot) > rules.monthly_overtime_cap_minutes:
            add_violation(ref, month, r.MONTHLY_OVERTIME_CAP, {
                "overtime_hours": hours_text(table.overtime(slot)),
                "cap_hours": hours_text(rules.monthly_overtime_cap_minutes),
            })  # fmt: skip

    _intern_nights(clock.clock_in, spans, wids, dids, interns, all_days, refs_in_order, rules,
                   add_violation)  # fmt: skip
    if not comprehensive_hours_approved:
        _weekly_rest(week_days, week_off, weeks, first_monday, refs_in_order, add_violation)
    for slot, (age, days) in youth.items():
        wid, month_number = divmod(slot, month_count)
        ref = refs_in_order[wid]
        if age < rules.minimum_age:
            add_violation(ref, months[month_number], r.CHILD_LABOUR, {
                "age": str(age), "days": str(days), "minimum_age": str(rules.minimum_age),
            })  # fmt: skip
        elif rules.hazard(workers[ref].post) is not None:
            add_violation(ref, months[month_number], r.JUVENILE_HAZARD, {
                "age": str(age), "days": str(days), "post": workers[ref].post,
            })  # fmt: skip

    paid_excess = _pay(records, workers, worker_index, table, rules, minimum_wage, add_violation)
    _contracts(records, workers, (first, last) if unique_days else None, rules, add_violation)
    _dispatch(workers, rules, add_violation)

    indications = identical_times(clock, wids, dids, worked, span_days, rules)
    indications += paid_not_worked(*paid_excess)
    order = {code: index for index, code in enumerate(r.RULE_CODES)}
    violations.sort(key=lambda v: (v.worker_ref, v.month or "", order[v.rule]))
    return Report(
        violations=tuple(violations),
        indications=tuple(indications),
        workers=len(workers),
        rows=len(clock),
        months=sorted(set(months) | {row.month for row in records.payroll}),
    )


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _intern_nights(
    clock_in: list[int],
    spans: list[int],
    wids: list[int],
    dids: list[int],
    interns: set[int],
    all_days: list[date],
    refs: list[str],
    rules: Rules,
    add_violation: Add,
) -> None:
    """Interns' shifts that touch the night window (a StoneBridge default), per month."""
    if not interns:
        return
    start, end = rules.intern_night_start_minute, rules.intern_night_end_minute
    if end <= start:
        end += DAY
    windows = [(start + shift, end + shift) for shift in (-DAY, 0, DAY)]
    nights: dict[tuple[int, str], set[int]] = {}
    for row in [i for i, wid in enumerate(wids) if wid in interns]:
        begin = clock_in[row]
        finish = begin + spans[row]
        if any(
            begin < window_end and finish > window_start for window_start, window_end in windows
        ):
            day = all_days[dids[row]]
            nights.setdefault((wids[row], month_of(day)), set()).add(dids[row])
    for (wid, month), days in sorted(nights.items()):
        add_violation(refs[wid], month, r.INTERN_NIGHT, {
            "nights": str(len(days)),
            "night_start": _clock(rules.intern_night_start_minute),
            "night_end": _clock(rules.intern_night_end_minute),
        })  # fmt: skip


def _weekly_rest(
    week_days: list[int],
    week_off: list[int],
    weeks: int,
    first_monday: date,
    refs: list[str],
    add_violation: Add,
) -> None:
    """Weeks worked on all seven days, one of them a day off by the calendar; reported in the
    month of the week's Sunday."""
    found: dict[tuple[int, str], list[date]] = {}
    for slot in compress(range(len(week_days)), map(ge, week_days, repeat(7))):
        if week_off[slot]:
            wid, week = divmod(slot, weeks)
            monday = first_monday + timedelta(days=7 * week)
            found.setdefault((wid, month_of(monday + timedelta(days=6))), []).append(monday)
    for (wid, month), mondays in found.items():
        add_violation(refs[wid], month, r.NO_WEEKLY_REST, {
            "weeks": str(len(mondays)), "first_week": min(mondays).isoformat(),
        })  # fmt: skip


def _pay(
    records: Records,
    workers: dict[str, Worker],
    worker_index: dict[str, int],
    table: MonthTable,
    rules: Rules,
    minimum_wage: Decimal | None,
    add: Add,
) -> tuple[int, Decimal]:
    """Overtime pay and the minimum wage, for employees; returns the worker-months whose payroll
    pays for more overtime than attendance shows, and the excess minutes."""
    tolerance = rules.pay_tolerance
    excess_months, excess_minutes = 0, Decimal(0)
    for row in records.payroll:
        worker = workers[row.worker_ref]
        if worker.employment_type not in (REGULAR, DISPATCHED):
            continue
        slot = table.slot(worker_index[row.worker_ref], row.month)
        base = row.base_wage
        if minimum_wage is not None and rules.overtime_base_not_below_minimum_wage:
            base = max(base, minimum_wage)
        hourly = base / rules.hours_per_month
        kinds = (
            (r.OVERTIME_PAY_WORKDAY, table.ot_workday, rules.multiplier_workday,
             row.overtime_pay_workday),
            (r.OVERTIME_PAY_RESTDAY, table.ot_rest, rules.multiplier_restday,
             row.overtime_pay_restday),
            (r.OVERTIME_PAY_HOLIDAY, table.ot_holiday, rules.multiplier_holiday,
             row.overtime_pay_holiday),
        )  # fmt: skip
        paid_minutes = Decimal(0)
        for rule, column, multiplier, paid in kinds:
            minutes = 0 if slot is None else column[slot]
            if hourly > 0:
                paid_minutes += paid / (hourly * multiplier) * 60
            if not minutes:
                continue
            due = (Decimal(minutes) / 60 * hourly * multiplier).quantize(CENT, ROUND_HALF_UP)
            if paid + tolerance < due:
                add(row.worker_ref, row.month, rule, {
                    "hours": hours_text(minutes), "due": money_text(due), "paid": money_text(paid),
                    "rate_percent": f"{(multiplier * 100).normalize():f}",
                })  # fmt: skip
        excess = paid_minutes - (0 if slot is None else table.overtime(slot))
        if excess > rules.paid_hours_tolerance * 60:
            excess_months += 1
            excess_minutes += excess
        if minimum_wage is None:
            continue
        first = date(int(row.month[:4]), int(row.month[5:]), 1)
        if rules.minimum_wage_full_months_only and worker.hire_date > first:
            continue
        pay = row.total_pay - row.overtime_pay
        if pay + tolerance < minimum_wage:
            add(row.worker_ref, row.month, r.MINIMUM_WAGE, {
                "pay": money_text(pay), "minimum": money_text(minimum_wage),
            })  # fmt: skip
    return excess_months, excess_minutes


def _contracts(
    records: Records,
    workers: dict[str, Worker],
    clock_period: tuple[date, date] | None,
    rules: Rules,
    add: Add,
) -> None:
    """A regular worker without a written contract past its deadline on some day of the period.
    Interns sign internship agreements; dispatched workers' contracts are with the agency."""
    if clock_period is None and not records.payroll:
        return
    if clock_period is None:  # no clock records: the whole payroll months
        paid = sorted(row.month for row in records.payroll)
        start = date(int(paid[0][:4]), int(paid[0][5:]), 1)
        end = add_months(date(int(paid[-1][:4]), int(paid[-1][5:]), 1), 1) - timedelta(days=1)
    else:
        start, end = clock_period
    for ref, worker in workers.items():
        if worker.employment_type != REGULAR:
            continue
        deadline = add_months(worker.hire_date, rules.contract_within_months)
        signed = worker.contract_signed_date
        if deadline < end and (signed is None or signed > max(deadline, start)):
            add(ref, None, r.NO_CONTRACT, {
                "hired": worker.hire_date.isoformat(),
                "deadline": deadline.isoformat(),
                "signed": signed.isoformat() if signed else "",
            })  # fmt: skip


def _dispatch(workers: dict[str, Worker], rules: Rules, add: Add) -> None:
    """Dispatched workers as a share of contract staff plus dispatched (interns not counted)."""
    types = Counter(worker.employment_type for worker in workers.values())
    total = types[REGULAR] + types[DISPATCHED]
    if not total:
        return
    share = Decimal(types[DISPATCHED]) / total
    if share > rules.dispatch_share_max:
        add("", None, r.DISPATCH_SHARE, {
            "dispatched": str(types[DISPATCHED]),
            "total": str(total),
            "share_percent": f"{(share * 100).quantize(Decimal('0.1'), ROUND_HALF_UP):f}",
            "maximum_percent": f"{(rules.dispatch_share_max * 100).normalize():f}",
        })  # fmt: skip
