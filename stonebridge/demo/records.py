"""A checked month of wage-and-hours records at the Nan'an sawing plant, uploaded by the
factory's own manager: twelve workers, six days a week in the busy season, a 17-year-old at the
polishing line, a student intern on overtime and two workers without a contract. Invented
people; the names are read by the check and not stored."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from stonebridge.accounts.models import Organisation
from stonebridge.assessments.models import HoursApproval
from stonebridge.assessments.services.records import hours_approval_record, records_check_submit
from stonebridge.engagement.models import Relationship

# A one-page PDF standing in for the labour bureau's approval letter.
APPROVAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# Unverified example from DOMAIN.md: Fujian, from 2025-04-01, tier 2 (Quanzhou districts).
MINIMUM_WAGE = Decimal("2195")
# (ref, name, birth, hired, contract signed, type, post, clock out, works Saturdays, base wage)
WORKERS = [
    (
        "XY001",
        "陈国华",
        "1978-05-12",
        "2019-03-01",
        "2019-03-01",
        "regular",
        "锯板",
        "19:00",
        True,
        3200,
    ),
    (
        "XY002",
        "林德明",
        "1983-09-30",
        "2020-02-15",
        "2020-02-15",
        "regular",
        "锯板",
        "19:00",
        True,
        3200,
    ),
    (
        "XY003",
        "黄春燕",
        "1990-01-21",
        "2021-07-01",
        "2021-07-01",
        "regular",
        "抛光",
        "18:00",
        True,
        2900,
    ),
    (
        "XY004",
        "王小军",
        "2008-11-02",
        "2026-01-10",
        "2026-01-10",
        "regular",
        "抛光",
        "18:00",
        True,
        2400,
    ),
    (
        "XY005",
        "郑丽娟",
        "1986-04-18",
        "2018-05-01",
        "2018-05-01",
        "regular",
        "包装",
        "17:00",
        False,
        2800,
    ),
    ("XY006", "吴建平", "1975-12-03", "2025-09-01", "", "regular", "锯板", "19:00", True, 3000),
    ("XY007", "蔡明辉", "1992-06-25", "2025-10-15", "", "regular", "切割", "18:00", True, 2600),
    (
        "XY008",
        "许嘉怡",
        "2006-03-14",
        "2026-02-20",
        "2026-02-20",
        "intern",
        "包装",
        "19:00",
        False,
        1800,
    ),
    (
        "XY009",
        "洪志强",
        "1981-08-08",
        "2017-04-01",
        "2017-04-01",
        "regular",
        "切割",
        "17:00",
        False,
        3100,
    ),
    (
        "XY010",
        "苏美玲",
        "1988-10-10",
        "2022-03-01",
        "2022-03-01",
        "regular",
        "包装",
        "17:00",
        False,
        1900,
    ),
    (
        "XY011",
        "李永福",
        "1970-02-02",
        "2016-06-01",
        "2016-06-01",
        "dispatched",
        "装卸",
        "17:00",
        False,
        2700,
    ),
    (
        "XY012",
        "杨海波",
        "1984-07-07",
        "2023-08-01",
        "2023-08-01",
        "regular",
        "锯板",
        "19:00",
        True,
        3200,
    ),
]


def _month(today: date) -> tuple[date, date]:
    """The last full month before today, within the calendars shipped (2025 and 2026)."""
    end = min(today.replace(day=1) - timedelta(days=1), date(2026, 12, 31))
    end = max(end, date(2025, 1, 31))
    return end.replace(day=1), end


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


def files(start: date, end: date) -> dict[str, SimpleUploadedFile]:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    workers = _csv(
        [
            "worker_ref",
            "name",
            "birth_date",
            "hire_date",
            "contract_signed_date",
            "employment_type",
            "post",
        ],
        [list(w[:7]) for w in WORKERS],
    )
    attendance = _csv(
        ["worker_ref", "date", "clock_in", "clock_out", "break_minutes"],
        [
            [w[0], day.isoformat(), "07:30", w[7], 90]
            for w in WORKERS
            for day in days
            if day.weekday() < 5 or (day.weekday() == 5 and w[8])
        ],
    )
    month = f"{start:%Y-%m}"
    payroll = _csv(
        [
            "worker_ref",
            "month",
            "base_wage",
            "overtime_pay_workday",
            "overtime_pay_restday",
            "overtime_pay_holiday",
            "total_pay",
        ],
        [[w[0], month, w[9], 300, 0, 0, w[9] + 300] for w in WORKERS],
    )
    return {
        "workers": SimpleUploadedFile("员工名册.csv", workers),
        "attendance": SimpleUploadedFile("考勤记录.csv", attendance),
        "payroll": SimpleUploadedFile("工资表.csv", payroll),
    }


def build(buyer: Organisation, today: date) -> None:
    relationship = Relationship.objects.select_related("supplier").get(
        organisation=buyer, supplier__slug="shuitou-xinyuan"
    )
    assert relationship.supplier is not None
    manager = relationship.supplier.memberships.owners().get().user
    start, end = _month(today)
    # Last year's approval of the comprehensive system for the saw line, lapsed: the month is
    # checked by the standard rules.
    hours_approval_record(
        relationship=relationship,
        by=manager,
        posts="锯板",
        period=HoursApproval.Period.QUARTER,
        valid_from=date(start.year - 1, 1, 1),
        valid_until=date(start.year - 1, 12, 31),
        reference=f"南人社综〔{start.year - 1}〕7号",
        document=SimpleUploadedFile("综合工时审批.pdf", APPROVAL_PDF),
    )
    records_check_submit(
        relationship=relationship,
        by=manager,
        by_supplier=True,
        period_start=start,
        period_end=end,
        minimum_wage=MINIMUM_WAGE,
        minimum_wage_source="福建省 2025 二类（示例，未核实）",
        run_now=True,
        **files(start, end),
    )
