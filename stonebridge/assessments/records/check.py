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
- the daily cap counts overtime on workdays; rest-day and holiday hours count towards the
  monthly cap;
- pay rules (overtime pay, minimum wage) apply to employees (regular and dispatched); interns
  fall under the internship rules instead (no overtime, no nights);
- under an approved comprehensive working-hours system the period is the calendar month: hours
  above the month's statutory total are overtime at 150 %, holiday hours 300 %, and the daily
  cap and weekly rest are not tested.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

from stonebridge.assessments.records import rules as r
from stonebridge.assessments.records.calendar import REST_DAY, WORKDAY, Calendar
from stonebridge.assessments.records.report import (
    IDENTICAL_CLOCK_TIMES,
    PAID_OVERTIME_NOT_IN_ATTENDANCE,
    Indication,
    Report,
    Violation,
)
from stonebridge.assessments.records.rows import (
    DISPATCHED,
    INTERN,
    REGULAR,
    Attendance,
    Records,
    Worker,
)
from stonebridge.assessments.records.rules import Rules

CENT = Decimal("0.01")
DAY = 1440

# Per worker and month: minutes of overtime on workdays, rest days and holidays, workdays over
# the daily cap, the most workday overtime on one day, minutes worked on days that are not
# statutory holidays (for the comprehensive system), days worked, days with overtime or worked off.
OT_WORKDAY, OT_REST, OT_HOLIDAY, OVER_CAP, MOST, NON_HOLIDAY, DAYS, OT_DAYS = range(8)


def hours_text(minutes: int | Decimal) -> str:
    value = (Decimal(minutes) / 60).quantize(CENT, ROUND_HALF_UP).normalize()
    return f"{value:f}"


