"""A hand-made month of records, May 2026, whose violations a person can count.

The official calendar for May 2026 (State Council notice of 2025-11-04): Labour Day block 1-5 May
with 1 and 2 May the statutory days (300 %), 3-5 May rest days (200 %), and Saturday 9 May a
make-up working day. Workdays: 6-9, 11-15, 18-22, 25-29 May (19).

- R1, regular, saw operator: works 1 May (holiday, 8 h), 4 May (rest day, 8 h), 9 May (make-up
  workday, 8 h, no overtime) and every workday; 13 h on 11 May and 12 h on 12 May (5 h and 4 h
  overtime, both above 3 h). Paid exactly: 9 h at 150 %, 8 h at 200 %, 8 h at 300 % of
  3,000 ÷ 174. → DAILY_OVERTIME_CAP.
- R2, regular: works 1 May and 4 May (8 h each), every workday, 10 h on 11-15 May and both days of
  the weekend 16-17 May: a seven-day week; 10 + 24 + 8 = 42 h overtime. Paid 1 May at 200 %,
  nothing for rest days. → MONTHLY_OVERTIME_CAP, NO_WEEKLY_REST, OVERTIME_PAY_RESTDAY,
  OVERTIME_PAY_HOLIDAY.
- N1, regular, started 2 March 2026, no contract, 2,300 a month against a 2,500 minimum.
  → NO_CONTRACT, MINIMUM_WAGE.
- I1, intern: 9 May (make-up workday, no overtime), a shift to 23:00 on 12 May, a night shift
  22:00-06:00 from 13 May, and four hours on Saturday 16 May. → INTERN_OVERTIME, INTERN_NIGHT.
- C1, 15 years old, packing. → CHILD_LABOUR.
- J1, 17 years old, polishing (抛光). → JUVENILE_HAZARD.
- D1, dispatched: one of six employees (interns are not counted), 16.7 % > 10 %.
  → DISPATCH_SHARE for the facility.
"""

WORKDAYS = [6, 7, 8, 9, 11, 12, 13, 14, 15, 18, 19, 20, 21, 22, 25, 26, 27, 28, 29]

WORKERS = """worker_ref,name,birth_date,hire_date,contract_signed_date,employment_type,post
R1,王伟,1985-06-01,2024-01-10,2024-01-15,regular,saw operator
R2,李娜,1990-02-03,2023-05-04,2023-05-04,regular,cutting
N1,张敏,1995-07-08,2026-03-02,,regular,cutting
I1,刘洋,2007-09-01,2026-03-01,,intern,packing
C1,陈杰,2010-08-20,2026-04-01,2026-04-01,regular,包装
J1,杨静,2008-12-01,2026-01-05,2026-01-05,regular,抛光
D1,赵强,1988-11-11,2025-06-01,,dispatched,loading bay clerk
"""


def day(n: int) -> str:
    return f"2026-05-{n:02d}"


def attendance() -> str:
    rows = ["worker_ref,date,clock_in,clock_out,break_minutes"]
    # R1
    rows += [f"R1,{day(1)},08:00,17:00,60", f"R1,{day(4)},08:00,17:00,60"]
    for n in WORKDAYS:
        end = {11: "22:00", 12: "21:00"}.get(n, "17:00")
        rows.append(f"R1,{day(n)},08:00,{end},60")
    # R2
    rows += [f"R2,{day(1)},08:00,17:00,60", f"R2,{day(4)},08:00,17:00,60"]
    for n in sorted([*WORKDAYS, 16, 17]):
        end = "19:00" if 11 <= n <= 15 else "17:00"
        rows.append(f"R2,{day(n)},08:00,{end},60")
    # N1
    rows += [f"N1,{day(n)},08:02,17:00,60" for n in WORKDAYS]
    # I1
    rows += [
        f"I1,{day(9)},08:00,17:00,60",
        f"I1,{day(12)},14:00,23:00,60",
        f"I1,{day(13)},22:00,06:00,0",
        f"I1,{day(16)},08:00,12:00,0",
    ]
    # C1, J1, D1
    for ref in ("C1", "J1", "D1"):
        rows += [f"{ref},{day(n)},08:00,17:00,60" for n in (6, 7, 8)]
    return "\n".join(rows) + "\n"


PAYROLL = """\
worker_ref,month,base_wage,overtime_pay_workday,overtime_pay_restday,overtime_pay_holiday,\
total_pay
R1,2026-05,3000,232.76,275.86,413.79,3922.41
R2,2026-05,3000,258.62,0,275.86,3534.48
N1,2026-05,2300,0,0,0,2300
I1,2026-05,1800,0,0,0,1800
"""

EXPECTED = [
    ("", None, "DISPATCH_SHARE"),
    ("C1", "2026-05", "CHILD_LABOUR"),
    ("I1", "2026-05", "INTERN_OVERTIME"),
    ("I1", "2026-05", "INTERN_NIGHT"),
    ("J1", "2026-05", "JUVENILE_HAZARD"),
    ("N1", None, "NO_CONTRACT"),
    ("N1", "2026-05", "MINIMUM_WAGE"),
    ("R1", "2026-05", "DAILY_OVERTIME_CAP"),
    ("R2", "2026-05", "MONTHLY_OVERTIME_CAP"),
    ("R2", "2026-05", "NO_WEEKLY_REST"),
    ("R2", "2026-05", "OVERTIME_PAY_RESTDAY"),
    ("R2", "2026-05", "OVERTIME_PAY_HOLIDAY"),
]


def write(directory):  # type: ignore[no-untyped-def]
    """The three files as CSV in a directory; returns their paths."""
    paths = (directory / "workers.csv", directory / "attendance.csv", directory / "payroll.csv")
    for path, text in zip(paths, (WORKERS, attendance(), PAYROLL), strict=True):
        path.write_text(text, encoding="utf-8")
    return paths
