"""Importing: files as people make them, and the job that imports them all or nothing."""

import io
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stonebridge.supplychain import importing
from stonebridge.supplychain.codes import credit_code_check_character
from stonebridge.supplychain.importing import jobs
from stonebridge.supplychain.models import (
    Facility,
    ImportJob,
)
from stonebridge.supplychain.tabular import TableError, read_table, write_csv
from tests.conftest import client_for
from tests.supplychain.importing.helpers import FACILITY_HEADERS, Status, registry, upload, verbs


def test_a_gb18030_csv_from_chinese_excel_keeps_the_chinese_names(buyer, owner):
    text = (
        "类型,中文名称,省份,城市,工序\r\n"
        "加工厂,南安市水头镇鑫源石材厂,福建省,南安市,锯切、抛光\r\n"
        "矿山,五莲县红云花岗岩矿,山东省,日照市,开采\r\n"
    )
    job = importing.import_start(
        organisation=buyer,
        by=owner,
        data=text.encode("gb18030"),
        filename="供应商.csv",
        kind="facilities",
    )
    assert job.status == Status.DONE, job.errors
    assert set(Facility.objects.values_list("name_zh", "province", "kind")) == {
        ("南安市水头镇鑫源石材厂", "福建省", "processor"),
        ("五莲县红云花岗岩矿", "山东省", "quarry"),
    }


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("Müller Naturstein GmbH", "cp1252"),
        ("南安市水頭鎮鑫源石材廠", "big5"),
        ("南安市水头镇鑫源石材厂", "gbk"),
        ("南安市水头镇鑫源石材厂", "utf-8-sig"),
    ],
)
def test_a_list_saved_in_a_local_encoding_keeps_its_names(buyer, owner, name, encoding):
    column = "name_en" if name.isascii() or "ü" in name else "name_zh"
    text = f"kind,{column},city\r\nprocessor,{name},Nan'an\r\n"
    job = importing.import_start(
        organisation=buyer,
        by=owner,
        data=text.encode(encoding),
        filename="list.csv",
        kind="facilities",
    )
    assert job.status == Status.DONE, job.errors
    assert getattr(Facility.objects.get(), column) == name


def test_a_list_in_an_unclear_encoding_is_refused_asking_for_utf8(buyer, owner):
    data = "kind,name_en\nprocessor,Müller\n".encode() + b"processor,M\xfcller\n"
    job = importing.import_start(
        organisation=buyer, by=owner, data=data, filename="list.csv", kind="facilities"
    )
    assert job.status == Status.FAILED
    assert "CSV UTF-8" in job.errors[0]["message"]
    assert not Facility.objects.exists()


def test_a_utf8_file_with_a_byte_order_mark_is_read(buyer, owner):
    text = "\ufeffkind,name_zh,city\nprocessor,厦门海辰石业有限公司,厦门\n"
    job = importing.import_start(
        organisation=buyer, by=owner, data=text.encode(), filename="l.csv", kind="facilities"
    )
    assert job.status == Status.DONE, job.errors
    assert Facility.objects.get().name_zh == "厦门海辰石业有限公司"


def test_an_xlsx_list_with_numbers_in_number_cells(buyer, owner):
    headers = ["类型 / Kind (kind)", "中文名称", "Workers", "migrant_share", "latitude"]
    job = upload(
        buyer, owner, headers, [["workshop", "惠安县崇武永兴雕刻厂", 35, 0.35, 25.03]], ext="xlsx"
    )
    assert job.status == Status.DONE, job.errors
    facility = Facility.objects.get()
    assert (facility.kind, facility.workers) == ("workshop", 35)
    assert facility.migrant_share == Decimal("0.350")
    assert facility.latitude == Decimal("25.030000")


def test_an_unreadable_file_is_a_failed_job(buyer, owner):
    job = importing.import_start(
        organisation=buyer, by=owner, data=b"PK\x03\x04junk", filename="l.xlsx", kind="facilities"
    )
    assert job.status == Status.FAILED
    assert job.errors[0]["row"] == 0
    assert "Excel" in job.errors[0]["message"]


def test_a_queued_job_is_checked_again_when_it_runs(buyer, owner):
    job = ImportJob.objects.create(
        organisation=buyer,
        created_by=owner,
        kind="links",
        format="stonebridge",
        filename="links.csv",
        data=write_csv(["supplier", "customer", "kind"], [["X", "Y", "trades"]]),
        status=Status.QUEUED,
        total_rows=1,
    )
    job = importing.import_run(job_id=job.pk)
    assert job.status == Status.FAILED
    assert {e["column"] for e in job.errors} == {"supplier", "customer"}
    assert job.finished_at is not None
    assert verbs() == ["import.failed"]
    # Run twice (a worker and the command line): the second run does nothing.
    assert importing.import_run(job_id=job.pk).status == Status.FAILED
    assert verbs() == ["import.failed"]