def money_text(value: Decimal) -> str:
    return f"{value.quantize(CENT, ROUND_HALF_UP):f}"


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


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
    attendance = records.attendance
    day_types = calendar.days
    dates = set(map(itemgetter(1), attendance))
    for day in dates:
        calendar.day_type(day)  # a clear error for a year that is not shipped
    first_day = min(dates) if dates else date.max

    # Minutes worked per worker and day, a shift counted on the day it began.
    worked: dict[tuple[str, date], int] = {}
    interns = {ref for ref, worker in workers.items() if worker.employment_type == INTERN}
    night_days: dict[tuple[str, str], set[date]] = defaultdict(set)
    night_windows = _night_windows(rules)
    get = worked.get
    for ref, day, clock_in, clock_out, break_minutes in attendance:
        span = clock_out - clock_in
        if span <= 0:
            span += DAY
        key = (ref, day)
        worked[key] = get(key, 0) + span - break_minutes
        if ref in interns and any(
            clock_in < end and clock_in + span > start for start, end in night_windows
        ):
            night_days[(ref, f"{day.year:04d}-{day.month:02d}")].add(day)

    months_of: dict[date, str] = {}
    weeks_of: dict[date, date] = {}
    month_stats: dict[tuple[str, str], list[int]] = {}
    weeks: dict[tuple[str, date], list[int]] = {}  # days worked, days off worked
    young = {
        ref: worker
        for ref, worker in workers.items()
        if add_months(worker.birth_date, 12 * rules.adult_age) > first_day
    }
    youth_days: dict[tuple[str, str], list[int]] = {}  # youngest age, days
    standard = rules.standard_day_minutes
    cap = rules.daily_overtime_cap_minutes
    for (ref, day), minutes in worked.items():
        month = months_of.get(day)
        if month is None:
            month = months_of[day] = f"{day.year:04d}-{day.month:02d}"
            weeks_of[day] = day - timedelta(days=day.weekday())
        stats = month_stats.get((ref, month))
        if stats is None:
            stats = month_stats[(ref, month)] = [0, 0, 0, 0, 0, 0, 0, 0]
        stats[DAYS] += 1
        kind = day_types[day]
        if kind == WORKDAY:
            overtime = minutes - standard
            stats[NON_HOLIDAY] += minutes
            if overtime > 0:
                stats[OT_WORKDAY] += overtime
                stats[OT_DAYS] += 1
                if overtime > cap:
                    stats[OVER_CAP] += 1
                if overtime > stats[MOST]:
                    stats[MOST] = overtime
        elif kind == REST_DAY:
            stats[OT_REST] += minutes
            stats[NON_HOLIDAY] += minutes
            stats[OT_DAYS] += 1
        else:
            stats[OT_HOLIDAY] += minutes
            stats[OT_DAYS] += 1
        week_key = (ref, weeks_of[day])
        week = weeks.get(week_key)
        if week is None:
            week = weeks[week_key] = [0, 0]
        week[0] += 1
        if kind != WORKDAY:
            week[1] += 1
        if ref in young:
            age = age_on(young[ref].birth_date, day)
            if age < rules.adult_age:
                entry = youth_days.setdefault((ref, month), [age, 0])
                entry[0] = min(entry[0], age)
                entry[1] += 1

    violations: list[Violation] = []

    def add(ref: str, month: str | None, rule: str, figures: dict[str, str]) -> None:
        violations.append(
            Violation(
                worker_ref=ref,
                month=month,
                rule=rule,
                figures=figures,
                source=rules.sources[rule],
                issue=rules.issues[rule],
            )
        )

    # Interns may not work beyond the standard day nor on days off, whatever the hours system.
    for (ref, month), stats in month_stats.items():
        if ref in interns and stats[OT_DAYS]:
            add(ref, month, r.INTERN_OVERTIME, {
                "hours": hours_text(stats[OT_WORKDAY] + stats[OT_REST] + stats[OT_HOLIDAY]),
                "days": str(stats[OT_DAYS]),
            })  # fmt: skip

    if comprehensive_hours_approved:
        for (_ref, month), stats in month_stats.items():
            year, number = int(month[:4]), int(month[5:])
            statutory = calendar.workdays(year, number) * standard
            stats[OT_WORKDAY] = max(0, stats[NON_HOLIDAY] - statutory)
            stats[OT_REST] = 0
            stats[OVER_CAP] = 0

    for (ref, month), stats in month_stats.items():
        if stats[OVER_CAP]:
            add(ref, month, r.DAILY_OVERTIME_CAP, {
                "days": str(stats[OVER_CAP]),
                "most_hours": hours_text(stats[MOST]),
                "cap_hours": hours_text(cap),
            })  # fmt: skip
        overtime = stats[OT_WORKDAY] + stats[OT_REST] + stats[OT_HOLIDAY]
        if overtime > rules.monthly_overtime_cap_minutes:
            add(ref, month, r.MONTHLY_OVERTIME_CAP, {
                "overtime_hours": hours_text(overtime),
                "cap_hours": hours_text(rules.monthly_overtime_cap_minutes),
            })  # fmt: skip
    for (ref, month), nights in sorted(night_days.items()):
        add(ref, month, r.INTERN_NIGHT, {
            "nights": str(len(nights)),
            "night_start": _clock(rules.intern_night_start_minute),
            "night_end": _clock(rules.intern_night_end_minute),
        })  # fmt: skip

    if not comprehensive_hours_approved:
        rest_weeks: dict[tuple[str, str], list[date]] = defaultdict(list)
        for (ref, monday), (days_worked, days_off_worked) in weeks.items():
            if days_worked >= 7 and days_off_worked:
                sunday = monday + timedelta(days=6)
                rest_weeks[(ref, f"{sunday.year:04d}-{sunday.month:02d}")].append(monday)
        for (ref, month), mondays in rest_weeks.items():
            add(ref, month, r.NO_WEEKLY_REST, {
                "weeks": str(len(mondays)),
                "first_week": min(mondays).isoformat(),
            })  # fmt: skip

    for (ref, month), (age, days) in youth_days.items():
        worker = workers[ref]
        if age < rules.minimum_age:
            add(ref, month, r.CHILD_LABOUR, {
                "age": str(age), "days": str(days), "minimum_age": str(rules.minimum_age),
            })  # fmt: skip
        elif rules.hazard(worker.post) is not None:
            add(ref, month, r.JUVENILE_HAZARD, {
                "age": str(age), "days": str(days), "post": worker.post,
            })  # fmt: skip

    paid_excess = _pay(records, workers, month_stats, rules, minimum_wage, add)
    _contracts(records, workers, dates, rules, add)
    _dispatch(workers, rules, add)

    indications = _identical_times(attendance, worked, rules)
    if paid_excess[0]:
        indications.append(
            Indication(
                code=PAID_OVERTIME_NOT_IN_ATTENDANCE,
                figures={"worker_months": str(paid_excess[0]), "hours": hours_text(paid_excess[1])},
            )
        )
    order = {code: index for index, code in enumerate(r.RULE_CODES)}
    violations.sort(key=lambda v: (v.worker_ref, v.month or "", order[v.rule]))
    months = sorted(set(months_of.values()) | {row.month for row in records.payroll})
    return Report(
        violations=tuple(violations),
        indications=tuple(indications),
        workers=len(workers),
        rows=len(attendance),
        months=months,
    )


