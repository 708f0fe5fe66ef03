"""Importing: files as people make them, and the job that imports them all or nothing."""

from decimal import Decimal

import pytest

from stonebridge.supplychain import importing
from stonebridge.supplychain.models import (
    Facility,
    ImportJob,
)
from stonebridge.supplychain.tabular import write_csv
from tests.supplychain.importing.helpers import FACILITY_HEADERS, Status, upload, verbs


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