def test_thousands_of_errors_are_kept_to_a_readable_number(buyer, owner):
    rows = [["", "castle", "甲", "", "", "", ""]] * (importing.MAX_STORED_ERRORS + 5)
    job = upload(buyer, owner, FACILITY_HEADERS, rows)
    assert len(job.errors) == importing.MAX_STORED_ERRORS + 1
    assert job.errors[-1]["message"] == "… and 5 more errors."


def stored_uploads() -> list[str]:
    return list(ImportJob.objects.exclude(data=None).values_list("filename", flat=True))


def test_an_upload_is_deleted_once_its_import_finished_or_failed(buyer, owner):
    upload(buyer, owner, FACILITY_HEADERS, [["A", "processor", "甲", "", "", "", ""]])
    upload(buyer, owner, FACILITY_HEADERS, [["B", "castle", "乙", "", "", "", ""]])
    assert list(ImportJob.objects.values_list("status", flat=True)) == [Status.FAILED, Status.DONE]
    assert stored_uploads() == []


def test_uploads_kept_for_a_while_are_deleted_when_the_time_is_up(buyer, owner, settings):
    settings.IMPORT_UPLOAD_KEEP_HOURS = 24
    done = upload(buyer, owner, FACILITY_HEADERS, [["A", "processor", "甲", "南安", "", "", ""]])
    registry(name_zh="厦门海辰石业有限公司", city="厦门")
    waiting = upload(
        buyer, owner, FACILITY_HEADERS, [["", "processor", "厦门海晨石业", "", "厦门", "", ""]]
    )
    assert waiting.status == Status.NEEDS_REVIEW
    assert len(stored_uploads()) == 2
    ImportJob.objects.filter(pk=done.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    call_command("purge_import_uploads", stdout=io.StringIO())
    # The import waiting for answers keeps its file: it runs on exactly what was checked.
    assert list(ImportJob.objects.exclude(data=None).values_list("pk", flat=True)) == [waiting.pk]


def test_the_upload_request_only_keeps_the_file_the_task_checks_it(buyer, owner, monkeypatch):
    """The page answers at once, polling a progress bar; checking is the task's work."""
    queued: list[int] = []
    # A worker that has not run yet.
    worker = SimpleNamespace(enqueue=lambda *, job_id: queued.append(job_id))
    monkeypatch.setattr(jobs, "run_import", worker)
    client = client_for(owner)
    data = write_csv(FACILITY_HEADERS, [["A", "castle", "甲", "", "", "", ""]])
    upload_file = SimpleUploadedFile("list.csv", data, content_type="text/csv")
    response = client.post(
        reverse("supplychain:imports", args=[buyer.slug]),
        {"kind": "facilities", "format": "stonebridge", "file": upload_file},
    )
    job = ImportJob.objects.get()
    assert queued == [job.pk]
    assert (job.status, job.total_rows, job.errors) == (Status.QUEUED, 0, [])
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "<progress" in page

    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.CHECKING, total_rows=4, processed_rows=1
    )
    checking = client.get(response.url).content.decode()
    assert "Checking the file" in checking
    assert 'value="25"' in checking

    ImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED)
    job = importing.import_run(job_id=job.pk)
    assert job.status == Status.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "kind")]


def test_a_heading_row_of_40000_names_is_checked_in_one_pass(buyer, owner):
    """Each heading is looked at once (it took 11 s of CPU when each was counted among all)."""
    headers = [f"column {i}" for i in range(40_000)]
    with pytest.raises(TableError, match="appear more than once: column 7"):
        read_table(write_csv([*headers, "column 7"], [["x"] * 40_001]), "wide.csv")
    job = upload(buyer, owner, headers, [["x"] * 40_000])
    assert job.status == Status.FAILED
    assert len(job.errors) == importing.MAX_STORED_ERRORS + 1
    assert job.errors[0]["message"].startswith("The column “column 0” is not known.")


def test_a_code_issued_in_another_province_is_imported_with_a_notice(buyer, owner):
    # A Shandong (37) division code on a row that says Fujian: kept, and the import says so.
    shandong = "91371121MA3C8F2N4" + credit_code_check_character("91371121MA3C8F2N4")
    text = f"kind,name_zh,province,credit_code\r\nprocessor,南安市鑫源石材厂,福建省,{shandong}\r\n"
    job = importing.import_start(
        organisation=buyer, by=owner, data=text.encode(), filename="list.csv", kind="facilities"
    )
    assert job.status == Status.DONE, job.errors
    assert Facility.objects.get().credit_code == shandong
    assert any(n.startswith("Row 2:") and "山东" in n for n in job.notices), job.notices
