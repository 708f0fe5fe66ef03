"""`manage.py check_records` on the hand-made month: one JSON object per violation."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.assessments import records_may_2026 as may


def run(tmp_path, *extra):
    workers, attendance, payroll = may.write(tmp_path)
    out, err = StringIO(), StringIO()
    call_command(
        "check_records",
        "--workers", str(workers), "--attendance", str(attendance), "--payroll", str(payroll),
        *extra, stdout=out, stderr=err,
    )  # fmt: skip
    return out.getvalue(), err.getvalue()


def test_it_prints_one_json_object_per_violation(tmp_path):
    out, err = run(tmp_path, "--minimum-wage", "2500", "--format", "json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(o["worker_ref"], o["month"], o["rule"]) for o in lines] == may.EXPECTED
    assert set(lines[0]) == {"worker_ref", "month", "rule", "detail", "source"}
    daily = next(o for o in lines if o["rule"] == "DAILY_OVERTIME_CAP")
    assert daily["detail"] == "Overtime above 3 h on 2 workdays (most: 5 h)."
    assert daily["source"] == "Labour Law Art. 41"
    assert "IDENTICAL_CLOCK_TIMES" in err


def test_the_table_names_each_violation_and_the_counts_per_issue(tmp_path):
    out, _err = run(tmp_path, "--minimum-wage", "2500")
    assert "7 workers, 76 clock records, months 2026-05: 12 violations." in out
    assert "JUVENILE_HAZARD" in out
    assert "YOUTH: 4" in out


def test_an_area_code_is_refused_as_no_area_table_is_shipped(tmp_path):
    with pytest.raises(CommandError, match="--minimum-wage"):
        run(tmp_path, "--area", "350583")


def test_unreadable_records_print_their_rows_and_check_nothing(tmp_path):
    workers, attendance, payroll = may.write(tmp_path)
    attendance.write_text(may.attendance() + "R1,2026-05-31,08:00,xx,60\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was checked"):
        call_command(
            "check_records",
            "--workers", str(workers), "--attendance", str(attendance), "--payroll", str(payroll),
            "--format", "json", stderr=err,
        )  # fmt: skip
    assert "attendance.csv, row 78, clock_out" in err.getvalue()
