"""Reading the records files: GB18030 and UTF-8 CSV, Chinese headers, XLSX, and a broken row that
stops the whole upload with its row number."""

from datetime import date, datetime, time
from io import BytesIO

import pytest
from openpyxl import Workbook

from stonebridge.assessments.records import (
    RecordsError,
    RecordsFile,
    read_records,
    template,
)
from stonebridge.assessments.records.columns import KINDS, LANGUAGES, template_path

WORKERS_ZH = (
    "工号,姓名,出生日期,入职日期,劳动合同签订日期,用工类型,岗位\n"
    "A01,王伟,1985/6/1,2024年1月10日,2024-01-15,正式,抛光\n"
    "A02,李娜,2007-09-01,2026-03-01,,实习生,包装\n"
)
ATTENDANCE_ZH = (
    "工号,日期,上班打卡,下班打卡,休息分钟\n"
    "A01,2026-05-09,08:00,17:30,60\n"
    "A02,2026-05-09,22:00,06:00,0\n"
)
PAYROLL_ZH = (
    "工号,月份,基本工资,工作日加班费,休息日加班费,法定节假日加班费,应发工资\n"
    'A01,2026年5月,"3,000.00",0,,0,¥3000\n'
)


def files(encoding="utf-8", workers=WORKERS_ZH, attendance=ATTENDANCE_ZH, payroll=PAYROLL_ZH):
    return {
        "workers": RecordsFile("员工.csv", workers.encode(encoding)),
        "attendance": RecordsFile("考勤.csv", attendance.encode(encoding)),
        "payroll": RecordsFile("工资.csv", payroll.encode(encoding)),
    }


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8", "utf-8-sig"])
def test_it_reads_chinese_headers_in_every_accepted_encoding(encoding):
    records = read_records(**files(encoding))
    first, intern = records.workers
    assert (first.worker_ref, first.birth_date, first.hire_date, first.employment_type) == (
        "A01", date(1985, 6, 1), date(2024, 1, 10), "regular",
    )  # fmt: skip
    assert (intern.employment_type, intern.contract_signed_date, intern.post) == (
        "intern",
        None,
        "包装",
    )
    assert list(records.attendance) == [
        ("A01", date(2026, 5, 9), 480, 1050, 60),
        ("A02", date(2026, 5, 9), 1320, 360, 0),
    ]
    (pay,) = records.payroll
    assert (pay.month, str(pay.base_wage), str(pay.overtime_pay_restday), str(pay.total_pay)) == (
        "2026-05", "3000.00", "0", "3000",
    )  # fmt: skip


def test_names_are_read_past_and_never_kept():
    records = read_records(**files())
    assert "王伟" not in repr(records)
    assert "李娜" not in repr(records)


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_reads_xlsx_with_date_and_time_cells():
    workers = xlsx([
        ["工号", "姓名", "出生日期", "入职日期", "劳动合同签订日期", "用工类型", "岗位"],
        [1001, "王伟", datetime(1985, 6, 1), date(2024, 1, 10), None, "劳务派遣", "叉车"],
    ])  # fmt: skip
    attendance = xlsx([
        ["工号", "日期", "上班打卡", "下班打卡", "休息分钟"],
        [1001, datetime(2026, 5, 6), time(7, 55), time(17, 5), 60],
    ])  # fmt: skip
    payroll = xlsx([
        ["工号", "月份", "基本工资", "工作日加班费", "休息日加班费", "法定节假日加班费",
         "应发工资"],
        [1001, datetime(2026, 5, 1), 2800, 0, 0, 0, 2800.5],
    ])  # fmt: skip
    records = read_records(
        workers=RecordsFile("w.xlsx", workers),
        attendance=RecordsFile("a.xlsx", attendance),
        payroll=RecordsFile("p.xlsx", payroll),
    )
    assert records.workers[0].worker_ref == "1001"
    assert records.workers[0].employment_type == "dispatched"
    assert list(records.attendance) == [("1001", date(2026, 5, 6), 475, 1025, 60)]
    assert records.payroll[0].month == "2026-05"
    assert str(records.payroll[0].total_pay) == "2800.5"


def test_a_broken_row_stops_the_upload_with_its_row_number():
    attendance = ATTENDANCE_ZH + "A01,2026-05-10,25:00,17:00,60\nZ99,2026-05-11,08:00,17:00,60\n"
    with pytest.raises(RecordsError) as raised:
        read_records(**files(attendance=attendance))
    assert [(e.file, e.row, e.column) for e in raised.value.errors] == [
        ("考勤.csv", 4, "clock_in"),
        ("考勤.csv", 5, "worker_ref"),
    ]
    assert "25:00" in raised.value.errors[0].message
    assert "Z99" in raised.value.errors[1].message


def test_every_file_is_checked_before_giving_up():
    workers = WORKERS_ZH + "A03,赵强,1990-01-01,2020-01-01,,临时工,\n"
    payroll = PAYROLL_ZH + "A01,2026-05,3000,0,0,0,abc\n"
    with pytest.raises(RecordsError) as raised:
        read_records(**files(workers=workers, payroll=payroll))
    assert [(e.file, e.row, e.column) for e in raised.value.errors] == [
        ("员工.csv", 4, "employment_type"),
        ("工资.csv", 3, "month"),  # the same worker's month twice
    ]


def test_a_missing_column_is_named_in_both_languages():
    with pytest.raises(RecordsError) as raised:
        read_records(**files(attendance="工号,日期,上班打卡\nA01,2026-05-09,08:00\n"))
    (error,) = raised.value.errors
    assert (error.row, error.column) == (1, "clock_out")
    assert "下班打卡" in error.message


def test_an_encoding_that_is_neither_utf8_nor_gb18030_is_refused():
    given = files()
    given["attendance"] = RecordsFile("考勤.csv", ATTENDANCE_ZH.encode("utf-16"))
    with pytest.raises(RecordsError) as raised:
        read_records(**given)
    (error,) = raised.value.errors
    assert (error.file, error.row) == ("考勤.csv", 0)
    assert "GB18030" in error.message


def test_the_shipped_templates_are_what_the_function_writes_and_read_back_empty(tmp_path):
    for kind in KINDS:
        for language in LANGUAGES:
            assert template_path(kind, language).read_bytes() == template(kind, language)
    assert template("payroll", "zh").decode("utf-8-sig").startswith("工号,月份,基本工资")
    records = read_records(
        workers=template_path("workers", "zh"),
        attendance=template_path("attendance", "en"),
        payroll=template_path("payroll", "zh"),
    )
    assert (records.workers, len(records.attendance), records.payroll) == ((), 0, ())


def test_a_large_plain_csv_and_an_irregular_one_read_the_same():
    """The fast column-wise path and the row-by-row path give the same rows."""
    plain = "worker_ref,date,clock_in,clock_out,break_minutes\r\n" + "".join(
        f"A01,2026-05-{n:02d},08:0{n % 10},17:00,60\r\n" for n in range(6, 30)
    )
    quoted = plain.replace("A01,", '"A01",')
    read_plain = read_records(**files(attendance=plain))
    read_quoted = read_records(**files(attendance=quoted))
    assert list(read_plain.attendance) == list(read_quoted.attendance)
    assert len(read_plain.attendance) == 24
