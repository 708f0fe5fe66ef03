"""The columns of the three records files, their Chinese and English headers, and the templates.

The English header is the canonical column name; the Chinese header is what the Chinese template
carries; aliases are headers found in Chinese payroll and attendance software exports.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "templates"

WORKERS = "workers"
ATTENDANCE = "attendance"
PAYROLL = "payroll"
KINDS = (WORKERS, ATTENDANCE, PAYROLL)
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Column:
    name: str  # canonical, the English header
    chinese: str  # the Chinese template's header
    required: bool = True
    aliases: tuple[str, ...] = ()


COLUMNS: dict[str, tuple[Column, ...]] = {
    WORKERS: (
        Column("worker_ref", "工号", aliases=("员工编号", "编号", "worker id", "employee id")),
        Column("name", "姓名", required=False, aliases=("员工姓名",)),
        Column("birth_date", "出生日期", aliases=("生日", "出生年月日", "date of birth")),
        Column("hire_date", "入职日期", aliases=("入职时间", "入厂日期", "start date")),
        Column(
            "contract_signed_date",
            "劳动合同签订日期",
            required=False,
            aliases=("合同签订日期", "签订合同日期", "contract date"),
        ),
        Column("employment_type", "用工类型", aliases=("用工形式", "员工类型", "type")),
        Column("post", "岗位", required=False, aliases=("工种", "岗位/工种", "position", "job")),
    ),
    ATTENDANCE: (
        Column("worker_ref", "工号", aliases=("员工编号", "编号", "worker id", "employee id")),
        Column("date", "日期", aliases=("考勤日期", "work date")),
        Column("clock_in", "上班打卡", aliases=("上班时间", "签到时间", "in")),
        Column("clock_out", "下班打卡", aliases=("下班时间", "签退时间", "out")),
        Column(
            "break_minutes",
            "休息分钟",
            required=False,
            aliases=("休息时间（分钟）", "休息时长（分钟）", "休息时间", "break"),
        ),
    ),
    PAYROLL: (
        Column("worker_ref", "工号", aliases=("员工编号", "编号", "worker id", "employee id")),
        Column("month", "月份", aliases=("工资月份", "pay month")),
        Column("base_wage", "基本工资", aliases=("base pay",)),
        Column("overtime_pay_workday", "工作日加班费", aliases=("平时加班费", "延时加班费")),
        Column(
            "overtime_pay_restday",
            "休息日加班费",
            aliases=("周末加班费", "双休日加班费", "休息日加班工资"),
        ),
        Column(
            "overtime_pay_holiday",
            "法定节假日加班费",
            aliases=("节假日加班费", "法定假日加班费"),
        ),
        Column("total_pay", "应发工资", aliases=("应发合计", "工资总额", "gross pay")),
    ),
}


def header_key(text: str) -> str:
    """A header as compared: case, spaces, underscores and hyphens do not matter."""
    return "".join(text.replace("\ufeff", "").split()).casefold().replace("_", "").replace("-", "")


HEADERS: dict[str, dict[str, str]] = {
    kind: {
        header_key(text): column.name
        for column in columns
        for text in (column.name, column.name.replace("_", " "), column.chinese, *column.aliases)
    }
    for kind, columns in COLUMNS.items()
}


def template(kind: str, language: str) -> bytes:
    """The template of one file: its header line, as CSV in UTF-8 with a byte-order mark so that
    Excel shows the Chinese headers."""
    columns = COLUMNS[kind]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(
        [column.chinese if language == "zh" else column.name for column in columns]
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_path(kind: str, language: str) -> Path:
    return TEMPLATES / f"records_{kind}.{language}.csv"


def write_templates(directory: Path = TEMPLATES) -> list[Path]:
    """Write the six templates (three files, Chinese and English) into a directory."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        for language in LANGUAGES:
            path = directory / template_path(kind, language).name
            path.write_bytes(template(kind, language))
            written.append(path)
    return written