Add = Callable[[str, str | None, str, dict[str, str]], None]


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _night_windows(rules: Rules) -> list[tuple[int, int]]:
    """The night window as minute intervals around a shift that starts on day 0 and may run
    into day 1."""
    start, end = rules.intern_night_start_minute, rules.intern_night_end_minute
    if end <= start:
        end += DAY
    return [(start + shift, end + shift) for shift in (-DAY, 0, DAY)]


def _pay(
    records: Records,
    workers: dict[str, Worker],
    month_stats: dict[tuple[str, str], list[int]],
    rules: Rules,
    minimum_wage: Decimal | None,
    add: Add,
) -> tuple[int, Decimal]:
    """Overtime pay and the minimum wage, for employees; returns the worker-months whose payroll
    pays for more overtime than attendance shows, and the excess minutes."""
    tolerance = rules.pay_tolerance
    zero = [0] * 8
    excess_months, excess_minutes = 0, Decimal(0)
    for row in records.payroll:
        worker = workers[row.worker_ref]
        if worker.employment_type not in (REGULAR, DISPATCHED):
            continue
        stats = month_stats.get((row.worker_ref, row.month), zero)
        base = row.base_wage
        if minimum_wage is not None and rules.overtime_base_not_below_minimum_wage:
            base = max(base, minimum_wage)
        hourly = base / rules.hours_per_month
        kinds = (
            (r.OVERTIME_PAY_WORKDAY, OT_WORKDAY, rules.multiplier_workday,
             row.overtime_pay_workday),
            (r.OVERTIME_PAY_RESTDAY, OT_REST, rules.multiplier_restday, row.overtime_pay_restday),
            (r.OVERTIME_PAY_HOLIDAY, OT_HOLIDAY, rules.multiplier_holiday,
             row.overtime_pay_holiday),
        )  # fmt: skip
        paid_minutes = Decimal(0)
        for rule, index, multiplier, paid in kinds:
            minutes = stats[index]
            if hourly > 0:
                paid_minutes += paid / (hourly * multiplier) * 60
            if not minutes:
                continue
            due = (Decimal(minutes) / 60 * hourly * multiplier).quantize(CENT, ROUND_HALF_UP)
            if paid + tolerance < due:
                add(row.worker_ref, row.month, rule, {
                    "hours": hours_text(minutes), "due": money_text(due), "paid": money_text(paid),
                })  # fmt: skip
        excess = paid_minutes - (stats[OT_WORKDAY] + stats[OT_REST] + stats[OT_HOLIDAY])
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


def _period(records: Records, dates: set[date]) -> tuple[date, date] | None:
    """The first and last day the records cover: clock days, else whole payroll months."""
    if dates:
        return min(dates), max(dates)
    if not records.payroll:
        return None
    months = sorted(row.month for row in records.payroll)
    first = date(int(months[0][:4]), int(months[0][5:]), 1)
    last = add_months(date(int(months[-1][:4]), int(months[-1][5:]), 1), 1) - timedelta(days=1)
    return first, last


def _contracts(
    records: Records, workers: dict[str, Worker], dates: set[date], rules: Rules, add: Add
) -> None:
    """A regular worker without a written contract past its deadline on some day of the period.
    Interns sign internship agreements; dispatched workers' contracts are with the agency."""
    period = _period(records, dates)
    if period is None:
        return
    start, end = period
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


def _identical_times(
    attendance: list[Attendance], worked: dict[tuple[str, date], int], rules: Rules
) -> list[Indication]:
    """Clock times identical to the minute: for one worker across days, or across workers on one
    day. Counted with C-level Counters, as a year of records is a million rows."""
    days_per_worker = Counter(map(itemgetter(0), worked))
    repeated: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for (ref, _in, _out), count in Counter(map(itemgetter(0, 2, 3), attendance)).items():
        totals[ref] += count
        if count * 2 >= days_per_worker[ref]:
            repeated[ref] += count
    worker_share = float(rules.identical_times_worker_share)
    flagged_workers = sum(
        1
        for ref, count in totals.items()
        if days_per_worker[ref] >= rules.identical_times_min_days
        and repeated[ref] >= worker_share * count
    )
    workers_per_day = Counter(map(itemgetter(1), worked))
    top: dict[date, int] = {}
    for (day, _in, _out), count in Counter(map(itemgetter(1, 2, 3), attendance)).items():
        if count > top.get(day, 0):
            top[day] = count
    day_share = float(rules.identical_times_day_share)
    flagged_days = sum(
        1
        for day, count in top.items()
        if workers_per_day[day] >= rules.identical_times_min_workers
        and count >= day_share * workers_per_day[day]
    )
    if not (flagged_workers or flagged_days):
        return []
    return [
        Indication(
            code=IDENTICAL_CLOCK_TIMES,
            figures={"workers": str(flagged_workers), "days": str(flagged_days)},
        )
    ]
